"""The municipality's self-assessment against the evaluators' scores: the gap.

Plain Python: ``gaps`` computes everything from a framework definition and two mappings
of unit key to score (``kompass.workspace.gaps`` reads those from the database). A unit is a
sub-question, or an area where the version has no sub-questions (``kompass.workspace.units``):
in an area-level version each area is its own single compared unit.

- Per sub-question: the self-score, the evaluators' (consensus) score, the gap
  self − evaluators (``Decimal``, exact) and the gap as a share of the sub-question's
  maximum. Only sub-questions with both values count anywhere.
- Per area: the sums of both over its sub-questions that have both values, how many
  those are, the gap of the sums and its share of their maxima.
- Sorted by the largest absolute gap in points (areas and sub-questions alike); ties by
  the larger absolute share, then in catalogue order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kompass.i18n import decimal_text
from kompass.catalogue import definitions
from kompass.catalogue.translations import text_of
from kompass.workspace.units import units

HUNDRED = Decimal(100)


def _percent(value: Decimal) -> Decimal:
    """A share (0.1666…) as percent with one decimal, rounded half-up: for display."""
    return (value * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def signed_percent(value: Decimal | None) -> str:
    """A share as signed percent in Swedish: "+16,7 %", "−5,0 %", "±0 %"."""
    if value is None:
        return "–"
    shown = _percent(value)
    if shown == 0:
        return "±0 %"
    return decimal_text(f"{'+' if shown > 0 else '−'}{abs(shown)} %")


@dataclass(frozen=True)
class QuestionGap:
    code: str
    text: str
    area_number: int
    max_points: Decimal
    self_score: Decimal
    evaluators: Decimal
    comment: str = ""

    @property
    def gap(self) -> Decimal:
        return self.self_score - self.evaluators

    @property
    def share(self) -> Decimal:
        """The gap as a share of the sub-question's maximum (−1 … 1)."""
        return self.gap / self.max_points

    @property
    def share_text(self) -> str:
        return signed_percent(self.share)


class _Compared:
    """Sums over ``questions``, the compared sub-questions (both values known)."""

    questions: tuple[QuestionGap, ...]

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def self_sum(self) -> Decimal:
        return sum((q.self_score for q in self.questions), Decimal(0))

    @property
    def evaluators_sum(self) -> Decimal:
        return sum((q.evaluators for q in self.questions), Decimal(0))

    @property
    def gap(self) -> Decimal:
        return self.self_sum - self.evaluators_sum


@dataclass(frozen=True)
class AreaGap(_Compared):
    number: int
    title: str
    questions: tuple[QuestionGap, ...]  # the compared sub-questions, largest gap first
    of: int  # sub-questions in the area

    @property
    def max_sum(self) -> Decimal:
        return sum((q.max_points for q in self.questions), Decimal(0))

    @property
    def share(self) -> Decimal | None:
        return self.gap / self.max_sum if self.max_sum else None

    @property
    def share_text(self) -> str:
        return signed_percent(self.share)

    @property
    def self_percent(self) -> Decimal | None:
        """The self-assessed sum as percent of the compared sub-questions' maxima."""
        return self.self_sum * HUNDRED / self.max_sum if self.max_sum else None

    @property
    def evaluators_percent(self) -> Decimal | None:
        return self.evaluators_sum * HUNDRED / self.max_sum if self.max_sum else None


@dataclass(frozen=True)
class Gaps(_Compared):
    framework: definitions.Framework
    areas: tuple[AreaGap, ...]  # areas with at least one compared sub-question, largest gap first
    questions: tuple[QuestionGap, ...]  # every compared sub-question, largest gap first
    self_only: tuple[str, ...] = ()  # self-scored, but without the evaluators' score
    not_self_scored: tuple[str, ...] = ()  # sub-questions without a self-score

    @property
    def area_level(self) -> bool:
        """Whether the version is scored per area (no sub-questions at all)."""
        return not self.framework.has_questions

    @property
    def units_total(self) -> int:
        return len(units(self.framework))

    @property
    def uncompared_areas(self) -> list[definitions.Area]:
        compared = {a.number for a in self.areas}
        return [a for a in self.framework.areas if a.number not in compared]


def _order(item, position: int):
    share = item.share if item.share is not None else Decimal(0)
    return (-abs(item.gap), -abs(share), position)


def gaps(
    framework: definitions.Framework,
    self_scores: Mapping[str, Decimal | None],
    evaluator_scores: Mapping[str, Decimal | None],
    comments: Mapping[str, str] | None = None,
) -> Gaps:
    """The gaps of one evaluation: ``self_scores`` and ``evaluator_scores`` map a unit's
    key (a sub-question's code, or an area's number as text where the area has no
    sub-questions) to its score (missing or None: not given)."""
    comments = comments or {}
    every = units(framework)
    positions = {u.key: i for i, u in enumerate(every)}
    compared: list[QuestionGap] = []
    areas: list[AreaGap] = []
    for area in framework.areas:
        rows = []
        of_area = [u for u in every if u.area_number == area.number]
        for unit in of_area:
            own, theirs = self_scores.get(unit.key), evaluator_scores.get(unit.key)
            if own is None or theirs is None:
                continue
            question = None if unit.is_area else framework.question(unit.key)
            text = (text_of(question, "short") if question.short else text_of(question, "text")) if question is not None else text_of(area, "title")
            rows.append(QuestionGap(unit.key, text, area.number, unit.max_points, own, theirs, comments.get(unit.key, "")))
        rows.sort(key=lambda q: _order(q, positions[q.code]))
        compared += rows
        if rows:
            areas.append(AreaGap(area.number, text_of(area, "title"), tuple(rows), len(of_area)))
    compared.sort(key=lambda q: _order(q, positions[q.code]))
    areas.sort(key=lambda a: _order(a, a.number))
    return Gaps(
        framework=framework,
        areas=tuple(areas),
        questions=tuple(compared),
        self_only=tuple(u.key for u in every if self_scores.get(u.key) is not None and evaluator_scores.get(u.key) is None),
        not_self_scored=tuple(u.key for u in every if self_scores.get(u.key) is None),
    )
