"""The search for good examples: the one interface to it.

- ``search(q, *, area=None, …)`` → ``SearchResults``; raises ``SearchQueryError`` (with a
  Swedish message naming the parameter) for anything it cannot answer, never anything else
  because of what a user typed.
- ``search_index_evaluation(evaluation)``: marks one evaluation's passages for (re)indexing
  (none unless it is published); the index catches up after the transaction commits, and
  before any later search. Call it after every publication, correction, import or change
  of status; it takes milliseconds.
- ``search_remove_evaluation(evaluation_or_id)``: drops an evaluation's passages.
- ``search_rebuild(progress=None)``: rebuilds the whole index from the evaluations.

Ranking: good examples first, then strengths, sub-question texts, "Allmänt", "Vad har
hänt?" and improvement areas; within a kind the most relevant first (BM25: the query's
words, rarer words weigh more, a word found only inside a compound half); equal
relevance in the order the passages were indexed (``engine``).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.summaries import data_version
from kompass.municipalities.models import Municipality
from kompass.municipalities.words import country_language
from kompass.search import engine, indexer, sync
from kompass.search.forms import SearchForm
from kompass.search.models import EntryKind, IndexStamp
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
    total: int  # the number of matches, exact
    total_capped: bool  # always False: the count is exact (kept for the API's answers)
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
    parsed = parse(q)
    filters, limit, offset = SearchForm({
        "area": area, "question": question, "municipality": municipality, "country": country, "county": county,
        "year": year, "from_year": from_year, "to_year": to_year, "framework": framework, "min_score": min_score,
        "kinds": kinds, "limit": limit, "offset": offset,
    }).checked()
    searcher, vocabulary = sync.current()
    total, passages = engine.top(searcher, engine.queries(vocabulary, parsed.terms, filters), offset=offset, limit=limit)
    names = _municipality_names() if passages else {}
    labels = _kind_labels(translation.get_language())
    hits = tuple(
        _hit(p, names.get(p.municipality_id), labels[p.kind], offset + i + 1, parsed.terms) for i, p in enumerate(passages)
    )
    return SearchResults(
        query=q, terms=parsed.terms, ignored=parsed.ignored, total=total, total_capped=False,
        limit=limit, offset=offset, hits=hits,
    )


_names: tuple[str, dict] = ("", {})


def _municipality_names() -> dict[int, tuple[str, str | None]]:
    """Every municipality's name and county name, read once per data version (as every
    cached page shows them) instead of once per search."""
    global _names
    version = data_version() if not connection.in_atomic_block else None  # a version a rollback undoes may recur
    if version is None or _names[0] != version:
        names = {pk: (name, county) for pk, name, county in Municipality.objects.values_list("pk", "name", "county__name")}
        if version is None:
            return names
        _names = (version, names)
    return _names[1]


@lru_cache(maxsize=16)
def _kind_labels(language: str | None) -> dict[str, str]:
    return {kind: str(label) for kind, label in EntryKind.choices}


def _hit(passage: indexer.Passage, names: tuple[str, str | None] | None, kind_label: str, rank: int, terms) -> SearchHit:
    p = passage
    fragment = indexer.anchor(p.kind, p.area_number, p.question_code, p.position)
    municipality_name, county_name = names if names is not None else (p.municipality_code, None)
    return SearchHit(
        rank=rank,
        entry_id=p.entry_id,
        evaluation_id=p.evaluation_id,
        municipality_code=p.municipality_code,
        municipality_name=municipality_name,
        country=p.country,
        county_code=p.county_code,
        county_name=county_name,
        year=p.year,
        framework=p.framework_code,
        area_number=p.area_number,
        area_title=p.area_title,
        question_code=p.question_code,
        kind=p.kind,
        kind_label=kind_label,
        position=p.position,
        text=p.text,
        snippet_html=snippet_html(p.text, terms),
        anchor=fragment,
        url=indexer.evaluation_url(p.evaluation_id, fragment),
        area_score=p.area_score,
        total_score=p.total_score,
    )


# --- keeping the index ----------------------------------------------------------------------


def _evaluation_id(evaluation) -> int:
    return evaluation if isinstance(evaluation, int) else evaluation.pk


_pending: set[int] = set()  # evaluations whose passages changed in transactions not yet caught up
_pending_lock = threading.Lock()


def _catch_up_after_commit(evaluation_id: int) -> None:
    """This process's index follows once the transaction is committed (never what a
    rollback undoes), all the evaluations the transaction changed in one write; any
    process catches up before its next search anyway."""
    with _pending_lock:
        _pending.add(evaluation_id)
    transaction.on_commit(_catch_up_pending)


def _catch_up_pending() -> None:
    with _pending_lock:
        ids = sorted(_pending)
        _pending.clear()
    if ids:  # the first hook of a transaction writes them all; the others find nothing
        sync.catch_up(sync.reader(), only=ids if len(ids) <= sync.COMPARED_AT_ONCE else None)


@transaction.atomic
def search_remove_evaluation(evaluation) -> int:
    """Drops the passages of an evaluation (an Evaluation or its id); returns how many
    evaluations were dropped (0 or 1)."""
    evaluation_id = _evaluation_id(evaluation)
    count, _by_model = IndexStamp.objects.filter(evaluation_id=evaluation_id).delete()
    _catch_up_after_commit(evaluation_id)
    return count


@transaction.atomic
def search_index_evaluation(evaluation) -> int:
    """(Re)indexes the passages of one evaluation (an Evaluation or its id) as the
    database holds them now: none unless it is published. Returns the number of passages."""
    evaluation_id = _evaluation_id(evaluation)
    # The evaluation's row is locked, so two calls for one evaluation run one after the other.
    published = Evaluation.objects.select_for_update(of=("self",)).filter(pk=evaluation_id, status=Status.PUBLISHED).exists()
    if not published:
        IndexStamp.objects.filter(evaluation_id=evaluation_id).delete()
        _catch_up_after_commit(evaluation_id)
        return 0
    IndexStamp.objects.update_or_create(evaluation_id=evaluation_id, defaults={"stamp": secrets.token_hex(8)})
    _catch_up_after_commit(evaluation_id)
    return sum(1 for _passage in indexer.passages([evaluation_id]))


@dataclass(frozen=True)
class RebuildReport:
    evaluations: int
    entries: int
    seconds: float

    def __str__(self):
        return _("%(entries)s poster från %(evaluations)s publicerade utvärderingar") % {"entries": self.entries, "evaluations": self.evaluations}


@transaction.atomic
def search_rebuild(progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Rebuilds the whole index from the published evaluations: every one gets a new
    stamp and its passages are written anew (searches see the old index until the new
    one is committed). ``progress(done, total)`` is called after each batch."""
    started = time.monotonic()
    ids = list(Evaluation.objects.filter(status=Status.PUBLISHED).order_by("pk").values_list("pk", flat=True))
    stamps = {pk: secrets.token_hex(8) for pk in ids}
    IndexStamp.objects.all().delete()
    IndexStamp.objects.bulk_create([IndexStamp(evaluation_id=pk, stamp=stamp) for pk, stamp in stamps.items()], batch_size=2000)
    if progress:
        progress(0, len(ids))
    entries = sync.rebuild(stamps, progress=progress)
    return RebuildReport(evaluations=len(ids), entries=entries, seconds=time.monotonic() - started)
