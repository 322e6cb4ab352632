"""An evaluation's way through its lifecycle: one step at a time, publishing, and
corrections of what is published. Publishing and a correction each save a revision and
bring the search index up to date, both in ``_published_changed`` alone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.evaluations import services as evaluation_services
from kompass.evaluations.documents import evaluation_full_document
from kompass.evaluations.models import AreaAssessment, Evaluation, QuestionAssessment, Status
from kompass.i18n import _
from kompass.notifications import services as notifications
from kompass.search.services import search_index_evaluation
from kompass.workspace.guards import LIFECYCLE, UNPUBLISHED, audit, clean_text, display_name, locked, refuse_unless, refuse_unless_manager
from kompass.workspace import units
from kompass.workspace.models import Revision
from kompass.workspace.problems import Problem, listing
from kompass.workspace.selectors import previous_evaluation
from kompass.workspace.services.lookups import area_field_label, area_of, parse_score, points, question_of, unit_by_key


def consensus_problems(evaluation: Evaluation) -> list[Problem]:
    """What stands between scoring and consensus: every evaluator's submitted scores."""
    assignments = list(evaluation.assignments.select_related("user"))
    if len(assignments) < 2:
        return [Problem(_("minst två utvärderare behövs för konsensus (nu %(count)s)") % {"count": len(assignments)})]
    return [
        Problem(_("%(name)s har inte lämnat in sina poäng") % {"name": display_name(a.user)}) for a in assignments if a.submitted_at is None
    ]


def handin_problems(evaluation: Evaluation, user) -> list[Problem]:
    """What one evaluator's hand-in needs: every unit (sub-question, or area without
    sub-questions) scored and justified; each missing one links to its field."""
    assignment = evaluation.assignments.filter(user=user).first()
    if assignment is None:
        return []
    given = {units.key_of(s.question.code if s.question_id else None, s.area.number if s.area_id else None): s
             for s in assignment.scores.select_related("question", "area")}
    everything = units.units(evaluation.framework.definition)
    problems = []
    for of_areas in (False, True):
        kind = [u for u in everything if u.is_area == of_areas]
        missing = [u.key for u in kind if given.get(u.key) is None or given[u.key].score is None]
        unjustified = [u.key for u in kind if given.get(u.key) is not None and given[u.key].score is not None and not given[u.key].justification]
        noun = _("område") if of_areas else _("delfråga")
        if missing:
            problems.append(listing(_("poäng saknas för %(noun)s ") % {"noun": noun}, "scoring", [(k, f"q-{k}") for k in missing]))
        if unjustified:
            problems.append(listing(_("motivering saknas för %(noun)s ") % {"noun": noun}, "scoring", [(k, f"q-{k}") for k in unjustified]))
    return problems


def publish_problems(evaluation: Evaluation) -> list[Problem]:
    """Everything missing before publishing: a consensus score for every sub-question of
    the version (for every area, where it has none), every area's texts and the report's
    facts; each links to the field that puts it right."""
    problems = []
    scored = set(
        QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("question__code", flat=True)
    )
    definition = evaluation.framework.definition
    texts = {a.area.number: a for a in AreaAssessment.objects.filter(evaluation=evaluation).select_related("area")}
    has_previous = previous_evaluation(evaluation) is not None
    for area in definition.areas:
        assessment = texts.get(area.number)
        number = area.number
        missing = [q.id for q in area.questions if q.id not in scored]
        if missing:
            lead = _("område %(number)s: konsensuspoäng saknas för delfråga ") % {"number": number}
            problems.append(listing(lead, "consensus", [(code, f"q-{code}") for code in missing]))
        if not area.questions and (assessment is None or assessment.score is None):
            problems.append(Problem(_("område %(number)s: konsensuspoäng saknas för området") % {"number": number}, "consensus", f"q-{number}"))
        if assessment is None or not assessment.general_text.strip():
            problems.append(Problem(_("område %(number)s: texten ”Allmänt” saknas") % {"number": number}, "texts", f"a{number}-general"))
        if has_previous and (assessment is None or not assessment.changes_text.strip()):
            problems.append(Problem(_("område %(number)s: texten ”Vad har hänt?” saknas") % {"number": number}, "texts", f"a{number}-changes"))
    from kompass.workspace.facts import report_facts_problems  # the report's facts and summary (chapter 2)

    problems.extend(report_facts_problems(evaluation))
    return problems


@transaction.atomic
def status_set(*, evaluation: Evaluation, status: str, by) -> Evaluation:
    """Move one step along the lifecycle, forward or back. Publishing is ``publish``."""
    evaluation = locked(evaluation)
    refuse_unless_manager(evaluation, by, _("byta status"))
    if status not in Status.values:
        raise ValidationError(_("status: okänd status %(value)r") % {"value": status})
    if status == Status.PUBLISHED:
        return publish(evaluation=evaluation, by=by)
    refuse_unless(evaluation, UNPUBLISHED, _("att byta status"))
    here, there = LIFECYCLE.index(evaluation.status), LIFECYCLE.index(status)
    if abs(here - there) != 1:
        raise ValidationError(
            _("status: från ”%(from)s” går det bara ett steg fram eller tillbaka, inte till ”%(to)s”")
            % {"from": evaluation.get_status_display(), "to": Status(status).label}
        )
    if status == Status.CONSENSUS:
        problems = consensus_problems(evaluation)
        if problems:
            raise ValidationError(problems)
    old = evaluation.get_status_display()
    evaluation_services.evaluation_status_set(evaluation=evaluation, status=status)
    audit(evaluation, by, _("status"), old, evaluation.get_status_display())
    return evaluation


@transaction.atomic
def publish(*, evaluation: Evaluation, by) -> Evaluation:
    evaluation = locked(evaluation)
    refuse_unless_manager(evaluation, by, _("publicera"))
    refuse_unless(evaluation, [Status.CONSENSUS], _("att publicera"))
    problems = publish_problems(evaluation)
    if problems:
        raise ValidationError(problems)
    evaluation_services.evaluation_status_set(evaluation=evaluation, status=Status.PUBLISHED)
    audit(evaluation, by, _("status"), Status.CONSENSUS.label, Status.PUBLISHED.label)
    _published_changed(evaluation, by, _("Publicering"))
    notifications.published_happened(evaluation, by)
    return evaluation


def _published_changed(evaluation: Evaluation, by, reason: str) -> Revision:
    """What follows every change to what the public sees: a revision that keeps this
    version readable, and the search index (neither reads the other)."""
    number = (evaluation.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = Revision.objects.create(
        evaluation=evaluation, number=number, reason=reason,
        created_by=by if by is not None and by.is_authenticated else None,
        document=evaluation_full_document(evaluation),
    )
    search_index_evaluation(evaluation)
    return revision


@transaction.atomic
def correction_apply(*, evaluation: Evaluation, by, reason: str, scores: dict[str, str], texts: dict[tuple, str]) -> Revision:
    """A correction of a published evaluation: changed consensus scores and texts, with a
    reason, saved as a new revision; the earlier revisions stay readable.

    ``scores``: sub-question code (area number, where the area is scored as a whole) → score as typed; ``texts``: ("area", number,
    "general"|"changes") or ("question", code) → text."""
    evaluation = locked(evaluation)
    refuse_unless_manager(evaluation, by, _("rätta utvärderingen"))
    refuse_unless(evaluation, [Status.PUBLISHED], _("en rättelse"))
    reason = clean_text(reason, _("skäl"))
    if not reason:
        raise ValidationError(_("skäl: en rättelse behöver ett skäl"))
    changed = 0
    for code, typed in scores.items():
        unit, lookup = unit_by_key(evaluation, code)
        value = parse_score(typed, unit)
        if value is None:
            raise ValidationError(_("%(unit)s: en publicerad utvärdering behöver en poäng") % {"unit": unit.label})
        assessment = evaluation_services.assessment_locked(evaluation=evaluation, **lookup)
        if assessment.score != value:
            audit(evaluation, by, _("%(unit)s · poäng") % {"unit": unit.label}, points(assessment.score), points(value))
            if "question" in lookup:
                evaluation_services.question_score_set(evaluation=evaluation, question=lookup["question"], score=value)
            else:
                evaluation_services.area_score_set(evaluation=evaluation, area=lookup["area"], score=value)
            changed += 1
    for key, typed in texts.items():
        if key[0] == "area":
            area = area_of(evaluation, key[1])
            assessment = evaluation_services.assessment_locked(evaluation=evaluation, area=area)
            attribute = {"general": "general_text", "changes": "changes_text"}[key[2]]
            label = area_field_label(area.number, key[2])
        else:
            question = question_of(evaluation, key[1])
            assessment = evaluation_services.assessment_locked(evaluation=evaluation, question=question)
            attribute, label = "text", _("delfråga %(code)s · text") % {"code": question.code}
        value = clean_text(typed, label)
        if getattr(assessment, attribute) != value:
            audit(evaluation, by, label, getattr(assessment, attribute), value)
            if key[0] == "area":
                evaluation_services.area_texts_set(evaluation=evaluation, area_number=area.number, **{key[2]: value})
            else:
                evaluation_services.question_text_set(evaluation=evaluation, question_code=question.code, text=value)
            changed += 1
    if not changed:
        raise ValidationError(_("rättelsen ändrar ingenting"))
    evaluation_services.evaluation_update(evaluation=evaluation)  # the derived scores and caches follow
    return _published_changed(evaluation, by, reason)
