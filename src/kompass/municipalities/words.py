"""The words each country uses for its own divisions: Sweden's län and kommunkod,
Norway's fylke and kommunenummer, Denmark's regions and kommunekode. The Swedish source
names each country's own term (a context per country keeps the three apart for the
translators), so a Norwegian municipality's page says "fylke" and "kommunenummer" in
Norwegian, and "county" and "municipality number" in English."""

from django.utils.translation import pgettext

# The language a country's municipalities and evaluators write in.
COUNTRY_LANGUAGES = {"SE": "sv", "NO": "nb", "DK": "da"}


def country_language(country: str) -> str | None:
    """The language people in ``country`` write their texts in; None for another country."""
    return COUNTRY_LANGUAGES.get(country)


def region_word(country: str) -> str:
    """What the country calls the division above the municipality."""
    if country == "NO":
        return pgettext("Norway", "Fylke")
    if country == "DK":
        return pgettext("Denmark", "Region")
    return pgettext("Sweden", "Län")


def code_word(country: str) -> str:
    """What the country calls the municipality's official number."""
    if country == "NO":
        return pgettext("Norway", "Kommunnummer")
    if country == "DK":
        return pgettext("Denmark", "Kommunkod")
    return pgettext("Sweden", "Kommunkod")
