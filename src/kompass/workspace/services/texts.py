"""The report's texts in the workspace: each area's "Allmänt" and "Vad har hänt?", each
sub-question's text, the areas' lists (strengths, improvement areas, good examples) and
the follow-up of the previous evaluation's improvement areas. Open until publishing."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.evaluations import services as evaluation_services
from kompass.evaluations.models import AreaAssessment, Evaluation, FindingKind, QuestionAssessment
from kompass.i18n import _
from kompass.workspace import guards
from kompass.workspace.guards import UNPUBLISHED, audit, clean_text, locked, refuse_unless
from kompass.workspace.models import FollowUpItem
from kompass.workspace.selectors import findings_list
from kompass.workspace.services.lookups import area_field_label, area_of, question_of


@transaction.atomic
def area_text_set(*, evaluation: Evaluation, by, area_number, field: str, text: str, base: str | None = None) -> AreaAssessment:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    if field not in ("general", "changes"):
        raise ValidationError(_("okänt textfält %(field)r") % {"field": field})
    area = area_of(evaluation, area_number)
    label = area_field_label(area.number, field)
    text = clean_text(text, label)
    assessment = evaluation_services.assessment_locked(evaluation=evaluation, area=area)
    attribute = f"{field}_text"
    guards.check_base(label, getattr(assessment, attribute), base, text)
    audit(evaluation, by, label, getattr(assessment, attribute), text)
    evaluation_services.area_texts_set(evaluation=evaluation, area_number=area.number, **{field: text})
    setattr(assessment, attribute, text)  # as stored
    return assessment


@transaction.atomic
def question_text_set(*, evaluation: Evaluation, by, question_code: str, text: str, base: str | None = None) -> QuestionAssessment:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    question = question_of(evaluation, question_code)
    label = _("delfråga %(code)s · text") % {"code": question.code}
    text = clean_text(text, label)
    assessment = evaluation_services.assessment_locked(evaluation=evaluation, question=question)
    guards.check_base(label, assessment.text, base, text)
    audit(evaluation, by, label, assessment.text, text)
    evaluation_services.question_text_set(evaluation=evaluation, question_code=question.code, text=text)
    assessment.text = text  # as stored
    return assessment


@transaction.atomic
def findings_list_set(
    *, evaluation: Evaluation, by, area_number, kind: str, items: Sequence[str], base: str | None = None
) -> list[str]:
    """Replace an area's ordered list of strengths, improvement areas or good examples."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    if kind not in FindingKind.values:
        raise ValidationError(_("okänt slag av lista %(kind)r") % {"kind": kind})
    area = area_of(evaluation, area_number)
    label = _("område %(number)s · %(kind)s") % {"number": area.number, "kind": FindingKind(kind).label}
    items = [clean_text(item, label) for item in items]
    items = [item for item in items if item]
    evaluation_services.assessment_locked(evaluation=evaluation, area=area)  # the area's row is the lock for its lists
    current = findings_list(evaluation, area, kind)
    guards.check_base(label, current, base, items)
    audit(evaluation, by, label, current, items)
    evaluation_services.findings_set(evaluation=evaluation, area_number=area.number, kind=kind, items=[(t, None) for t in items])
    return items


@transaction.atomic
def follow_up_set(*, evaluation: Evaluation, by, item_id: int, done: bool) -> FollowUpItem:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att bocka av uppföljningen"))
    item = FollowUpItem.objects.filter(evaluation=evaluation, pk=item_id).first()
    if item is None:
        raise ValidationError(_("uppföljningspunkt %(id)s finns inte i utvärderingen") % {"id": item_id})
    if item.done != done:
        audit(evaluation, by, _("område %(number)s · uppföljning: %(text)s") % {"number": item.area.number, "text": item.text[:80]},
              _("behandlad") if item.done else _("ej behandlad"), _("behandlad") if done else _("ej behandlad"))
        item.done = done
        item.save(update_fields=["done"])
    return item
