"""The catalogue as rows, mirrored from the YAML files so that scores can refer to it.

The files are the source; ``catalogue_sync`` writes them here on every migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    code = models.CharField(_("version"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    in_use = models.CharField(_("använd"), max_length=40, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    about = models.TextField(_("Vad är Kommunkompassen?"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")

    def __str__(self):
        return self.name

    @property
    def definition(self):
        from kompass.catalogue.definitions import get

        return get(self.code)


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("namn"), max_length=200)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    headings = models.JSONField(_("rubriker"), default=list, blank=True)

    class Meta:
        ordering = ["framework__code", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="area_unique_number")]
        verbose_name = _("område")
        verbose_name_plural = _("områden")

    def __str__(self):
        return f"{self.number}. {self.title}"


class Question(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("delfråga"), max_length=8)
    text = models.TextField(_("fråga"))
    short = models.CharField(_("kort rubrik"), max_length=200, blank=True)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area__framework__code", "area__number", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="question_unique_code")]
        verbose_name = _("delfråga")
        verbose_name_plural = _("delfrågor")

    def __str__(self):
        return f"{self.code} {self.text}"
