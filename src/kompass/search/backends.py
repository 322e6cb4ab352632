"""Finding the matching entries, one backend per database; both give the same ids in the
same order for the same index, because the order is the entries' ids (``SearchEntry.id``).

Each answers ``matching_ids(terms, filters, needed=…, cap=…, deadline=…)``: the ids of
the matching entries in order, from one scan that stops after ``cap + 1`` matches, and
once it has the ``needed`` ones (the page) also at the deadline; with whether that scan
ran to the end (then they are all the matches). The caller takes its page from them and
counts them: the total is exact when the scan ended, otherwise a lower bound.

- SQLite: an FTS5 table with the trigram tokenizer over ``normalized`` and ``tags``
  (the migration creates it, and triggers keep it equal to the table). A term is a phrase
  of trigrams, i.e. a substring; the filters are tags, intersected inside FTS5; FTS5
  walks its matches in rowid order, which is the ranking, so it stops early.
- PostgreSQL: ``normalized LIKE '%term%'`` with a pg_trgm GIN index; the filters on
  their columns; ``ORDER BY id``.

The filter values are tags too on SQLite: ``indexer.tag`` makes each one a single trigram
of private-use characters, so the full-text index intersects them with the terms itself.

Every filter is also checked on the row itself in SQL, and so is the evaluation's status,
so a stale index could at worst miss a hit, never show an unpublished one.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from kompass.evaluations.services import FIRST_YEAR
from kompass.search import indexer
from kompass.search.models import KIND_RANK

ENTRY = "search_searchentry"
FTS = "search_fts"
EVALUATION = "evaluations_evaluation"
MAX_YEAR_TAGS = 12  # a longer range of years is checked on the rows only
FETCH = 50  # ids read at a time; the deadline is checked between reads


@dataclass(frozen=True)
class Filters:
    """Checked values (``services.search`` checks them)."""

    area: int | None = None
    question: str | None = None
    municipality: str | None = None
    country: str | None = None
    county: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    framework: str | None = None
    min_score: Decimal | None = None
    kinds: tuple[str, ...] | None = None


def _row_conditions(filters: Filters, alias: str = "e") -> tuple[list[str], list]:
    """The filters as SQL on the entry's columns, and the evaluation still published."""
    sql, params = ["v.status = 'published'"], []
    for column, value in (
        ("area_number", filters.area),
        ("question_code", filters.question),
        ("municipality_code", filters.municipality),
        ("country", filters.country),
        ("county_code", filters.county),
        ("framework_code", filters.framework),
    ):
        if value is not None:
            sql.append(f"{alias}.{column} = %s")
            params.append(value)
    if filters.from_year is not None:
        sql.append(f"{alias}.year >= %s")
        params.append(filters.from_year)
    if filters.to_year is not None:
        sql.append(f"{alias}.year <= %s")
        params.append(filters.to_year)
    if filters.min_score is not None:
        sql.append(f"{alias}.area_score >= %s")
        params.append(filters.min_score)
    if filters.kinds is not None:
        sql.append(f"{alias}.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
        params.extend(filters.kinds)
    return sql, params


def _id_range(filters: Filters) -> tuple[int, int] | None:
    """The ids the kinds (and, for one kind, the years) allow: ``low <= id < high``."""
    if not filters.kinds:
        return None
    ranks = sorted(KIND_RANK[k] for k in filters.kinds)
    low, high = ranks[0] << 56, (ranks[-1] + 1) << 56
    if len(ranks) == 1:
        # Within one kind the ids run from the newest year to the oldest.
        if filters.to_year is not None:
            low |= max(0, min(255, indexer.LAST_YEAR - filters.to_year)) << 48
        if filters.from_year is not None:
            inverted = indexer.LAST_YEAR - filters.from_year
            if inverted < 255:
                high = (ranks[0] << 56) | (max(0, inverted + 1) << 48)
    return low, high


def _id_ranges(filters: Filters) -> list[tuple[int, int]]:
    """The ids the kinds and years allow, as ranges ``low <= id < high`` in order: within
    a kind the ids run from the newest year to the oldest, so each kind is one range."""
    ranks = sorted(KIND_RANK[k] for k in filters.kinds) if filters.kinds else list(range(len(KIND_RANK)))
    if filters.from_year is None and filters.to_year is None:
        ranges = [(rank << 56, (rank + 1) << 56) for rank in ranks]
    else:
        newest = indexer.LAST_YEAR - (filters.to_year if filters.to_year is not None else indexer.LAST_YEAR)
        oldest = indexer.LAST_YEAR - (filters.from_year if filters.from_year is not None else FIRST_YEAR)
        newest, oldest = max(0, min(255, newest)), max(0, min(255, oldest))
        ranges = [((rank << 56) + (newest << 48), (rank << 56) + ((oldest + 1) << 48)) for rank in ranks]
    merged = [ranges[0]]
    for low, high in ranges[1:]:
        if low == merged[-1][1]:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def _year_range(filters: Filters) -> range | None:
    if filters.from_year is None and filters.to_year is None:
        return None
    first = filters.from_year if filters.from_year is not None else FIRST_YEAR
    last = filters.to_year if filters.to_year is not None else timezone.localdate().year
    return range(first, last + 1)


def _collect(cursor, needed: int, cap: int, deadline: float) -> tuple[list[int], bool]:
    """Reads ids from an executed query (``LIMIT cap + 1``): always the first ``needed``,
    then more until ``cap + 1`` or the deadline. True with them when the query ran out,
    i.e. they are all the matches."""
    ids: list[int] = []
    while True:
        rows = cursor.fetchmany(FETCH)
        ids.extend(row[0] for row in rows)
        if len(rows) < FETCH:
            return ids, len(ids) <= cap
        if len(ids) > cap or (len(ids) >= needed and time.monotonic() > deadline):
            return ids, False


class SQLiteBackend:
    vendor = "sqlite"

    @staticmethod
    def _phrase(column: str, text: str) -> str:
        return f'{column} : "{text.replace(chr(34), chr(34) * 2)}"'

    def match_expression(self, terms, filters: Filters) -> str:
        """Every term as a phrase of trigrams in ``normalized``; the selective filters as
        tags (single tokens) in ``tags``. The rows are checked again in SQL."""
        parts = [self._phrase("normalized", t) for t in terms]

        def tags(name, values):
            phrases = [self._phrase("tags", indexer.tag(name, v)) for v in values]
            parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")

        for name, value in (("m", filters.municipality), ("c", filters.county), ("q", filters.question),
                            ("a", filters.area), ("f", filters.framework), ("n", filters.country)):
            if value is not None:
                tags(name, [value])
        if filters.min_score is not None:
            tags("s", range(indexer.score_decile(filters.min_score), 11))
        years = _year_range(filters)
        if years is not None and len(years) <= MAX_YEAR_TAGS and not (filters.kinds and len(filters.kinds) == 1):
            tags("y", years)
        if filters.kinds is not None:
            ranks = sorted(KIND_RANK[k] for k in filters.kinds)
            if ranks != list(range(ranks[0], ranks[-1] + 1)):  # a gap the id range cannot skip
                tags("k", filters.kinds)
        return " AND ".join(parts)

    def matching_ids(self, terms, filters: Filters, *, needed: int, cap: int, deadline: float) -> tuple[list[int], bool]:
        where, params = _row_conditions(filters)
        id_range = _id_range(filters)
        if id_range is not None:
            where.insert(0, f"{FTS}.rowid >= %s AND {FTS}.rowid < %s")
            params[:0] = list(id_range)
        sql = (
            f"SELECT e.id FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid JOIN {EVALUATION} v ON v.id = e.evaluation_id "
            f"WHERE {FTS} MATCH %s AND {' AND '.join(where)} ORDER BY {FTS}.rowid LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(terms, filters), *params, cap + 1])
            return _collect(cursor, needed, cap, deadline)


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class PostgreSQLBackend:
    """PostgreSQL has no index that yields substring matches in id order, so the search
    takes one of two ways, chosen by looking at the first ``PROBE`` entries in rank order
    (``search_rebuild`` clusters the table by id, so they lie together on disk):

    - matches frequent enough that the page lies within ``ORDERED_ROWS`` more rows: on
      along the primary key (or the leading filter's index) in order, testing each row,
      through a server-side cursor that stops at the deadline once it has the page; if
      the page is not complete after ``PATIENCE_MS``, the bitmap scan for the rest;
    - rarer: all matches through the trigram index (a bitmap scan), sorted. Should that
      exceed ``BITMAP_TIMEOUT_MS`` (rare at the top but common further down), the ordered
      scan after all.

    The kinds and years are ranges of ids (``_id_ranges``), searched one after the other.
    """

    vendor = "postgresql"
    PROBE = 2000  # entries in rank order; 500 when a filter's index leads (its rows lie apart)
    ORDERED_ROWS = 20000  # the bitmap scan when the ordered one would read more for the page
    BITMAP_TIMEOUT_MS = 200
    PATIENCE_MS = 15  # an ordered scan still short of its page then gives way to the bitmap scan
    BITMAP = True  # False: always the ordered scan (the tests compare both ways)

    @staticmethod
    def _driver(filters: Filters) -> tuple[str, list]:
        """The most selective equality filter with an index in id order (schema.py), so
        the ordered scan walks only its rows."""
        for column, value in (("municipality_code", filters.municipality), ("question_code", filters.question),
                              ("county_code", filters.county)):
            if value is not None:
                return f"{column} = %s AND ", [value]
        return "", []

    def matching_ids(self, terms, filters: Filters, *, needed: int, cap: int, deadline: float) -> tuple[list[int], bool]:
        where, params = _row_conditions(filters)
        conditions = " AND ".join(["e.normalized LIKE %s"] * len(terms) + where)
        params = [*(like_pattern(t) for t in terms), *params]
        driver, driver_params = self._driver(filters)
        lead = "e." + driver if driver else ""
        ordered_sql = (
            f"SELECT e.id FROM {ENTRY} e JOIN {EVALUATION} v ON v.id = e.evaluation_id "
            f"WHERE {lead}e.id > %s AND e.id < %s AND {conditions} ORDER BY e.id LIMIT %s"
        )
        # The id ranges still to search, as (after, before): after < id < before, in order.
        ranges = [(low - 1, high) for low, high in _id_ranges(filters)]
        probe = self.PROBE if not driver else min(self.PROBE, 500)
        ids: list[int] = []
        with transaction.atomic(), connection.cursor() as cursor, _settings(cursor, **ORDERED):
            # 1. The first ``probe`` entries of the ranges, searched in order.
            remaining, boundary = probe, None
            for after, before in ranges:
                cursor.execute(
                    f"SELECT id FROM {ENTRY} e WHERE {lead}e.id > %s AND e.id < %s ORDER BY e.id OFFSET %s LIMIT 1",
                    [*driver_params, after, before, remaining - 1],
                )
                row = cursor.fetchone()
                until = row[0] + 1 if row else before
                cursor.execute(ordered_sql, [*driver_params, after, until, *params, cap + 1 - len(ids)])
                ids += [r[0] for r in cursor.fetchall()]
                if row or len(ids) > cap:
                    boundary = row[0] if row else None
                    break
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {ENTRY} e WHERE {lead}e.id > %s AND e.id < %s LIMIT %s) s",
                    [*driver_params, after, before, remaining],
                )
                remaining -= cursor.fetchone()[0]
            if boundary is None:  # the probe saw every entry there is, or found enough
                return ids, len(ids) <= cap
            ranges = [(max(after, boundary), before) for after, before in ranges if before > boundary + 1]

            # 2. Rare: all the rest through the trigram index, if the ordered scan would
            # have to read more than ORDERED_ROWS rows for the page at the probe's rate
            # (a cautious one: a hit or two in the probe may be luck).
            expected = (needed - len(ids)) * probe / max(len(ids) - 1, 0.5)
            bitmap_first = len(ids) < needed and expected > self.ORDERED_ROWS and self.BITMAP
            if bitmap_first:
                found = self._bitmap(cursor, ranges, lead, driver_params, conditions, params, cap - len(ids))
                if found is not None:
                    return ids + found, len(ids) + len(found) <= cap

            # 3. Common: on in order, range by range, until the page is there and then until
            # the deadline (a server-side cursor computes only what is read). Should the page
            # take longer than PATIENCE_MS, the rest through the trigram index after all.
            patience = None if bitmap_first or not self.BITMAP else time.monotonic() + self.PATIENCE_MS / 1000
            for number, (after, before) in enumerate(ranges):
                named = connection.connection.cursor(name=f"kompass_search_{id(cursor)}_{number}")
                try:
                    named.execute(ordered_sql, [*driver_params, after, before, *params, cap + 1 - len(ids)])
                    while True:
                        rows = named.fetchmany(FETCH)
                        ids += [r[0] for r in rows]
                        if len(rows) < FETCH:
                            break  # this range is done
                        if len(ids) > cap or (len(ids) >= needed and time.monotonic() > deadline):
                            return ids, False
                        if patience is not None and len(ids) < needed and time.monotonic() > patience:
                            rest = [(max(a, ids[-1] if ids else a), b) for a, b in ranges[number:]]
                            found = self._bitmap(cursor, rest, lead, driver_params, conditions, params, cap - len(ids))
                            if found is not None:
                                return ids + found, len(ids) + len(found) <= cap
                            patience = None
                finally:
                    named.close()
                if len(ids) > cap:
                    return ids, False
                if len(ids) >= needed and time.monotonic() > deadline and number < len(ranges) - 1:
                    return ids, False
            return ids, len(ids) <= cap

    def _bitmap(self, cursor, ranges, lead, driver_params, conditions, params, cap) -> list[int] | None:
        """All matches in the ranges through the trigram index (at most ``cap + 1``), or
        None when that takes longer than BITMAP_TIMEOUT_MS."""
        # "+ 0" keeps the id ranges (often most of the table) out of the bitmap.
        in_ranges = " OR ".join(["(e.id + 0 > %s AND e.id + 0 < %s)"] * len(ranges))
        sql = (
            f"SELECT e.id FROM {ENTRY} e JOIN {EVALUATION} v ON v.id = e.evaluation_id "
            f"WHERE {lead}({in_ranges}) AND {conditions} ORDER BY e.id LIMIT %s"
        )
        values = [*driver_params, *(bound for r in ranges for bound in r), *params, cap + 1]
        try:
            with transaction.atomic(), _settings(cursor, **BITMAP, statement_timeout=str(self.BITMAP_TIMEOUT_MS)):
                cursor.execute(sql, values)
                return [r[0] for r in cursor.fetchall()]
        except OperationalError as exc:
            if not _cancelled(exc):
                raise
            return None


ORDERED = {"enable_bitmapscan": "off", "enable_seqscan": "off", "enable_sort": "off", "jit": "off"}
BITMAP = {"enable_bitmapscan": "on", "enable_indexscan": "off", "enable_seqscan": "on", "enable_sort": "on", "jit": "off"}


@contextmanager
def _settings(cursor, **settings):
    """PostgreSQL settings for the statements inside, restored afterwards (also inside a
    caller's transaction, where SET LOCAL alone would outlive this search). After an
    error the rollback to the enclosing savepoint restores them."""
    saved = {}
    for name, value in settings.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        saved[name] = cursor.fetchone()[0]
    yield
    for name, value in saved.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _cancelled(exc: Exception) -> bool:
    from psycopg.errors import QueryCanceled

    return isinstance(exc.__cause__, QueryCanceled)


def backend():
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    raise NotImplementedError(f"the search has no backend for {connection.vendor}")
