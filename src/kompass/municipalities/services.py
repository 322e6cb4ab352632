"""Writes of municipality master data."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass.municipalities.models import Country, County, Municipality

DATA_DIR = Path(__file__).parent / "data"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def municipalities_load_shipped(*, using: str = "default") -> None:
    """Load the 21 Swedish counties and 290 municipalities shipped in the package."""
    counties = {}
    for row in _rows(DATA_DIR / "se" / "counties.csv"):
        counties[row["county_code"]], _created = County.objects.using(using).update_or_create(
            country=Country.SE,
            code=row["county_code"],
            defaults={"name": row["county_name"], "short_name": row["county_name_short"]},
        )
    existing = {m.code: m for m in Municipality.objects.using(using).filter(country=Country.SE)}
    new = []
    for row in _rows(DATA_DIR / "se" / "municipalities.csv"):
        values = {
            "name": row["municipality_name"],
            "short_name": row["municipality_name_short"],
            "county": counties[row["county_code"]],
        }
        current = existing.get(row["municipality_code"])
        if current is None:
            new.append(Municipality(country=Country.SE, code=row["municipality_code"], **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            current.save(using=using)
    Municipality.objects.using(using).bulk_create(new)


def municipality_add(*, country: str, code: str, name: str, short_name: str = "") -> Municipality:
    """Add a municipality (Norwegian and Danish ones are not shipped)."""
    municipality = Municipality(country=country, code=code, name=name.strip(), short_name=short_name.strip())
    try:
        municipality.full_clean()
    except ValidationError as exc:
        messages = [
            f"{Municipality._meta.get_field(field).verbose_name}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
        ]
        raise ValidationError(
            _("Kommunen %(country)s %(code)s kan inte läggas till: %(errors)s")
            % {"country": country, "code": code, "errors": "; ".join(messages)}
        ) from None
    municipality.save()
    return municipality


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
