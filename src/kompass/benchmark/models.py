from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.catalogue.models import Area, Framework
from kompass.municipalities.models import Country
from kompass.municipalities.words import country_language


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

    @property
    def language(self) -> str:
        """The language its description and source are written in: its publisher's."""
        return country_language(self.country) or self.framework.language or "sv"


class PeerGroup(models.Model):
    """A group of municipalities to compare within, loaded from a file (SKR's
    kommungrupper, for example). Counties and population bands are groups without rows."""

    key = models.SlugField(_("nyckel"), max_length=120, unique=True)
    scheme = models.CharField(_("indelning"), max_length=200, blank=True, help_text=_("Till exempel SKR:s kommungruppsindelning 2023."))
    name = models.CharField(_("namn"), max_length=200)
    municipalities = models.ManyToManyField("municipalities.Municipality", related_name="peer_groups", verbose_name=_("kommuner"))

    class Meta:
        ordering = ["scheme", "name"]
        verbose_name = _("jämförelsegrupp")
        verbose_name_plural = _("jämförelsegrupper")

    def __str__(self):
        return f"{self.scheme}: {self.name}" if self.scheme else self.name
