"""Writes of municipality master data."""

import csv
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.municipalities.models import Country, County, Municipality

DATA_DIR = Path(__file__).parent / "data"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The shipped reference data: one folder per country, each with counties.csv and
# municipalities.csv (see the README.md in each).
SHIPPED = ((Country.SE, "se"), (Country.NO, "no"), (Country.DK, "dk"))


@transaction.atomic
def municipalities_load_shipped(*, using: str = "default") -> None:
    """Load the counties and municipalities shipped in the package: Sweden's 21 counties
    and 290 municipalities, Norway's 15 fylker and 357 kommuner (2024), Denmark's 5
    regions and 98 kommuner. Idempotent: a row that matches is left alone, one that
    differs is updated, a missing one is added; nothing is deleted."""
    for country, folder in SHIPPED:
        _load_country(country, DATA_DIR / folder, using)


def _load_country(country: str, directory: Path, using: str) -> None:
    counties = {}
    for row in _rows(directory / "counties.csv"):
        counties[row["county_code"]], _created = County.objects.using(using).update_or_create(
            country=country,
            code=row["county_code"],
            defaults={"name": row["county_name"], "short_name": row["county_name_short"]},
        )
    existing = {m.code: m for m in Municipality.objects.using(using).filter(country=country)}
    new = []
    for row in _rows(directory / "municipalities.csv"):
        values = {
            "name": row["municipality_name"],
            "short_name": row["municipality_name_short"],
            "county": counties[row["county_code"]],
        }
        current = existing.get(row["municipality_code"])
        if current is None:
            new.append(Municipality(country=country, code=row["municipality_code"], **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            current.save(using=using)
    Municipality.objects.using(using).bulk_create(new)


def municipality_add(*, country: str, code: str, name: str, short_name: str = "") -> Municipality:
    """Add a municipality that is not shipped with the package."""
    municipality = Municipality(country=country, code=code, name=name.strip(), short_name=short_name.strip())
    try:
        municipality.full_clean()
    except ValidationError as exc:
        messages = [
            ' '.join(errors) if field == NON_FIELD_ERRORS else f"{Municipality._meta.get_field(field).verbose_name}: {' '.join(errors)}"
            for field, errors in exc.message_dict.items()
        ]
        raise ValidationError(
            _("Kommunen %(country)s %(code)s kan inte läggas till: %(errors)s")
            % {"country": country, "code": code, "errors": "; ".join(messages)}
        ) from None
    municipality.save()
    return municipality


def municipalities_remove(*, ids: list[int]) -> None:
    """Remove municipalities added by an import that failed part-way (those with no
    evaluation left; a shipped one is never added, so never removed)."""
    Municipality.objects.filter(pk__in=ids, evaluations__isnull=True).delete()


def municipality_get(*, code: str, country: str | None = None) -> Municipality:
    """The municipality with this code; ``country`` is needed only when the code is ambiguous."""
    matches = Municipality.objects.filter(code=code)
    if country:
        matches = matches.filter(country=country.upper())
    found = list(matches.select_related("county")[:2])
    if not found:
        where = f" ({country.upper()})" if country else ""
        raise ValidationError(_("Okänd kommunkod %(code)s%(where)s") % {"code": code, "where": where})
    if len(found) > 1:
        raise ValidationError(
            _("Kommunkoden %(code)s finns i flera länder: ange land med --country") % {"code": code}
        )
    return found[0]


@transaction.atomic
def municipality_ensure(*, country: str, code: str, name: str, short_name: str = "", county: tuple[str, str] | None = None) -> bool:
    """The municipality, added unless it is there (an imported dump names it); its county
    (code, name) likewise. Nothing already stored is changed. Whether it was added."""
    county_row = None
    if county is not None:
        county_row, _created = County.objects.get_or_create(country=country, code=county[0], defaults={"name": county[1]})
    _row, created = Municipality.objects.get_or_create(
        country=country, code=code, defaults={"name": name, "short_name": short_name, "county": county_row}
    )
    return created
