"""The evaluators' register of evidence and its files."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass.evaluations.models import Status
from kompass.workspace import selectors, services, units
from kompass.workspace.access import Need
from kompass.workspace.models import Evidence, EvidenceKind
from kompass.workspace.views.common import download, evaluation_or_404, refused, uploads_max_mb


@login_required
def evidence(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.EVIDENCE)
    errors, posted = [], {}
    if request.method == "POST":
        posted = request.POST
        try:
            day = datetime.date.fromisoformat(posted.get("date", ""))
        except ValueError:
            day = None
            errors.append(_("datum: %(value)r är inget datum (ÅÅÅÅ-MM-DD)") % {"value": posted.get("date", "")})
        if not errors:
            try:
                services.evidence_add(
                    evaluation=evaluation, by=request.user, kind=posted.get("kind", ""), date=day,
                    title=posted.get("title", ""), interviewee=posted.get("interviewee", ""), url=posted.get("url", ""),
                    notes=posted.get("notes", ""), question_codes=posted.getlist("questions"), upload=request.FILES.get("file"),
                )
                return redirect(reverse("workspace:evidence", args=[pk]) + "#register")
            except ValidationError as exc:
                errors = list(exc.messages)
    context = {
        "evaluation": evaluation,
        "items": Evidence.objects.filter(evaluation=evaluation).prefetch_related("questions", "areas"),
        "area_level": units.is_area_level(evaluation.framework.definition),
        "kinds": EvidenceKind.choices,
        "blocks": selectors.area_blocks(evaluation),
        "errors": errors,
        "posted": posted,
        "editable": evaluation.status != Status.PUBLISHED,
        "max_mb": uploads_max_mb(),
        "today": datetime.date.today().isoformat(),
    }
    return render(request, "workspace/evidence.html", context, status=400 if errors else 200)


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
