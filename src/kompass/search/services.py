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

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kompass.evaluations.models import Evaluation
from kompass.municipalities.words import country_language
from kompass.search import indexer, schema
from kompass.search.backends import backend
from kompass.search.forms import SearchForm
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

    @property
    def language(self) -> str:
        """The language the passage is written in: its evaluators'."""
        return country_language(self.country) or "sv"


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
    filters, limit, offset = SearchForm({
        "area": area, "question": question, "municipality": municipality, "country": country, "county": county,
        "year": year, "from_year": from_year, "to_year": to_year, "framework": framework, "min_score": min_score,
        "kinds": kinds, "limit": limit, "offset": offset,
    }).checked()

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
