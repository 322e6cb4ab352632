"""The municipality's part before the visit: its answer to each sub-question (or area),
files attached to it, and its own score (the self-assessment). Open while the
evaluation is planned or collecting."""

from __future__ import annotations

from django.db import transaction

from kompass.evaluations.models import Evaluation, Status
from kompass.i18n import _
from kompass.notifications import services as notifications
from kompass.workspace import guards
from kompass.workspace.guards import audit, clean_text, locked, refuse_unless
from kompass.workspace.models import PrevisitAnswer, PrevisitAttachment
from kompass.workspace.services.evidence import KeptOnlyWithItsRow, store
from kompass.workspace.services.lookups import parse_score, points, unit_of

PREVISIT_OPEN = [Status.PLANNED, Status.COLLECTING]


def _open_unit(evaluation: Evaluation, what: str, question_code: str | None, area_number):
    """The evaluation locked, refused unless the pre-visit part is open for ``what``, and
    the unit answered: (evaluation, unit, lookup of its answer)."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, PREVISIT_OPEN, what)
    return (evaluation, *unit_of(evaluation, question_code=question_code, area_number=area_number))


def _answer(evaluation: Evaluation, lookup: dict) -> PrevisitAnswer:
    answer, _c = PrevisitAnswer.objects.get_or_create(evaluation=evaluation, **lookup)
    return PrevisitAnswer.objects.select_for_update().get(pk=answer.pk)


@transaction.atomic
def previsit_answer_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, text: str, base: str | None = None
) -> PrevisitAnswer:
    """The municipality's answer to one sub-question (or area, where there are none)."""
    evaluation, unit, lookup = _open_unit(evaluation, _("att besvara förfrågan"), question_code, area_number)
    label = _("förfrågan, %(unit)s") % {"unit": unit.label}
    text = clean_text(text, label)
    answer = _answer(evaluation, lookup)
    guards.check_base(label, answer.text, base, text)
    audit(evaluation, by, label, answer.text, text)
    answer.text = text
    answer.save(update_fields=["text"])
    return answer


@transaction.atomic
def self_assessment_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, score: str | None, comment: str,
    base: str | None = None,
) -> PrevisitAnswer:
    """The municipality's own score of one sub-question, or of one area where the version
    has none (0 … its max; empty: none) with a comment, beside its pre-visit answer; open
    as long as the pre-visit answers are."""
    evaluation, unit, lookup = _open_unit(evaluation, _("att göra självskattningen"), question_code, area_number)
    label = _("självskattning, %(unit)s") % {"unit": unit.label}
    value = parse_score(score, unit, where=label)
    comment = clean_text(comment, _("%(label)s · kommentar") % {"label": label})
    answer = _answer(evaluation, lookup)
    current = {"score": points(answer.self_score), "comment": answer.self_comment}
    guards.check_base(label, current, base, {"score": points(value), "comment": comment})
    audit(evaluation, by, label, points(answer.self_score), points(value))
    audit(evaluation, by, _("%(label)s · kommentar") % {"label": label}, answer.self_comment, comment)
    answer.self_score, answer.self_comment = value, comment
    answer.save(update_fields=["self_score", "self_comment"])
    return answer


@transaction.atomic
def previsit_attachment_add(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, upload
) -> PrevisitAttachment:
    evaluation, unit, lookup = _open_unit(evaluation, _("att bifoga filer till förfrågan"), question_code, area_number)
    stored = store(upload)
    with KeptOnlyWithItsRow(stored.name), transaction.atomic():
        answer, _c = PrevisitAnswer.objects.get_or_create(evaluation=evaluation, **lookup)
        attachment = PrevisitAttachment.objects.create(
            answer=answer, file_name=stored.name, original_name=stored.original_name,
            content_type=stored.content_type, size=stored.size, created_by=by,
        )
        audit(evaluation, by, _("förfrågan, %(unit)s · bilaga") % {"unit": unit.label}, "", stored.original_name)
    return attachment


@transaction.atomic
def previsit_done_set(*, evaluation: Evaluation, by, done: bool) -> bool:
    """The municipality's contact says its answers are done (the evaluators are told), or
    takes it back while the answers are still open. Whether anything changed."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, PREVISIT_OPEN, _("att markera svaren som klara"))
    changed = notifications.answers_done_set(evaluation=evaluation, by=by, done=done)
    if changed:
        audit(evaluation, by, _("förfrågan"), _("ej klar") if done else _("besvarad"), _("besvarad") if done else _("ej klar"))
        if done:
            notifications.answered_happened(evaluation, by)
    return changed
