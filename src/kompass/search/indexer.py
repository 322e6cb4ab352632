"""From an evaluation's rows to its search entries. Only published evaluations get any."""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from functools import lru_cache
from types import SimpleNamespace

from django.db import connection

from kompass import scoring
from kompass.catalogue.models import Area, Question
from kompass.evaluations.models import AreaAssessment, Evaluation, Finding, QuestionAssessment, Status
from kompass.evaluations.selectors import evaluation_scoresheets
from kompass.search.models import KIND_RANK, EntryKind, SearchEntry
from kompass.search.query import clean_text, normalize

# The id packs the ranking (see SearchEntry.id): kind, then year newest first, then the
# evaluation, then the entry's place in the evaluation.
LAST_YEAR = 2250  # years 1995 … 2250 fit in the eight bits of the inverted year
MAX_EVALUATION_ID = (1 << 32) - 1
MAX_ENTRIES = (1 << 16) - 1  # per evaluation


def entry_id(kind: str, year: int, evaluation_id: int, index: int) -> int:
    if not 0 <= LAST_YEAR - year <= 255:
        raise ValueError(f"year {year} outside the search index's range")
    if not 0 < evaluation_id <= MAX_EVALUATION_ID or not 0 <= index <= MAX_ENTRIES:
        raise ValueError(f"evaluation {evaluation_id}, entry {index}: outside the search index's range")
    return (KIND_RANK[kind] << 56) | ((LAST_YEAR - year) << 48) | (evaluation_id << 16) | index


def kind_id_range(kind: str) -> tuple[int, int]:
    """The ids of one kind of entry: ``low <= id < high``."""
    rank = KIND_RANK[kind]
    return rank << 56, (rank + 1) << 56


# A filter value as one trigram of private-use characters, which no text contains: to the
# trigram tokenizer it is a single token with its own short list of entries, so filtering
# by it inside the full-text index costs no more than a rare word.
TAG_TYPES = {name: chr(0xE000 + i) for i, name in enumerate("nmcyfaqks")}
TAG_DIGITS = 0xE100, 4096


def tag_value(name: str, value) -> int:
    if name == "n" and re.fullmatch(r"[A-Z]{2}", str(value)):  # country
        return (ord(value[0]) - 64) * 32 + (ord(value[1]) - 64)
    if name == "q" and re.fullmatch(r"\d{1,2}\.\d{1,2}", str(value), re.ASCII):  # sub-question "3.2"
        area, number = str(value).split(".")
        return int(area) * 100 + int(number)
    if name == "k":
        return KIND_RANK[value]
    text = str(value)  # municipality, county, framework codes; year, area, score decile
    if text.isascii() and text.isdigit() and len(text) < 7:
        return int(text)
    return zlib.crc32(text.encode()) % (TAG_DIGITS[1] ** 2)  # a shared tag only costs a check


@lru_cache(maxsize=65536)
def tag(name: str, value) -> str:
    number = tag_value(name, value)
    start, base = TAG_DIGITS
    if not 0 <= number < base * base:
        raise ValueError(f"tag {name}: {value!r} out of range")
    return TAG_TYPES[name] + chr(start + number // base) + chr(start + number % base)


def score_decile(score) -> int:
    return int(score // 10)


def entry_tags(entry: SearchEntry) -> str:
    tags = [  # separated by spaces, so that no trigram across two tags is a tag
        tag("n", entry.country),
        tag("m", entry.municipality_code),
        tag("y", entry.year),
        tag("f", entry.framework_code),
        tag("a", entry.area_number),
        tag("k", entry.kind),
    ]
    if entry.county_code:
        tags.append(tag("c", entry.county_code))
    if entry.question_code:
        tags.append(tag("q", entry.question_code))
    if entry.area_score is not None:
        tags.append(tag("s", score_decile(entry.area_score)))
    return " ".join(tags)


def anchor(kind: str, area_number: int, question_code: str | None, position: int) -> str:
    """The fragment of the evaluation's page where the entry stands."""
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


FIELDS = [f.attname for f in SearchEntry._meta.local_fields]  # a row's values, in column order
INSERT = "INSERT INTO search_searchentry ({}) VALUES ({})".format(
    ", ".join(f.column for f in SearchEntry._meta.local_fields), ", ".join(["%s"] * len(FIELDS))
)


def insert_rows(rows: list[tuple]) -> None:
    """Writes entries given as tuples in ``FIELDS`` order (far faster than the ORM)."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(INSERT, rows[start : start + 2000])


def entry_row(values: dict) -> tuple:
    values["tags"] = entry_tags(SimpleNamespace(**values))
    return tuple(values[f] for f in FIELDS)


class Catalogue:
    """Areas and sub-questions by id, read once."""

    def __init__(self):
        self.areas = {pk: (number, title) for pk, number, title in Area.objects.values_list("id", "number", "title")}
        self.questions = {
            pk: (code, self.areas[area_id][0], position)
            for pk, code, position, area_id in Question.objects.values_list("id", "code", "position", "area_id")
        }


def published(evaluations):
    return evaluations.filter(status=Status.PUBLISHED).select_related("municipality", "municipality__county", "framework")


def rows_for_batch(evaluations: list[Evaluation], catalogue: Catalogue | None = None) -> list[tuple]:
    """The entries of several evaluations (with municipality, county and framework
    loaded) as rows for ``insert_rows``; none for an unpublished one. Five queries."""
    catalogue = catalogue or Catalogue()
    evaluations = [e for e in evaluations if e.status == Status.PUBLISHED]
    ids = [e.pk for e in evaluations]
    texts = defaultdict(list)  # evaluation id -> [(area number, kind, question position, position, text, question code)]
    for evaluation_id, area_id, general, changes in AreaAssessment.objects.filter(evaluation_id__in=ids).values_list(
        "evaluation_id", "area_id", "general_text", "changes_text"
    ):
        number = catalogue.areas[area_id][0]
        texts[evaluation_id].append((number, EntryKind.GENERAL, 0, 0, general, None))
        texts[evaluation_id].append((number, EntryKind.CHANGES, 0, 0, changes, None))
    for evaluation_id, question_id, text in QuestionAssessment.objects.filter(evaluation_id__in=ids).exclude(text="").values_list(
        "evaluation_id", "question_id", "text"
    ):
        code, number, position = catalogue.questions[question_id]
        texts[evaluation_id].append((number, EntryKind.QUESTION, position, position, text, code))
    findings = Finding.objects.filter(evaluation_id__in=ids).order_by("pk")
    for evaluation_id, area_id, kind, position, text, question_id in findings.values_list(
        "evaluation_id", "area_id", "kind", "position", "text", "question_id"
    ):
        code = catalogue.questions[question_id][0] if question_id else None
        texts[evaluation_id].append((catalogue.areas[area_id][0], kind, 0, position, text, code))
    sheets = evaluation_scoresheets(evaluations)
    rows = []
    for evaluation in evaluations:
        items = [(a, k, qp, p, clean_text(t or "").strip(), c) for a, k, qp, p, t, c in texts[evaluation.pk]]
        items = [item for item in items if item[4]]
        if not items:
            continue
        if len(items) > MAX_ENTRIES + 1:
            raise ValueError(f"evaluation {evaluation.pk}: {len(items)} texts, more than the search index holds")
        definition = evaluation.framework.definition
        result = scoring.summarise(definition, sheets[evaluation.pk])
        area_scores = {a.area.number: a.score.score for a in result.areas}
        area_titles = {a.number: a.title for a in definition.areas}
        municipality = evaluation.municipality
        # Stable: the same texts always get the same ids, in this order.
        items.sort(key=lambda item: (item[0], KIND_RANK[item[1]], item[2], item[3]))
        passages = [normalize(t) for _a, k, _qp, _p, t, _c in items if k in FINDING_KINDS and len(t) >= PASSAGE_MIN]
        for index, (area_number, kind, _question_position, position, text, question_code) in enumerate(items):
            rows.append(entry_row({
                "id": entry_id(kind, evaluation.year, evaluation.pk, index),
                "evaluation_id": evaluation.pk,
                "municipality_id": municipality.pk,
                "municipality_code": municipality.code,
                "country": municipality.country,
                "county_code": municipality.county.code if municipality.county_id else None,
                "year": evaluation.year,
                "framework_code": evaluation.framework.code,
                "area_number": area_number,
                "question_code": question_code,
                "kind": kind,
                "position": position,
                "area_score": area_scores.get(area_number),
                "total_score": result.total.score,
                "area_title": area_titles.get(area_number, ""),
                "text": text,
                "normalized": normalize(text) if kind in FINDING_KINDS else without_passages(normalize(text), passages),
            }))
    return rows


# A finding quoted word for word from a longer text of its evaluation (a good example is
# often a passage of a sub-question's text) is found as the finding only: in the longer
# text it is blanked out of what the search matches, so no search shows it twice. Blanks
# keep every position, so the snippet still cuts the full text at its matches elsewhere.
FINDING_KINDS = frozenset({EntryKind.GOOD_EXAMPLE, EntryKind.STRENGTH, EntryKind.IMPROVEMENT})
PASSAGE_MIN = 40  # characters: a shorter finding is a phrase that may recur on its own


def without_passages(normalized: str, passages: list[str]) -> str:
    for passage in passages:
        if len(passage) < len(normalized):
            normalized = normalized.replace(passage, " " * len(passage))
    return normalized
