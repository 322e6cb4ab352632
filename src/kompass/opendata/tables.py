"""The published data as tables: what every download holds, in every format alike.

Published evaluations only, as the public may see them: a version whose question texts
are not public (``catalogue.visibility``) gives its sub-questions by id and maximum, with
no text, exactly as the API and the published reports do; its scores stay public. Draft
versions without published evaluations are left out. Values are plain Python: ``str``,
``int``, ``bool``, ``Decimal`` (scores, exact), ``datetime.date`` or ``None``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from kompass import scoring
from kompass.benchmark.models import PeerGroup, PublishedReference
from kompass.catalogue import definitions
from kompass.catalogue.models import Framework
from kompass.catalogue.visibility import public_view
from kompass.evaluations.documents import points_document
from kompass.evaluations.models import AreaAssessment, Evaluation, Finding, FindingKind, QuestionAssessment, Status
from kompass.evaluations.selectors import evaluation_scoresheets
from kompass.i18n import _
from kompass.municipalities.models import County, Municipality

TEXT, INTEGER, DECIMAL, BOOLEAN, DATE = "text", "integer", "decimal", "boolean", "date"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass
class Table:
    name: str  # the file name without its suffix, and the SQLite table's name
    description: str
    columns: tuple[Column, ...]
    rows: list[tuple] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _columns(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# The tables in order: the definitions, with no rows; ``tables_read`` fills them.
def table_definitions() -> list[Table]:
    score = (
        ("score", DECIMAL, _("poäng, exakt (två decimaler)")),
        ("rounded", INTEGER, _("poäng avrundad till heltal (halvt uppåt), som rapporten visar den")),
        ("low", DECIMAL, _("lägsta möjliga poäng där poängen är rekonstruerad ur en avrundad rapport, annars tom")),
        ("high", DECIMAL, _("högsta möjliga poäng där poängen är rekonstruerad, annars tom")),
        ("max", INTEGER, _("högsta möjliga poäng")),
        ("percent", INTEGER, _("procent av max, räknad på den exakta poängen")),
    )
    return [
        Table("lan", _("Län (Sverige) och motsvarande indelningar."), _columns(
            ("country", TEXT, _("land: SE, NO eller DK")),
            ("code", TEXT, _("länskod, två siffror")),
            ("name", TEXT, _("namn")),
        )),
        Table("kommuner", _("Alla kommuner, med antalet publicerade utvärderingar."), _columns(
            ("country", TEXT, _("land: SE, NO eller DK")),
            ("code", TEXT, _("kommunkod, fyra siffror (SCB:s kod i Sverige)")),
            ("name", TEXT, _("namn")),
            ("short_name", TEXT, _("kortnamn")),
            ("county_code", TEXT, _("länskod")),
            ("population", INTEGER, _("folkmängd, där den är känd")),
            ("population_year", INTEGER, _("året folkmängden gäller")),
            ("evaluations", INTEGER, _("antal publicerade utvärderingar")),
        )),
        Table("versioner", _("Versionerna av Kommunkompassen. Poäng går bara att jämföra inom en version."), _columns(
            ("framework", TEXT, _("versionens id")),
            ("name", TEXT, _("namn")),
            ("in_use", TEXT, _("när versionen användes")),
            ("max_points", INTEGER, _("högsta möjliga totalpoäng")),
            ("public_questions", BOOLEAN, _("om delfrågornas texter är öppna")),
        )),
        Table("omraden", _("Huvudområdena i varje version."), _columns(
            ("framework", TEXT, _("version")),
            ("area", INTEGER, _("områdets nummer, 1–8")),
            ("title", TEXT, _("områdets namn")),
            ("max_points", INTEGER, _("högsta möjliga poäng")),
        )),
        Table("delfragor", _("Delfrågorna i varje version; texten är tom där versionens frågor inte är öppna."), _columns(
            ("framework", TEXT, _("version")),
            ("area", INTEGER, _("område")),
            ("question", TEXT, _("delfrågans id, till exempel 1.1")),
            ("text", TEXT, _("delfrågans text, tom där den inte är öppen")),
            ("short", TEXT, _("kort rubrik, tom där den inte är öppen")),
            ("max_points", DECIMAL, _("högsta möjliga poäng")),
            ("looked_for", TEXT, _("vägledning: vad utvärderarna letar efter (där versionen är öppen och har vägledning)")),
            ("full", TEXT, _("vägledning: vad som ger full poäng")),
            ("partial", TEXT, _("vägledning: vad som ger delvis poäng")),
            ("none", TEXT, _("vägledning: vad som ger inga poäng")),
        )),
        Table("utvarderingar", _("De publicerade utvärderingarna med totalpoäng."), _columns(
            ("id", INTEGER, _("utvärderingens id (samma som i API:et och på webbplatsen, /utvardering/id/)")),
            ("country", TEXT, _("land")),
            ("municipality_code", TEXT, _("kommunkod")),
            ("municipality_name", TEXT, _("kommunens namn")),
            ("year", INTEGER, _("år")),
            ("month", INTEGER, _("månad, där den är känd")),
            ("framework", TEXT, _("version")),
            ("ordinal", INTEGER, _("vilken utvärdering i ordningen för kommunen")),
            ("visit_start", DATE, _("besökets första dag")),
            ("visit_end", DATE, _("besökets sista dag")),
            ("interviewees", INTEGER, _("antal intervjuade")),
            ("interviewees_approximate", BOOLEAN, _("om antalet intervjuade är ungefärligt")),
            ("publisher", TEXT, _("utgivare")),
            ("data_source", TEXT, _("var resultaten är publicerade")),
            *score,
        )),
        Table("omradespoang", _("Poäng per område och utvärdering."), _columns(
            ("evaluation_id", INTEGER, _("utvärderingens id")),
            ("framework", TEXT, _("version")),
            ("area", INTEGER, _("område")),
            ("title", TEXT, _("områdets namn")),
            *score,
        )),
        Table("delfragepoang", _("Poäng per delfråga och utvärdering, där utvärderingen har delfrågepoäng."), _columns(
            ("evaluation_id", INTEGER, _("utvärderingens id")),
            ("framework", TEXT, _("version")),
            ("area", INTEGER, _("område")),
            ("question", TEXT, _("delfrågans id")),
            *score,
        )),
        Table("utvarderare", _("Utvärderarna, som de står i den publicerade rapporten."), _columns(
            ("evaluation_id", INTEGER, _("utvärderingens id")),
            ("position", INTEGER, _("ordning")),
            ("name", TEXT, _("namn")),
            ("organisation", TEXT, _("organisation")),
        )),
        Table("texter", _("Utvärderingarnas texter: sammanfattning, ”Allmänt”, ”Vad har hänt?” och bedömning per delfråga."), _columns(
            ("evaluation_id", INTEGER, _("utvärderingens id")),
            ("area", INTEGER, _("område, tomt för hela utvärderingen")),
            ("question", TEXT, _("delfråga, där texten gäller en")),
            ("kind", TEXT, _("slag: evaluation (Utvärderingen), summary (Sammanfattande kommentar), general (Allmänt), changes (Vad har hänt?), question (bedömning av delfrågan)")),
            ("text", TEXT, _("texten (Markdown)")),
        )),
        Table("iakttagelser", _("Styrkor, förbättringsområden och goda exempel."), _columns(
            ("evaluation_id", INTEGER, _("utvärderingens id")),
            ("area", INTEGER, _("område")),
            ("kind", TEXT, _("slag: strength (styrka), improvement (förbättringsområde), good_example (gott exempel)")),
            ("position", INTEGER, _("ordning inom området och slaget")),
            ("question", TEXT, _("delfråga, där iakttagelsen gäller en")),
            ("text", TEXT, _("texten")),
        )),
        Table("jamforelsegrupper", _("Inlästa jämförelsegrupper, till exempel SKR:s kommungrupper (län och befolkningsklasser följer av kommuner)."), _columns(
            ("key", TEXT, _("gruppens nyckel, som i API:ets group=")),
            ("scheme", TEXT, _("indelningen gruppen hör till")),
            ("name", TEXT, _("gruppens namn")),
        )),
        Table("gruppmedlemmar", _("Vilka kommuner som hör till varje inläst jämförelsegrupp."), _columns(
            ("group_key", TEXT, _("gruppens nyckel")),
            ("country", TEXT, _("land")),
            ("municipality_code", TEXT, _("kommunkod")),
        )),
        Table("referensvarden", _("Jämförelsevärden som publicerats på annat håll, med källa."), _columns(
            ("framework", TEXT, _("version")),
            ("area", INTEGER, _("område, tomt för totalpoängen")),
            ("value", DECIMAL, _("värdet")),
            ("from_year", INTEGER, _("från år")),
            ("to_year", INTEGER, _("till år")),
            ("country", TEXT, _("land, tomt för alla")),
            ("description", TEXT, _("vad värdet är")),
            ("source", TEXT, _("källa")),
        )),
    ]


KINDS = {FindingKind.STRENGTH: "strength", FindingKind.IMPROVEMENT: "improvement", FindingKind.GOOD_EXAMPLE: "good_example"}
CHUNK = 200  # evaluations read together: a handful of queries per chunk, not per evaluation


def _score_cells(score: scoring.Score) -> tuple:
    """score, rounded, low, high, max, percent; the interval only for a recorded
    reconstructed score, as a dump gives it (a derived one follows from its parts)."""
    points = points_document(score)
    interval = score.reconstructed and not score.derived
    return (
        None if score.score is None else Decimal(points["score"]), points["rounded"],
        _decimal(scoring.format_points(score.low)) if interval else None,
        _decimal(scoring.format_points(score.high)) if interval else None,
        points["max"], points["percent"],
    )


def _published_chunks() -> Iterator[list[Evaluation]]:
    ids = list(
        Evaluation.objects.filter(status=Status.PUBLISHED)
        .order_by("municipality__country", "municipality__code", "year", "framework__code", "pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = Evaluation.objects.filter(pk__in=chunk).select_related("municipality", "framework").prefetch_related("evaluators")
        by_id = {e.pk: e for e in found}
        yield [by_id[pk] for pk in chunk if pk in by_id]


def _chunk_rows(tables: dict[str, Table], evaluations: list[Evaluation]) -> None:
    """The rows of these evaluations: what ``evaluation_full_document`` holds, seen through
    ``public_view`` (no question texts where the version keeps them), read in bulk."""
    ids = [e.pk for e in evaluations]
    sheets = evaluation_scoresheets(evaluations)
    area_texts = {
        (row[0], row[1]): row[2:]
        for row in AreaAssessment.objects.filter(evaluation_id__in=ids).values_list("evaluation_id", "area__number", "general_text", "changes_text")
    }
    question_texts = defaultdict(list)
    rows = QuestionAssessment.objects.filter(evaluation_id__in=ids).exclude(text="").order_by("question__area__number", "question__position")
    for evaluation_id, area, code, text in rows.values_list("evaluation_id", "question__area__number", "question__code", "text"):
        question_texts[(evaluation_id, area)].append((code, text))
    findings = defaultdict(list)
    rows = Finding.objects.filter(evaluation_id__in=ids).order_by("area__number", "kind", "position", "id")
    for evaluation_id, area, kind, code, text in rows.values_list("evaluation_id", "area__number", "kind", "question__code", "text"):
        findings[(evaluation_id, area, kind)].append((code, text))
    for evaluation in evaluations:
        code = evaluation.framework.code
        result = scoring.summarise(public_view(definitions.get(code)), sheets[evaluation.pk])
        m, pk = evaluation.municipality, evaluation.pk
        tables["utvarderingar"].rows.append((
            pk, m.country, m.code, m.name, evaluation.year, evaluation.month, code, evaluation.ordinal,
            evaluation.visit_start, evaluation.visit_end, evaluation.interviewees, evaluation.interviewees_approximate,
            evaluation.publisher, evaluation.data_source, *_score_cells(result.total),
        ))
        texts = tables["texter"].rows
        for kind, text in (("evaluation", evaluation.evaluation_text), ("summary", evaluation.summary_text)):
            if text:
                texts.append((pk, None, None, kind, text))
        for area in result.areas:
            number = area.area.number
            tables["omradespoang"].rows.append((pk, code, number, area.area.title, *_score_cells(area.score)))
            if result.has_question_scores:
                for question in area.questions:
                    tables["delfragepoang"].rows.append((pk, code, number, question.question.id, *_score_cells(question.score)))
            general, changes = area_texts.get((pk, number), ("", ""))
            texts.extend((pk, number, None, kind, text) for kind, text in (("general", general), ("changes", changes)) if text)
            texts.extend((pk, number, question, "question", text) for question, text in question_texts[(pk, number)])
            for kind, name in KINDS.items():
                for position, (question, text) in enumerate(findings[(pk, number, kind)], start=1):
                    tables["iakttagelser"].rows.append((pk, number, name, position, question, text))
        for position, evaluator in enumerate(evaluation.evaluators.all(), start=1):
            tables["utvarderare"].rows.append((pk, position, evaluator.name, evaluator.organisation))


def _catalogue_rows(tables: dict[str, Table]) -> None:
    published = Q(evaluations__status=Status.PUBLISHED)
    frameworks = Framework.objects.annotate(published=Count("evaluations", filter=published)).order_by("code")
    for row in frameworks:
        if row.status == Framework.Status.DRAFT and not row.published:
            continue  # a version in the making, perhaps confidential: nothing published refers to it
        definition = public_view(definitions.get(row.code))
        tables["versioner"].rows.append((row.code, row.name, row.in_use, int(definition.max_points), definition.public_questions))
        for area in definition.areas:
            tables["omraden"].rows.append((row.code, area.number, area.title, int(area.max_points)))
            for q in area.questions:
                # public_view has emptied short titles and guidance where they are not public
                public = definition.public_questions
                g = q.guidance if public and q.guidance else None
                tables["delfragor"].rows.append((
                    row.code, area.number, q.id, q.text if public else None, q.short or None, q.max_points,
                    *((g.looked_for or None, g.full or None, g.partial or None, g.none or None) if g else (None,) * 4),
                ))


def _place_rows(tables: dict[str, Table]) -> None:
    for county in County.objects.order_by("country", "code"):
        tables["lan"].rows.append((county.country, county.code, county.name))
    counts = dict(
        Evaluation.objects.filter(status=Status.PUBLISHED).values("municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n")
    )
    for m in Municipality.objects.select_related("county").order_by("country", "code"):
        tables["kommuner"].rows.append((
            m.country, m.code, m.name, m.short_name, m.county.code if m.county else None, m.population, m.population_year, counts.get(m.pk, 0),
        ))


def _group_rows(tables: dict[str, Table]) -> None:
    for group in PeerGroup.objects.order_by("scheme", "name", "key"):
        tables["jamforelsegrupper"].rows.append((group.key, group.scheme, group.name))
    members = PeerGroup.municipalities.through.objects.order_by("peergroup__key", "municipality__country", "municipality__code")
    for key, country, code in members.values_list("peergroup__key", "municipality__country", "municipality__code"):
        tables["gruppmedlemmar"].rows.append((key, country, code))


def _reference_rows(tables: dict[str, Table]) -> None:
    references = PublishedReference.objects.select_related("framework", "area").order_by(
        "framework__code", "area__number", "from_year", "to_year", "country", "source", "value"
    )
    for r in references:
        tables["referensvarden"].rows.append((
            r.framework.code, r.area.number if r.area else None, r.value, r.from_year, r.to_year, r.country or None, r.description, r.source,
        ))


def tables_read(progress: Callable[[int], None] | None = None) -> list[Table]:
    """Every table with its rows, read from the database now."""
    tables = {t.name: t for t in table_definitions()}
    _place_rows(tables)
    _catalogue_rows(tables)
    done = 0
    for chunk in _published_chunks():
        _chunk_rows(tables, chunk)
        done += len(chunk)
        if progress:
            progress(done)
    _group_rows(tables)
    _reference_rows(tables)
    return list(tables.values())


def json_value(value):
    """A cell as JSON gives it: decimals as strings with their digits ("74.10"), as the API
    does, dates ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
