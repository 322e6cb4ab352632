"""kompass.agreement: inter-rater agreement, checked against the PyPI package
``krippendorff`` as an independent oracle and against hand-computed cases."""

import itertools
import math
import warnings
from decimal import Decimal
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompass.agreement import Agreement, agreement, divergent

D = Decimal

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four coders
# (rows) by twelve units (columns), None where a coder gave no value. Published alphas:
# nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def as_units(coders):
    """Coder-major rows (the oracle's layout) to unit-major Decimal scores (ours)."""
    return [[None if v is None else D(str(v)) for v in unit] for unit in zip(*coders)]


def oracle_alpha(coders) -> float:
    data = [[np.nan if v is None else float(v) for v in row] for row in coders]
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="interval"))


def brute_force_mad(units) -> Fraction | None:
    """Mean over pairable units of the mean |a - b| over the unit's unordered pairs."""
    means = []
    for unit in units:
        values = [Fraction(v) for v in unit if v is not None]
        pairs = list(itertools.combinations(values, 2))
        if pairs:
            means.append(sum(abs(a - b) for a, b in pairs) / len(pairs))
    return sum(means) / len(means) if means else None


def assert_matches_oracle(ours: Decimal, expected: float) -> None:
    # ours is rounded to four decimals; the oracle is a float
    assert abs(float(ours) - expected) <= 0.00005 + 1e-9, (ours, expected)


def test_krippendorff_2011_example_interval_alpha():
    result = agreement(as_units(KRIPPENDORFF_2011))
    assert result.units == 11  # the last unit has one value only
    assert result.alpha.quantize(D("0.001")) == D("0.849")  # the published value
    assert_matches_oracle(result.alpha, oracle_alpha(KRIPPENDORFF_2011))
    assert result.alpha == D("0.8491")  # 0.849107142857... = 1 - D_o/D_e exactly


def test_krippendorff_2011_example_mad():
    units = as_units(KRIPPENDORFF_2011)
    result = agreement(units)
    # units 6 (1,2,3,4: pairs 1,2,3,1,2,1 -> 10/6) and 8 (1,1,2,1: 0,1,0,1,0,1 -> 3/6)
    # and 2 (2,2,3,2: 3/6) disagree; 11 units in all: (10/6 + 3/6 + 3/6) / 11 = 16/66
    assert brute_force_mad(units) == Fraction(16, 66)
    assert result.mean_absolute_difference == D("0.24")


coders_data = st.integers(min_value=2, max_value=3).flatmap(
    lambda coders: st.lists(
        st.lists(
            st.one_of(st.none(), st.integers(min_value=0, max_value=20).map(lambda half: D(half) / 2)),
            min_size=coders,
            max_size=coders,
        ),
        min_size=5,
        max_size=45,
    )
)


@settings(max_examples=300, deadline=None)
@given(coders_data)
def test_alpha_and_mad_match_independent_computations(units):
    result = agreement(units)
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [values for values in pairable if len(values) >= 2]
    assert result.units == len(pairable)

    mad = brute_force_mad(units)
    if mad is None:
        assert result.mean_absolute_difference is None
    else:
        assert abs(Fraction(result.mean_absolute_difference) - mad) <= Fraction(1, 200)
        assert result.mean_absolute_difference.as_tuple().exponent == -2

    coders = [list(row) for row in zip(*units)]
    if not pairable:
        assert result.alpha is None
        with pytest.raises(ValueError):
            oracle_alpha(coders)
    elif len({v for values in pairable for v in values}) == 1:
        # zero expected disagreement: undefined for us, 0/0 for the oracle (or it refuses
        # a one-value domain when the unpaired values agree too)
        assert result.alpha is None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                assert math.isnan(oracle_alpha(coders))
            except ValueError:
                pass
    else:
        assert result.alpha.as_tuple().exponent == -4
        assert_matches_oracle(result.alpha, oracle_alpha(coders))


def test_perfect_agreement():
    result = agreement([[D("3"), D("3")], [D("1.5"), D("1.5"), None], [D("7"), D("7"), D("7")]])
    assert result == Agreement(units=3, mean_absolute_difference=D("0.00"), alpha=D("1.0000"))
    assert result.alpha == 1


def test_zero_expected_disagreement_leaves_alpha_undefined():
    result = agreement([[D(2), D(2)], [D(2), D(2), D(2)], [D(5), None]])
    assert result.units == 2
    assert result.mean_absolute_difference == D("0.00")
    assert result.alpha is None


@pytest.mark.parametrize(
    "units",
    [[], [[D(1), None], [None, D(2)], [None, None]], [[D(4)]]],
    ids=["nothing", "single-scores", "one-coder"],
)
def test_no_pairable_units(units):
    assert agreement(units) == Agreement(units=0, mean_absolute_difference=None, alpha=None)


def test_mad_by_hand():
    # unit 1: |1 - 2| = 1; unit 2: pairs (0, 3, 4.5): 3, 4.5, 1.5 -> 9/3 = 3;
    # unit 3 has one score and is ignored; mean over units (1 + 3) / 2 = 2
    # (per-unit means, not pooled pairs: pooling would give (1 + 3 + 4.5 + 1.5) / 4 = 2.5)
    units = [[D(1), D(2), None], [D(0), D(3), D("4.5")], [D(9), None, None]]
    assert agreement(units).mean_absolute_difference == D("2.00")
    # (0.5 + 0.5 + 0.25) / 3 = 0.41666... -> 0.42
    units = [[D(0), D("0.5")], [D(0), D("0.5")], [D(0), D("0.25")]]
    assert agreement(units).mean_absolute_difference == D("0.42")


def test_rounding_is_half_up():
    # |0 - 0.125| = 0.125 -> 0.13 (half-even would give 0.12)
    assert agreement([[D(0), D("0.125")]]).mean_absolute_difference == D("0.13")
    # alpha = 1 - D_o/D_e with two units (0, 1) and (0, 0): n = 4, values 0,1,0,0
    # D_o = (1/4) * (2 * 1 / 1) = 1/2; D_e = 2*(4*1 - 1)/(4*3) = 1/2; alpha = 0
    assert agreement([[D(0), D(1)], [D(0), D(0)]]).alpha == D("0.0000")


def test_generator_input_and_float_refused():
    assert agreement(iter([[D(1), D(2)], [D(3), D(3)]])).units == 2
    with pytest.raises(TypeError):
        agreement([[1.5, 2.0]])


def test_divergent():
    maximum = D(10)
    assert not divergent([D(5), D(6)], maximum)  # exactly 10 %
    assert divergent([D(5), D("6.01")], maximum)
    assert divergent([D("6.01"), None, D(5)], maximum)
    assert not divergent([D(5), None, D("5.5"), D(6)], maximum)  # largest difference is 1
    assert divergent([D(5), D("5.5"), D("6.5")], maximum)
    assert not divergent([D(5), None], maximum)
    assert not divergent([None, None], maximum)
    assert not divergent([], maximum)
    assert not divergent([D("1.5"), D(3)], D(15))  # 1.5 is exactly 10 % of 15
    assert divergent([D("1.5"), D("3.01")], D(15))
