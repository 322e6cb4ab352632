"""An evaluation's plan: the visit as planned and the deadlines for the municipality's
answers, the evaluators' independent scores and the publication. Set by the lead
evaluator or an administrator until the evaluation is published; every change audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.days import ISO_DAY, iso_day
from kompass.evaluations.models import Evaluation
from kompass.i18n import _
from kompass.workspace.guards import UNPUBLISHED, Conflict, audit, locked, refuse_unless, refuse_unless_manager
from kompass.workspace.models import Schedule
from kompass.workspace.schedule import DATE_FIELDS, day_text, field_labels, schedule_fingerprint, schedule_values, today

EARLIEST, LATEST = 2000, 2100  # a day outside is a slip of the keyboard (input type=date allows five-digit years)


def day_parse(typed, label: str) -> datetime.date | None:
    """A day as typed ("2027-03-12", what ``<input type="date">`` sends); empty is None."""
    if typed is None or isinstance(typed, datetime.date):
        return typed
    typed = str(typed).strip()
    if not typed:
        return None
    # the label in the message: the error summary lists it without the field beside it
    example = _("Skriv ”%(label)s” som år-månad-dag, till exempel 2027-03-12") % {"label": label}
    if not ISO_DAY.fullmatch(typed):
        raise ValidationError(example)
    try:
        day = iso_day(typed)
    except ValueError:
        raise ValidationError(_("Det finns inget datum %(typed)s. %(example)s") % {"typed": typed, "example": example}) from None
    if not EARLIEST <= day.year <= LATEST:
        raise ValidationError(_("%(label)s: året %(year)s kan inte stämma") % {"label": label, "year": day.year})
    return day


def schedule_problems(values: dict) -> dict[str, list[str]]:
    """What makes a plan impossible, per field: the visit's end before its start, the
    answers due after the scores, the scores due after the publication."""
    problems: dict[str, list[str]] = {}
    if values["visit_end"] and not values["visit_start"]:
        problems["visit_start"] = [_("Skriv besökets första dag också (samma dag om besöket är en dag)")]
    elif values["visit_end"] and values["visit_end"] < values["visit_start"]:
        problems["visit_end"] = [_("Besökets sista dag kan inte ligga före den första (%(start)s)") % {"start": day_text(values["visit_start"])}]
    if values["answers_due"] and values["scores_due"] and values["answers_due"] > values["scores_due"]:
        problems["answers_due"] = [
            _("Kommunens svar behövs senast samma dag som utvärderarnas poäng (%(day)s): välj ett tidigare datum")
            % {"day": day_text(values["scores_due"])}
        ]
    if values["scores_due"] and values["publish_due"] and values["scores_due"] > values["publish_due"]:
        problems["scores_due"] = [
            _("Poängen behövs senast samma dag som publiceringen (%(day)s): välj ett tidigare datum") % {"day": day_text(values["publish_due"])}
        ]
    return problems


def schedule_warnings(values: dict, changed: set[str], *, on: datetime.date | None = None) -> list[tuple[str, str]]:
    """What is allowed but probably not meant, as (field, message): a day just set that
    has already passed, answers due after the visit has begun."""
    on = on or today()
    labels = field_labels()
    warnings = [
        (name, _("%(label)s: %(day)s har redan passerat") % {"label": labels[name], "day": day_text(values[name])})
        for name in DATE_FIELDS if name in changed and values[name] and values[name] < on
    ]
    if values["answers_due"] and values["visit_start"] and values["answers_due"] > values["visit_start"] and changed & {"answers_due", "visit_start"}:
        warnings.append(("answers_due", _("Kommunens svar kommer först efter att besöket har börjat (%(day)s)") % {"day": day_text(values["visit_start"])}))
    return warnings


@transaction.atomic
def schedule_set(*, evaluation: Evaluation, by, base: str | None = None, **typed) -> tuple[Schedule, list[tuple[str, str]]]:
    """Save the plan (every date, as one form shows them; empty clears a date). Refused
    with a ``ValidationError`` per field when a date cannot be read or the order is
    impossible, with ``Conflict`` when someone else changed the plan since ``base``.
    Returns the plan and its warnings (see ``schedule_warnings``)."""
    unknown = sorted(set(typed) - set(DATE_FIELDS))
    if unknown:
        raise TypeError(f"schedule_set: unknown fields {', '.join(unknown)}")
    evaluation = locked(evaluation)
    refuse_unless_manager(evaluation, by, _("ändra tidsplanen"))
    refuse_unless(evaluation, UNPUBLISHED, _("att ändra tidsplanen"))
    labels = field_labels()
    values, problems = {}, {}
    for name in DATE_FIELDS:
        try:
            values[name] = day_parse(typed.get(name), labels[name])
        except ValidationError as exc:
            problems[name] = list(exc.messages)
            values[name] = None
    for name, messages in schedule_problems(values).items():  # the order of the dates that could be read
        problems.setdefault(name, messages)
    if problems:
        raise ValidationError(problems)
    schedule = Schedule.objects.select_for_update().filter(evaluation=evaluation).first()
    if base is not None and schedule_fingerprint(schedule) != base:
        raise Conflict(_("Tidsplanen"), schedule_values(schedule), values)
    old = schedule_values(schedule)
    changed = {name for name in DATE_FIELDS if old[name] != values[name]}
    for name in DATE_FIELDS:
        audit(evaluation, by, _("tidsplan · %(field)s") % {"field": labels[name].lower()}, old[name], values[name])
    if schedule is None:
        schedule = Schedule.objects.create(evaluation=evaluation, **values)
    elif changed:
        for name in changed:
            setattr(schedule, name, values[name])
        schedule.save(update_fields=sorted(changed))
    return schedule, schedule_warnings(values, changed)
