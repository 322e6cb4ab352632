"""From published evaluations' rows to the search index's passages, read with a few plain
queries (no model instances), so that 30,000 evaluations take seconds.

A passage is one searchable text: an area's "Allmänt" or "Vad har hänt?", a sub-question's
text, a strength, an improvement area or a good example, with what a filter or a hit needs
beside it. Scores come from the derived-score cache (``EvaluationSummary``), which
``summaries_refresh`` keeps equal to what ``scoring.summarise`` derives."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.db import connection

from kompass.evaluations.summaries import summaries_ensure
from kompass.search.models import FINDING_KINDS, KIND_RANK, EntryKind
from kompass.search.query import clean_text, normalize

# The entry id packs today's order, which breaks ties of relevance: kind, then the year
# newest first, then the evaluation, then the passage's place in the evaluation.
LAST_YEAR = 2250  # years 1995 … 2250 fit in the eight bits of the inverted year
MAX_EVALUATION_ID = (1 << 32) - 1
MAX_ENTRIES = (1 << 16) - 1  # per evaluation
BATCH = 2000  # evaluations read at a time
# Plain strings, not the enum's members: they are hashed millions of times in a rebuild.
GENERAL, CHANGES, QUESTION = EntryKind.GENERAL.value, EntryKind.CHANGES.value, EntryKind.QUESTION.value
GENERAL_RANK, CHANGES_RANK, QUESTION_RANK = KIND_RANK[GENERAL], KIND_RANK[CHANGES], KIND_RANK[QUESTION]

# A finding quoted word for word from a longer text of its area (a good example is often
# a passage of a sub-question's text) is found as the finding only: in the longer text it
# is blanked out of what the search matches, so no search shows it twice.
PASSAGE_MIN = 40  # characters: a shorter finding is a phrase that may recur on its own


def entry_base(year: int, evaluation_id: int) -> int:
    """The part of an entry id that the evaluation fixes; a passage adds its kind's rank
    (``rank << 56``) and its place in the evaluation (below 2**16)."""
    if not 0 <= LAST_YEAR - year <= 255:
        raise ValueError(f"year {year} outside the search index's range")
    if not 0 < evaluation_id <= MAX_EVALUATION_ID:
        raise ValueError(f"evaluation {evaluation_id}: outside the search index's range")
    return (LAST_YEAR - year) << 48 | evaluation_id << 16


def anchor(kind: str, area_number: int, question_code: str | None, position: int) -> str:
    """The fragment of the evaluation's page where the passage stands."""
    if kind == EntryKind.GENERAL:
        return f"omrade-{area_number}-allmant"
    if kind == EntryKind.CHANGES:
        return f"omrade-{area_number}-vad-har-hant"
    if kind == EntryKind.QUESTION:
        return f"delfraga-{question_code}"
    prefix = {EntryKind.STRENGTH: "styrka", EntryKind.IMPROVEMENT: "forbattring", EntryKind.GOOD_EXAMPLE: "gott-exempel"}[kind]
    return f"{prefix}-{area_number}-{position}"


def evaluation_url(evaluation_id: int, fragment: str = "") -> str:
    return f"/utvardering/{evaluation_id}/" + (f"#{fragment}" if fragment else "")


class Passage(NamedTuple):
    entry_id: int
    evaluation_id: int
    municipality_id: int
    municipality_code: str
    country: str
    county_code: str | None
    year: int
    framework_code: str
    area_number: int
    area_title: str
    question_code: str | None
    kind: str
    position: int
    area_score: Decimal | None
    total_score: Decimal | None
    text: str  # as written (NFC, without NUL)
    searched: str  # what the search matches: the text, quoted findings blanked out (then in lower case)


def _quoted(items) -> dict[int, list[str]]:
    """Per area, the findings (normalized) that a longer text of the same area quotes:
    each finding is looked for once in the area's texts together. (A report quotes a good
    example from the sub-question it belongs to; looking in every area's texts cost a
    rebuild of 30,000 evaluations 12 s more.)"""
    findings, others = defaultdict(list), defaultdict(list)
    for item in items:
        if item[6] in FINDING_KINDS:
            if len(item[4]) >= PASSAGE_MIN:
                findings[item[0]].append(item[4])
        else:
            others[item[0]].append(item[4])
    quoted = {}
    for area, texts in findings.items():
        if area in others:
            haystack = "\x00".join(map(normalize, others[area]))
            found = [finding for finding in map(normalize, texts) if finding in haystack]
            if found:
                quoted[area] = found
    return quoted


def without_passages(normalized: str, passages: list[str]) -> str:
    for passage in passages:
        if len(passage) < len(normalized):
            normalized = normalized.replace(passage, " " * len(passage))
    return normalized


_EVALUATIONS = """
SELECT e.id, e.year, m.id, m.code, m.country, c.code, f.code, s.total, s.areas
FROM evaluations_evaluation e
JOIN municipalities_municipality m ON m.id = e.municipality_id
LEFT JOIN municipalities_county c ON c.id = m.county_id
JOIN catalogue_framework f ON f.id = e.framework_id
LEFT JOIN evaluations_evaluationsummary s ON s.evaluation_id = e.id
WHERE e.status = 'published' AND e.id IN ({ids})
"""


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


class Catalogue:
    """Areas and sub-questions by id, read once per rebuild."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT a.id, a.number, a.title, f.code FROM catalogue_area a JOIN catalogue_framework f ON f.id = a.framework_id")
            rows = cursor.fetchall()
            self.areas = {pk: (number, title) for pk, number, title, _framework in rows}
            self.titles = defaultdict(dict)  # framework code -> area number -> title
            for _pk, number, title, framework in rows:
                self.titles[framework][number] = title
            cursor.execute("SELECT id, code, position, area_id FROM catalogue_question")
            self.questions = {pk: (code, position) for pk, code, position, _area in cursor.fetchall()}


def passages(evaluation_ids: list[int], catalogue: Catalogue | None = None) -> Iterator[Passage]:
    """The passages of those evaluations that are published, evaluation by evaluation in
    the order of their ids. Five queries per ``BATCH`` evaluations."""
    summaries_ensure()  # the scores come from the summaries: none may be missing
    catalogue = catalogue or Catalogue()
    ids = sorted(set(evaluation_ids))
    for start in range(0, len(ids), BATCH):
        yield from _batch(ids[start : start + BATCH], catalogue)


def _batch(ids: list[int], catalogue: Catalogue) -> Iterator[Passage]:
    marks = ", ".join(["%s"] * len(ids))
    texts = defaultdict(list)  # evaluation id -> [(area number, kind, question position, position, text, question code)]
    with connection.cursor() as cursor:
        cursor.execute(_EVALUATIONS.format(ids=marks), ids)
        evaluations = {row[0]: row for row in cursor.fetchall()}
        if not evaluations:
            return
        ids = sorted(evaluations)
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT evaluation_id, area_id, general_text, changes_text FROM evaluations_areaassessment WHERE evaluation_id IN ({marks})",
            ids,
        )
        for evaluation_id, area_id, general, changes in cursor.fetchall():
            number = catalogue.areas[area_id][0]
            texts[evaluation_id].append((number, GENERAL_RANK, 0, 0, general, None, GENERAL))
            texts[evaluation_id].append((number, CHANGES_RANK, 0, 0, changes, None, CHANGES))
        cursor.execute(
            "SELECT q.evaluation_id, q.question_id, a.number, q.text FROM evaluations_questionassessment q "
            f"JOIN catalogue_question cq ON cq.id = q.question_id JOIN catalogue_area a ON a.id = cq.area_id "
            f"WHERE q.evaluation_id IN ({marks}) AND q.text <> ''",
            ids,
        )
        for evaluation_id, question_id, number, text in cursor.fetchall():
            code, position = catalogue.questions[question_id]
            texts[evaluation_id].append((number, QUESTION_RANK, position, position, text, code, QUESTION))
        cursor.execute(
            "SELECT evaluation_id, area_id, kind, position, text, question_id FROM evaluations_finding "
            f"WHERE evaluation_id IN ({marks}) ORDER BY id",
            ids,
        )
        for evaluation_id, area_id, kind, position, text, question_id in cursor.fetchall():
            code = catalogue.questions[question_id][0] if question_id else None
            texts[evaluation_id].append((catalogue.areas[area_id][0], KIND_RANK[kind], 0, position, text, code, kind))
    for evaluation_id in ids:
        yield from _evaluation_passages(evaluations[evaluation_id], texts[evaluation_id], catalogue)


def _evaluation_passages(row, texts, catalogue: Catalogue) -> Iterator[Passage]:
    evaluation_id, year, municipality_id, code, country, county, framework, total, areas = row
    items = [(a, r, qp, p, clean_text(t).strip() if t else "", c, k) for a, r, qp, p, t, c, k in texts]
    items = [item for item in items if item[4]]
    if len(items) > MAX_ENTRIES + 1:
        raise ValueError(f"evaluation {evaluation_id}: {len(items)} texts, more than the search index holds")
    if isinstance(areas, str):  # SQLite gives the JSON column as text
        areas = json.loads(areas)
    area_scores = {int(number): _decimal(score) for number, score in (areas or {}).items()}
    total_score = _decimal(total)
    area_titles = catalogue.titles[framework]
    # Stable: the same texts always get the same ids, in this order (area, kind, place).
    items.sort(key=itemgetter(0, 1, 2, 3))
    quoted = _quoted(items)
    base = entry_base(year, evaluation_id)
    for index, (area_number, rank, _question_position, position, text, question_code, kind) in enumerate(items):
        searched = text
        if area_number in quoted and kind not in FINDING_KINDS:
            searched = without_passages(normalize(text), quoted[area_number])
        yield Passage(
            rank << 56 | base | index, evaluation_id, municipality_id, code, country, county, year, framework,
            area_number, area_titles.get(area_number, ""), question_code, kind, position,
            area_scores.get(area_number), total_score, text, searched,
        )
