"""The municipalities' self-assessments (their pre-visit self-scores) against the
evaluators' agreed scores, aggregated over published evaluations as the benchmark is:
the workspace's data, the benchmark's selection and the pure ``kompass.gaps``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


from kompass.benchmark.selectors import published_evaluations, round_hundredth
from kompass.catalogue import definitions
from kompass.evaluations.models import QuestionAssessment
from kompass.evaluations.summaries import derived
from kompass.gaps import gaps
from kompass.workspace.models import PrevisitAnswer


@dataclass(frozen=True)
class SelfAssessmentMean:
    """Over ``count`` published evaluations: the mean self-score, the mean evaluators'
    score over the same sub-questions and the mean gap (self − evaluators). The sums are
    kept, so the means are exact; ``*_shown`` rounds them half-up to two decimals."""

    count: int
    self_sum: Decimal = Decimal(0)
    evaluators_sum: Decimal = Decimal(0)
    pairs: int = 0  # the (evaluation, sub-question) pairs it rests on

    @property
    def self_mean(self) -> Decimal | None:
        return self.self_sum / self.count if self.count else None

    @property
    def evaluators_mean(self) -> Decimal | None:
        return self.evaluators_sum / self.count if self.count else None

    @property
    def gap_mean(self) -> Decimal | None:
        return (self.self_sum - self.evaluators_sum) / self.count if self.count else None

    @property
    def self_shown(self) -> Decimal | None:
        return None if self.self_mean is None else round_hundredth(self.self_mean)

    @property
    def evaluators_shown(self) -> Decimal | None:
        return None if self.evaluators_mean is None else round_hundredth(self.evaluators_mean)

    @property
    def gap_shown(self) -> Decimal | None:
        return None if self.gap_mean is None else round_hundredth(self.gap_mean)


@dataclass(frozen=True)
class SelfAssessmentBenchmark:
    framework: str
    filters: dict
    count: int  # published evaluations with at least one sub-question that has both values
    total: SelfAssessmentMean  # per evaluation the sums over all its compared sub-questions
    areas: dict[int, SelfAssessmentMean]  # per evaluation the area's sums over its compared sub-questions
    questions: dict[str, SelfAssessmentMean]


def self_assessment_compute(
    *, framework: str, from_year: int | None = None, to_year: int | None = None, country: str | None = None, group: str | None = None,
) -> SelfAssessmentBenchmark:
    """The municipalities' self-scores against the evaluators' (consensus) scores across
    the published evaluations of one version, aggregated only: per sub-question over the
    evaluations that have both values for it; per area and in total over the evaluations
    with at least one such sub-question there, each evaluation's sums taken over its
    sub-questions with both values (as on its own gap page). Cached per data version."""
    filters = {"from_year": from_year, "to_year": to_year, "country": country, "group": group}
    key = f"self-assessment:{framework}:{from_year}:{to_year}:{country}:{group}"
    return derived(key, lambda: _self_assessment(framework, filters))


def _self_assessment(framework: str, filters: dict) -> SelfAssessmentBenchmark:
    definition = definitions.get(framework)
    evaluations = published_evaluations(framework, **filters)
    own: dict[int, dict[str, Decimal]] = {}
    for evaluation_id, code, score in PrevisitAnswer.objects.filter(evaluation__in=evaluations, self_score__isnull=False).values_list(
        "evaluation_id", "question__code", "self_score"
    ):
        own.setdefault(evaluation_id, {})[code] = score
    theirs: dict[int, dict[str, Decimal]] = {}
    for evaluation_id, code, score in QuestionAssessment.objects.filter(
        evaluation_id__in=list(own), score__isnull=False
    ).values_list("evaluation_id", "question__code", "score"):
        theirs.setdefault(evaluation_id, {})[code] = score

    def add(means: dict, key, self_sum: Decimal, evaluators_sum: Decimal, pairs: int) -> None:
        before = means.get(key) or SelfAssessmentMean(0)
        means[key] = SelfAssessmentMean(
            before.count + 1, before.self_sum + self_sum, before.evaluators_sum + evaluators_sum, before.pairs + pairs
        )

    total: dict = {}
    areas: dict[int, SelfAssessmentMean] = {}
    questions: dict[str, SelfAssessmentMean] = {}
    for evaluation_id in sorted(own):
        result = gaps(definition, own[evaluation_id], theirs.get(evaluation_id, {}))
        if not result.questions:
            continue
        add(total, "total", result.self_sum, result.evaluators_sum, result.count)
        for area in result.areas:
            add(areas, area.number, area.self_sum, area.evaluators_sum, area.count)
        for question in result.questions:
            add(questions, question.code, question.self_score, question.evaluators, 1)
    overall = total.get("total") or SelfAssessmentMean(0)
    return SelfAssessmentBenchmark(
        framework=framework,
        filters=filters,
        count=overall.count,
        total=overall,
        areas={a.number: areas.get(a.number) or SelfAssessmentMean(0) for a in definition.areas},
        questions={q.id: questions.get(q.id) or SelfAssessmentMean(0) for q in definition.questions},
    )
