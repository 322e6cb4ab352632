"""The municipality's pages: its pre-visit answers, attachments and self-assessment, and
after publishing its self-assessment against the evaluators' scores."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass import scoring
from kompass.evaluations.models import Status
from kompass.workspace import progress, selectors, services, units
from kompass.workspace.access import Need, allowed
from kompass.workspace.charts import gap_chart
from kompass.workspace.guards import fingerprint
from kompass.workspace.models import PrevisitAttachment
from kompass.workspace.views.common import download, evaluation_or_404, save_in_place, unit_or_404, uploads_max_mb
from kompass.workspace.views.texts import text_save


@login_required
def previsit_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_READ)
    may_answer = allowed(request.user, evaluation, Need.PREVISIT_ANSWER)
    errors = []
    if request.method == "POST" and may_answer:
        try:
            key = request.POST.get("question", "")
            services.previsit_attachment_add(
                evaluation=evaluation, by=request.user, upload=request.FILES.get("file"),
                **units.kwargs_of(key),  # an unknown one is refused by name
            )
            return redirect(reverse("workspace:previsit", args=[pk]) + f"#p-{request.POST.get('question', '')}")
        except ValidationError as exc:
            errors = list(exc.messages)
    elif request.method == "POST":
        raise Http404
    blocks = selectors.area_blocks(evaluation)
    for block in blocks:
        for row in block.units:  # the self-assessment form's fingerprint, beside the answer's
            row.self_base = _self_base(row.answer.self_score if row.answer else None, row.answer.self_comment if row.answer else "")
    context = {
        "evaluation": evaluation,
        "blocks": blocks,
        "may_answer": may_answer,
        "open": may_answer and evaluation.status in services.PREVISIT_OPEN,
        "errors": errors,
        "max_mb": uploads_max_mb(),
        "area_level": units.is_area_level(evaluation.framework.definition),
        "progress": progress.unit_progress(blocks, "previsit", request.GET.get(progress.FILTER_PARAM, "")),
    }
    return render(request, "workspace/previsit.html", context, status=400 if errors else 200)


@login_required
def previsit_file(request, pk, attachment_id):
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_READ)
    return download(PrevisitAttachment.objects.filter(answer__evaluation=evaluation, pk=attachment_id).first())


@login_required
@require_POST
def previsit_save(request, pk, code):
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_ANSWER)
    unit = unit_or_404(evaluation, code)
    return text_save(
        request, evaluation, anchor=f"p-{code}",
        save=lambda text, base: services.previsit_answer_set(evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), text=text, base=base),
        read=lambda row: row.text, label=_("Kommunens svar"), page=reverse("workspace:previsit", args=[pk]),
    )


def _self_base(score, comment) -> str:
    return fingerprint({"score": scoring.format_points(score), "comment": comment})


@login_required
@require_POST
def self_assessment_save(request, pk, code):
    """The municipality's self-score and comment for one sub-question (or area), saved in place."""
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_ANSWER)
    unit = unit_or_404(evaluation, code)
    data = request.POST
    return save_in_place(
        request, evaluation, template="workspace/_self_assessment_form.html", anchor=f"s-{code}", page=reverse("workspace:previsit", args=[pk]),
        context={"evaluation": evaluation, "unit": unit, "code": code, "score": data.get("score", ""),
                 "comment": data.get("comment", ""), "base": data.get("base", ""), "open": True},
        save=lambda: services.self_assessment_set(
            evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), score=data.get("score"),
            comment=data.get("comment", ""), base=data.get("base"),
        ),
        shown=lambda row: {"score": row.self_score if row.self_score is not None else "", "comment": row.self_comment,
                           "base": _self_base(row.self_score, row.self_comment)},
    )


@login_required
def gaps_page(request, pk):
    """After publication: the municipality's self-assessment against the evaluators'
    scores, per area and sub-question, the largest gap first. Before publication the
    page says when it will be shown (to those who may see it; 404 to everyone else)."""
    from kompass.workspace.gaps import evaluation_gaps

    evaluation = evaluation_or_404(request, pk, Need.GAPS)
    context = {"evaluation": evaluation, "published": evaluation.status == Status.PUBLISHED}
    if context["published"]:
        result = evaluation_gaps(evaluation)
        context.update(gaps=result, chart=gap_chart(result) if result.areas else None)
    return render(request, "workspace/gaps.html", context)
