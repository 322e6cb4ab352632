"""The catalogue as rows: every loaded version, which scores refer to.

Versions are data: loaded from files by their owner (``catalogue.services``), the
shipped ones on every migrate. ``Framework.definition`` is the pure version built from
these rows (``catalogue.registry``, cached per process).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.append_only import AppendOnly


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        ACTIVE = "active", _("aktiv")
        RETIRED = "retired", _("utgången")

    code = models.CharField(_("version"), max_length=20, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    in_use = models.CharField(_("använd"), max_length=40, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    about = models.TextField(_("Vad är Kommunkompassen?"), blank=True)
    owner = models.CharField(_("ägare"), max_length=100, blank=True)
    language = models.CharField(_("språk"), max_length=8, default="sv")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    public_questions = models.BooleanField(_("frågor och vägledning får visas öppet"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=0, help_text=_("ökar vid varje inläsning"))
    loaded_at = models.DateTimeField(_("inläst"), null=True, blank=True)
    # The digest of the shipped file last synced: a shipped version is synced again only
    # when its file changes, so an owner's later load is not undone by a migrate.
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Translations of name, description and about by language (``catalogue.translations``).
    translations = models.JSONField(_("översättningar"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")

    def __str__(self):
        return self.name

    @property
    def source_language(self) -> str:
        """The language its texts are written in (translations: ``catalogue_text``)."""
        return self.language

    @property
    def definition(self):
        from kompass.catalogue.definitions import get

        return get(self.code)

    @property
    def is_active(self) -> bool:
        """Only active versions can be chosen for new evaluations."""
        return self.status == self.Status.ACTIVE


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("namn"), max_length=200)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    headings = models.JSONField(_("rubriker"), default=list, blank=True)
    guidance = models.JSONField(_("vägledning"), default=dict, blank=True)
    translations = models.JSONField(_("översättningar"), default=dict, blank=True)

    class Meta:
        ordering = ["framework__code", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="area_unique_number")]
        verbose_name = _("område")
        verbose_name_plural = _("områden")

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def source_language(self) -> str:
        return self.framework.language


class Question(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("delfråga"), max_length=8)
    text = models.TextField(_("fråga"))
    short = models.CharField(_("kort rubrik"), max_length=200, blank=True)
    subarea = models.CharField(_("delområde"), max_length=200, blank=True)
    max_points = models.DecimalField(_("max"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField()
    guidance = models.JSONField(_("vägledning"), default=dict, blank=True)
    translations = models.JSONField(_("översättningar"), default=dict, blank=True)

    class Meta:
        ordering = ["area__framework__code", "area__number", "position"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="question_unique_code")]
        verbose_name = _("delfråga")
        verbose_name_plural = _("delfrågor")

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def source_language(self) -> str:
        return self.area.framework.language


class Crosswalk(models.Model):
    """Declared by the owner of ``framework``: which of its areas and sub-questions
    correspond to which of ``target``'s. Results stay not fully comparable."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="crosswalks")
    target = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+", verbose_name=_("till version"))
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        ordering = ["framework__code", "target__code"]
        constraints = [models.UniqueConstraint(fields=["framework", "target"], name="crosswalk_unique_target")]
        verbose_name = _("korsreferens")
        verbose_name_plural = _("korsreferenser")


class CrosswalkPair(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("område")
        QUESTION = "question", _("delfråga")

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="pairs")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(_("från"), max_length=8)
    target = models.CharField(_("till"), max_length=8)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["crosswalk", "kind", "position"]


class CatalogueChange(AppendOnly, models.Model):
    """One change of a version's wording or status by a load, as it happened. Written
    once; never changed or deleted."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.CharField(_("av"), max_length=150, blank=True)
    field = models.CharField(_("vad"), max_length=300)
    old = models.TextField(_("före"), blank=True)
    new = models.TextField(_("efter"), blank=True)

    class Meta:
        ordering = ["framework", "at", "id"]
        verbose_name = _("ändring i katalogen")
        verbose_name_plural = _("ändringar i katalogen")
