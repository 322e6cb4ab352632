"""Role models ("förebilder"): for an improvement area, the municipalities whose latest
published evaluation of the same version scores higher on the matching sub-question, or
on the area where no sub-question is matched. Computed from the data, never typed in."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from kompass import scoring
from kompass.benchmark.peers import latest_per_municipality
from kompass.evaluations.models import Evaluation, EvaluationSummary, Finding, QuestionAssessment, Status
from kompass.evaluations.summaries import derived
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


LEADERS_KEPT = MAX_ROLE_MODELS + 2  # enough to skip the municipality itself and ties


class RoleModelFinder:
    """Finds role models for the improvement areas of one evaluation, from the leaders
    of its version (cached per data version, so national scale costs one lookup)."""

    def __init__(self, evaluation: Evaluation, result: scoring.Result | None = None):
        self.evaluation = evaluation
        self.result = result or evaluation_result(evaluation)
        self.leaders = _leaders(evaluation.framework.code)

    def for_finding(self, finding: Finding, limit: int = MAX_ROLE_MODELS) -> list[RoleModel]:
        number = finding.area.number
        own_area = self.result.area(number)
        question_id = finding.question.code if finding.question_id else None
        own_question = next((q for q in own_area.questions if q.question.id == question_id), None) if question_id else None
        if own_question is not None and own_question.score.known:
            own, scope, ranking = own_question.score, scoring.question_label(question_id), self.leaders["questions"].get(question_id, [])
        else:
            own, scope, ranking = own_area.score, scoring.area_label(number), self.leaders["areas"].get(number, [])
        if not own.known:
            return []
        better = []
        for score, evaluation_id in ranking:
            municipality, code, country, year, municipality_id = self.leaders["info"][evaluation_id]
            if score > own.score and municipality_id != self.evaluation.municipality_id:
                better.append(RoleModel(municipality, code, country, year, evaluation_id, scope, score, int(own.max)))
        better.sort(key=lambda r: (-r.score, -r.year, r.municipality))
        return better[:limit]


def _leaders(framework: str) -> dict:
    """The best latest published evaluations of a version, per area and per sub-question."""
    return derived(f"role-models:{framework}", lambda: _compute_leaders(framework), version=framework)


def _compute_leaders(framework: str) -> dict:
    """Few queries: the database picks each municipality's latest evaluation; their area
    scores come from the summaries (one row each) and their sub-question scores are
    ranked per sub-question, keeping only the leaders. Once per version and data version."""
    ids = latest_per_municipality(Evaluation.objects.filter(framework__code=framework, status=Status.PUBLISHED))
    if not ids:  # nothing published under the version (the plain cursor below cannot take an empty IN)
        return {"areas": {}, "questions": {}, "info": {}}
    kept = LEADERS_KEPT * 4

    def top(pairs):
        return sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:kept]

    areas: dict[int, list] = {}
    for pk, scores in EvaluationSummary.objects.filter(evaluation_id__in=ids).order_by().values_list("evaluation_id", "areas"):
        for number, score in scores.items():
            areas.setdefault(int(number), []).append((Decimal(score), pk))
    areas = {number: top(pairs) for number, pairs in areas.items()}
    # Ranked on the database's own values, read by a plain cursor: 33,000 rows at national
    # scale, where building a Decimal for each would cost more than all the rest. The kept
    # rows are then read again through the ORM, as exact decimals.
    sql, params = (
        QuestionAssessment.objects.filter(evaluation_id__in=ids, score__isnull=False)
        .order_by()  # the model's ordering would join four tables for nothing
        .values_list("pk", "evaluation_id", "question_id", "score")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_question: dict[int, list] = {}
    for pk, evaluation_id, question_id, score in rows:
        by_question.setdefault(question_id, []).append((-score, evaluation_id, pk))
    kept_rows = [pk for rows in by_question.values() for _score, _evaluation, pk in heapq.nsmallest(kept, rows)]
    questions: dict[str, list] = {}
    for evaluation_id, code, score in QuestionAssessment.objects.filter(pk__in=kept_rows).order_by().values_list(
        "evaluation_id", "question__code", "score"
    ):
        questions.setdefault(code, []).append((score, evaluation_id))
    questions = {code: top(pairs) for code, pairs in questions.items()}
    wanted = {pk for ranking in [*areas.values(), *questions.values()] for _score, pk in ranking}
    info = {
        pk: (name, code, country, year, municipality_id)
        for pk, name, code, country, year, municipality_id in Evaluation.objects.filter(pk__in=wanted).values_list(
            "pk", "municipality__name", "municipality__code", "municipality__country", "year", "municipality_id"
        )
    }
    return {"areas": areas, "questions": questions, "info": info}


def role_model_sentence(models: list[RoleModel] | tuple[RoleModel, ...]) -> str:
    """"Förebilder (område 1): Falun 2014 (81 poäng), …" for reports and pages."""
    if not models:
        return ""
    names = ", ".join(
        _("%(municipality)s %(year)s (%(score)s poäng)") % {"municipality": m.municipality, "year": m.year, "score": m.rounded}
        for m in models
    )
    return _("Förebilder (%(scope)s): %(names)s") % {"scope": models[0].scope, "names": names}
