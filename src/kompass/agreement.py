"""Agreement between evaluators who independently score the sub-questions of one evaluation.

Each *unit* is one sub-question; it holds the scores the evaluators (coders) gave it,
``None`` where an evaluator gave no score. Following Krippendorff, a unit with fewer
than two scores cannot be paired and is ignored; the remaining values are the
*pairable values*. All arithmetic is exact (``fractions.Fraction``); results are
``Decimal``, rounded half-up (``decimal.ROUND_HALF_UP``): alpha to four decimals,
the mean absolute difference to two.

Mean absolute difference (MAD)
    For each pairable unit, the mean of |a - b| over all unordered pairs of its scores
    (one pair for two evaluators, three for three); then the plain mean of those
    per-unit means over the pairable units, so every sub-question weighs the same
    however many evaluators scored it.

Krippendorff's alpha, interval metric (coincidence-matrix formulation)
    m_u   = number of scores in pairable unit u
    n     = sum of m_u over the pairable units (number of pairable values)
    D_o   = (1/n) * sum over units u of
                (1/(m_u - 1)) * sum over ordered pairs i != j within u of (v_i - v_j)^2
    D_e   = (1/(n(n - 1))) * sum over ordered pairs i != j of all n pairable values
                of (v_i - v_j)^2
    alpha = 1 - D_o / D_e

    alpha is undefined (None) when there are no pairable values or when D_e = 0, i.e.
    all pairable values are equal. Both sums over ordered pairs are computed in linear
    time with the identity
        sum over ordered pairs i != j of (v_i - v_j)^2 = 2 * (m * sum(v^2) - (sum v)^2)
    for m values v.

Reference: Klaus Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
Annenberg School for Communication, University of Pennsylvania,
https://repository.upenn.edu/asc_papers/43 . Its worked example (4 coders, 12 units,
missing values) gives alpha = 0.849 for interval data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

__all__ = ["Agreement", "agreement", "divergent"]

ALPHA_PLACES = 4
MAD_PLACES = 2


@dataclass(frozen=True)
class Agreement:
    """Agreement over one evaluation's sub-questions.

    ``units``: sub-questions with at least two scores (pairable units).
    ``mean_absolute_difference``: mean over pairable units of the mean |a - b| over the
    unit's unordered pairs of scores, two decimals; None when there are no pairs.
    ``alpha``: Krippendorff's alpha (interval metric), four decimals; None when undefined.
    """

    units: int
    mean_absolute_difference: Decimal | None
    alpha: Decimal | None


def _exact(value) -> Fraction:
    """A score as an exact fraction; floats are refused, they are not exact scores."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"a score must be a Decimal (or int) or None, not {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"a score must be a finite number, not {value}")
    return Fraction(value)


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half-up (away from zero at .5) to ``places`` decimals, exactly.

    Truncating towards zero to one more decimal keeps the digit that decides the rounding
    and drops only what cannot change it, so ROUND_HALF_UP on the truncation is exact.
    """
    truncated = int(value * 10 ** (places + 1))  # int() truncates towards zero
    with localcontext() as context:
        context.prec = max(28, len(str(abs(truncated))) + 2)
        return Decimal(f"{truncated}E-{places + 1}").quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )


def _sum_of_ordered_squared_differences(count: int, total: Fraction, squares: Fraction) -> Fraction:
    """Sum over ordered pairs i != j of (v_i - v_j)^2, from count, sum and sum of squares."""
    return 2 * (count * squares - total * total)


def _sum_of_pairwise_absolute_differences(values: list[Fraction]) -> Fraction:
    """Sum over unordered pairs of |a - b|: in sorted order value k is the larger one of k
    pairs and the smaller one of (m - 1 - k)."""
    m = len(values)
    return sum(
        (value * (2 * k - m + 1) for k, value in enumerate(sorted(values))),
        start=Fraction(0),
    )


def agreement(units: Iterable[Sequence[Decimal | None]]) -> Agreement:
    """Agreement between the evaluators over ``units``, one sequence of scores per
    sub-question (``None`` where an evaluator gave none); see the module docstring."""
    pairable = 0
    n = 0
    total = Fraction(0)
    squares = Fraction(0)
    observed = Fraction(0)  # sum over units of (1/(m_u - 1)) * ordered-pair sum in u
    mad_sum = Fraction(0)  # sum over units of the unit's mean |a - b|
    for unit in units:
        values = [_exact(score) for score in unit if score is not None]
        m = len(values)
        if m < 2:
            continue
        pairable += 1
        unit_total = sum(values, start=Fraction(0))
        unit_squares = sum((v * v for v in values), start=Fraction(0))
        observed += _sum_of_ordered_squared_differences(m, unit_total, unit_squares) / (m - 1)
        mad_sum += _sum_of_pairwise_absolute_differences(values) / (m * (m - 1) // 2)
        n += m
        total += unit_total
        squares += unit_squares

    if pairable == 0:
        return Agreement(units=0, mean_absolute_difference=None, alpha=None)

    mad = _round_half_up(mad_sum / pairable, MAD_PLACES)
    expected_sum = _sum_of_ordered_squared_differences(n, total, squares)
    if expected_sum == 0:
        return Agreement(units=pairable, mean_absolute_difference=mad, alpha=None)
    d_o = observed / n
    d_e = expected_sum / (n * (n - 1))
    return Agreement(
        units=pairable,
        mean_absolute_difference=mad,
        alpha=_round_half_up(1 - d_o / d_e, ALPHA_PLACES),
    )


def divergent(scores: Sequence[Decimal | None], maximum: Decimal) -> bool:
    """True when the largest difference between two of the given scores is more than
    10 % of the question's ``maximum`` (exactly 10 % is not divergent); None is ignored."""
    values = [_exact(score) for score in scores if score is not None]
    if len(values) < 2:
        return False
    return max(values) - min(values) > _exact(maximum) / 10
