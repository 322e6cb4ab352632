"""Writes to action plans. The web pages and the command line come through here.

Each write is one transaction that locks the evaluation the improvement area belongs to,
validates everything before it changes anything, and records the change in that
evaluation's audit trail. Bad input is a ``ValidationError`` naming the field; nothing
is saved then."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.actions.models import KOLADA_KPI, Action, ActionNote, ActionPlan, ActionStatus
from kompass.days import iso_day
from kompass.evaluations.models import Evaluation, Finding, FindingKind, Status
from kompass.evaluations.scopes import municipality_scope
from kompass.evaluations.summaries import data_version_raise
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.workspace.access import role_of
from kompass.workspace.models import Role
from kompass.workspace.guards import audit, clean_text

TITLE_MAX = Action._meta.get_field("title").max_length
OWNER_MAX = Action._meta.get_field("owner").max_length
INDICATOR_MAX = Action._meta.get_field("indicator").max_length

# Statuses by their code and by their Swedish name, as people type them.
_STATUS_NAMES = {s.value: s for s in ActionStatus} | {str(s.label).lower(): s for s in ActionStatus}


def may_edit_plan(user, municipality: Municipality) -> bool:
    """An administrator edits every plan; a municipality's contact edits their own."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.MUNICIPALITY and user.profile.municipality_id == municipality.pk


def parse_status(value) -> ActionStatus:
    status = _STATUS_NAMES.get(str(value or "").strip().lower())
    if status is None:
        known = ", ".join(f"{s.value} ({s.label})" for s in ActionStatus)
        raise ValidationError(_("status: okänd status %(value)r (kända: %(known)s)") % {"value": value, "known": known})
    return status


def parse_date(value, field: str) -> datetime.date | None:
    """A date typed as YYYY-MM-DD; empty means none."""
    if value is None or isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return iso_day(text)
    except ValueError:
        raise ValidationError(_("%(field)s: %(value)r är inget datum (skriv ÅÅÅÅ-MM-DD)") % {"field": field, "value": text}) from None


def _short(value, field: str, limit: int) -> str:
    value = " ".join(clean_text(value, field).split())
    if len(value) > limit:
        raise ValidationError(_("%(field)s: högst %(max)s tecken (här %(length)s)") % {"field": field, "max": limit, "length": len(value)})
    return value


def _indicator(value) -> str:
    value = _short(value, _("indikator"), INDICATOR_MAX)
    # A Kolada id is written the way Kolada writes it, whatever the case typed.
    return value.upper() if re.fullmatch(KOLADA_KPI, value.upper()) else value


def _check_dates(start, due) -> None:
    if start and due and due < start:
        raise ValidationError(
            _("klar senast: %(due)s ligger före start %(start)s") % {"due": due.isoformat(), "start": start.isoformat()}
        )


def _improvement(improvement_id, by) -> Finding:
    """The improvement area of a published evaluation, locked through its evaluation."""
    finding = None
    if str(improvement_id).strip().isdigit():
        finding = Finding.objects.select_related("evaluation__municipality", "area").filter(
            pk=int(str(improvement_id).strip()), kind=FindingKind.IMPROVEMENT
        ).first()
    if finding is None:
        raise ValidationError(_("förbättringsområde %(id)s finns inte") % {"id": improvement_id})
    _check_editor(by, finding.evaluation.municipality)
    Evaluation.objects.select_for_update().filter(pk=finding.evaluation_id).first()
    if finding.evaluation.status != Status.PUBLISHED:
        raise ValidationError(
            _("förbättringsområde %(id)s hör till en utvärdering som inte är publicerad; åtgärder hör till publicerade utvärderingar")
            % {"id": improvement_id}
        )
    return finding


def _action(action_id, by) -> Action:
    action = None
    if str(action_id).strip().isdigit():
        action = Action.objects.select_related("improvement__evaluation__municipality", "improvement__area").filter(
            pk=int(str(action_id).strip())
        ).first()
    if action is None:
        raise ValidationError(_("åtgärd %(id)s finns inte") % {"id": action_id})
    _check_editor(by, action.improvement.evaluation.municipality)
    Evaluation.objects.select_for_update().filter(pk=action.improvement.evaluation_id).first()
    return Action.objects.select_for_update().select_related("improvement__evaluation__municipality", "improvement__area").get(pk=action.pk)


def _check_editor(by, municipality: Municipality) -> None:
    """``by`` None is the command line, run by whoever runs the server."""
    if by is not None and not may_edit_plan(by, municipality):
        raise ValidationError(_("du får inte ändra %(municipality)s handlingsplan") % {"municipality": municipality.name})


def _label(action: Action) -> str:
    return _("handlingsplan, område %(area)s · åtgärd %(id)s") % {"area": action.improvement.area.number, "id": action.pk}


@transaction.atomic
def action_add(
    *, improvement_id, by=None, title, description="", owner="", start=None, due=None, status=ActionStatus.NOT_STARTED, indicator=""
) -> Action:
    improvement = _improvement(improvement_id, by)
    title = _short(title, _("åtgärd"), TITLE_MAX)
    if not title:
        raise ValidationError(_("åtgärd: en åtgärd behöver en rubrik"))
    start, due = parse_date(start, _("start")), parse_date(due, _("klar senast"))
    _check_dates(start, due)
    action = Action(
        improvement=improvement,
        position=(improvement.actions.order_by("-position").values_list("position", flat=True).first() or 0) + 1,
        title=title,
        description=clean_text(description, _("beskrivning")),
        owner=_short(owner, _("ansvarig"), OWNER_MAX),
        start=start,
        due=due,
        status=parse_status(status),
        indicator=_indicator(indicator),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    action.save()
    audit(improvement.evaluation, by, _label(action), "", f"{action.title} ({action.get_status_display()})")
    return action


EDITABLE = ("title", "description", "owner", "start", "due", "status", "indicator")


@transaction.atomic
def action_update(*, action_id, by=None, **fields) -> Action:
    """Change any of an action's fields (``EDITABLE``); the others stay as they are."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("okända fält: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    action = _action(action_id, by)
    new = {name: getattr(action, name) for name in EDITABLE}
    if "title" in fields:
        new["title"] = _short(fields["title"], _("åtgärd"), TITLE_MAX)
        if not new["title"]:
            raise ValidationError(_("åtgärd: en åtgärd behöver en rubrik"))
    if "description" in fields:
        new["description"] = clean_text(fields["description"], _("beskrivning"))
    if "owner" in fields:
        new["owner"] = _short(fields["owner"], _("ansvarig"), OWNER_MAX)
    if "start" in fields:
        new["start"] = parse_date(fields["start"], _("start"))
    if "due" in fields:
        new["due"] = parse_date(fields["due"], _("klar senast"))
    if "status" in fields:
        new["status"] = parse_status(fields["status"])
    if "indicator" in fields:
        new["indicator"] = _indicator(fields["indicator"])
    _check_dates(new["start"], new["due"])
    changed = [name for name in EDITABLE if getattr(action, name) != new[name]]
    for name in changed:
        audit(action.improvement.evaluation, by, f"{_label(action)} · {Action._meta.get_field(name).verbose_name}", getattr(action, name), new[name])
        setattr(action, name, new[name])
    if changed:
        action.save()
    return action


@transaction.atomic
def action_status_set(*, action_id, by=None, status, note: str = "", date=None) -> Action:
    """A new status, with an optional dated progress note that records it."""
    action = _action(action_id, by)
    status = parse_status(status)
    note = clean_text(note, _("anteckning"))
    date = parse_date(date, _("datum")) or datetime.date.today()
    if action.status != status:
        audit(action.improvement.evaluation, by, f"{_label(action)} · {_('status')}", action.get_status_display(), status.label)
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    if note:
        _note(action, by, note, date, status)
    return action


@transaction.atomic
def action_note_add(*, action_id, by=None, text: str, date=None) -> ActionNote:
    action = _action(action_id, by)
    text = clean_text(text, _("anteckning"))
    if not text:
        raise ValidationError(_("anteckning: skriv vad som har hänt"))
    return _note(action, by, text, parse_date(date, _("datum")) or datetime.date.today(), "")


def _note(action: Action, by, text: str, date: datetime.date, status: str) -> ActionNote:
    note = ActionNote.objects.create(
        action=action, date=date, text=text, status=status, created_by=by if by is not None and by.is_authenticated else None
    )
    audit(action.improvement.evaluation, by, f"{_label(action)} · {_('anteckning')} {date.isoformat()}", "", text)
    return note


@transaction.atomic
def action_delete(*, action_id, by=None) -> None:
    """Remove an action added by mistake, its notes with it; the audit trail keeps it."""
    action = _action(action_id, by)
    audit(action.improvement.evaluation, by, _label(action), f"{action.title} ({action.get_status_display()})", _("borttagen"))
    action.delete()


@transaction.atomic
def plan_publish_set(*, municipality: Municipality, by=None, public: bool) -> ActionPlan:
    _check_editor(by, municipality)
    plan, _created = ActionPlan.objects.select_for_update().get_or_create(municipality=municipality)
    if plan.public != public:
        plan.public = public
        plan.save()
        # The municipality's public page links to a published plan and its reports show the
        # follow-up: a new version of its scope, so they show (or drop) it at once.
        data_version_raise([municipality_scope(municipality.pk)])
    return plan
