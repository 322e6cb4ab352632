"""Reads: a user's notifications and choices, and whether a municipality's answers are done."""

from __future__ import annotations

import datetime

from kompass.evaluations.models import Evaluation
from kompass.notifications.models import AnswersDone, Kind, Notification, NotificationChoice
from kompass.workspace.access import role_of
from kompass.workspace.models import Role

# The kinds each role can receive (see services: who gets what).
KINDS_OF_ROLE = {
    Role.EVALUATOR: [Kind.ASSIGNED, Kind.ANSWERED, Kind.HANDED_IN, Kind.CONSENSUS_READY, Kind.PUBLISHED],
    Role.MUNICIPALITY: [Kind.SHARED, Kind.PUBLISHED],
    Role.ADMIN: [],
}


def kinds_for(user) -> list[Kind]:
    return list(KINDS_OF_ROLE.get(role_of(user), []))


def choices_of(user) -> dict[str, tuple[bool, bool]]:
    """kind → (in the workspace, by e-mail) for every kind; both unless the user chose."""
    chosen = {c.kind: (c.in_app, c.email) for c in NotificationChoice.objects.filter(user=user)}
    return {kind: chosen.get(kind, (True, True)) for kind in Kind.values}


def notifications_of(user, *, unread_only: bool = False, limit: int = 200):
    rows = Notification.objects.filter(user=user).select_related("evaluation__municipality")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return list(rows[:limit])


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def answers_done(evaluation: Evaluation) -> AnswersDone | None:
    """When (and by whom) the municipality said its pre-visit answers are done; None: not yet."""
    return AnswersDone.objects.filter(evaluation=evaluation).select_related("by").first()


def answers_done_at(evaluation: Evaluation) -> datetime.datetime | None:
    if Evaluation.answers_done.is_cached(evaluation):  # a list's select_related("answers_done")
        done = getattr(evaluation, "answers_done", None)
        return done.at if done else None
    return AnswersDone.objects.filter(evaluation=evaluation).values_list("at", flat=True).first()
