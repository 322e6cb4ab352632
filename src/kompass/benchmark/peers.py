"""The comparison rule: which evaluations one evaluation is compared with, and how it
stands among them.

An evaluation is compared with *other* municipalities' *published* evaluations of the
*same version* and the *same country*, up to its *own year*: never with itself, never
with its own municipality's other evaluations, never with a later year. Each other
municipality counts once, by its latest evaluation up to that year. Totals and area
scores are the unrounded ones (``EvaluationSummary``); means are rounded half-up to
the hundredth, as the benchmark's.

- ``count``: the municipalities compared on the total (those whose total is known);
  ``from_year``–``to_year`` the years of their evaluations.
- ``rank``: 1 + how many of them have a higher total, among ``count + 1`` (the
  evaluation itself included); equal totals share a rank.
- ``percentile``: the share of them with a *lower* total, in whole percent (half-up).
- per area: the mean over those whose score for the area is known, with its own count.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from kompass import scoring
from kompass.benchmark.selectors import round_hundredth
from kompass.evaluations.models import Evaluation, EvaluationSummary, Status
from kompass.evaluations.summaries import derived


def _whole(value: Decimal | None) -> int | None:
    """Whole points as pages show them (half-up)."""
    return None if value is None else scoring.round_half_up(value)


@dataclass(frozen=True)
class Peer:
    evaluation_id: int
    municipality: str
    year: int
    total: Decimal | None

    @property
    def rounded(self) -> int | None:
        return _whole(self.total)


@dataclass(frozen=True)
class AreaMean:
    number: int
    mean: Decimal | None
    count: int

    @property
    def rounded(self) -> int | None:
        return _whole(self.mean)


@dataclass(frozen=True)
class PeerComparison:
    framework: str
    country: str
    year: int  # the cut-off: the evaluation's own year
    total: Decimal | None  # the evaluation's own total, unrounded
    count: int
    mean: Decimal | None
    from_year: int | None
    to_year: int | None
    rank: int | None
    percentile: int | None
    areas: dict[int, AreaMean] = field(default_factory=dict)
    peers: tuple[Peer, ...] = ()  # one per municipality, by name

    @property
    def ranked_among(self) -> int:
        return self.count + 1

    @property
    def mean_rounded(self) -> int | None:
        return _whole(self.mean)

    @property
    def has_area_means(self) -> bool:
        return any(a.count for a in self.areas.values())


def peer_comparison(evaluation: Evaluation) -> PeerComparison:
    """The comparison of ``evaluation`` by the rule above, cached per data version (the
    summaries it reads change the data version, drafts' included)."""
    return derived(f"peers:{evaluation.pk}", lambda: _compute(evaluation), municipalities=[evaluation.municipality_id],
                   version=evaluation.framework.code, country=evaluation.municipality.country)


def _compute(evaluation: Evaluation) -> PeerComparison:
    own = EvaluationSummary.objects.filter(evaluation=evaluation).values_list("total", flat=True).first()
    ids = []
    for municipality_id, rows in _timeline(evaluation.framework.code, evaluation.municipality.country).items():
        # Each municipality's (year, id) in order: its latest up to the evaluation's year, if any.
        at = bisect_right(rows, (evaluation.year, float("inf")))
        if municipality_id != evaluation.municipality_id and at:
            ids.append(rows[at - 1][1])
    chosen = sorted(
        EvaluationSummary.objects.filter(evaluation_id__in=ids).order_by()
        .values_list("evaluation_id", "evaluation__municipality_id", "evaluation__municipality__name", "evaluation__year", "total", "areas"),
        key=lambda row: (row[2], row[0]),
    )
    totals = [(row[4], row[3]) for row in chosen if row[4] is not None]
    by_area: dict[int, list[Decimal]] = {a.number: [] for a in evaluation.framework.definition.areas}
    for row in chosen:
        for number, score in row[5].items():
            by_area.setdefault(int(number), []).append(Decimal(score))
    count = len(totals)
    rank = percentile = None
    if count and own is not None:
        rank = 1 + sum(1 for total, _year in totals if total > own)
        percentile = scoring.round_half_up(Decimal(sum(1 for total, _year in totals if total < own) * 100) / count)
    return PeerComparison(
        framework=evaluation.framework.code,
        country=evaluation.municipality.country,
        year=evaluation.year,
        total=own,
        count=count,
        mean=_mean([total for total, _year in totals]),
        from_year=min((year for _total, year in totals), default=None),
        to_year=max((year for _total, year in totals), default=None),
        rank=rank,
        percentile=percentile,
        areas={number: AreaMean(number, _mean(values), len(values)) for number, values in sorted(by_area.items())},
        peers=tuple(Peer(row[0], row[2], row[3], row[4]) for row in chosen),
    )


def _timeline(framework: str, country: str) -> dict[int, list[tuple[int, int]]]:
    """Every published evaluation (with its summary) of a version in a country, per
    municipality: ``(year, evaluation id)`` oldest first. Small and shared by all the
    comparisons of that version and country (one read after a publication, not one per
    page); each comparison then reads only the summaries it picks (``_compute``)."""

    def compute():
        rows = (
            EvaluationSummary.objects.filter(
                evaluation__framework__code=framework,
                evaluation__status=Status.PUBLISHED,
                evaluation__municipality__country=country,
            )
            .order_by()
            .values_list("evaluation__municipality_id", "evaluation__year", "evaluation_id")
        )
        timeline: dict[int, list[tuple[int, int]]] = {}
        for municipality_id, year, pk in rows:
            timeline.setdefault(municipality_id, []).append((year, pk))
        for years in timeline.values():
            years.sort()  # one evaluation per version and year: the last is the latest
        return timeline

    return derived(f"peer-timeline:{framework}:{country}", compute, version=framework, country=country)


def latest_per_municipality(evaluations) -> list[int]:
    """The ids of the latest of ``evaluations`` per municipality, chosen by the database
    (one evaluation per version and year, so the latest year is the latest): only those
    rows reach Python, whatever the scale."""
    ranked = evaluations.order_by().values("municipality_id").annotate(  # values(): only the columns needed
        latest=Window(RowNumber(), partition_by=[F("municipality_id")], order_by=F("year").desc())
    ).filter(latest=1)
    return list(ranked.values_list("pk", flat=True))


def _mean(values: list[Decimal]) -> Decimal | None:
    return round_hundredth(sum(values, Decimal(0)) / len(values)) if values else None


def comparison_document(comparison: PeerComparison, area_titles: dict[int, str]) -> dict:
    """The API's ``comparison``: decimals as text, as the benchmark's."""

    def text(value):
        return None if value is None else str(value)

    return {
        "mean": text(comparison.mean),
        "count": comparison.count,
        "from_year": comparison.from_year,
        "to_year": comparison.to_year,
        "rank": comparison.rank,
        "percentile": comparison.percentile,
        "areas": [
            {"number": number, "title": area_titles.get(number, ""), "mean": text(area.mean), "count": area.count}
            for number, area in comparison.areas.items()
        ],
    }
