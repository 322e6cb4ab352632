"""Role models ("förebilder"): for an improvement area, the municipalities whose latest
published evaluation of the same version scores higher on the matching sub-question, or
on the area where no sub-question is matched. Computed from the data, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kompass import scoring
from kompass.evaluations.models import Evaluation, Finding, Status
from kompass.evaluations.selectors import evaluation_result
from kompass.i18n import _

MAX_ROLE_MODELS = 3


@dataclass(frozen=True)
class RoleModel:
    municipality: str
    code: str
    country: str
    year: int
    evaluation_id: int
    scope: str  # "delfråga 1.3" or "område 1"
    score: Decimal
    max: int

    @property
    def rounded(self) -> int:
        return scoring.round_half_up(self.score)


class RoleModelFinder:
    """Loads the candidates once for all improvement areas of one evaluation."""

    def __init__(self, evaluation: Evaluation, result: scoring.Result | None = None):
        self.evaluation = evaluation
        self.result = result or evaluation_result(evaluation)
        latest: dict[int, Evaluation] = {}
        candidates = (
            Evaluation.objects.filter(framework=evaluation.framework, status=Status.PUBLISHED)
            .exclude(municipality=evaluation.municipality)
            .select_related("municipality", "framework")
            .order_by("municipality_id", "year")
        )
        for candidate in candidates:
            latest[candidate.municipality_id] = candidate  # ordered by year: the last is the latest
        self.candidates = [(c, evaluation_result(c)) for c in latest.values()]

    def for_finding(self, finding: Finding, limit: int = MAX_ROLE_MODELS) -> list[RoleModel]:
        number = finding.area.number
        own_area = self.result.area(number)
        question_id = finding.question.code if finding.question_id else None
        own_question = next((q for q in own_area.questions if q.question.id == question_id), None) if question_id else None
        if own_question is not None and own_question.score.known:
            own, scope = own_question.score, scoring.question_label(question_id)

            def score_of(result):
                return next(q.score for q in result.area(number).questions if q.question.id == question_id)
        else:
            own, scope = own_area.score, scoring.area_label(number)

            def score_of(result):
                return result.area(number).score

        if not own.known:
            return []
        better = []
        for candidate, result in self.candidates:
            theirs = score_of(result)
            if theirs.known and theirs.score > own.score:
                better.append(
                    RoleModel(
                        municipality=candidate.municipality.name,
                        code=candidate.municipality.code,
                        country=candidate.municipality.country,
                        year=candidate.year,
                        evaluation_id=candidate.pk,
                        scope=scope,
                        score=theirs.score,
                        max=int(theirs.max),
                    )
                )
        better.sort(key=lambda r: (-r.score, -r.year, r.municipality))
        return better[:limit]


def role_model_sentence(models: list[RoleModel] | tuple[RoleModel, ...]) -> str:
    """"Förebilder (område 1): Falun 2014 (81 poäng), …" for reports and pages."""
    if not models:
        return ""
    names = ", ".join(
        _("%(municipality)s %(year)s (%(score)s poäng)") % {"municipality": m.municipality, "year": m.year, "score": m.rounded}
        for m in models
    )
    return _("Förebilder (%(scope)s): %(names)s") % {"scope": models[0].scope, "names": names}
