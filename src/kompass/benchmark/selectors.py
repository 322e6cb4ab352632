"""Benchmarks: statistics over published evaluations of one version, each value over the
evaluations that have it and always with that count; and values published elsewhere,
with their source.

Area scores and totals come from the derived-score cache (``EvaluationSummary``, filled
by ``scoring.summarise``); sub-question scores are recorded values. Results are cached
per filter and data version, so a page or an API call at national scale reads them
instead of computing them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


from kompass.benchmark.groups import group_filter
from kompass.benchmark.models import PublishedReference
from kompass.catalogue import definitions
from kompass.evaluations.models import Evaluation, EvaluationSummary, QuestionAssessment, Status
from kompass.evaluations.summaries import derived
from kompass.scoring import HUNDREDTH, round_half_up

DISTRIBUTION_STEP = 50  # points per bar in the distribution of totals
BEST = 10


@dataclass(frozen=True)
class Stat:
    """Mean, median and quartiles (inclusive method, linear interpolation between the
    ordered values, as Excel's QUARTILE.INC), minimum and maximum, over ``count`` values;
    all rounded half-up to two decimals."""

    count: int
    mean: Decimal | None = None
    median: Decimal | None = None
    q1: Decimal | None = None
    q3: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    @property
    def value(self) -> Decimal | None:  # the mean, as reports call it
        return self.mean


def round_hundredth(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _quantile(ordered: list[Decimal], p: Decimal) -> Decimal:
    position = (len(ordered) - 1) * p
    below = int(position)
    fraction = position - below
    if below + 1 >= len(ordered):
        return ordered[below]
    return ordered[below] + (ordered[below + 1] - ordered[below]) * fraction


def stat(values: list[Decimal]) -> Stat:
    if not values:
        return Stat(0)
    ordered = sorted(values)
    return Stat(
        count=len(ordered),
        mean=round_hundredth(sum(ordered, Decimal(0)) / len(ordered)),
        median=round_hundredth(_quantile(ordered, Decimal("0.5"))),
        q1=round_hundredth(_quantile(ordered, Decimal("0.25"))),
        q3=round_hundredth(_quantile(ordered, Decimal("0.75"))),
        min=round_hundredth(ordered[0]),
        max=round_hundredth(ordered[-1]),
    )


@dataclass(frozen=True)
class BestEntry:
    """A municipality's best total in the selection (the latest year on a tie), and how
    many of its evaluations the selection holds: a leader list names each one once."""

    evaluation_id: int
    municipality: str
    code: str
    country: str
    year: int
    total: Decimal
    evaluations: int = 1


@dataclass(frozen=True)
class Benchmark:
    framework: str
    filters: dict
    total: Stat
    areas: dict[int, Stat]
    questions: dict[str, Stat] = field(default_factory=dict)
    distribution: list[tuple[int, int, int]] = field(default_factory=list)  # (from, to, count)
    best: list[BestEntry] = field(default_factory=list)
    municipalities: int = 0  # how many municipalities the totals' evaluations are of


def published_evaluations(framework: str, *, from_year=None, to_year=None, country=None, group=None, exclude_municipality=None):
    evaluations = Evaluation.objects.filter(framework__code=framework, status=Status.PUBLISHED)
    if from_year:
        evaluations = evaluations.filter(year__gte=from_year)
    if to_year:
        evaluations = evaluations.filter(year__lte=to_year)
    if country:
        evaluations = evaluations.filter(municipality__country=country)
    if group:
        evaluations = evaluations.filter(group_filter(group, prefix="municipality__"))
    if exclude_municipality is not None:
        evaluations = evaluations.exclude(municipality=exclude_municipality)
    return evaluations


def benchmark_compute(
    *, framework: str, from_year: int | None = None, to_year: int | None = None, country: str | None = None,
    group: str | None = None, exclude_municipality=None, questions: bool = False,
) -> Benchmark:
    """Statistics of the published evaluations of one version, cached per data version."""
    exclude = getattr(exclude_municipality, "pk", exclude_municipality)
    filters = {"from_year": from_year, "to_year": to_year, "country": country, "group": group}
    key = f"benchmark:{framework}:{from_year}:{to_year}:{country}:{group}:{exclude}:{questions}"
    return derived(key, lambda: _compute(framework, filters, exclude, questions), version=framework, country=country)


def _compute(framework: str, filters: dict, exclude, with_questions: bool) -> Benchmark:
    evaluations = published_evaluations(framework, **filters, exclude_municipality=exclude)
    definition = definitions.get(framework)
    totals: list[Decimal] = []
    areas: dict[int, list[Decimal]] = {a.number: [] for a in definition.areas}
    best: dict[int, tuple[Decimal, int, int]] = {}  # municipality -> (total, year, evaluation id)
    counts: dict[int, int] = {}
    for evaluation_id, total, area_scores, municipality_id, year in EvaluationSummary.objects.filter(
        evaluation__in=evaluations
    ).values_list("evaluation_id", "total", "areas", "evaluation__municipality_id", "evaluation__year"):
        if total is not None:
            totals.append(total)
            counts[municipality_id] = counts.get(municipality_id, 0) + 1
            best[municipality_id] = max(best.get(municipality_id, (total, year, evaluation_id)), (total, year, evaluation_id))
        for number, score in area_scores.items():
            areas.setdefault(int(number), []).append(Decimal(score))
    question_stats = {}
    if with_questions and definition.has_questions:
        by_question: dict[str, list[Decimal]] = {q.id: [] for q in definition.questions}
        for code, score in QuestionAssessment.objects.filter(evaluation__in=evaluations, score__isnull=False).values_list(
            "question__code", "score"
        ):
            by_question.setdefault(code, []).append(score)
        question_stats = {code: stat(values) for code, values in by_question.items()}
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[1][2]))[:BEST]
    leaders = {
        e.pk: e for e in Evaluation.objects.filter(pk__in=[pk for _m, (_t, _y, pk) in ranked]).select_related("municipality")
    }
    return Benchmark(
        framework=framework,
        filters=filters,
        total=stat(totals),
        areas={number: stat(values) for number, values in sorted(areas.items())},
        questions=question_stats,
        distribution=_distribution(totals, int(definition.max_points)),
        best=[
            BestEntry(
                pk, leaders[pk].municipality.name, leaders[pk].municipality.code, leaders[pk].municipality.country,
                leaders[pk].year, total, counts[municipality_id],
            )
            for municipality_id, (total, _year, pk) in ranked
        ],
        municipalities=len(counts),
    )


def _distribution(totals: list[Decimal], maximum: int) -> list[tuple[int, int, int]]:
    """Bars of DISTRIBUTION_STEP points over the data's range (empty bars only between
    values), each ``(low, high, count)`` with both ends included. A total counts as it is
    shown, rounded half-up, so 549.5 is in 550–599 as its "550" says; the last possible
    bar ends at the maximum, which it includes."""
    if not totals:
        return []
    shown = [min(max(round_half_up(t), 0), maximum) for t in totals]
    first = min(shown) // DISTRIBUTION_STEP * DISTRIBUTION_STEP
    last = min(max(shown), maximum - 1) // DISTRIBUTION_STEP * DISTRIBUTION_STEP
    bins = []
    for low in range(first, last + 1, DISTRIBUTION_STEP):
        high = maximum if low + DISTRIBUTION_STEP >= maximum else low + DISTRIBUTION_STEP - 1
        bins.append((low, high, sum(1 for value in shown if low <= value <= high)))
    return bins


def published_references(*, framework: str) -> list[PublishedReference]:
    return list(
        PublishedReference.objects.filter(framework__code=framework).select_related("framework", "area").order_by("area__number", "from_year")
    )
