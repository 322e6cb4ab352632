"""The search for good examples: the one interface to it.

- ``search(q, *, area=None, …)`` → ``SearchResults``; raises ``SearchQueryError`` (with a
  Swedish message naming the parameter) for anything it cannot answer, never anything else
  because of what a user typed.
- ``search_index_evaluation(evaluation)``: rebuilds one evaluation's entries (none unless
  it is published). Call it after every publication, correction, import or change of
  status; it takes milliseconds.
- ``search_remove_evaluation(evaluation_or_id)``: drops an evaluation's entries.
- ``search_rebuild(progress=None)``: rebuilds the whole index from the evaluations.

Ranking: good examples first, then strengths, sub-question texts, "Allmänt", "Vad har
hänt?" and improvement areas; within a kind the newest year first; then by evaluation
and the entry's place in it (area, then position). That order is the entries' ids, so a
search stops after its page instead of ranking every match, and pages never shift.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kompass.catalogue import definitions
from kompass.evaluations.models import Evaluation
from kompass.evaluations.services import FIRST_YEAR
from kompass.municipalities.models import Country, County, Municipality
from kompass.search import indexer, schema
from kompass.search.backends import Filters, backend
from kompass.search.models import EntryKind, SearchEntry
from kompass.search.query import SearchQueryError, parse, snippet_html

__all__ = [
    "SearchHit",
    "SearchQueryError",
    "SearchResults",
    "RebuildReport",
    "search",
    "search_index_evaluation",
    "search_rebuild",
    "search_remove_evaluation",
]

TOTAL_CAP = 1000  # matches counted at most; beyond, ``total_capped``
COUNT_SECONDS = 0.02  # counting past the page stops after this (from the call); then ``total_capped``
MAX_LIMIT = 100
MAX_OFFSET = TOTAL_CAP
REBUILD_BATCH = 200  # evaluations read at a time


@dataclass(frozen=True)
class SearchHit:
    rank: int  # 1 for the first hit of the whole result, not of the page
    entry_id: int
    evaluation_id: int
    municipality_code: str
    municipality_name: str
    country: str
    county_code: str | None
    county_name: str | None
    year: int
    framework: str
    area_number: int
    area_title: str
    question_code: str | None
    kind: str  # good_example, strength, question, general, changes, improvement
    kind_label: str  # "gott exempel", "styrka", "delfråga", "Allmänt", "Vad har hänt?", "förbättringsområde"
    position: int
    text: str
    snippet_html: str  # escaped; terms in <mark>
    anchor: str  # "gott-exempel-3-1", "styrka-3-2", "forbattring-3-1", "delfraga-3.2", "omrade-3-allmant", "omrade-3-vad-har-hant"
    url: str  # "/utvardering/ID/#anchor"
    area_score: Decimal | None
    total_score: Decimal | None


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]  # the stems searched for
    ignored: tuple[str, ...]  # words of the query not searched for
    total: int  # the number of matches; when total_capped, a lower bound (at most TOTAL_CAP)
    total_capped: bool  # True: there are more than ``total`` matches
    limit: int
    offset: int
    hits: tuple[SearchHit, ...]

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total or (self.total_capped and len(self.hits) == self.limit)


# --- checking the parameters --------------------------------------------------------------


def _int(value, parameter: str, label: str, *, minimum: int, maximum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value, re.ASCII):
        number = int(value)
    else:
        number = None
    if number is None:
        raise SearchQueryError(_("%(label)s: %(value)s är inget heltal") % {"label": label, "value": _shown(value)}, parameter=parameter)
    if not minimum <= number <= maximum:
        raise SearchQueryError(
            _("%(label)s: %(value)s ska vara %(min)s–%(max)s") % {"label": label, "value": number, "min": minimum, "max": maximum},
            parameter=parameter,
        )
    return number


def _shown(value) -> str:
    """A value as a message may quote it: short, printable, encodable."""
    text = "".join(c if c.isprintable() and not "\ud800" <= c <= "\udfff" else "?" for c in str(value)[:41])
    return "”" + (text[:40] + "…" if len(text) > 40 else text) + "”"


def _code(value, parameter: str, label: str, pattern: str, example: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(pattern, value.strip(), re.ASCII):
        raise SearchQueryError(
            _("%(label)s: %(value)s är ingen giltig kod (till exempel %(example)s)") % {"label": label, "value": _shown(value), "example": example},
            parameter=parameter,
        )
    return value.strip()


def _decimal(value, parameter: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise SearchQueryError(_("%(label)s: %(value)s är inget tal") % {"label": label, "value": _shown(value)}, parameter=parameter) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise SearchQueryError(_("%(label)s: %(value)s ska vara 0–100") % {"label": label, "value": number}, parameter=parameter)
    return number


def _kinds(value) -> tuple[str, ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        items = [value]
    kinds = []
    for item in items:
        if item not in EntryKind.values:
            raise SearchQueryError(
                _("slag: %(value)s är inget känt slag (kända: %(known)s)") % {"value": _shown(item), "known": ", ".join(EntryKind.values)},
                parameter="kinds",
            )
        if item not in kinds:
            kinds.append(item)
    return tuple(kinds) or None


def check_filters(
    *, area=None, question=None, municipality=None, country=None, county=None, year=None, from_year=None, to_year=None,
    framework=None, min_score=None, kinds=None,
) -> Filters:
    """The filters as ``Filters``, or SearchQueryError naming the first bad one."""
    frameworks = definitions.frameworks()
    if framework is not None and framework != "":
        code = str(framework).strip() if isinstance(framework, (str, int)) and not isinstance(framework, bool) else None
        if code not in frameworks:
            raise SearchQueryError(
                _("version: %(value)s är ingen känd version (kända: %(known)s)") % {"value": _shown(framework), "known": ", ".join(sorted(frameworks))},
                parameter="framework",
            )
        framework = code
    else:
        framework = None
    versions = [frameworks[framework]] if framework else list(frameworks.values())

    area = _int(area, "area", _("område"), minimum=1, maximum=99)
    if area is not None and not any(a.number == area for v in versions for a in v.areas):
        raise SearchQueryError(_("område: %(value)s finns inte") % {"value": area}, parameter="area")

    question = _code(question, "question", _("delfråga"), r"\d{1,2}\.\d{1,2}", "3.2")
    if question is not None and not any(q.id == question for v in versions for a in v.areas for q in a.questions):
        raise SearchQueryError(_("delfråga: %(value)s finns inte") % {"value": question}, parameter="question")

    if country is not None and country != "":
        if not isinstance(country, str) or country.strip().upper() not in Country.values:
            raise SearchQueryError(
                _("land: %(value)s är inget känt land (kända: %(known)s)") % {"value": _shown(country), "known": ", ".join(Country.values)},
                parameter="country",
            )
        country = country.strip().upper()
    else:
        country = None

    municipality = _code(municipality, "municipality", _("kommun"), r"\d{4}", "1880")
    if municipality is not None:
        known = Municipality.objects.filter(code=municipality)
        if not (known.filter(country=country) if country else known).exists():
            raise SearchQueryError(_("kommun: okänd kommunkod %(value)s") % {"value": municipality}, parameter="municipality")

    county = _code(county, "county", _("län"), r"\d{2}", "18")
    if county is not None:
        known = County.objects.filter(code=county)
        if not (known.filter(country=country) if country else known).exists():
            raise SearchQueryError(_("län: okänd länskod %(value)s") % {"value": county}, parameter="county")

    first, last = FIRST_YEAR, indexer.LAST_YEAR
    year = _int(year, "year", _("år"), minimum=first, maximum=last)
    from_year = _int(from_year, "from_year", _("från år"), minimum=first, maximum=last)
    to_year = _int(to_year, "to_year", _("till år"), minimum=first, maximum=last)
    if year is not None:
        from_year = year if from_year is None else max(from_year, year)
        to_year = year if to_year is None else min(to_year, year)
    if from_year is not None and to_year is not None and from_year > to_year:
        if year is not None:
            raise SearchQueryError(_("år: %(year)s ligger utanför %(from)s–%(to)s") % {"year": year, "from": from_year, "to": to_year}, parameter="year")
        raise SearchQueryError(_("från år: %(from)s ligger efter till år %(to)s") % {"from": from_year, "to": to_year}, parameter="from_year")

    return Filters(
        area=area, question=question, municipality=municipality, country=country, county=county,
        from_year=from_year, to_year=to_year, framework=framework,
        min_score=_decimal(min_score, "min_score", _("lägsta poäng")), kinds=_kinds(kinds),
    )


# --- searching ----------------------------------------------------------------------------


def search(
    q: str, *, area=None, question=None, municipality=None, country=None, county=None, year=None, from_year=None,
    to_year=None, framework=None, min_score=None, kinds=None, limit=20, offset=0,
) -> SearchResults:
    """Published evaluations' texts that contain every word of ``q`` (stemmed; inside
    compound words too), filtered, in the ranking order; ``limit`` hits from ``offset``.

    Filters: ``area`` (number), ``question`` ("3.2"), ``municipality`` (code "1880"),
    ``country`` ("SE"), ``county`` (code "18"), ``year`` or ``from_year``/``to_year``,
    ``framework`` ("2010"), ``min_score`` (the area's score at least this), ``kinds``
    (EntryKind values, a list or comma-separated). Values may be strings, as a query
    string gives them."""
    started = time.monotonic()
    parsed = parse(q)
    filters = check_filters(
        area=area, question=question, municipality=municipality, country=country, county=county, year=year,
        from_year=from_year, to_year=to_year, framework=framework, min_score=min_score, kinds=kinds,
    )
    limit = _int(limit, "limit", _("antal"), minimum=1, maximum=MAX_LIMIT)
    limit = 20 if limit is None else limit
    offset = _int(offset, "offset", _("från träff"), minimum=0, maximum=MAX_OFFSET) or 0

    ids, complete = backend().matching_ids(
        parsed.terms, filters, needed=offset + limit, cap=max(TOTAL_CAP, offset + limit), deadline=started + COUNT_SECONDS
    )
    total = len(ids) if complete else min(len(ids), TOTAL_CAP)
    page = ids[offset : offset + limit]
    rows = SearchEntry.objects.filter(id__in=page).select_related("municipality", "municipality__county").defer("tags").in_bulk()
    hits = tuple(_hit(rows[entry_id], offset + i + 1, parsed.terms) for i, entry_id in enumerate(page) if entry_id in rows)
    return SearchResults(
        query=q, terms=parsed.terms, ignored=parsed.ignored, total=total, total_capped=not complete,
        limit=limit, offset=offset, hits=hits,
    )


def _hit(entry: SearchEntry, rank: int, terms) -> SearchHit:
    fragment = indexer.anchor(entry.kind, entry.area_number, entry.question_code, entry.position)
    municipality = entry.municipality
    county = municipality.county
    return SearchHit(
        rank=rank,
        entry_id=entry.id,
        evaluation_id=entry.evaluation_id,
        municipality_code=entry.municipality_code,
        municipality_name=municipality.name,
        country=entry.country,
        county_code=entry.county_code,
        county_name=county.name if county is not None else None,
        year=entry.year,
        framework=entry.framework_code,
        area_number=entry.area_number,
        area_title=entry.area_title,
        question_code=entry.question_code,
        kind=entry.kind,
        kind_label=str(EntryKind(entry.kind).label),
        position=entry.position,
        text=entry.text,
        snippet_html=snippet_html(entry.text, terms, normalized=entry.normalized),
        anchor=fragment,
        url=indexer.evaluation_url(entry.evaluation_id, fragment),
        area_score=entry.area_score,
        total_score=entry.total_score,
    )


# --- keeping the index ----------------------------------------------------------------------


def _evaluation_id(evaluation) -> int:
    return evaluation if isinstance(evaluation, int) else evaluation.pk


@transaction.atomic
def search_remove_evaluation(evaluation) -> int:
    """Drops the entries of an evaluation (an Evaluation or its id); returns how many."""
    count, _by_model = SearchEntry.objects.filter(evaluation_id=_evaluation_id(evaluation)).delete()
    return count


@transaction.atomic
def search_index_evaluation(evaluation) -> int:
    """Rebuilds the entries of one evaluation (an Evaluation or its id) from what the
    database holds now: none unless it is published. Returns the number of entries."""
    evaluation_id = _evaluation_id(evaluation)
    # The evaluation's row is locked, so two calls for one evaluation run one after the other.
    current = list(indexer.published(Evaluation.objects.select_for_update(of=("self",)).filter(pk=evaluation_id)))
    SearchEntry.objects.filter(evaluation_id=evaluation_id).delete()
    if not current:
        return 0
    rows = indexer.rows_for_batch(current)
    indexer.insert_rows(rows)
    return len(rows)


@dataclass(frozen=True)
class RebuildReport:
    evaluations: int
    entries: int
    seconds: float

    def __str__(self):
        return _("%(entries)s poster från %(evaluations)s publicerade utvärderingar") % {"entries": self.entries, "evaluations": self.evaluations}


@transaction.atomic
def search_rebuild(progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Rebuilds the whole index from the published evaluations, in one transaction (a
    failure keeps the old index; searches see the old one until it commits).
    ``progress(done, total)`` is called after each batch of evaluations."""
    started = time.monotonic()
    ids = list(Evaluation.objects.filter(status="published").order_by("pk").values_list("pk", flat=True))
    with schema.bulk_load(connection):  # empties the index, then builds it faster than row by row
        entries_written = 0
        if progress:
            progress(0, len(ids))
        catalogue = indexer.Catalogue()
        for start in range(0, len(ids), REBUILD_BATCH):
            batch = list(indexer.published(Evaluation.objects.filter(pk__in=ids[start : start + REBUILD_BATCH])).order_by("pk"))
            rows = indexer.rows_for_batch(batch, catalogue)
            indexer.insert_rows(rows)
            entries_written += len(rows)
            if progress:
                progress(min(start + REBUILD_BATCH, len(ids)), len(ids))
    return RebuildReport(evaluations=len(ids), entries=entries_written, seconds=time.monotonic() - started)
