"""Confirmation pages for the two steps that cannot be undone: an evaluator's hand-in of
their own scores, and publishing. Each shows what will be final and what is missing (as
links to the fields), and acts only on an explicit confirmation; a refusal answers with
the same page and the reasons."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompass.evaluations.models import Status
from kompass.evaluations.selectors import evaluation_result
from kompass.workspace import selectors, services, units
from kompass.workspace.access import Need
from kompass.workspace.views.common import evaluation_or_404

CONFIRM = "confirm"  # the checkbox that says "yes, I mean it"


def _attempt(request, write) -> tuple[bool, list, str]:
    """Run ``write`` when the confirmation is ticked: (done, the refusal's messages,
    the confirmation's own error)."""
    if request.POST.get(CONFIRM) != "1":
        return False, [], _("Kryssa i rutan för att bekräfta. Steget går inte att ångra.")
    try:
        write()
    except ValidationError as exc:
        return False, list(exc.messages), ""
    return True, [], ""


@login_required
@require_http_methods(["GET", "POST"])
def handin(request, pk):
    """GET: what the evaluator's hand-in will make final; POST: hand in (confirmed)."""
    evaluation = evaluation_or_404(request, pk, Need.SCORE)
    refusal, confirm_error = [], ""
    if request.method == "POST":
        done, refusal, confirm_error = _attempt(request, lambda: services.scoring_submit(evaluation=evaluation, user=request.user))
        if done:
            return redirect("workspace:scoring", evaluation.pk)
    assignment = evaluation.assignments.filter(user=request.user).first()
    blocks = selectors.area_blocks(evaluation, user=request.user)
    problems = services.handin_problems(evaluation, request.user)
    rows = [row for block in blocks for row in block.units]
    complete = sum(1 for row in rows if row.mine is not None and row.mine.score is not None and row.mine.justification)
    area_level = units.is_area_level(evaluation.framework.definition)
    if assignment is not None and assignment.submitted_at is not None:
        reason = _("Du lämnade in dina poäng %(at)s.") % {"at": formats.date_format(timezone.localtime(assignment.submitted_at), "j F Y H:i")}
    elif evaluation.status not in (Status.COLLECTING, Status.SCORING):
        reason = _("Poäng lämnas in när utvärderingen har status insamling eller poängsättning (nu: %(status)s).") % {
            "status": evaluation.get_status_display()}
    elif problems:
        reason = (_("Du kan lämna in när alla områden har poäng och motivering.") if area_level
                  else _("Du kan lämna in när alla delfrågor har poäng och motivering.")) + " " + _("Det som saknas står i listan.")
    else:
        reason = ""
    if confirm_error and reason:  # not allowed anyway: say why, not "tick the box"
        refusal, confirm_error = [reason], ""
    for block in blocks:  # the sum an evaluator hands in per area, where every unit has a score
        given = [row.mine.score for row in block.units if row.mine is not None and row.mine.score is not None]
        block.mine_total = sum(given) if len(given) == len(block.units) else None
    context = {
        "evaluation": evaluation, "blocks": blocks, "problems": problems, "summary_errors": _summary(refusal, confirm_error, problems),
        "reason": reason, "confirm_error": confirm_error, "complete": complete, "count": len(rows), "area_level": area_level,
    }
    return render(request, "workspace/confirm_handin.html", context, status=400 if refusal or confirm_error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    """GET: what publishing will make public; POST: publish (confirmed)."""
    evaluation = evaluation_or_404(request, pk, Need.MANAGE)
    refusal, confirm_error = [], ""
    if request.method == "POST":
        done, refusal, confirm_error = _attempt(request, lambda: services.publish(evaluation=evaluation, by=request.user))
        if done:
            return redirect("workspace:overview", evaluation.pk)
    return publish_page(request, evaluation, refusal=refusal, confirm_error=confirm_error)


def publish_page(request, evaluation, *, refusal=(), confirm_error=""):
    problems = services.publish_problems(evaluation) if evaluation.status != Status.PUBLISHED else []
    if evaluation.status == Status.PUBLISHED:
        reason = _("Utvärderingen är redan publicerad. Ändringar görs nu som rättelser.")
    elif evaluation.status != Status.CONSENSUS:
        reason = _("Publicering är möjlig när utvärderingen har status konsensus (nu: %(status)s).") % {
            "status": evaluation.get_status_display()}
    elif problems:
        reason = _("Du kan publicera när inget saknas. Det som saknas står i listan.")
    else:
        reason = ""
    if confirm_error and reason:  # not allowed anyway: say why, not "tick the box"
        refusal, confirm_error = [reason], ""
    texts = {b.area.number: b.assessment for b in selectors.area_blocks(evaluation, with_texts=True)}
    result = evaluation_result(evaluation, public=True)
    areas = [
        {"area": a.area, "score": a.score, "general": bool(texts.get(a.area.number) and texts[a.area.number].general_text.strip())}
        for a in result.areas
    ]
    context = {
        "evaluation": evaluation, "problems": problems, "summary_errors": _summary(refusal, confirm_error, problems), "reason": reason,
        "confirm_error": confirm_error, "total": result.total, "areas": areas,
        "visit_month": datetime.date(evaluation.year, evaluation.month, 1) if evaluation.month else None,
        "evaluators": list(evaluation.evaluators.all()),
    }
    return render(request, "workspace/confirm_publish.html", context, status=400 if refusal or confirm_error else 200)


def _summary(refusal: list[str], confirm_error: str, problems: list) -> list:
    """The error summary of a refused attempt: why it was refused (a missing item as the
    link to the list of what is missing, which links on to each field), or the unticked
    confirmation."""
    if confirm_error:
        return [{"message": confirm_error, "anchor": "confirm"}]
    shown = {str(p) for p in problems}
    items = [m for m in refusal if m not in shown]
    if problems and len(items) < len(refusal):
        items.append({"message": _("Det gick inte, eftersom något fortfarande saknas: se listan nedan, med en länk till varje fält."), "anchor": "saknas"})
    return items
