"""Reading a dump: the JSON parsed and every part checked against the catalogue, the
scoring rules and itself, with every problem named by its place in the document. Nothing
here writes; ``kompass.dump.importing`` writes what was read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.catalogue import definitions
from kompass.dump import FORMAT, VERSION
from kompass.dump.values import ValueReader
from kompass.evaluations import services
from kompass.evaluations.documents import FINDING_LISTS, points_document
from kompass.evaluations.models import STATUS_ALIASES, Status
from kompass.municipalities.models import Country, municipality_code_validator

MAX_PROBLEMS = 50


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
class EvaluationPlan:
    path: str
    municipality_key: tuple[str, str]
    framework: definitions.Framework
    facts: services.Facts
    sheet: scoring.Scoresheet
    evaluators: list[tuple[str, str]] = field(default_factory=list)
    area_texts: dict[int, tuple[str, str]] = field(default_factory=dict)
    question_texts: dict[str, str] = field(default_factory=dict)
    findings: dict[tuple[int, str], list[tuple[str, str | None]]] = field(default_factory=dict)


SCORE_KEYS = {"score", "rounded", "max", "percent", "interval"}
EVALUATION_KEYS = {
    "municipality", "year", "framework", "status", "total", "areas", "ordinal", "month", "visit_start", "visit_end",
    "interviewees", "interviewees_approximate", "sources", "publisher", "data_source", "evaluators", "texts",
}
AREA_KEYS = {"number", "title", "questions", "texts", *SCORE_KEYS, *FINDING_LISTS}


def _check_derived(reader: ValueReader, given: dict, score: scoring.Score, path: str) -> None:
    """Derived values in a document, where present, must be what the scores give."""
    expected = points_document(score)
    for key in ("rounded", "max", "percent"):
        if key in given and given[key] != expected[key]:
            reader.problem(f"{path}.{key}", _("%(given)r stämmer inte med poängen (ska vara %(expected)r)") % {"given": given[key], "expected": expected[key]})


def _read_evaluation(reader: ValueReader, data, path: str, known_municipalities: set[tuple[str, str]]) -> EvaluationPlan | None:
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

    plan = EvaluationPlan(path, key, framework, facts, scoring.Scoresheet(), evaluators)
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


def _read_municipalities(reader: ValueReader, items) -> list[dict]:
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


def _read_references(reader: ValueReader, items) -> list[dict]:
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


@dataclass
class DumpContents:
    """A dump as read: what it would write, and every problem found so far."""

    municipalities: list[dict]
    references: list[dict]
    plans: list[EvaluationPlan]
    problems: list[str]

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")


def dump_read(document, *, municipalities_known: set[tuple[str, str]]) -> DumpContents:
    """Every part of a dump read and checked; DumpError at once when it is not a dump of
    this format and version. ``municipalities_known``: (country, code) already stored."""
    reader = ValueReader()
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
    known = municipalities_known | {(m["country"], m["code"]) for m in new_municipalities}
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
    return DumpContents(new_municipalities, references, plans, reader.problems)
