"""Scores and everything derived from them, computed in this one place.

Scores are ``Decimal`` with at most two decimals. An evaluation records scores per
sub-question, per area (where the sub-questions do not give the area's score) or as a
total (where the areas do not give it). Area totals are the sum of the unrounded
sub-question scores, the total the sum of the areas; percentages come from unrounded
values; display rounds half-up to whole points (the seed prints 10.5 as 11, which
Python's half-even ``round`` gets wrong).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kompass.catalogue.definitions import Area, Framework, Question
from kompass.i18n import _, decimal_text

HUNDREDTH = Decimal("0.01")


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(score: Decimal, maximum: Decimal) -> int:
    return round_half_up(score * 100 / maximum)


def format_points(value: Decimal | None) -> str | None:
    """Points as a decimal string with two decimals ("10.50"), None stays None."""
    return None if value is None else str(value.quantize(HUNDREDTH))


def points_text(value: Decimal | None) -> str:
    """Points as a person reads them in Swedish: "12", "12,5", "12,25"; None is "–".
    Exact (never rounded), only the trailing zeros of the decimals dropped."""
    if value is None:
        return "–"
    text = format(value.quantize(HUNDREDTH), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return decimal_text(text).replace("-", "\u2212")


def parse_points(value) -> Decimal:
    """Read points from text or a number; ValueError with a Swedish message if it is none."""
    if isinstance(value, bool) or value is None:
        raise ValueError(_("%(value)r är inget tal") % {"value": value})
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", ".").replace("\u2212", "-")
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(value)r är inget tal") % {"value": value}) from None
    if not points.is_finite():
        raise ValueError(_("%(value)r är inget tal") % {"value": value})
    return points


@dataclass(frozen=True)
class Problem:
    """One contradiction or invalid value, with where it stands."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Score:
    score: Decimal | None
    max: Decimal
    derived: bool = False
    low: Decimal | None = None  # the interval a reconstructed score lies in; None: exact
    high: Decimal | None = None

    @property
    def reconstructed(self) -> bool:
        return self.low is not None

    @property
    def known(self) -> bool:
        return self.score is not None

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else round_half_up(self.score)

    @property
    def percent(self) -> int | None:
        return None if self.score is None else percent(self.score, self.max)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    score: Score


@dataclass(frozen=True)
class AreaResult:
    area: Area
    score: Score
    questions: tuple[QuestionResult, ...]


@dataclass(frozen=True)
class Result:
    framework: Framework
    total: Score
    areas: tuple[AreaResult, ...]

    @property
    def has_question_scores(self) -> bool:
        return any(q.score.known for a in self.areas for q in a.questions)

    def area(self, number: int) -> AreaResult | None:
        return next((a for a in self.areas if a.area.number == number), None)


@dataclass(frozen=True)
class Scoresheet:
    """What an evaluation records: the inputs every derived number comes from."""

    questions: Mapping[str, Decimal] = field(default_factory=dict)
    areas: Mapping[int, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    # Reconstructed scores: (low, high) by ("question", "1.1"), ("area", 1) or ("total",).
    intervals: Mapping[tuple, tuple[Decimal, Decimal]] = field(default_factory=dict)


def _sum_if_complete(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum(values, Decimal(0))


def summarise(framework: Framework, sheet: Scoresheet) -> Result:
    """Every score of an evaluation, derived where derivable, recorded otherwise.

    Assumes ``check(framework, sheet)`` found no problem.
    """
    def recorded(value, maximum, key) -> Score:
        low, high = sheet.intervals.get(key, (None, None))
        return Score(value, maximum, low=low, high=high)

    def derived(parts: list[Score], maximum) -> Score | None:
        value = _sum_if_complete([p.score for p in parts])
        if value is None:
            return None
        if not any(p.reconstructed for p in parts):
            return Score(value, maximum, derived=True)
        # A sum of reconstructed scores lies in the sum of their intervals.
        low = sum((p.low if p.reconstructed else p.score for p in parts), Decimal(0))
        high = sum((p.high if p.reconstructed else p.score for p in parts), Decimal(0))
        return Score(value, maximum, derived=True, low=low, high=high)

    areas = []
    for area in framework.areas:
        questions = tuple(
            QuestionResult(q, recorded(sheet.questions.get(q.id), q.max_points, ("question", q.id))) for q in area.questions
        )
        score = derived([q.score for q in questions], area.max_points) or recorded(
            sheet.areas.get(area.number), area.max_points, ("area", area.number)
        )
        areas.append(AreaResult(area, score, questions))
    total = derived([a.score for a in areas], framework.max_points) or recorded(sheet.total, framework.max_points, ("total",))
    return Result(framework, total, tuple(areas))


def not_a_number() -> str:
    return _("skriv poängen som ett tal, till exempel 12 eller 12,5")


def value_problems(value, maximum: Decimal, where: str) -> list[Problem]:
    """What is wrong with a score, said so that one can put it right, with Swedish
    numbers ("poängen kan vara högst 12,5"): for forms, importers and the command line."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return [Problem(where, not_a_number())]
    if value.as_tuple().exponent < -2 and value != value.quantize(HUNDREDTH):
        return [Problem(where, _("poängen kan ha högst två decimaler, till exempel 12,25"))]
    if value < 0:
        return [Problem(where, _("poängen kan inte vara lägre än 0"))]
    if value > maximum:
        return [Problem(where, _("poängen kan vara högst %(max)s") % {"max": points_text(maximum)})]
    return []


def _bounds_problem(recorded: Decimal, known: list[Decimal], missing_max: Decimal, where: str, parts: str) -> Problem | None:
    """A recorded sum must lie between the known parts and the known parts plus what is missing."""
    low = sum(known, Decimal(0))
    if missing_max == 0:
        if recorded != low:
            return Problem(
                where,
                _("poängen %(value)s motsäger %(parts)s summa %(sum)s")
                % {"value": points_text(recorded), "parts": parts, "sum": points_text(low)},
            )
        return None
    high = low + missing_max
    if not low <= recorded <= high:
        return Problem(
            where,
            _("poängen %(value)s motsäger %(parts)s: de kända ger %(low)s, med de saknade högst %(high)s")
            % {"value": points_text(recorded), "parts": parts, "low": points_text(low), "high": points_text(high)},
        )
    return None


def area_label(number) -> str:
    return _("område %(number)s") % {"number": number}


def question_label(question_id) -> str:
    return _("delfråga %(id)s") % {"id": question_id}


def total_label() -> str:
    return _("totalpoäng")


def _interval_problems(framework: Framework, sheet: Scoresheet) -> list[Problem]:
    """An interval belongs to a recorded score and holds it, within 0 … max."""
    problems = []
    for key, (low, high) in sheet.intervals.items():
        kind = key[0] if key else None
        if kind == "question" and key[1] in sheet.questions and framework.question(key[1]):
            where, value, maximum = question_label(key[1]), sheet.questions[key[1]], framework.question(key[1]).max_points
        elif kind == "area" and key[1] in sheet.areas and framework.area(key[1]):
            where, value, maximum = area_label(key[1]), sheet.areas[key[1]], framework.area(key[1]).max_points
        elif kind == "total" and sheet.total is not None:
            where, value, maximum = total_label(), sheet.total, framework.max_points
        else:
            problems.append(Problem(str(key), _("intervall utan registrerad poäng")))
            continue
        bad = value_problems(low, maximum, where) or value_problems(high, maximum, where)
        if bad:
            problems += bad
        elif not low <= value <= high:
            problems.append(
                Problem(where, _("poängen %(value)s ligger utanför intervallet %(low)s–%(high)s") % {"value": points_text(value), "low": points_text(low), "high": points_text(high)})
            )
    return problems


def check(framework: Framework, sheet: Scoresheet) -> list[Problem]:
    """Every problem of a scoresheet against its framework; an empty list means valid."""
    problems: list[Problem] = []
    for qid, value in sheet.questions.items():
        question = framework.question(qid)
        if question is None:
            problems.append(Problem(question_label(qid), _("finns inte i version %(version)s") % {"version": framework.id}))
        else:
            problems += value_problems(value, question.max_points, question_label(qid))
    for number, value in sheet.areas.items():
        area = framework.area(number) if isinstance(number, int) else None
        if area is None:
            problems.append(Problem(area_label(number), _("finns inte i version %(version)s") % {"version": framework.id}))
        else:
            problems += value_problems(value, area.max_points, area_label(number))
    if sheet.total is not None:
        problems += value_problems(sheet.total, framework.max_points, total_label())
    problems += _interval_problems(framework, sheet)
    if problems:
        return problems

    area_scores: list[tuple[Area, Decimal | None]] = []
    for area in framework.areas:
        known = [sheet.questions[q.id] for q in area.questions if q.id in sheet.questions]
        missing = sum((q.max_points for q in area.questions if q.id not in sheet.questions), Decimal(0))
        recorded = sheet.areas.get(area.number)
        if recorded is not None and known:
            problem = _bounds_problem(recorded, known, missing, area_label(area.number), _("delfrågornas"))
            if problem:
                problems.append(problem)
        complete = bool(area.questions) and missing == 0
        area_scores.append((area, sum(known, Decimal(0)) if complete else recorded))

    if sheet.total is not None:
        known = [score for _area, score in area_scores if score is not None]
        missing = sum((area.max_points for area, score in area_scores if score is None), Decimal(0))
        if known:
            problem = _bounds_problem(sheet.total, known, missing, total_label(), _("områdenas"))
            if problem:
                problems.append(problem)
    return problems
