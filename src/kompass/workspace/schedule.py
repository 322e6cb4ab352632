"""The read side of an evaluation's plan: the visit, the deadlines, and where each one
stands for the person looking ("om 3 dagar", "försenad sedan 2 dagar", "klart").

A deadline is overdue when its day has passed and its step is not done:
- the municipality's answers: done once a contact has marked them done, or once the
  evaluation has left the pre-visit steps (planned, collecting);
- the independent scores: for an assigned evaluator, their own hand-in; for anyone
  else, everyone's (or consensus has begun);
- publication: done once published.
Writes are in ``workspace.services.schedule``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass.evaluations.models import Evaluation, Status
from kompass.workspace.access import Role, role_of
from kompass.workspace.guards import fingerprint
from kompass.workspace.models import Schedule

ANSWERS, SCORES, PUBLISH = "answers", "scores", "publish"
KINDS = (ANSWERS, SCORES, PUBLISH)
DATE_FIELDS = ("visit_start", "visit_end", "answers_due", "scores_due", "publish_due")
DUE_FIELD = {ANSWERS: "answers_due", SCORES: "scores_due", PUBLISH: "publish_due"}
PREVISIT_STEPS = (Status.PLANNED, Status.COLLECTING)
SCORING_DONE = (Status.CONSENSUS, Status.PUBLISHED)


def day_text(day: datetime.date | None) -> str:
    """A day as people write it: "12 mars 2027"."""
    return date_format(day, "j F Y") if day else ""


def field_labels() -> dict[str, str]:
    return {
        "visit_start": _("Besöket, första dagen"),
        "visit_end": _("Besöket, sista dagen"),
        "answers_due": _("Kommunens svar senast"),
        "scores_due": _("Utvärderarnas poäng senast"),
        "publish_due": _("Publicering senast"),
    }


def kind_label(kind: str) -> str:
    return {ANSWERS: _("Kommunens svar"), SCORES: _("Oberoende poäng"), PUBLISH: _("Publicering")}[kind]


def form_fields(values: dict[str, str], errors: dict[str, str] | None = None) -> list[dict]:
    """The plan form's inputs in order: name, label, value as shown or typed, error."""
    labels, errors = field_labels(), errors or {}
    return [{"name": n, "label": labels[n], "value": values.get(n, ""), "error": errors.get(n, "")} for n in DATE_FIELDS]


def schedule_of(evaluation: Evaluation) -> Schedule | None:
    if Evaluation.schedule.is_cached(evaluation):  # a list's select_related("schedule"): no query per row
        return getattr(evaluation, "schedule", None)
    return Schedule.objects.filter(evaluation_id=evaluation.pk).first()


def schedule_values(schedule: Schedule | None) -> dict[str, datetime.date | None]:
    return {name: getattr(schedule, name, None) if schedule else None for name in DATE_FIELDS}


def schedule_fingerprint(schedule: Schedule | None) -> str:
    """What a plan form carries, to refuse a save over someone else's newer plan."""
    return fingerprint({name: value.isoformat() if value else None for name, value in schedule_values(schedule).items()})


def answers_done(evaluation: Evaluation) -> bool:
    """Whether the municipality's answers are in: marked done by a contact (the
    notifications app records it), or the evaluation has moved past the pre-visit steps."""
    if evaluation.status not in PREVISIT_STEPS:
        return True
    from kompass.notifications.selectors import answers_done_at  # the mark is the notifications app's (it tells the evaluators)

    return answers_done_at(evaluation) is not None


def scores_done(evaluation: Evaluation, user=None) -> bool:
    """This evaluator's hand-in, if ``user`` is assigned; otherwise everyone's."""
    if evaluation.status in SCORING_DONE:
        return True
    assignments = list(evaluation.assignments.all())
    mine = [a for a in assignments if user is not None and a.user_id == user.pk]
    if mine:
        return mine[0].submitted_at is not None
    return bool(assignments) and all(a.submitted_at is not None for a in assignments)


def step_done(evaluation: Evaluation, kind: str, user=None) -> bool:
    if kind == ANSWERS:
        return answers_done(evaluation)
    if kind == SCORES:
        return scores_done(evaluation, user)
    return evaluation.status == Status.PUBLISHED


@dataclass
class Deadline:
    kind: str
    due: datetime.date
    done: bool
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def due_text(self) -> str:
        return day_text(self.due)

    @property
    def when(self) -> str:
        """Where the deadline stands, in words: "om 3 dagar", "i dag", "försenad sedan 2 dagar"."""
        if self.done:
            return _("klart")
        days = self.days_left
        if days > 1:
            return ngettext("om %(days)s dag", "om %(days)s dagar", days) % {"days": days}
        if days == 1:
            return _("i morgon")
        if days == 0:
            return _("i dag")
        return ngettext("försenad sedan %(days)s dag", "försenad sedan %(days)s dagar", -days) % {"days": -days}

    @property
    def state(self) -> str:
        """For the page's class: done, overdue, soon (a week or less) or later."""
        if self.done:
            return "done"
        if self.overdue:
            return "overdue"
        return "soon" if self.days_left <= 7 else "later"


def today() -> datetime.date:
    return timezone.localdate()


def deadline(evaluation: Evaluation, kind: str, user=None, *, schedule: Schedule | None = None, on: datetime.date | None = None) -> Deadline | None:
    """The deadline of one kind for ``user``, or None when the plan has none."""
    schedule = schedule if schedule is not None else schedule_of(evaluation)
    due = getattr(schedule, DUE_FIELD[kind], None) if schedule else None
    if due is None:
        return None
    return Deadline(kind, due, step_done(evaluation, kind, user), on or today())


def kinds_for(user, evaluation: Evaluation) -> tuple[str, ...]:
    """The deadlines a person works to: a contact only the municipality's answers."""
    return (ANSWERS,) if role_of(user) == Role.MUNICIPALITY else KINDS


def next_deadline(evaluation: Evaluation, user, *, on: datetime.date | None = None) -> Deadline | None:
    """The first deadline not yet met (overdue ones come first, being earliest), for a
    dashboard row; None when there is none or the evaluation is published."""
    if evaluation.status == Status.PUBLISHED:
        return None
    schedule = schedule_of(evaluation)
    if schedule is None:
        return None
    open_ = [d for kind in kinds_for(user, evaluation) if (d := deadline(evaluation, kind, user, schedule=schedule, on=on)) and not d.done]
    return min(open_, key=lambda d: d.due, default=None)


@dataclass
class Plan:
    """The plan as the overview shows it."""

    evaluation: Evaluation
    schedule: Schedule | None
    deadlines: list[Deadline] = field(default_factory=list)
    handed_in: int = 0
    evaluators: int = 0

    @property
    def visit_start(self) -> datetime.date | None:
        """The visit as recorded, or else as planned."""
        return self.evaluation.visit_start or (self.schedule.visit_start if self.schedule else None)

    @property
    def visit_end(self) -> datetime.date | None:
        if self.evaluation.visit_start:
            return self.evaluation.visit_end
        return self.schedule.visit_end if self.schedule else None

    @property
    def visit_text(self) -> str:
        start, end = self.visit_start, self.visit_end
        if not start:
            return ""
        if not end or end == start:
            return day_text(start)
        return _("%(start)s – %(end)s") % {"start": day_text(start), "end": day_text(end)}

    @property
    def empty(self) -> bool:
        return not self.visit_start and not self.deadlines


def plan(evaluation: Evaluation, user=None, *, on: datetime.date | None = None) -> Plan:
    """The visit and every deadline, each with where it stands; the scores as the team's
    (how many have handed in), whoever looks."""
    schedule = schedule_of(evaluation)
    deadlines = [d for kind in KINDS if (d := deadline(evaluation, kind, None, schedule=schedule, on=on))]
    assignments = list(evaluation.assignments.all())
    return Plan(
        evaluation, schedule, deadlines,
        handed_in=sum(1 for a in assignments if a.submitted_at is not None), evaluators=len(assignments),
    )
