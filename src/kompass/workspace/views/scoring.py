"""Scoring pages: each evaluator's own scores, then consensus with the agreement between
them (also as CSV)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kompass import scoring
from kompass.csv_files import csv_attachment
from kompass.evaluations.models import Status
from kompass.workspace import progress, selectors, services, units
from kompass.workspace.access import Need
from kompass.workspace.exports import agreement_csv
from kompass.workspace.guards import fingerprint
from kompass.workspace.views.common import evaluation_or_404, refused, save_in_place, unit_or_404


def _score_base(score, note, key="justification") -> str:
    return fingerprint({"score": scoring.format_points(score), key: note})


def _score_save(request, evaluation, code: str, *, mode: str, is_open: bool, write):
    """A score and its note saved in place: an evaluator's own (``mode`` "independent",
    the note a justification) or the agreed one ("consensus", the note a rationale).
    ``write(unit, score, note, base)`` saves it through the service."""
    unit = unit_or_404(evaluation, code)
    data, code = request.POST, unit.key
    key, page = ("justification", "workspace:scoring") if mode == "independent" else ("rationale", "workspace:consensus")
    return save_in_place(
        request, evaluation, template="workspace/_score_form.html", anchor=f"q-{code}", page=reverse(page, args=[evaluation.pk]),
        context={"evaluation": evaluation, "code": code, "score": data.get("score", ""), "note": data.get("note", ""),
                 "base": data.get("base", ""), "mode": mode, "unit": unit, "open": is_open},
        save=lambda: write(unit, data.get("score"), data.get("note", ""), data.get("base")),
        shown=lambda row: {"score": row.score if row.score is not None else "", "note": getattr(row, key), "base": _score_base(row.score, getattr(row, key), key)},
    )


def _write_then_back(request, evaluation, write, page: str):
    """A button's write (submit, accept the unanimous), then its page again; a refusal
    answers with the message."""
    try:
        write()
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    return redirect(page, evaluation.pk)


@login_required
def scoring_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.SCORE)
    assignment = evaluation.assignments.filter(user=request.user).first()
    blocks = selectors.area_blocks(evaluation, user=request.user)
    context = {
        "evaluation": evaluation,
        "blocks": blocks,
        "progress": progress.unit_progress(blocks, "scoring", request.GET.get(progress.FILTER_PARAM, "")),
        "submitted": assignment.submitted_at if assignment else None,
        "open": evaluation.status in (Status.COLLECTING, Status.SCORING) and not (assignment and assignment.submitted_at),
        "area_level": units.is_area_level(evaluation.framework.definition),
    }
    return render(request, "workspace/scoring.html", context)


@login_required
@require_POST
def score_save(request, pk, code):
    evaluation = evaluation_or_404(request, pk, Need.SCORE)
    assignment = evaluation.assignments.filter(user=request.user).first()
    return _score_save(
        request, evaluation, code, mode="independent",
        is_open=evaluation.status in (Status.COLLECTING, Status.SCORING) and not (assignment and assignment.submitted_at),
        write=lambda unit, score, note, base: services.independent_score_set(
            evaluation=evaluation, user=request.user, **units.kwargs_of(unit.key), score=score, justification=note, base=base
        ),
    )


def scoring_submit(request, pk):
    """The hand-in: a confirmation page that shows what becomes final (``views.confirm``)."""
    from kompass.workspace.views.confirm import handin

    return handin(request, pk)


@login_required
def consensus_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.CONSENSUS)
    started = evaluation.status in (Status.CONSENSUS, Status.PUBLISHED)
    blocks = selectors.area_blocks(evaluation, with_scores=True) if started else []
    context = {
        "evaluation": evaluation,
        "started": started,
        "open": evaluation.status == Status.CONSENSUS,
        "blocks": blocks,
        "progress": progress.unit_progress(blocks, "consensus", request.GET.get(progress.FILTER_PARAM, "")) if started else None,
        "agreement": selectors.evaluation_agreement(evaluation) if started else None,
        "names": [a.user.get_full_name() or a.user.get_username() for a in evaluation.assignments.select_related("user").order_by("id")],
        "area_level": units.is_area_level(evaluation.framework.definition),
    }
    return render(request, "workspace/consensus.html", context)


@login_required
@require_POST
def consensus_save(request, pk, code):
    evaluation = evaluation_or_404(request, pk, Need.CONSENSUS)
    return _score_save(
        request, evaluation, code, mode="consensus", is_open=evaluation.status == Status.CONSENSUS,
        write=lambda unit, score, note, base: services.consensus_set(
            evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), score=score, rationale=note, base=base
        ),
    )


@login_required
@require_POST
def consensus_unanimous(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.CONSENSUS)
    return _write_then_back(
        request, evaluation, lambda: services.consensus_accept_unanimous(evaluation=evaluation, by=request.user), "workspace:consensus"
    )


@login_required
def consensus_csv(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.CONSENSUS)
    if evaluation.status not in (Status.CONSENSUS, Status.PUBLISHED):
        raise Http404
    return csv_attachment(agreement_csv(evaluation), f"overensstammelse-{evaluation.municipality.code}-{evaluation.year}.csv")
