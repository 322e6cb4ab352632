"""Scoring: each evaluator's own scores, handed in once, then the agreed (consensus)
scores. Units are sub-questions, or areas where the version has no sub-questions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kompass.evaluations import services as evaluation_services
from kompass.evaluations.models import AreaAssessment, Evaluation, QuestionAssessment, Status
from kompass.evaluations.selectors import evaluation_label
from kompass.i18n import _
from kompass.notifications import services as notifications
from kompass.workspace import guards, units
from kompass.workspace.guards import audit, clean_text, display_name, locked, refuse_unless
from kompass.workspace.models import Assignment, IndependentScore
from kompass.workspace.services.lookups import parse_score, points, unit_of


def _assignment(evaluation: Evaluation, user) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(evaluation=evaluation, user=user).first()
    if assignment is None:
        raise ValidationError(_("du är inte utvärderare i %(evaluation)s") % {"evaluation": evaluation_label(evaluation)})
    return assignment


@transaction.atomic
def independent_score_set(
    *, evaluation: Evaluation, user, question_code: str | None = None, area_number=None, score: str | None, justification: str,
    base: str | None = None,
) -> IndependentScore:
    """One evaluator's own score and justification of one sub-question, or of one area
    where the version has no sub-questions there."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, [Status.COLLECTING, Status.SCORING], _("oberoende poängsättning"))
    assignment = _assignment(evaluation, user)
    if assignment.submitted_at is not None:
        raise ValidationError(_("du har redan lämnat in dina poäng"))
    unit, lookup = unit_of(evaluation, question_code=question_code, area_number=area_number)
    value = parse_score(score, unit)
    justification = clean_text(justification, _("%(unit)s · motivering") % {"unit": unit.label})
    row, _c = IndependentScore.objects.get_or_create(assignment=assignment, **lookup)
    current = {"score": points(row.score), "justification": row.justification}
    mine = {"score": points(value), "justification": justification}
    guards.check_base(unit.label, current, base, mine)
    label = _("%(unit)s · oberoende poäng (%(name)s)") % {"unit": unit.label, "name": display_name(user)}
    audit(evaluation, user, label, points(row.score), points(value), private_to=user)
    audit(evaluation, user, label.replace(_("poäng"), _("motivering")), row.justification, justification, private_to=user)
    row.score, row.justification = value, justification
    row.save()
    return row


@transaction.atomic
def scoring_submit(*, evaluation: Evaluation, user) -> None:
    """Hand in one's scores: every unit (sub-question, or area without sub-questions)
    scored and justified. Final."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, [Status.COLLECTING, Status.SCORING], _("att lämna in poäng"))
    assignment = _assignment(evaluation, user)
    if assignment.submitted_at is not None:
        raise ValidationError(_("du har redan lämnat in dina poäng"))
    from kompass.workspace.services.status import handin_problems  # one list for the confirmation page and this check

    problems = handin_problems(evaluation, user)
    if problems:
        raise ValidationError(problems)
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    audit(evaluation, user, _("oberoende poäng (%(name)s)") % {"name": display_name(user)}, "", _("inlämnade"))
    notifications.handed_in_happened(evaluation, user)


@transaction.atomic
def consensus_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, score: str | None, rationale: str,
    base: str | None = None,
):
    """The agreed score of a sub-question (``QuestionAssessment``), or of an area without
    sub-questions (``AreaAssessment.score``), with the rationale."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, [Status.CONSENSUS], _("att sätta konsensuspoäng"))
    unit, lookup = unit_of(evaluation, question_code=question_code, area_number=area_number)
    value = parse_score(score, unit)
    rationale = clean_text(rationale, _("%(unit)s · motivering") % {"unit": unit.label})
    assessment = evaluation_services.assessment_locked(evaluation=evaluation, **lookup)
    current = {"score": points(assessment.score), "rationale": assessment.rationale}
    guards.check_base(unit.label, current, base, {"score": points(value), "rationale": rationale})
    audit(evaluation, by, _("%(unit)s · konsensuspoäng") % {"unit": unit.label}, points(assessment.score), points(value))
    audit(evaluation, by, _("%(unit)s · motivering") % {"unit": unit.label}, assessment.rationale, rationale)
    if "question" in lookup:
        return evaluation_services.question_score_set(evaluation=evaluation, question=lookup["question"], score=value, rationale=rationale)
    return evaluation_services.area_score_set(evaluation=evaluation, area=lookup["area"], score=value, rationale=rationale)


@transaction.atomic
def consensus_accept_unanimous(*, evaluation: Evaluation, by) -> int:
    """Take the evaluators' score as agreed wherever they all gave the same one and no
    agreed score is set yet. Returns how many were set."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, [Status.CONSENSUS], _("att sätta konsensuspoäng"))
    by_unit: dict[str, list] = {}
    for question_code, area_number, score in IndependentScore.objects.filter(assignment__evaluation=evaluation).values_list(
        "question__code", "area__number", "score"
    ):
        by_unit.setdefault(units.key_of(question_code, area_number), []).append(score)
    assigned = evaluation.assignments.count()
    set_already = set(
        QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("question__code", flat=True)
    ) | {str(n) for n in AreaAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("area__number", flat=True)}
    count = 0
    for unit in units.units(evaluation.framework.definition):
        scores = by_unit.get(unit.key, [])
        if unit.key in set_already or len(scores) != assigned or None in scores or len(set(scores)) != 1:
            continue
        consensus_set(
            evaluation=evaluation, by=by, **units.kwargs_of(unit.key), score=str(scores[0]),
            rationale=_("Samstämmiga oberoende poäng."),
        )
        count += 1
    return count
