"""Who may see and do what in the workspace. One table, used by every view.

An address the user may not use answers 404 as if the evaluation did not exist, so a
draft reveals nothing, not even that it exists."""

from __future__ import annotations

import enum

from django.db.models import QuerySet

from kompass.evaluations.models import Evaluation
from kompass.workspace.models import Role


class Need(enum.Enum):
    VIEW = "view"                  # the overview: status, team, what is missing
    EVIDENCE = "evidence"          # the evidence register
    SCORE = "score"                # one's own independent scores
    CONSENSUS = "consensus"        # everyone's scores side by side, the agreed score
    TEXTS = "texts"                # area texts, lists, sub-question texts
    REPORT_FACTS = "report_facts"  # the report's facts and chapter 2's texts ("Rapportuppgifter")
    PREVISIT_READ = "previsit_read"
    PREVISIT_ANSWER = "previsit_answer"
    HISTORY = "history"            # the audit trail
    GAPS = "gaps"                  # after publication: the self-assessment against the evaluators' scores
    MANAGE = "manage"              # status, sharing, publishing, corrections: admins and the lead evaluator
    TEAM = "team"                  # who leads the evaluation: administrators only


EVALUATOR_NEEDS = frozenset(Need) - {Need.PREVISIT_ANSWER, Need.MANAGE, Need.TEAM}
LEAD_NEEDS = EVALUATOR_NEEDS | {Need.MANAGE}
ADMIN_NEEDS = frozenset(Need) - {Need.SCORE, Need.PREVISIT_ANSWER}
CONTACT_NEEDS = frozenset({Need.VIEW, Need.PREVISIT_READ, Need.PREVISIT_ANSWER, Need.GAPS})


def role_of(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def workspace_evaluations(user) -> QuerySet[Evaluation]:
    """The evaluations a user works on: everything for an administrator, the assigned
    ones for an evaluator, the shared ones of their own municipality for a contact."""
    evaluations = Evaluation.objects.select_related("municipality", "framework")
    role = role_of(user)
    if role == Role.ADMIN:
        return evaluations
    if role == Role.EVALUATOR:
        return evaluations.filter(assignments__user=user)
    if role == Role.MUNICIPALITY:
        return evaluations.filter(municipality_id=user.profile.municipality_id, shared_with_municipality=True)
    return evaluations.none()


def needs_of(user, evaluation: Evaluation) -> frozenset[Need]:
    role = role_of(user)
    if role == Role.ADMIN:
        return ADMIN_NEEDS
    if role == Role.EVALUATOR:
        assignment = evaluation.assignments.filter(user=user).values_list("lead", flat=True).first()
        if assignment is not None:
            return LEAD_NEEDS if assignment else EVALUATOR_NEEDS
    if (
        role == Role.MUNICIPALITY
        and evaluation.shared_with_municipality
        and evaluation.municipality_id == user.profile.municipality_id
    ):
        return CONTACT_NEEDS
    return frozenset()


def allowed(user, evaluation: Evaluation, need: Need) -> bool:
    return need in needs_of(user, evaluation)


def may_manage(by, evaluation: Evaluation) -> bool:
    """Whether ``by`` may move, publish, share or correct the evaluation; ``None`` is the
    command line, run by whoever runs the installation."""
    return by is None or allowed(by, evaluation, Need.MANAGE)
