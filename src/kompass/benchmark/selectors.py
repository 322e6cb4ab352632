"""Benchmark references: unweighted means over published evaluations, always with the
count they rest on, and values published elsewhere with their source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kompass.benchmark.models import PublishedReference
from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.selectors import evaluation_result
from kompass.scoring import HUNDREDTH


@dataclass(frozen=True)
class Mean:
    value: Decimal | None
    count: int


def _mean(values: list[Decimal]) -> Mean:
    if not values:
        return Mean(None, 0)
    return Mean((sum(values, Decimal(0)) / len(values)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP), len(values))


@dataclass(frozen=True)
class Benchmark:
    framework: str
    total: Mean
    areas: dict[int, Mean]


def benchmark_compute(
    *, framework: str, from_year: int | None = None, to_year: int | None = None, country: str | None = None,
    exclude_municipality=None,
) -> Benchmark:
    """Means of the published evaluations of one version; each value over those that have it."""
    evaluations = Evaluation.objects.filter(framework__code=framework, status=Status.PUBLISHED).select_related("framework")
    if from_year:
        evaluations = evaluations.filter(year__gte=from_year)
    if to_year:
        evaluations = evaluations.filter(year__lte=to_year)
    if country:
        evaluations = evaluations.filter(municipality__country=country)
    if exclude_municipality is not None:
        evaluations = evaluations.exclude(municipality=exclude_municipality)
    totals: list[Decimal] = []
    areas: dict[int, list[Decimal]] = {}
    for evaluation in evaluations:
        result = evaluation_result(evaluation)
        if result.total.known:
            totals.append(result.total.score)
        for area in result.areas:
            areas.setdefault(area.area.number, [])
            if area.score.known:
                areas[area.area.number].append(area.score.score)
    return Benchmark(framework, _mean(totals), {number: _mean(values) for number, values in sorted(areas.items())})


def published_references(*, framework: str) -> list[PublishedReference]:
    return list(
        PublishedReference.objects.filter(framework__code=framework).select_related("framework", "area").order_by("area__number", "from_year")
    )
