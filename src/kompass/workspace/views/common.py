"""What the workspace's views share: the evaluation a page is about (or 404), the answer
to a field saved in place, refusals, and stored files as downloads."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst

from kompass import uploads
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import progress, units
from kompass.workspace.access import Need, allowed
from kompass.workspace.guards import Conflict, fingerprint


def evaluation_or_404(request, pk: int, need: Need) -> Evaluation:
    """The evaluation if the user may do ``need`` with it; otherwise 404, revealing nothing."""
    evaluation = Evaluation.objects.select_related("municipality", "framework").filter(pk=pk).first()
    if evaluation is None or not allowed(request.user, evaluation, need):
        raise Http404
    return evaluation


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def refused(request, evaluation: Evaluation, exc: ValidationError):
    """The page that says why an action was refused."""
    return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": list(exc.messages)}, status=400)


class ErrorItem(NamedTuple):
    """One line of an error summary: the message and the id of the field it is about
    ("" when it is about no one field)."""

    message: str
    anchor: str = ""


def error_messages(exc: ValidationError) -> tuple[list[str], list[str]]:
    """A refusal split for a form: the messages about a typed score (code "score", said
    without the place, which the field shows) and the rest; each begins with a capital."""
    scores, rest = [], []
    for error in getattr(exc, "error_list", None) or [exc]:
        if getattr(error, "code", None) == "score" and isinstance(error.params, dict) and "problem" in error.params:
            scores.append(capfirst(error.params["problem"]))
        else:
            rest += [capfirst(m) for m in error.messages]
    return scores, rest


def refusal_items(exc: ValidationError, *, score_field: str = "s-{key}", prefixes: dict[str, str] | None = None) -> list[ErrorItem]:
    """A whole form's refusal as summary lines: a typed score linked to its field
    (``score_field`` with the unit's key), other messages by the field name they begin
    with (``prefixes``: "skäl:" → "reason"), the rest without a link."""
    items = []
    for error in getattr(exc, "error_list", None) or [exc]:
        params = error.params if isinstance(getattr(error, "params", None), dict) else {}
        if getattr(error, "code", None) == "score" and "key" in params:
            items.append(ErrorItem(capfirst(f"{params['where']}: {params['problem']}"), score_field.format(key=params["key"])))
            continue
        for message in error.messages:
            items.append(ErrorItem(capfirst(message), next((a for p, a in (prefixes or {}).items() if message.startswith(p)), "")))
    return items


def _shown_conflict(current):
    """The other person's version as a form shows it: a stored score ("12.50") as a number."""
    if isinstance(current, dict) and isinstance(current.get("score"), str):
        try:
            return {**current, "score": Decimal(current["score"])}
        except InvalidOperation:
            pass
    return current


def save_into(context: dict, save: Callable[[], object], shown: Callable[[object], dict]) -> None:
    """Run ``save`` and record its outcome in a field's ``context``: what was saved
    (``shown`` of what ``save`` returned), or the conflict with the value now stored (and
    that value's fingerprint, to save over it knowingly), or why it was refused: ``error``
    (every message), ``score_error`` (what is wrong with the typed score, for that field
    alone) and ``form_error`` (the rest)."""
    try:
        context.update(saved=True, **shown(save()))
    except Conflict as exc:
        context.update(conflict=_shown_conflict(exc.current), base=fingerprint(exc.current))
    except ValidationError as exc:
        scores, rest = error_messages(exc)
        context.update(error=" ".join(exc.messages), score_error=" ".join(scores), form_error=" ".join(rest))


def field_errors(context: dict, template: str) -> list[ErrorItem]:
    """A refused field's messages for the error summary, each linked to its field."""
    if "_score_form" in template or "_self_assessment_form" in template:
        prefix = ("q-" if "_score_form" in template else "s-") + str(context.get("code", ""))
        items = [ErrorItem(context["score_error"], f"{prefix}-score")] if context.get("score_error") else []
        return items + ([ErrorItem(context["form_error"], f"{prefix}-note" if prefix.startswith("q-") else f"{prefix}-comment")]
                        if context.get("form_error") else [])
    field = f"{context.get('id', '')}-items" if "_list_form" in template else f"{context.get('id', '')}-text"
    return [ErrorItem(context.get("form_error") or capfirst(context.get("error", "")), field)]


def field_response(request, template: str, context: dict, *, anchor: str, evaluation: Evaluation, page: str):
    """Answer a field's save: its fragment for htmx; otherwise back to the page, or,
    when refused, a page with just that form, the error summary above it, so nothing
    typed is lost."""
    if is_htmx(request):
        return render(request, template, {**context, "evaluation": evaluation, "htmx": True}, status=200)
    page += _kept_filter(request)
    if context.get("error") or context.get("conflict") is not None:
        errors = field_errors(context, template) if context.get("error") else []
        return render(
            request, "workspace/field_page.html",
            {**context, "fragment": template, "evaluation": evaluation, "back": f"{page}#{anchor}", "errors": errors},
            status=400 if context.get("error") else 409,
        )
    return redirect(f"{page}#{anchor}")


def _kept_filter(request) -> str:
    """The page's filter ("?visa=obesvarade") a form carried, so that saving without
    JavaScript goes back to the filtered page; anything else is dropped."""
    chosen = request.POST.get(progress.FILTER_PARAM, "")
    return f"?{progress.FILTER_PARAM}={chosen}" if chosen in progress.FILTER_VALUES else ""


def save_in_place(request, evaluation: Evaluation, *, template: str, context: dict, save, shown, anchor: str, page: str):
    """A field saved in place: ``save_into`` its context, then the ``field_response``."""
    save_into(context, save, shown)
    return field_response(request, template, context, anchor=anchor, evaluation=evaluation, page=page)


def question_or_404(evaluation: Evaluation, code: str) -> Question:
    question = Question.objects.filter(area__framework=evaluation.framework, code=code).first()
    if question is None:
        raise Http404
    return question


def unit_or_404(evaluation: Evaluation, code: str) -> units.Unit:
    """The sub-question ("1.1") or the area scored as a whole ("3") a form's address names."""
    unit = units.unit_get(evaluation.framework.definition, code)
    if unit is None:
        raise Http404
    return unit


def uploads_max_mb() -> int:
    from django.conf import settings

    return settings.KOMPASS_UPLOAD_MAX_BYTES // (1024 * 1024)


def download(item):
    """A stored file (the evaluation's ``Evidence`` or ``PrevisitAttachment``; None, when the
    evaluation has no such file, is 404), always as a download: an uploaded HTML page never
    runs in our origin."""
    if item is None:
        raise Http404
    original = item.original_name
    try:
        path = uploads.open_stored(item.file_name)
    except (uploads.UploadError, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(path.open("rb"), as_attachment=True, filename=original or path.name, content_type=item.content_type)
    response["Content-Security-Policy"] = "sandbox"
    return response
