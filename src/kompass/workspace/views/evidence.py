"""The evaluators' register of evidence and its files: adding, editing and removing items,
each linked to its sub-questions (or areas) through a checklist."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass.days import iso_day
from kompass.evaluations.models import Status
from kompass.workspace import selectors, services, units
from kompass.workspace.access import Need
from kompass.workspace.guards import Conflict
from kompass.workspace.models import Evidence, EvidenceKind
from kompass.workspace.views.common import download, evaluation_or_404, refused, uploads_max_mb


def _day(posted, errors: list) -> datetime.date | None:
    try:
        return iso_day(posted.get("date", "").strip())
    except ValueError:
        errors.append(("date", _("Skriv datumet som år-månad-dag, till exempel %(today)s") % {"today": datetime.date.today().isoformat()}))
        return None


def _fields(posted) -> dict:
    return {
        "title": posted.get("title", ""), "interviewee": posted.get("interviewee", ""), "url": posted.get("url", ""),
        "notes": posted.get("notes", ""), "question_codes": posted.getlist("questions"),
    }


# The form's fields by the name a message starts with ("datum: …"), or by a message dict's key.
FIELDS = {"datum": "date", "date": "date", "titel": "title", "title": "title", "roll eller grupp": "interviewee", "interviewee": "interviewee",
          "fil": "file", "file": "file", "adress": "url", "url": "url", "anteckningar": "notes", "notes": "notes", "slag": "kind", "kind": "kind",
          "delfråga": "questions", "område": "questions", "questions": "questions"}


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) for each problem; the field is "" where none can be told."""
    if hasattr(exc, "error_dict"):
        return [(FIELDS.get(key, ""), capfirst(message)) for key, errors in exc.error_dict.items() for e in errors for message in e.messages]
    return [(next((f for prefix, f in FIELDS.items() if message.lower().startswith(prefix)), ""), capfirst(message)) for message in exc.messages]


def _form_context(evaluation, posted, errors) -> dict:
    """What the add and the edit form share: the checklist of units and what is ticked."""
    chosen = set(posted.getlist("questions")) if hasattr(posted, "getlist") else set(posted.get("questions", ()))
    blocks = selectors.area_blocks(evaluation)
    pairs = [e if isinstance(e, tuple) else ("", e) for e in errors]
    field_errors: dict[str, str] = {}
    for name, message in pairs:
        if name:
            field_errors[name] = f"{field_errors[name]} {message}" if name in field_errors else message
    return {
        "evaluation": evaluation,
        "area_level": units.is_area_level(evaluation.framework.definition),
        "blocks": blocks,
        "chosen": chosen,
        "chosen_keys": [row.unit.key for block in blocks for row in block.units if row.unit.key in chosen],
        "errors": [(f"ev-{name}" if name else "", message) for name, message in pairs],
        "field_errors": field_errors,
        "posted": posted,
        "max_mb": uploads_max_mb(),
        "today": datetime.date.today().isoformat(),
    }


@login_required
def evidence(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.EVIDENCE)
    errors, posted = [], {}
    if request.method == "POST":
        posted = request.POST
        day = _day(posted, errors)
        if not errors:
            try:
                item = services.evidence_add(
                    evaluation=evaluation, by=request.user, kind=posted.get("kind", ""), date=day,
                    upload=request.FILES.get("file"), **_fields(posted),
                )
                return redirect(reverse("workspace:evidence", args=[pk]) + f"#e-{item.pk}")
            except ValidationError as exc:
                errors = _messages(exc)
    context = _form_context(evaluation, posted, errors)
    context.update(
        items=Evidence.objects.filter(evaluation=evaluation).prefetch_related("questions", "areas"),
        kinds=EvidenceKind.choices,
        editable=evaluation.status != Status.PUBLISHED,
        changed=request.GET.get("andrat", ""),
    )
    return render(request, "workspace/evidence.html", context, status=400 if errors else 200)


@login_required
def evidence_edit(request, pk, evidence_id):
    """One item's own form: every field but its kind, the links as a checklist, a new
    file optional. Refusals keep what was typed; a change someone else made meanwhile
    is refused and shown."""
    evaluation = evaluation_or_404(request, pk, Need.EVIDENCE)
    item = Evidence.objects.filter(evaluation=evaluation, pk=evidence_id).prefetch_related("questions", "areas").first()
    if item is None or evaluation.status == Status.PUBLISHED:
        raise Http404
    state = services.evidence_state(item)
    errors, conflict = [], False
    if request.method == "POST":
        posted = request.POST
        day = _day(posted, errors)
        if not errors:
            try:
                services.evidence_update(
                    evaluation=evaluation, evidence_id=item.pk, by=request.user, date=day,
                    upload=request.FILES.get("file"), base=posted.get("base"), **_fields(posted),
                )
                return redirect(reverse("workspace:evidence", args=[pk]) + f"?andrat={item.pk}#e-{item.pk}")
            except Conflict as exc:  # the form shows what is stored now, so a new save is a knowing one
                errors, conflict = list(exc.args), True
                item = Evidence.objects.prefetch_related("questions", "areas").get(pk=item.pk)
                state = services.evidence_state(item)
                posted = _stored(state)
            except ValidationError as exc:
                errors = _messages(exc)
    else:
        posted = _stored(state)
    context = _form_context(evaluation, posted, errors)
    context.update(item=item, base=services.fingerprint(state), conflict=conflict)
    return render(request, "workspace/evidence_edit.html", context, status=(409 if conflict else 400) if errors else 200)


def _stored(state: dict) -> dict:
    return {k: state[k] for k in ("date", "title", "interviewee", "url", "notes")} | {"questions": state["links"]}


@login_required
def evidence_file(request, pk, evidence_id):
    evaluation = evaluation_or_404(request, pk, Need.EVIDENCE)
    return download(Evidence.objects.filter(evaluation=evaluation, pk=evidence_id).exclude(file_name="").first())


@login_required
@require_POST
def evidence_remove(request, pk, evidence_id):
    evaluation = evaluation_or_404(request, pk, Need.EVIDENCE)
    try:
        services.evidence_remove(evaluation=evaluation, evidence_id=evidence_id, by=request.user)
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    return redirect(reverse("workspace:evidence", args=[pk]) + "#register")
