"""Reconstruction of decimal scores from what a published report prints.

A report prints each score rounded half-up to whole points, often with a percentage of
its maximum. From both follows the interval of two-decimal scores consistent with the
print; sums (area totals, the total) narrow the choice further. This module computes
those intervals and picks a best estimate inside each one so that every printed sum is
reproduced. Plain Python: used by every importer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from kompass.i18n import decimal_text
from kompass.scoring import HUNDREDTH


@dataclass(frozen=True)
class Interval:
    """Closed interval of two-decimal values."""

    low: Decimal
    high: Decimal

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError(f"empty interval [{self.low}, {self.high}]")

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def middle(self) -> Decimal:
        return ((self.low + self.high) / 2).quantize(HUNDREDTH, rounding=ROUND_FLOOR)

    def intersect(self, other: Interval) -> Interval | None:
        low, high = max(self.low, other.low), min(self.high, other.high)
        return Interval(low, high) if low <= high else None

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def _ceil_hundredth(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_CEILING)


def _below_hundredth(value: Decimal) -> Decimal:
    """The largest two-decimal value strictly below ``value``."""
    floor = value.quantize(HUNDREDTH, rounding=ROUND_FLOOR)
    return floor - HUNDREDTH if floor == value else floor


def from_rounded(rounded: int, maximum: Decimal) -> Interval | None:
    """The scores that print as ``rounded`` (half-up), within 0 … maximum."""
    low = max(Decimal(rounded) - Decimal("0.5"), Decimal(0))
    high = min(_below_hundredth(Decimal(rounded) + Decimal("0.5")), maximum)
    return Interval(low, high) if low <= high else None


def from_percent(percent: int, maximum: Decimal) -> Interval | None:
    """The scores whose percentage of ``maximum`` prints as ``percent`` (half-up)."""
    low = max(_ceil_hundredth((Decimal(percent) - Decimal("0.5")) * maximum / 100), Decimal(0))
    high = min(_below_hundredth((Decimal(percent) + Decimal("0.5")) * maximum / 100), maximum)
    return Interval(low, high) if low <= high else None


def from_print(rounded: int | None, percent: int | None, maximum: Decimal) -> Interval | None:
    """The interval both printed values allow; None when they contradict each other."""
    interval = Interval(Decimal(0), maximum)
    for part in (
        from_rounded(rounded, maximum) if rounded is not None else interval,
        from_percent(percent, maximum) if percent is not None else interval,
    ):
        if part is None:
            return None
        interval = interval.intersect(part)
        if interval is None:
            return None
    return interval


def total_interval(parts: list[Interval]) -> Interval:
    total = Interval(Decimal(0), Decimal(0))
    for part in parts:
        total = total + part
    return total


def choose(
    parts: list[Interval], target: Interval, preferred: list[Decimal] | None = None, aim: Decimal | None = None
) -> list[Decimal] | None:
    """Values inside each part whose sum lies inside ``target`` — at ``aim`` (a printed
    sum) where it can — as close as possible to the preferred values (the printed ones,
    or the middles); None when impossible.

    The shortfall or excess is spread over the parts in proportion to the room each has,
    in hundredths, so no part is pushed further than it must be.
    """
    reachable = total_interval(parts).intersect(target)
    if reachable is None:
        return None
    values = [
        min(max(p, part.low), part.high) for p, part in zip(preferred or [part.middle for part in parts], parts)
    ]
    current = sum(values, Decimal(0))
    goal = min(max(current if aim is None else aim, reachable.low), reachable.high)
    step = 1 if goal > current else -1
    remaining = int((abs(goal - current) / HUNDREDTH).to_integral_value())
    while remaining:
        rooms = [int(((part.high - v) if step > 0 else (v - part.low)) / HUNDREDTH) for v, part in zip(values, parts)]
        total_room = sum(rooms)
        moved = 0
        for index, room in enumerate(rooms):
            if not room:
                continue
            share = min(room, remaining - moved, max(1, math.floor(remaining * room / total_room)))
            values[index] += step * share * HUNDREDTH
            moved += share
            if moved == remaining:
                break
        remaining -= moved
    return values


# --- a whole evaluation ----------------------------------------------------------------

Key = tuple  # ("question", "1.1"), ("area", 1) or ("total",)


@dataclass
class PrintedScore:
    rounded: int | None = None
    percent: int | None = None
    value: Decimal | None = None  # given with decimals: exact, nothing to reconstruct
    where: str = ""  # where it stands in the source (page or line), for messages


@dataclass
class Printed:
    """The scores of one evaluation as a report or a table prints them."""

    questions: dict[str, PrintedScore]
    areas: dict[int, PrintedScore]
    total: PrintedScore | None = None


@dataclass
class Reconstruction:
    questions: dict[str, Decimal]
    areas: dict[int, Decimal]
    total: Decimal | None
    intervals: dict[Key, Interval]  # only where the print leaves room
    problems: list[str]  # contradictions: the evaluation cannot be saved
    notes: list[str]  # differences that rounding explains: accepted, and said


def _label(key: Key) -> str:
    from kompass.scoring import area_label, question_label, total_label

    return {"question": lambda: question_label(key[1]), "area": lambda: area_label(key[1]), "total": total_label}[key[0]]()


def _where(printed: PrintedScore | None) -> str:
    return f" ({printed.where})" if printed is not None and printed.where else ""


def _fmt(value: Decimal) -> str:
    return decimal_text(f"{value:.2f}")


def _interval_of(printed: PrintedScore, maximum: Decimal) -> Interval | None:
    if printed.value is not None:
        return exact(printed.value) if 0 <= printed.value <= maximum else None
    return from_print(printed.rounded, printed.percent, maximum)


def _preferred(printed: PrintedScore | None, interval: Interval) -> Decimal:
    if printed is not None and printed.value is not None:
        return printed.value
    if printed is not None and printed.rounded is not None:
        return min(max(Decimal(printed.rounded), interval.low), interval.high)
    return interval.middle


def reconstruct(framework, printed: Printed) -> Reconstruction:
    """Estimates inside the printed intervals that reproduce every printed sum."""
    from kompass.i18n import _

    problems: list[str] = []
    notes: list[str] = []
    intervals: dict[Key, Interval] = {}

    for qid, score in printed.questions.items():
        question = framework.question(qid)
        if question is None:
            problems.append(_("%(what)s%(where)s: finns inte i version %(version)s") % {"what": _label(("question", qid)), "where": _where(score), "version": framework.id})
            continue
        interval = _interval_of(score, question.max_points)
        if interval is None:
            problems.append(
                _("%(what)s%(where)s: %(rounded)s poäng och %(percent)s %% av %(max)s går inte ihop")
                % {"what": _label(("question", qid)), "where": _where(score), "rounded": score.rounded, "percent": score.percent, "max": question.max_points}
                if score.value is None else
                _("%(what)s%(where)s: %(value)s ligger utanför 0–%(max)s") % {"what": _label(("question", qid)), "where": _where(score), "value": score.value, "max": question.max_points}
            )
            continue
        intervals[("question", qid)] = interval

    area_feasible: dict[int, Interval] = {}
    complete: set[int] = set()
    for area in framework.areas:
        key = ("area", area.number)
        score = printed.areas.get(area.number)
        own = _interval_of(score, area.max_points) if score is not None else None
        if score is not None and own is None:
            problems.append(_("%(what)s%(where)s: de tryckta värdena går inte ihop") % {"what": _label(key), "where": _where(score)})
            continue
        parts = [intervals.get(("question", q.id)) for q in area.questions]
        if area.questions and all(parts):
            complete.add(area.number)
            sum_interval = total_interval(parts)
            feasible = sum_interval.intersect(own) if own else sum_interval
            if feasible is None:
                problems.append(
                    _("%(what)s%(where)s: delfrågorna ger %(low)s–%(high)s, men området visar %(shown)s")
                    % {"what": _label(key), "where": _where(score), "low": _fmt(sum_interval.low), "high": _fmt(sum_interval.high), "shown": score.rounded if score.value is None else score.value}
                )
                continue
            rows = [printed.questions[q.id] for q in area.questions]
            if score is not None and score.rounded is not None and all(r.rounded is not None for r in rows):
                rounded_sum = sum(r.rounded for r in rows)
                if rounded_sum != score.rounded:
                    notes.append(
                        _("%(what)s%(where)s: delfrågornas avrundade poäng summerar till %(sum)s och området visar %(shown)s; skillnaden förklaras av avrundning")
                        % {"what": _label(key), "where": _where(score), "sum": rounded_sum, "shown": score.rounded}
                    )
            area_feasible[area.number] = feasible
        elif own is not None:
            area_feasible[area.number] = own
            intervals[key] = own

    total_printed = printed.total
    total_own = _interval_of(total_printed, framework.max_points) if total_printed is not None else None
    if total_printed is not None and total_own is None:
        problems.append(_("%(what)s%(where)s: värdet ligger utanför 0–%(max)s") % {"what": _label(("total",)), "where": _where(total_printed), "max": framework.max_points})
    if problems:
        return Reconstruction({}, {}, None, intervals, problems, notes)

    areas_known = [a.number for a in framework.areas if a.number in area_feasible]
    all_areas = len(areas_known) == len(framework.areas)
    target = None
    if all_areas:
        sum_interval = total_interval([area_feasible[n] for n in areas_known])
        target = sum_interval.intersect(total_own) if total_own else sum_interval
        if target is None:
            return Reconstruction({}, {}, None, intervals, [
                _("%(what)s%(where)s: områdena ger %(low)s–%(high)s, men totalen är %(shown)s")
                % {"what": _label(("total",)), "where": _where(total_printed), "low": _fmt(sum_interval.low), "high": _fmt(sum_interval.high), "shown": total_printed.rounded if total_printed.value is None else total_printed.value}
            ], notes)
        shown = [printed.areas[n].rounded for n in areas_known if n in printed.areas]
        if total_printed is not None and total_printed.rounded is not None and len(shown) == len(areas_known) and None not in shown and sum(shown) != total_printed.rounded:
            notes.append(
                _("%(what)s%(where)s: områdenas avrundade poäng summerar till %(sum)s och totalen är %(shown)s; skillnaden förklaras av avrundning")
                % {"what": _label(("total",)), "where": _where(total_printed), "sum": sum(shown), "shown": total_printed.rounded}
            )
    elif total_own is not None:
        known = total_interval([area_feasible[n] for n in areas_known])
        missing = sum((a.max_points for a in framework.areas if a.number not in area_feasible), Decimal(0))
        if known.low > total_own.high or known.high + missing < total_own.low:
            return Reconstruction({}, {}, None, intervals, [
                _("%(what)s%(where)s: de kända områdena ger %(low)s–%(high)s och de saknade högst %(missing)s, vilket inte går ihop med totalen %(shown)s")
                % {"what": _label(("total",)), "where": _where(total_printed), "low": _fmt(known.low), "high": _fmt(known.high), "missing": missing, "shown": total_printed.rounded}
            ], notes)

    aim = None
    if all_areas and total_printed is not None:
        aim = total_printed.value if total_printed.value is not None else Decimal(total_printed.rounded)
    chosen = choose(
        [area_feasible[n] for n in areas_known],
        target or total_interval([area_feasible[n] for n in areas_known]),
        [_preferred(printed.areas.get(n), area_feasible[n]) for n in areas_known],
        aim,
    )
    area_values = dict(zip(areas_known, chosen))
    questions: dict[str, Decimal] = {}
    areas: dict[int, Decimal] = {}
    for number, value in area_values.items():
        if number in complete:
            area = framework.area(number)
            parts = [intervals[("question", q.id)] for q in area.questions]
            values = choose(parts, exact(value), [_preferred(printed.questions[q.id], p) for q, p in zip(area.questions, parts)])
            questions.update({q.id: v for q, v in zip(area.questions, values)})
        else:
            areas[number] = value
    # Questions of incomplete areas keep their own estimates.
    for qid, score in printed.questions.items():
        if qid not in questions and ("question", qid) in intervals:
            questions[qid] = _preferred(score, intervals[("question", qid)])
    total = None
    if not all_areas and total_printed is not None:
        total = total_printed.value if total_printed.value is not None else Decimal(total_printed.rounded)
        if total_printed.value is None:
            intervals[("total",)] = total_own
    intervals = {k: v for k, v in intervals.items() if not v.exact}
    return Reconstruction(questions, areas, total, intervals, [], notes)
