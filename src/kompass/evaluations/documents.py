"""Evaluations as JSON documents: the shape of ``kompass show --json``, and the whole
database as one dump (``kompass export`` / ``kompass import-dump``).

A dump is read completely and checked before anything is written: every problem is
reported with its place in the document (``evaluations[0].areas[2].questions[1].score``),
and a dump with any problem saves nothing.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.benchmark.models import PublishedReference
from kompass.catalogue import definitions
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import STATUS_ALIASES, Evaluation, FindingKind, Status
from kompass.evaluations.selectors import evaluation_findings, evaluation_result
from kompass.municipalities.models import Country, County, Municipality, municipality_code_validator

FORMAT = "kompass-dump"
VERSION = 1
FINDING_LISTS = {"strengths": FindingKind.STRENGTH, "improvements": FindingKind.IMPROVEMENT, "good_examples": FindingKind.GOOD_EXAMPLE}
MAX_PROBLEMS = 50


# --- Writing documents -------------------------------------------------------------


def _points_document(score: scoring.Score) -> dict:
    return {
        "score": scoring.format_points(score.score),
        "rounded": score.rounded,
        "max": int(score.max),
        "percent": score.percent,
    }


def _with_interval(document: dict, score: scoring.Score) -> None:
    """The export adds the interval of a recorded reconstructed score (derived ones follow)."""
    if score.reconstructed and not score.derived:
        document["interval"] = [scoring.format_points(score.low), scoring.format_points(score.high)]


def municipality_document(municipality: Municipality) -> dict:
    return {"code": municipality.code, "name": municipality.name, "country": municipality.country}


def evaluation_document(evaluation: Evaluation, result: scoring.Result | None = None) -> dict:
    """The evaluation's scores in the shape of ``kompass show --json``."""
    result = result or evaluation_result(evaluation)
    with_questions = result.has_question_scores
    return {
        "municipality": municipality_document(evaluation.municipality),
        "year": evaluation.year,
        "framework": evaluation.framework.code,
        "status": evaluation.status,
        "total": _points_document(result.total),
        "areas": [
            {
                "number": area.area.number,
                "title": area.area.title,
                **_points_document(area.score),
                "questions": [
                    {"id": q.question.id, "text": q.question.text, **_points_document(q.score)} for q in area.questions
                ]
                if with_questions
                else [],
            }
            for area in result.areas
        ],
    }


def evaluation_full_document(evaluation: Evaluation) -> dict:
    """``evaluation_document`` plus everything else the evaluation holds."""
    result = evaluation_result(evaluation)
    document = evaluation_document(evaluation, result)
    _with_interval(document["total"], result.total)
    for area_document, area in zip(document["areas"], result.areas):
        _with_interval(area_document, area.score)
        for question_document, question in zip(area_document["questions"], area.questions):
            _with_interval(question_document, question.score)
    document.update(
        {
            "ordinal": evaluation.ordinal,
            "month": evaluation.month,
            "visit_start": evaluation.visit_start.isoformat() if evaluation.visit_start else None,
            "visit_end": evaluation.visit_end.isoformat() if evaluation.visit_end else None,
            "interviewees": evaluation.interviewees,
            "interviewees_approximate": evaluation.interviewees_approximate,
            "sources": list(evaluation.sources),
            "publisher": evaluation.publisher,
            "data_source": evaluation.data_source,
            "evaluators": [{"name": e.name, "organisation": e.organisation} for e in evaluation.evaluators.all()],
            "texts": {"evaluation": evaluation.evaluation_text, "summary": evaluation.summary_text},
        }
    )
    area_texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    question_texts: dict[int, dict[str, str]] = {}
    for assessment in evaluation.question_assessments.select_related("question__area").exclude(text=""):
        question_texts.setdefault(assessment.question.area.number, {})[assessment.question.code] = assessment.text
    findings = {
        key: [{"text": f.text, "question": f.question.code if f.question else None} for f in items]
        for key, items in evaluation_findings(evaluation).items()
    }
    for area in document["areas"]:
        assessment = area_texts.get(area["number"])
        area["texts"] = {
            "general": assessment.general_text if assessment else "",
            "changes": assessment.changes_text if assessment else "",
            "questions": question_texts.get(area["number"], {}),
        }
        for key, kind in FINDING_LISTS.items():
            area[key] = findings.get((area["number"], kind), [])
    return document


def reference_document(reference: PublishedReference) -> dict:
    return {
        "framework": reference.framework.code,
        "area": reference.area.number if reference.area else None,
        "value": scoring.format_points(reference.value),
        "from_year": reference.from_year,
        "to_year": reference.to_year,
        "country": reference.country or None,
        "description": reference.description,
        "source": reference.source,
    }


def export_document() -> dict:
    """The whole database: municipalities with evaluations, references, evaluations."""
    evaluations = (
        Evaluation.objects.select_related("municipality", "framework")
        .prefetch_related("evaluators")
        .order_by("municipality__country", "municipality__code", "year", "framework__code")
    )
    municipalities = (
        Municipality.objects.filter(evaluations__isnull=False).distinct().select_related("county").order_by("country", "code")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "municipalities": [
            {
                **municipality_document(m),
                "short_name": m.short_name,
                "county": {"code": m.county.code, "name": m.county.name} if m.county else None,
            }
            for m in municipalities
        ],
        "benchmark_references": [
            reference_document(r)
            for r in PublishedReference.objects.select_related("framework", "area").order_by(
                "framework__code", "area__number", "from_year", "to_year", "country", "source", "value"
            )
        ],
        "evaluations": [evaluation_full_document(e) for e in evaluations],
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- Reading documents -------------------------------------------------------------


class DumpError(ValueError):
    """A dump that cannot be loaded; ``problems`` says what and where."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        text = "; ".join(shown) + (_(" (och %(count)s problem till)") % {"count": more} if more else "")
        super().__init__(_("Dumpen sparades inte: %(problems)s") % {"problems": text})


def loads(text: str) -> dict:
    """Parse a dump's JSON; DumpError with line and column when it is malformed or truncated."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DumpError([_("rad %(line)s, kolumn %(column)s: ogiltig JSON (%(error)s)") % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}]) from None
    except RecursionError:  # a dump is six levels deep; thousands are an attack or an accident
        raise DumpError([_("ogiltig JSON: nästlad djupare än Python kan läsa")]) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's own limit)
        raise DumpError([_("ogiltig JSON: %(error)s") % {"error": str(exc).splitlines()[0]}]) from None


@dataclass
class _EvaluationPlan:
    path: str
    municipality_key: tuple[str, str]
    framework: definitions.Framework
    facts: services.Facts
    sheet: scoring.Scoresheet
    evaluators: list[tuple[str, str]] = field(default_factory=list)
    area_texts: dict[int, tuple[str, str]] = field(default_factory=dict)
    question_texts: dict[str, str] = field(default_factory=dict)
    findings: dict[tuple[int, str], list[tuple[str, str | None]]] = field(default_factory=dict)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    municipalities_created: list[str] = field(default_factory=list)
    references_created: int = 0


class _Reader:
    """Walks a document, collecting every problem with its path."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, _("ska vara ett objekt"))
            return None
        for key in sorted(set(value) - allowed):
            self.problem(f"{path}.{key}", _("okänd nyckel"))
        for key in sorted(required - set(value)):
            self.problem(f"{path}.{key}", _("saknas"))
        return value

    def items(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("ska vara en lista"))
            return []
        return value

    def text(self, value, path: str, *, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(path, _("ska vara en text") if not required else _("ska vara en text som inte är tom"))
            return ""
        return value

    def integer(self, value, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, _("%(value)r är inget heltal") % {"value": value})
            return None
        return value

    def points(self, value, path: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, (bool, list, dict)):
            self.problem(path, _("%(value)r är inget tal") % {"value": value})
            return None
        try:
            return scoring.parse_points(value)
        except ValueError as exc:
            self.problem(path, str(exc))
            return None

    def interval(self, data: dict, path: str, into: dict, key: tuple) -> None:
        value = data.get("interval")
        if value is None:
            return
        if not isinstance(value, list) or len(value) != 2:
            self.problem(f"{path}.interval", _("ska vara [lägst, högst]"))
            return
        low, high = self.points(value[0], f"{path}.interval[0]"), self.points(value[1], f"{path}.interval[1]")
        if low is not None and high is not None:
            into[key] = (low, high)

    def date(self, value, path: str) -> datetime.date | None:
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(path, _("%(value)r är inget datum (ÅÅÅÅ-MM-DD)") % {"value": value})
            return None


SCORE_KEYS = {"score", "rounded", "max", "percent", "interval"}
EVALUATION_KEYS = {
    "municipality", "year", "framework", "status", "total", "areas", "ordinal", "month", "visit_start", "visit_end",
    "interviewees", "interviewees_approximate", "sources", "publisher", "data_source", "evaluators", "texts",
}
AREA_KEYS = {"number", "title", "questions", "texts", *SCORE_KEYS, *FINDING_LISTS}


def _check_derived(reader: _Reader, given: dict, score: scoring.Score, path: str) -> None:
    """Derived values in a document, where present, must be what the scores give."""
    expected = _points_document(score)
    for key in ("rounded", "max", "percent"):
        if key in given and given[key] != expected[key]:
            reader.problem(f"{path}.{key}", _("%(given)r stämmer inte med poängen (ska vara %(expected)r)") % {"given": given[key], "expected": expected[key]})


def _read_evaluation(reader: _Reader, data, path: str, known_municipalities: set[tuple[str, str]]) -> _EvaluationPlan | None:
    data = reader.mapping(data, path, EVALUATION_KEYS, {"municipality", "year", "framework"})
    if data is None:
        return None
    start = len(reader.problems)
    municipality = reader.mapping(data.get("municipality"), f"{path}.municipality", {"code", "name", "country"}, {"code"}) or {}
    key = (str(municipality.get("country") or Country.SE), str(municipality.get("code")))
    if municipality and key not in known_municipalities:
        reader.problem(f"{path}.municipality", _("okänd kommun %(country)s %(code)s") % {"country": key[0], "code": key[1]})
    try:
        framework = definitions.get(str(data.get("framework")))
    except definitions.CatalogueError as exc:
        reader.problem(f"{path}.framework", str(exc))
        return None

    texts = reader.mapping(data.get("texts") or {}, f"{path}.texts", {"evaluation", "summary"}) or {}
    facts = services.Facts(
        year=data.get("year"),
        status=STATUS_ALIASES.get(data.get("status"), data.get("status", Status.PLANNED)),
        month=reader.integer(data.get("month"), f"{path}.month"),
        visit_start=reader.date(data.get("visit_start"), f"{path}.visit_start"),
        visit_end=reader.date(data.get("visit_end"), f"{path}.visit_end"),
        ordinal=reader.integer(data.get("ordinal"), f"{path}.ordinal"),
        interviewees=reader.integer(data.get("interviewees"), f"{path}.interviewees"),
        interviewees_approximate=bool(data.get("interviewees_approximate", False)),
        sources=tuple(reader.items(data.get("sources"), f"{path}.sources")),
        publisher=reader.text(data.get("publisher"), f"{path}.publisher"),
        data_source=reader.text(data.get("data_source"), f"{path}.data_source"),
        evaluation_text=reader.text(texts.get("evaluation"), f"{path}.texts.evaluation"),
        summary_text=reader.text(texts.get("summary"), f"{path}.texts.summary"),
    )
    if not isinstance(data.get("interviewees_approximate", False), bool):
        reader.problem(f"{path}.interviewees_approximate", _("ska vara true eller false"))
    for message in services.facts_problems(facts):
        reader.problem(path, message)

    evaluators = []
    for index, item in enumerate(reader.items(data.get("evaluators"), f"{path}.evaluators")):
        item_path = f"{path}.evaluators[{index}]"
        item = reader.mapping(item, item_path, {"name", "organisation"}, {"name"}) or {}
        evaluators.append((reader.text(item.get("name"), f"{item_path}.name", required=True), reader.text(item.get("organisation"), f"{item_path}.organisation")))

    plan = _EvaluationPlan(path, key, framework, facts, scoring.Scoresheet(), evaluators)
    question_scores: dict[str, Decimal] = {}
    area_scores: dict[int, Decimal] = {}
    intervals: dict[tuple, tuple[Decimal, Decimal]] = {}
    given_scores: list[tuple[dict, str, str, int | None]] = []  # (given, path, kind, number or None)
    seen_areas = set()
    for index, area_data in enumerate(reader.items(data.get("areas"), f"{path}.areas")):
        area_path = f"{path}.areas[{index}]"
        area_data = reader.mapping(area_data, area_path, AREA_KEYS, {"number"})
        if area_data is None:
            continue
        number = area_data.get("number")
        area = framework.area(number) if isinstance(number, int) and not isinstance(number, bool) else None
        if area is None:
            reader.problem(f"{area_path}.number", _("område %(number)r finns inte i version %(version)s") % {"number": number, "version": framework.id})
            continue
        if number in seen_areas:
            reader.problem(f"{area_path}.number", _("område %(number)s förekommer två gånger") % {"number": number})
            continue
        seen_areas.add(number)
        score = reader.points(area_data.get("score"), f"{area_path}.score")
        if score is not None:
            area_scores[number] = score
        reader.interval(area_data, area_path, intervals, ("area", number))
        given_scores.append((area_data, area_path, "area", number))
        area_question_ids = {q.id for q in area.questions}
        for q_index, q_data in enumerate(reader.items(area_data.get("questions"), f"{area_path}.questions")):
            q_path = f"{area_path}.questions[{q_index}]"
            q_data = reader.mapping(q_data, q_path, {"id", "text", *SCORE_KEYS}, {"id"})
            if q_data is None:
                continue
            qid = q_data.get("id")
            if qid not in area_question_ids:
                reader.problem(f"{q_path}.id", _("delfråga %(id)r finns inte i område %(number)s i version %(version)s") % {"id": qid, "number": number, "version": framework.id})
                continue
            if qid in question_scores:
                reader.problem(f"{q_path}.id", _("delfråga %(id)s förekommer två gånger") % {"id": qid})
                continue
            q_score = reader.points(q_data.get("score"), f"{q_path}.score")
            if q_score is not None:
                question_scores[qid] = q_score
            reader.interval(q_data, q_path, intervals, ("question", qid))
            given_scores.append((q_data, q_path, "question", qid))
        area_texts = reader.mapping(area_data.get("texts") or {}, f"{area_path}.texts", {"general", "changes", "questions"}) or {}
        plan.area_texts[number] = (
            reader.text(area_texts.get("general"), f"{area_path}.texts.general"),
            reader.text(area_texts.get("changes"), f"{area_path}.texts.changes"),
        )
        texts_by_question = area_texts.get("questions") or {}
        if not isinstance(texts_by_question, dict):
            reader.problem(f"{area_path}.texts.questions", _("ska vara ett objekt"))
            texts_by_question = {}
        for qid, text in texts_by_question.items():
            if qid not in area_question_ids:
                reader.problem(f"{area_path}.texts.questions.{qid}", _("delfrågan finns inte i område %(number)s") % {"number": number})
            else:
                plan.question_texts[qid] = reader.text(text, f"{area_path}.texts.questions.{qid}")
        for list_key, kind in FINDING_LISTS.items():
            items = []
            for f_index, item in enumerate(reader.items(area_data.get(list_key), f"{area_path}.{list_key}")):
                f_path = f"{area_path}.{list_key}[{f_index}]"
                item = reader.mapping(item, f_path, {"text", "question"}, {"text"}) or {}
                question = item.get("question")
                if question is not None and question not in area_question_ids:
                    reader.problem(f"{f_path}.question", _("delfråga %(id)r finns inte i område %(number)s") % {"id": question, "number": number})
                items.append((reader.text(item.get("text"), f"{f_path}.text", required=True), question))
            if items:
                plan.findings[(number, kind)] = items

    total = reader.mapping(data.get("total") or {}, f"{path}.total", SCORE_KEYS) or {}
    reader.interval(total, f"{path}.total", intervals, ("total",))
    plan.sheet = scoring.Scoresheet(
        question_scores, area_scores, reader.points(total.get("score"), f"{path}.total.score"), intervals
    )
    if len(reader.problems) > start:
        return plan
    problems = scoring.check(framework, plan.sheet)
    for problem in problems:
        reader.problem(path, str(problem))
    if not problems:
        result = scoring.summarise(framework, plan.sheet)
        _check_derived(reader, total, result.total, f"{path}.total")
        for given, given_path, kind, ref in given_scores:
            score = result.area(ref).score if kind == "area" else next(
                q.score for a in result.areas for q in a.questions if q.question.id == ref
            )
            _check_derived(reader, given, score, given_path)
    return plan


def _read_municipalities(reader: _Reader, items) -> list[dict]:
    rows = []
    for index, item in enumerate(reader.items(items, "municipalities")):
        path = f"municipalities[{index}]"
        item = reader.mapping(item, path, {"code", "name", "country", "short_name", "county"}, {"code", "name", "country"})
        if item is None:
            continue
        if item.get("country") not in Country.values:
            reader.problem(f"{path}.country", _("%(value)r är inget av %(choices)s") % {"value": item.get("country"), "choices": ", ".join(Country.values)})
        try:
            municipality_code_validator(str(item.get("code")))
        except ValidationError:
            reader.problem(f"{path}.code", _("%(value)r är ingen kommunkod med fyra siffror") % {"value": item.get("code")})
        county = item.get("county")
        if county is not None:
            county = reader.mapping(county, f"{path}.county", {"code", "name"}, {"code", "name"})
        rows.append(
            {
                "country": item.get("country"),
                "code": str(item.get("code")),
                "name": reader.text(item.get("name"), f"{path}.name", required=True),
                "short_name": reader.text(item.get("short_name"), f"{path}.short_name"),
                "county": county,
                "path": path,
            }
        )
    return rows


def _read_references(reader: _Reader, items) -> list[dict]:
    rows = []
    keys = {"framework", "area", "value", "from_year", "to_year", "country", "description", "source"}
    for index, item in enumerate(reader.items(items, "benchmark_references")):
        path = f"benchmark_references[{index}]"
        item = reader.mapping(item, path, keys, {"framework", "value", "source"})
        if item is None:
            continue
        try:
            framework = definitions.get(str(item.get("framework")))
        except definitions.CatalogueError as exc:
            reader.problem(f"{path}.framework", str(exc))
            continue
        area_number = item.get("area")
        maximum = framework.max_points
        if area_number is not None:
            area = framework.area(area_number) if isinstance(area_number, int) else None
            if area is None:
                reader.problem(f"{path}.area", _("område %(number)r finns inte i version %(version)s") % {"number": area_number, "version": framework.id})
                continue
            maximum = area.max_points
        value = reader.points(item.get("value"), f"{path}.value")
        if value is not None:
            for problem in scoring.value_problems(value, maximum, f"{path}.value"):
                reader.problem(problem.where, problem.message)
        country = item.get("country") or ""
        if country and country not in Country.values:
            reader.problem(f"{path}.country", _("%(value)r är inget av %(choices)s") % {"value": country, "choices": ", ".join(Country.values)})
        from_year = reader.integer(item.get("from_year"), f"{path}.from_year")
        to_year = reader.integer(item.get("to_year"), f"{path}.to_year")
        if from_year and to_year and to_year < from_year:
            reader.problem(f"{path}.to_year", _("%(to)s ligger före from_year %(from)s") % {"to": to_year, "from": from_year})
        rows.append(
            {
                "framework": framework.id,
                "area": area_number,
                "value": value,
                "from_year": from_year,
                "to_year": to_year,
                "country": country,
                "description": reader.text(item.get("description"), f"{path}.description"),
                "source": reader.text(item.get("source"), f"{path}.source", required=True),
            }
        )
    return rows


def dump_import(document, *, on_existing: str = "refuse") -> ImportReport:
    """Load a dump into the database: all of it, or nothing and a DumpError.

    An evaluation already in the database (same municipality, year and version) is a
    problem (``on_existing="refuse"``), left alone (``"skip"``: the demo data is loaded
    that way, so loading it twice changes nothing), completed with what it lacks
    (``"complete"``: importing reports) or replaced (``"replace"``).
    """
    reader = _Reader()
    if not isinstance(document, dict):
        raise DumpError([_("dokumentet ska vara ett JSON-objekt")])
    reader.mapping(document, "$", {"format", "version", "municipalities", "benchmark_references", "evaluations"}, {"format", "version"})
    if document.get("format") != FORMAT:
        reader.problem("format", _("ska vara %(format)r") % {"format": FORMAT})
    if document.get("version") != VERSION:
        reader.problem("version", _("version %(version)r stöds inte (bara %(supported)s)") % {"version": document.get("version"), "supported": VERSION})
    if reader.problems:
        raise DumpError(reader.problems)

    new_municipalities = _read_municipalities(reader, document.get("municipalities"))
    known = set(Municipality.objects.values_list("country", "code"))
    known |= {(m["country"], m["code"]) for m in new_municipalities}
    references = _read_references(reader, document.get("benchmark_references"))
    plans = []
    seen = {}
    for index, item in enumerate(reader.items(document.get("evaluations"), "evaluations")):
        plan = _read_evaluation(reader, item, f"evaluations[{index}]", known)
        if plan is None:
            continue
        identity = (plan.municipality_key, plan.facts.year, plan.framework.id)
        if identity in seen:
            reader.problem(plan.path, _("samma kommun, år och version som %(other)s") % {"other": seen[identity]})
        seen[identity] = plan.path
        plans.append(plan)

    existing = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        )
    }
    # An evaluation made in the workspace keeps its history; an import cannot replace it.
    with_history = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.filter(audit_entries__isnull=False).values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        ).distinct()
    }
    # A municipality's action plan hangs on the improvement areas; replacing them would drop it.
    with_actions = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.filter(findings__actions__isnull=False).values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        ).distinct()
    }
    report = ImportReport()
    to_create, to_complete = [], []
    for plan in plans:
        identity = (plan.municipality_key, plan.facts.year, plan.framework.id)
        label = f"{plan.municipality_key[1]} {plan.facts.year} ({plan.framework.id})"
        if identity in existing:
            if on_existing == "skip":
                report.skipped.append(label)
                continue
            if on_existing == "complete":
                to_complete.append((plan, label))
                continue
            if on_existing != "replace":
                reader.problem(plan.path, _("utvärderingen %(label)s finns redan i databasen") % {"label": label})
            elif identity in with_history:
                reader.problem(
                    plan.path,
                    _("utvärderingen %(label)s har en historik i arbetsytan och kan inte ersättas; rätta den där") % {"label": label},
                )
            elif identity in with_actions:
                reader.problem(
                    plan.path,
                    _("utvärderingen %(label)s har en handlingsplan med åtgärder och kan inte ersättas") % {"label": label},
                )
        to_create.append((plan, label, identity in existing))
    if reader.problems:
        raise DumpError(reader.problems)

    with transaction.atomic():
        report.municipalities_created = _write_municipalities(new_municipalities)
        report.references_created = _write_references(references)
        for plan, label in to_complete:
            changed, warnings = _complete_evaluation(plan)
            (report.completed if changed else report.skipped).append(label)
            report.warnings += [f"{label}: {w}" for w in warnings]
        for plan, label, replacing in to_create:
            if replacing:
                country, code = plan.municipality_key
                Evaluation.objects.filter(
                    municipality__country=country, municipality__code=code, year=plan.facts.year, framework__code=plan.framework.id
                ).delete()
                report.replaced.append(label)
            else:
                report.created.append(label)
            _write_evaluation(plan)
        _reindex([plan for plan, _label in to_complete] + [plan for plan, _label, _replacing in to_create])
    return report


def _reindex(plans: list[_EvaluationPlan]) -> None:
    """The search index follows every evaluation an import wrote (published ones only)."""
    from kompass.search.services import search_index_evaluation

    for plan in plans:
        country, code = plan.municipality_key
        for evaluation in Evaluation.objects.filter(
            municipality__country=country, municipality__code=code, year=plan.facts.year, framework__code=plan.framework.id
        ):
            search_index_evaluation(evaluation)


def _write_municipalities(rows: list[dict]) -> list[str]:
    created = []
    for row in rows:
        county = None
        if row["county"]:
            county, _c = County.objects.get_or_create(
                country=row["country"], code=row["county"]["code"], defaults={"name": row["county"]["name"]}
            )
        _m, was_created = Municipality.objects.get_or_create(
            country=row["country"],
            code=row["code"],
            defaults={"name": row["name"], "short_name": row["short_name"], "county": county},
        )
        if was_created:
            created.append(f"{row['country']} {row['code']}")
    return created


def _write_references(rows: list[dict]) -> int:
    created = 0
    for row in rows:
        framework = Framework.objects.get(code=row["framework"])
        area = framework.areas.get(number=row["area"]) if row["area"] is not None else None
        values = {**row, "framework": framework, "area": area}
        if not PublishedReference.objects.filter(**values).exists():
            PublishedReference.objects.create(**values)
            created += 1
    return created


def _write_evaluation(plan: _EvaluationPlan) -> Evaluation:
    country, code = plan.municipality_key
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country=country, code=code),
        framework=Framework.objects.get(code=plan.framework.id),
        facts=plan.facts,
    )
    services.scores_set(evaluation=evaluation, sheet=plan.sheet)
    services.evaluators_set(evaluation=evaluation, evaluators=plan.evaluators)
    for number, (general, changes) in plan.area_texts.items():
        if general or changes:
            services.area_texts_set(evaluation=evaluation, area_number=number, general=general, changes=changes)
    for code_, text in plan.question_texts.items():
        if text:
            services.question_text_set(evaluation=evaluation, question_code=code_, text=text)
    for (number, kind), items in plan.findings.items():
        services.findings_set(evaluation=evaluation, area_number=number, kind=kind, items=items)
    return evaluation


def _range(score: scoring.Score) -> tuple[Decimal, Decimal] | None:
    if not score.known:
        return None
    return (score.low, score.high) if score.reconstructed else (score.score, score.score)


def _conflicts(stored: scoring.Result, incoming: scoring.Result) -> list[str]:
    """Scores known to both whose ranges do not meet: the two sources disagree."""
    pairs = [(scoring.total_label(), stored.total, incoming.total)]
    for old_area, new_area in zip(stored.areas, incoming.areas):
        pairs.append((scoring.area_label(old_area.area.number), old_area.score, new_area.score))
        pairs += [
            (scoring.question_label(o.question.id), o.score, n.score) for o, n in zip(old_area.questions, new_area.questions)
        ]
    conflicts = []
    for label, old, new in pairs:
        a, b = _range(old), _range(new)
        if a and b and (a[1] < b[0] or b[1] < a[0]):
            conflicts.append(
                _("%(what)s: %(old)s i databasen, %(new)s i det inlästa; databasens behålls (--replace ersätter)")
                % {"what": label, "old": scoring.format_points(old.score), "new": scoring.format_points(new.score)}
            )
    return conflicts


def _known_count(result: scoring.Result) -> int:
    return sum(q.score.known for a in result.areas for q in a.questions) * 100 + sum(a.score.known for a in result.areas) * 10 + result.total.known


def _complete_evaluation(plan: _EvaluationPlan) -> tuple[bool, list[str]]:
    """Fill in what an existing evaluation lacks: finer scores that agree with its own,
    empty texts and lists, missing facts. Nothing it holds is overwritten."""
    country, code = plan.municipality_key
    evaluation = Evaluation.objects.get(
        municipality__country=country, municipality__code=code, year=plan.facts.year, framework__code=plan.framework.id
    )
    from kompass.evaluations.selectors import evaluation_scoresheet

    stored = scoring.summarise(plan.framework, evaluation_scoresheet(evaluation))
    incoming = scoring.summarise(plan.framework, plan.sheet)
    warnings = _conflicts(stored, incoming)
    changed = False
    if not warnings and _known_count(incoming) > _known_count(stored):
        services.scores_set(evaluation=evaluation, sheet=plan.sheet)
        changed = True
    for name in services.Facts.__dataclass_fields__:
        value = getattr(plan.facts, name)
        if name != "year" and value not in (None, "", (), False) and getattr(evaluation, name) in (None, "", []):
            setattr(evaluation, name, list(value) if name == "sources" else value)
            changed = True
    evaluation.save()
    if plan.evaluators and not evaluation.evaluators.exists():
        services.evaluators_set(evaluation=evaluation, evaluators=plan.evaluators)
        changed = True
    texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    for number, (general, changes) in plan.area_texts.items():
        current = texts.get(number)
        fill_general = general and not (current and current.general_text)
        fill_changes = changes and not (current and current.changes_text)
        if fill_general or fill_changes:
            services.area_texts_set(
                evaluation=evaluation, area_number=number,
                general=general if fill_general else None, changes=changes if fill_changes else None,
            )
            changed = True
    have = set(evaluation.question_assessments.exclude(text="").values_list("question__code", flat=True))
    for question_code, text in plan.question_texts.items():
        if text and question_code not in have:
            services.question_text_set(evaluation=evaluation, question_code=question_code, text=text)
            changed = True
    present = {(f.area.number, f.kind) for f in evaluation.findings.select_related("area")}
    for (number, kind), items in plan.findings.items():
        if (number, kind) not in present:
            services.findings_set(evaluation=evaluation, area_number=number, kind=kind, items=items)
            changed = True
    return changed, warnings

