"""What the map shows: each municipality's latest published evaluation within one
version, with its total (from the derived-score cache)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kompass.catalogue.models import Framework
from kompass.evaluations.models import Evaluation, EvaluationSummary, Status
from kompass.evaluations.summaries import summaries_ensure


@dataclass(frozen=True)
class MapEntry:
    evaluation_id: int
    year: int
    country: str
    code: str
    name: str
    total: Decimal | None  # None where the evaluation's total is not known


def map_versions() -> list[Framework]:
    """The versions with at least one published evaluation, newest code first."""
    return list(Framework.objects.filter(evaluations__status=Status.PUBLISHED).distinct().order_by("-code"))


def default_version(versions: list[Framework]) -> Framework | None:
    """The version of the most recent published evaluation: what a visitor expects first."""
    latest = (
        Evaluation.objects.filter(status=Status.PUBLISHED, framework__in=versions)
        .order_by("-year", "-pk").select_related("framework").first()
    )
    return latest.framework if latest else None


def latest_entries(framework: Framework) -> list[MapEntry]:
    """One entry per municipality evaluated in this version: its latest (year, then the
    last recorded), ordered by country and name."""
    summaries_ensure()
    evaluations = (
        Evaluation.objects.filter(framework=framework, status=Status.PUBLISHED)
        .select_related("municipality").order_by("municipality_id", "-year", "-pk")
    )
    latest: dict[int, Evaluation] = {}
    for evaluation in evaluations:
        latest.setdefault(evaluation.municipality_id, evaluation)
    totals = dict(
        EvaluationSummary.objects.filter(evaluation_id__in=[e.pk for e in latest.values()]).values_list("evaluation_id", "total")
    )
    entries = [
        MapEntry(e.pk, e.year, e.municipality.country, e.municipality.code, e.municipality.name, totals.get(e.pk))
        for e in latest.values()
    ]
    return sorted(entries, key=lambda e: (e.country, e.name, e.code))
