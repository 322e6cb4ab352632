"""The texts page: each area's texts and lists, each sub-question's text, the follow-up
of the previous evaluation's improvement areas; every field saved in place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass.actions.selectors import followup_get
from kompass.evaluations.models import FindingKind, Status
from kompass.workspace import progress, selectors, services
from kompass.workspace.access import Need
from kompass.workspace.guards import fingerprint
from kompass.workspace.views.common import evaluation_or_404, is_htmx, question_or_404, refused, save_in_place


@login_required
def texts_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    previous = selectors.previous_evaluation(evaluation)
    blocks = selectors.area_blocks(evaluation, with_texts=True)
    followup = followup_get(evaluation)
    if followup.comparable:
        changes = {item.improvement.area.number: item.area_change for item in followup.items}
        for block in blocks:
            block.area_change = changes.get(block.area.number)
    context = {
        "evaluation": evaluation,
        "blocks": blocks,
        "previous": previous,
        "open": evaluation.status != Status.PUBLISHED,
        "list_kinds": selectors.LISTS,
        "progress": progress.texts_progress(blocks, previous=previous is not None, chosen=request.GET.get(progress.FILTER_PARAM, "")),
    }
    return render(request, "workspace/texts.html", context)


def text_save(request, evaluation, *, anchor, save, read, label, page):
    """One free text saved in place: ``save(text, base)`` returns the row, ``read`` its text."""
    text, base = request.POST.get("text", ""), request.POST.get("base")
    return save_in_place(
        request, evaluation, template="workspace/_text_form.html", anchor=anchor, page=page,
        context={"id": anchor, "action": request.path, "label": label, "text": text, "base": base or "", "open": True},
        save=lambda: save(text, base), shown=lambda row: {"text": read(row), "base": fingerprint(read(row))},
    )


@login_required
@require_POST
def area_text_save(request, pk, number, field):
    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    if field not in ("general", "changes"):
        raise Http404
    return text_save(
        request, evaluation, anchor=f"a{number}-{field}",
        save=lambda text, base: services.area_text_set(evaluation=evaluation, by=request.user, area_number=number, field=field, text=text, base=base),
        read=lambda row: getattr(row, f"{field}_text"),
        label=_area_text_label(evaluation, field), page=reverse("workspace:texts", args=[pk]),
    )


def _area_text_label(evaluation, field: str) -> str:
    previous = selectors.previous_evaluation(evaluation)
    if field == "changes" and previous is not None:
        return _("Vad har hänt efter %(year)s?") % {"year": previous.year}
    return _("Allmänt") if field == "general" else _("Vad har hänt?")


@login_required
@require_POST
def question_text_save(request, pk, code):
    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    return text_save(
        request, evaluation, anchor=f"t-{code}",
        save=lambda text, base: services.question_text_set(evaluation=evaluation, by=request.user, question_code=code, text=text, base=base),
        read=lambda row: row.text, label=f"{code} {question_or_404(evaluation, code).text}", page=reverse("workspace:texts", args=[pk]),
    )


@login_required
@require_POST
def list_save(request, pk, number, kind):
    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    if kind not in FindingKind.values:
        raise Http404
    typed, base = request.POST.get("items", ""), request.POST.get("base")
    items = [line.strip() for line in typed.splitlines() if line.strip()]
    anchor = f"a{number}-{kind}"
    return save_in_place(
        request, evaluation, template="workspace/_list_form.html", anchor=anchor, page=reverse("workspace:texts", args=[pk]),
        context={"id": anchor, "action": request.path, "label": str(FindingKind(kind).label).capitalize(), "items_text": typed,
                 "base": base or "", "open": True, "list": True},
        save=lambda: services.findings_list_set(evaluation=evaluation, by=request.user, area_number=number, kind=kind, items=items, base=base),
        shown=lambda saved: {"items": saved, "items_text": "\n".join(saved), "base": fingerprint(saved)},
    )


@login_required
@require_POST
def follow_up_save(request, pk, item_id):
    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    try:
        item = services.follow_up_set(evaluation=evaluation, by=request.user, item_id=item_id, done=request.POST.get("done") == "1")
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    if is_htmx(request):
        return render(request, "workspace/_follow_up.html", {"item": item, "evaluation": evaluation, "open": True})
    return redirect(reverse("workspace:texts", args=[pk]) + f"#f-{item.pk}")
