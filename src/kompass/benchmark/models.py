from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.catalogue.models import Area, Framework
from kompass.municipalities.models import Country


class PublishedReference(models.Model):
    """A benchmark value someone published (the seed's average of 461), with its source."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, verbose_name=_("version"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("område"),
                             help_text=_("Tomt för totalpoängen."))
    value = models.DecimalField(_("värde"), max_digits=6, decimal_places=2)
    from_year = models.PositiveSmallIntegerField(_("från år"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("till år"), null=True, blank=True)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, blank=True)
    description = models.CharField(_("beskrivning"), max_length=300)
    source = models.CharField(_("källa"), max_length=300)

    class Meta:
        ordering = ["framework__code", "area__number", "from_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="published_reference_not_negative"),
        ]
        verbose_name = _("publicerat jämförelsevärde")
        verbose_name_plural = _("publicerade jämförelsevärden")

    def __str__(self):
        return f"{self.framework.code} {self.area or _('totalt')}: {self.value} ({self.source})"
