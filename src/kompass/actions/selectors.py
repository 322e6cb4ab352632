"""Reading action plans: a municipality's plan, its progress, and the follow-up of one
evaluation's improvement areas in the next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kompass import scoring
from kompass.actions.models import Action, ActionNote, ActionPlan, ActionStatus
from kompass.catalogue.translations import localized
from kompass.comparison import compare
from kompass.evaluations.models import Evaluation, Finding, FindingKind, Status
from kompass.evaluations.selectors import evaluation_result
from kompass.municipalities.models import Municipality

OPEN = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def is_overdue(action: Action, today: datetime.date | None = None) -> bool:
    """Past its date and neither done nor cancelled."""
    return action.due is not None and action.status in OPEN and action.due < (today or datetime.date.today())


def latest_published(municipality: Municipality) -> Evaluation | None:
    return (
        Evaluation.objects.filter(municipality=municipality, status=Status.PUBLISHED)
        .select_related("framework", "municipality")
        .order_by("-year", "-pk")
        .first()
    )


def improvements_with_actions(evaluation: Evaluation) -> list[Finding]:
    """The evaluation's improvement areas in report order, each with ``actions`` (and
    their ``notes``) prefetched."""
    notes = Prefetch("notes", queryset=ActionNote.objects.order_by("date", "id"))
    actions = Prefetch("actions", queryset=Action.objects.order_by("position", "id").prefetch_related(notes))
    return list(
        Finding.objects.filter(evaluation=evaluation, kind=FindingKind.IMPROVEMENT)
        .select_related("area", "question")
        .order_by("area__number", "position", "id")
        .prefetch_related(actions)
    )


def plan_is_public(municipality: Municipality) -> bool:
    return ActionPlan.objects.filter(municipality=municipality, public=True).exists()


@dataclass
class AreaProgress:
    number: int
    title: str
    improvements: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in ActionStatus})
    overdue: int = 0

    @property
    def actions(self) -> int:
        return sum(self.counts.values())

    @property
    def done_percent(self) -> int | None:
        """Share of the actions that are not cancelled and are done, half-up."""
        relevant = self.actions - self.counts[ActionStatus.CANCELLED]
        return None if relevant == 0 else scoring.percent(Decimal(self.counts[ActionStatus.DONE]), Decimal(relevant))


@dataclass
class Plan:
    municipality: Municipality
    evaluation: Evaluation | None
    improvements: list[Finding]
    public: bool
    today: datetime.date

    @property
    def actions(self) -> list[Action]:
        return [a for f in self.improvements for a in f.actions.all()]

    def progress(self) -> list[AreaProgress]:
        """Per area of the evaluation: improvement areas, actions by status, overdue."""
        areas: dict[int, AreaProgress] = {}
        language = self.evaluation.framework.language if self.evaluation else "sv"
        for finding in self.improvements:
            title = localized(finding.area.title, language, finding.area.translations, "title")  # in the active language
            area = areas.setdefault(finding.area.number, AreaProgress(finding.area.number, title))
            area.improvements += 1
            for action in finding.actions.all():
                area.counts[action.status] += 1
                area.overdue += is_overdue(action, self.today)
        return [areas[n] for n in sorted(areas)]

    def totals(self) -> AreaProgress:
        total = AreaProgress(0, "")
        for area in self.progress():
            total.improvements += area.improvements
            total.overdue += area.overdue
            for status, count in area.counts.items():
                total.counts[status] += count
        return total


def plan_get(municipality: Municipality, *, today: datetime.date | None = None) -> Plan:
    """The plan of the municipality: the improvement areas of its latest published
    evaluation with their actions."""
    evaluation = latest_published(municipality)
    improvements = improvements_with_actions(evaluation) if evaluation else []
    return Plan(municipality, evaluation, improvements, plan_is_public(municipality), today or datetime.date.today())


def action_json(action: Action, today: datetime.date | None = None) -> dict:
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "start": action.start.isoformat() if action.start else None,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
        "overdue": is_overdue(action, today),
        "indicator": action.indicator,
        "notes": [
            {"date": n.date.isoformat(), "text": n.text, "status": n.status or None} for n in action.notes.all()
        ],
    }


def improvement_json(finding: Finding, today: datetime.date | None = None) -> dict:
    return {
        "id": finding.pk,
        "area": finding.area.number,
        "area_title": finding.area.title,
        "question": finding.question.code if finding.question_id else None,
        "text": finding.text,
        "actions": [action_json(a, today) for a in finding.actions.all()],
    }


def plan_json(plan: Plan) -> dict:
    m = plan.municipality
    return {
        "municipality": {"country": m.country, "code": m.code, "name": m.name},
        "evaluation": (
            {"id": plan.evaluation.pk, "year": plan.evaluation.year, "framework": plan.evaluation.framework.code}
            if plan.evaluation else None
        ),
        "public": plan.public,
        "improvements": [improvement_json(f, plan.today) for f in plan.improvements],
    }


# --- follow-up in the next evaluation -------------------------------------------------


def previous_for_followup(evaluation: Evaluation) -> Evaluation | None:
    """The published evaluation before this one whose improvement areas it follows up:
    the latest on the same version (its scores compare), else the latest on any."""
    earlier = Evaluation.objects.filter(
        municipality_id=evaluation.municipality_id, status=Status.PUBLISHED, year__lt=evaluation.year
    ).select_related("framework", "municipality").order_by("-year", "-pk")
    return earlier.filter(framework_id=evaluation.framework_id).first() or earlier.first()


@dataclass
class FollowupItem:
    improvement: Finding
    area_change: Decimal | None
    question_change: Decimal | None


@dataclass
class Followup:
    evaluation: Evaluation
    previous: Evaluation | None
    comparable: bool
    items: list[FollowupItem]
    today: datetime.date

    def for_area(self, number: int) -> list[FollowupItem]:
        return [i for i in self.items if i.improvement.area.number == number]


def followup_get(evaluation: Evaluation, *, today: datetime.date | None = None) -> Followup:
    """Every improvement area of the previous evaluation with its actions, and the change
    of its area's (and sub-question's) score since then: None while the new evaluation
    has no score for it, or when the versions differ (their scales do not compare)."""
    today = today or datetime.date.today()
    previous = previous_for_followup(evaluation)
    if previous is None:
        return Followup(evaluation, None, False, [], today)
    comparable = previous.framework_id == evaluation.framework_id
    areas: dict[int, Decimal | None] = {}
    questions: dict[str, Decimal | None] = {}
    if comparable:
        earlier, later = evaluation_result(previous), evaluation_result(evaluation)
        areas = {number: delta.value for number, delta in compare(earlier, later).areas.items()}
        for old_area, new_area in zip(earlier.areas, later.areas):
            for old, new in zip(old_area.questions, new_area.questions):
                if old.score.known and new.score.known:
                    questions[old.question.id] = new.score.score - old.score.score
    items = [
        FollowupItem(
            improvement=finding,
            area_change=areas.get(finding.area.number),
            question_change=questions.get(finding.question.code) if finding.question_id else None,
        )
        for finding in improvements_with_actions(previous)
    ]
    return Followup(evaluation, previous, comparable, items, today)


def followup_json(followup: Followup) -> dict:
    e, p = followup.evaluation, followup.previous
    return {
        "evaluation": {"id": e.pk, "year": e.year, "framework": e.framework.code, "municipality": e.municipality.code},
        "previous": {"id": p.pk, "year": p.year, "framework": p.framework.code} if p else None,
        "comparable": followup.comparable,
        "improvements": [
            {
                **improvement_json(item.improvement, followup.today),
                "area_change": scoring.format_points(item.area_change),
                "question_change": scoring.format_points(item.question_change),
            }
            for item in followup.items
        ],
    }
