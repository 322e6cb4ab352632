"""The plan's own page (``/arbete/ID/plan/``): the form the overview shows, on its own,
where a refused save comes back with every problem beside its field and what was typed,
and where a saved plan's warnings are shown."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from kompass.evaluations.models import Status
from kompass.workspace import schedule as plans
from kompass.workspace.access import Need
from kompass.workspace.guards import Conflict
from kompass.workspace.services.schedule import schedule_set
from kompass.workspace.views.common import evaluation_or_404


def _shown(values: dict) -> dict[str, str]:
    return {name: value.isoformat() if value else "" for name, value in values.items()}


@login_required
def schedule_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.MANAGE)
    schedule = plans.schedule_of(evaluation)
    context = {
        "evaluation": evaluation,
        "plan": plans.plan(evaluation, request.user),
        "fields": plans.form_fields(_shown(plans.schedule_values(schedule))),
        "base": plans.schedule_fingerprint(schedule),
        "editable": evaluation.status != Status.PUBLISHED,
    }
    if request.method != "POST":
        return render(request, "workspace/schedule.html", context)
    typed = {name: request.POST.get(name, "") for name in plans.DATE_FIELDS}
    try:
        saved, warnings = schedule_set(evaluation=evaluation, by=request.user, base=request.POST.get("base"), **typed)
    except Conflict as exc:
        # the other version beside what was typed; saving again saves over it knowingly
        current = plans.form_fields(_shown(exc.current))
        context.update(fields=plans.form_fields(typed), conflict=current, base=plans.schedule_fingerprint(plans.schedule_of(evaluation)))
        return render(request, "workspace/schedule.html", context, status=409)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field_errors = {name: " ".join(messages) for name, messages in exc.message_dict.items()}
            errors = [(f"plan-{name}", field_errors[name]) for name in plans.DATE_FIELDS if name in field_errors]
        else:
            field_errors, errors = {}, [("", message) for message in exc.messages]
        context.update(fields=plans.form_fields(typed, field_errors), errors=errors)
        return render(request, "workspace/schedule.html", context, status=400)
    if not warnings:
        return redirect(reverse("workspace:overview", args=[pk]) + "#plan")
    context.update(
        plan=plans.plan(evaluation, request.user), fields=plans.form_fields(_shown(plans.schedule_values(saved))),
        base=plans.schedule_fingerprint(saved), saved=True, warnings=warnings,
    )
    return render(request, "workspace/schedule.html", context)
