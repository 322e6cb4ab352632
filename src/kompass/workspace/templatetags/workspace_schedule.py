"""The plan and deadlines in any workspace page, without its view's help: the partials
``_schedule.html``, ``_deadline_note.html`` and ``_deadlines_cell.html`` ask here."""

from django import template

from kompass.workspace import schedule as plans
from kompass.workspace.access import Need, needs_of

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_of(context, evaluation):
    """The overview's plan, with the form's values when the user may change it."""
    user = context["request"].user
    plan = plans.plan(evaluation, user)
    plan.editable = Need.MANAGE in needs_of(user, evaluation) and not evaluation.is_published
    if plan.editable:
        values = {name: value.isoformat() if value else "" for name, value in plans.schedule_values(plan.schedule).items()}
        plan.fields = plans.form_fields(values)
        plan.base = plans.schedule_fingerprint(plan.schedule)
    return plan


@register.simple_tag(takes_context=True)
def deadline_of(context, evaluation, kind):
    """The deadline of ``kind`` ("answers" or "scores") for the user, or None, with the
    words it is put in: the contact answers, the others are told when the answers come."""
    from django.utils.translation import gettext as _

    user = context["request"].user
    found = plans.deadline(evaluation, kind, user)
    if found is not None:
        if kind == plans.SCORES:
            found.phrase = _("Lämna in senast %(day)s")
        elif Need.PREVISIT_ANSWER in needs_of(user, evaluation):
            found.phrase = _("Svara senast %(day)s")
        else:
            found.phrase = _("Kommunen svarar senast %(day)s")
        found.phrase = found.phrase % {"day": found.due_text}
    return found


@register.simple_tag(takes_context=True)
def next_deadline_of(context, evaluation):
    """A dashboard row's first deadline not yet met, or None."""
    return plans.next_deadline(evaluation, context["request"].user)


@register.filter
def plan_label(name):
    return plans.field_labels().get(name, name)
