from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.municipalities import words


class Country(models.TextChoices):
    SE = "SE", _("Sverige")
    NO = "NO", _("Norge")
    DK = "DK", _("Danmark")


# Codes are strings: "0114" keeps its zero.
municipality_code_validator = RegexValidator(r"^\d{4}$", _("Kommunkoden ska ha fyra siffror, till exempel 0114."))
county_code_validator = RegexValidator(r"^\d{2}$", _("Länskoden ska ha två siffror, till exempel 01."))


class County(models.Model):
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.SE)
    code = models.CharField(_("kod"), max_length=2, validators=[county_code_validator])
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)

    class Meta:
        ordering = ["country", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="county_unique_code")]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.SE)
    code = models.CharField(_("kommunkod"), max_length=4, validators=[municipality_code_validator])
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities", verbose_name=_("län")
    )
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("folkmängd, år"), null=True, blank=True)

    class Meta:
        ordering = ["country", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_unique_code"),
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_4_digits"),
        ]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def language(self) -> str:
        """The language the municipality writes in (its answers, its action plan)."""
        return words.country_language(self.country) or "sv"

    @property
    def region_word(self) -> str:
        """"Län", "Fylke" or "Region", in the active language."""
        return words.region_word(self.country)

    @property
    def code_word(self) -> str:
        """"Kommunkod" or "Kommunnummer", in the active language."""
        return words.code_word(self.country)
