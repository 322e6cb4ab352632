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

from dataclasses import dataclass, field
from decimal import Decimal


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
    return derived(f"peers:{evaluation.pk}", lambda: _compute(evaluation))


def _compute(evaluation: Evaluation) -> PeerComparison:
    own = EvaluationSummary.objects.filter(evaluation=evaluation).values_list("total", flat=True).first()
    rows = (
        EvaluationSummary.objects.filter(
            evaluation__framework_id=evaluation.framework_id,
            evaluation__status=Status.PUBLISHED,
            evaluation__municipality__country=evaluation.municipality.country,
            evaluation__year__lte=evaluation.year,
        )
        .exclude(evaluation__municipality_id=evaluation.municipality_id)
        .values_list("evaluation_id", "evaluation__municipality_id", "evaluation__municipality__name", "evaluation__year", "total", "areas")
    )
    latest: dict[int, tuple] = {}
    for row in rows:  # one evaluation per version and year: the latest year is the latest
        if row[1] not in latest or row[3] > latest[row[1]][3]:
            latest[row[1]] = row
    chosen = sorted(latest.values(), key=lambda row: (row[2], row[0]))
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
