"""Peer groups to compare within: groups loaded from a file (``kompass import-groups``),
counties and population bands. Each has a key used in addresses and the API:
``lan-SE-18`` (a county), ``folkmangd-50000-99999`` (a population band) or the key of a
loaded group (``skr-2023-a1``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from kompass.benchmark.models import PeerGroup
from kompass.evaluations.summaries import data_version_raise
from kompass.csv_files import CsvEncodingError, csv_decode, csv_dict_reader
from kompass.i18n import _
from kompass.municipalities.models import County, Municipality

POPULATION_BANDS = [  # (from, to inclusive or None)
    (0, 9_999), (10_000, 24_999), (25_000, 49_999), (50_000, 99_999), (100_000, 199_999), (200_000, None),
]
MAX_FILE_BYTES = 5 * 1024 * 1024


class GroupError(ValueError):
    """An unknown group key or a bad groups file; the message names what and where."""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    kind: str  # "loaded", "county" or "population"


def _band_key(low: int, high: int | None) -> str:
    return f"folkmangd-{low}-{high}" if high is not None else f"folkmangd-{low}-"


def _band_label(low: int, high: int | None) -> str:
    if high is None:
        return _("minst %(low)s invånare") % {"low": f"{low:,}".replace(",", " ")}
    return _("%(low)s–%(high)s invånare") % {"low": f"{low:,}".replace(",", " "), "high": f"{high:,}".replace(",", " ")}


def groups_all() -> list[Group]:
    groups = [Group(g.key, str(g), "loaded") for g in PeerGroup.objects.all()]
    groups += [Group(f"lan-{c.country}-{c.code}", c.name, "county") for c in County.objects.all()]
    groups += [Group(_band_key(low, high), _band_label(low, high), "population") for low, high in POPULATION_BANDS]
    return groups


def group_filter(key: str, *, prefix: str = "") -> Q:
    """A filter on municipalities (``prefix`` leads from the queried model to one)."""
    key = str(key)
    if key.startswith("lan-"):
        parts = key.split("-")
        if len(parts) == 3 and County.objects.filter(country=parts[1], code=parts[2]).exists():
            return Q(**{f"{prefix}county__country": parts[1], f"{prefix}county__code": parts[2]})
    elif key.startswith("folkmangd-"):
        for low, high in POPULATION_BANDS:
            if key == _band_key(low, high):
                q = Q(**{f"{prefix}population__gte": low})
                return q & Q(**{f"{prefix}population__lte": high}) if high is not None else q
    elif PeerGroup.objects.filter(key=key).exists():
        return Q(**{f"{prefix}peer_groups__key": key})
    raise GroupError(_("okänd grupp %(key)r") % {"key": key})


@dataclass
class GroupsImport:
    groups_created: list[str]
    memberships: int


def groups_import(path: Path, *, replace: bool = True) -> GroupsImport:
    """Load ``municipality_code;group`` rows (optional columns ``country``, default SE, and
    ``scheme``); every row is checked first and a file with any error saves nothing.
    A loaded group's members are replaced by the file's."""
    table = _table(path, {"municipality_code", "group"})
    municipalities = {(m.country, m.code): m for m in Municipality.objects.all()}
    problems, rows = [], []
    for where, row in table:
        name, scheme = row.get("group", ""), row.get("scheme", "")
        municipality = _municipality(row, municipalities, where, problems)
        if not name:
            problems.append(_("%(where)s: gruppen saknas") % {"where": where})
        if len(name) > 200 or len(scheme) > 200:
            problems.append(_("%(where)s: namnet är för långt") % {"where": where})
        rows.append((scheme, name, municipality))
    if problems:
        raise GroupError("; ".join(problems[:20]) + (_(" … och %(n)s fel till") % {"n": len(problems) - 20} if len(problems) > 20 else ""))
    if not rows:
        raise GroupError(_("%(file)s: filen har inga rader") % {"file": path.name})
    created, members = [], 0
    with transaction.atomic():
        by_group: dict[tuple[str, str], list] = {}
        for scheme, name, municipality in rows:
            by_group.setdefault((scheme, name), []).append(municipality)
        for (scheme, name), municipalities_in in by_group.items():
            key = slugify(f"{scheme}-{name}" if scheme else name)[:120] or "grupp"
            group, was_created = PeerGroup.objects.get_or_create(key=key, defaults={"scheme": scheme, "name": name})
            if was_created:
                created.append(key)
            if replace:
                group.municipalities.clear()
            group.municipalities.add(*municipalities_in)
            members += len(municipalities_in)
        data_version_raise()  # group filters, the downloads and cached pages depend on them
    return GroupsImport(created, members)


def populations_import(path: Path) -> int:
    """Load ``municipality_code;population`` rows (optional ``country``, default SE, and
    ``year``); any error saves nothing. Population bands group by these figures."""
    table = _table(path, {"municipality_code", "population"})
    municipalities = {(m.country, m.code): m for m in Municipality.objects.all()}
    problems, updates = [], []
    for where, row in table:
        municipality = _municipality(row, municipalities, where, problems)
        population = row.get("population", "").replace(" ", "").replace("\u00a0", "")
        if not (population.isascii() and population.isdigit()) or int(population) > 50_000_000:
            problems.append(_("%(where)s: folkmängden %(value)r är inget antal") % {"where": where, "value": row.get("population", "")})
        year = row.get("year") or ""
        if year and not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100):
            problems.append(_("%(where)s: året %(value)r är inget årtal") % {"where": where, "value": year})
        if municipality is not None and not problems:
            updates.append((municipality, int(population), int(year) if year else None))
    if problems:
        raise GroupError("; ".join(problems[:20]))
    with transaction.atomic():
        for municipality, population, year in updates:
            municipality.population, municipality.population_year = population, year
            municipality.save(update_fields=["population", "population_year"])
        data_version_raise()  # population bands depend on them
    return len(updates)


def _table(path: Path, required: set[str]) -> list[tuple[str, dict[str, str]]]:
    """The file's rows, each with where it stands ("fil.csv rad 2") and its cells by
    column name (lower case, spaces around names and values dropped)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GroupError(f"{path}: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise GroupError(_("%(file)s: filen är större än 5 MB") % {"file": path.name})
    try:
        reader = csv_dict_reader(csv_decode(raw))
    except CsvEncodingError:
        raise GroupError(_("%(file)s: filen är inte UTF-8") % {"file": path.name}) from None
    missing = required - {c.strip().lower() for c in reader.fieldnames or []}
    if missing:
        raise GroupError(_("%(file)s: kolumn saknas: %(columns)s") % {"file": path.name, "columns": ", ".join(sorted(missing))})
    return [
        (_("%(file)s rad %(line)s") % {"file": path.name, "line": line}, {k.strip().lower(): (v or "").strip() for k, v in row.items() if k})
        for line, row in enumerate(reader, start=2)
    ]


def _municipality(row: dict[str, str], municipalities: dict, where: str, problems: list[str]) -> Municipality | None:
    """The row's municipality (``country``, default SE, and ``municipality_code``, where
    "180" is 0180), or None with a problem added."""
    country, code = (row.get("country") or "SE").upper(), row.get("municipality_code", "")
    code = code.zfill(4) if code.isdigit() and len(code) < 4 else code
    municipality = municipalities.get((country, code))
    if municipality is None:
        problems.append(_("%(where)s: okänd kommun %(country)s %(code)r") % {"where": where, "country": country, "code": code})
    return municipality
