"""Writes of evaluations. Every door (admin, command line, dump, demo) comes through here,
so one validation guards them all; a refused write changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.catalogue.models import Area, Framework, Question
from kompass.evaluations.models import (
    AreaAssessment,
    Evaluation,
    Evaluator,
    Finding,
    FindingKind,
    QuestionAssessment,
    Source,
    Status,
)
from kompass.evaluations.selectors import evaluation_label
from kompass.municipalities.models import Municipality

FIRST_YEAR = 1995  # Kommunkompassen was developed in the mid-1990s.


@dataclass
class Facts:
    """What is known about an evaluation besides its scores and texts."""

    year: int
    status: str = Status.PLANNED
    month: int | None = None
    visit_start: datetime.date | None = None
    visit_end: datetime.date | None = None
    ordinal: int | None = None
    interviewees: int | None = None
    interviewees_approximate: bool = False
    sources: tuple[str, ...] = ()
    publisher: str = ""
    data_source: str = ""
    evaluation_text: str = ""
    summary_text: str = ""


def facts_problems(facts: Facts, *, today: datetime.date | None = None) -> list[str]:
    """Every problem with an evaluation's facts, as messages naming the field."""
    today = today or timezone.localdate()
    problems = []
    if not isinstance(facts.year, int) or isinstance(facts.year, bool):
        return [_("år: %(value)r är inget årtal") % {"value": facts.year}]
    if facts.year > today.year:
        problems.append(_("år: %(year)s ligger i framtiden") % {"year": facts.year})
    elif facts.year < FIRST_YEAR:
        problems.append(_("år: %(year)s är före %(first)s, då Kommunkompassen inte fanns") % {"year": facts.year, "first": FIRST_YEAR})
    if facts.status not in Status.values:
        problems.append(_("status: okänd status %(value)r (kända: %(choices)s)") % {"value": facts.status, "choices": ", ".join(Status.values)})
    if facts.month is not None and not (isinstance(facts.month, int) and 1 <= facts.month <= 12):
        problems.append(_("månad: %(value)r ska vara 1–12") % {"value": facts.month})
    elif facts.month is not None and facts.year == today.year and facts.month > today.month:
        problems.append(_("månad: %(month)s/%(year)s ligger i framtiden") % {"month": facts.month, "year": facts.year})
    for label, value, minimum in ((_("ordningsnummer"), facts.ordinal, 1), (_("antal intervjuade"), facts.interviewees, 0)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < minimum):
            problems.append(_("%(field)s: %(value)r är inget giltigt antal") % {"field": label, "value": value})
    unknown = [s for s in facts.sources if s not in Source.values]
    if unknown:
        problems.append(
            _("källor: okänd källa %(unknown)s (kända: %(known)s)")
            % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(Source.values)}
        )
    for label, day in ((_("besök från"), facts.visit_start), (_("besök till"), facts.visit_end)):
        if day is not None and day.year != facts.year:
            problems.append(_("%(field)s: %(date)s ligger inte år %(year)s") % {"field": label, "date": day, "year": facts.year})
        elif day is not None and day > today:
            problems.append(_("%(field)s: %(date)s ligger i framtiden") % {"field": label, "date": day})
    if facts.visit_start and facts.visit_end and facts.visit_end < facts.visit_start:
        problems.append(_("besök till: %(end)s ligger före besök från %(start)s") % {"end": facts.visit_end, "start": facts.visit_start})
    return problems


def _duplicate_problem(municipality: Municipality, year: int, framework: Framework, exclude_pk=None) -> str | None:
    others = Evaluation.objects.filter(municipality=municipality, year=year, framework=framework)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        return _("%(municipality)s har redan en utvärdering %(year)s enligt version %(version)s") % {
            "municipality": municipality.name,
            "year": year,
            "version": framework.code,
        }
    return None


def evaluation_problems(*, municipality: Municipality, framework: Framework, facts: Facts, exclude_pk=None) -> list[str]:
    problems = facts_problems(facts)
    if not problems:
        duplicate = _duplicate_problem(municipality, facts.year, framework, exclude_pk)
        if duplicate:
            problems.append(duplicate)
    return problems


def _apply_facts(evaluation: Evaluation, facts: Facts) -> None:
    for field in Facts.__dataclass_fields__:
        value = getattr(facts, field)
        setattr(evaluation, field, list(value) if field == "sources" else value)


@transaction.atomic
def evaluation_create(*, municipality: Municipality, framework: Framework, facts: Facts) -> Evaluation:
    problems = evaluation_problems(municipality=municipality, framework=framework, facts=facts)
    if problems:
        raise ValidationError(problems)
    evaluation = Evaluation(municipality=municipality, framework=framework)
    _apply_facts(evaluation, facts)
    evaluation.save()
    return evaluation


def evaluations_remove(*, ids: list[int]) -> None:
    """Remove evaluations that an import created before it failed part-way (the import's
    own undo: all or nothing across its batches). Their scores and summaries go with them;
    the database's triggers raise the data version."""
    Evaluation.objects.filter(pk__in=ids).delete()


def scoresheet_problems(evaluation: Evaluation, sheet: scoring.Scoresheet) -> list[str]:
    return [str(p) for p in scoring.check(evaluation.framework.definition, sheet)]


@transaction.atomic
def scores_set(*, evaluation: Evaluation, sheet: scoring.Scoresheet) -> scoring.Result:
    """Replace every score of the evaluation with the sheet's, after checking all of it.

    Only what cannot be derived is stored: an area score where the sub-questions are
    complete, or a total where all areas are known, would be a second copy that could
    one day contradict the first, so it is dropped once it is checked to agree.
    """
    problems = scoresheet_problems(evaluation, sheet)
    if problems:
        raise ValidationError([f"{evaluation_label(evaluation)}: {p}" for p in problems])
    result = scoring.summarise(evaluation.framework.definition, sheet)
    questions = {q.code: q for q in Question.objects.filter(area__framework=evaluation.framework)}
    areas = {a.number: a for a in Area.objects.filter(framework=evaluation.framework)}

    cleared = {"score": None, "score_low": None, "score_high": None}
    QuestionAssessment.objects.filter(evaluation=evaluation).exclude(question__code__in=list(sheet.questions)).update(**cleared)
    question_scores = {}
    for code, score in sheet.questions.items():
        low, high = sheet.intervals.get(("question", code), (None, None))
        question_scores[questions[code].pk] = {"score": score, "score_low": low, "score_high": high}
    _assessments_put(QuestionAssessment, evaluation, "question_id", question_scores)

    area_scores, unrecorded = {}, []
    for area_result in result.areas:
        number = area_result.area.number
        recorded = None if area_result.score.derived else sheet.areas.get(number)
        if recorded is None:
            unrecorded.append(areas[number].pk)
        else:
            low, high = sheet.intervals.get(("area", number), (None, None))
            area_scores[areas[number].pk] = {"score": recorded, "score_low": low, "score_high": high}
    AreaAssessment.objects.filter(evaluation=evaluation, area_id__in=unrecorded).update(**cleared)
    _assessments_put(AreaAssessment, evaluation, "area_id", area_scores)

    evaluation.total_score = None if result.total.derived else sheet.total
    evaluation.total_low, evaluation.total_high = (
        (None, None) if result.total.derived else sheet.intervals.get(("total",), (None, None))
    )
    evaluation.save(update_fields=["total_score", "total_low", "total_high", "updated_at"])
    return result


def _assessments_put(model, evaluation: Evaluation, key: str, values: dict[int, dict]) -> None:
    """Set the given scores of one evaluation in two statements, not one per row: an
    import of thousands of evaluations holds the write lock for as short as it can. (The
    summary is rebuilt through the evaluation's own save, which bulk writes do not skip.)"""
    existing = {getattr(row, key): row for row in model.objects.filter(evaluation=evaluation, **{f"{key}__in": list(values)})}
    changed = []
    for row_key, fields in values.items():
        row = existing.get(row_key)
        if row is not None and any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    model.objects.bulk_update(changed, ["score", "score_low", "score_high"])
    model.objects.bulk_create([model(evaluation=evaluation, **{key: row_key}, **fields) for row_key, fields in values.items() if row_key not in existing])


def _area(evaluation: Evaluation, number: int) -> Area:
    try:
        return Area.objects.get(framework=evaluation.framework, number=number)
    except Area.DoesNotExist:
        raise ValidationError(
            _("%(evaluation)s: område %(number)s finns inte i version %(version)s")
            % {"evaluation": evaluation_label(evaluation), "number": number, "version": evaluation.framework.code}
        ) from None


def _question(evaluation: Evaluation, code: str, area: Area | None = None) -> Question:
    question = Question.objects.filter(area__framework=evaluation.framework, code=code).select_related("area").first()
    if question is None or (area is not None and question.area_id != area.pk):
        where = _(" i område %(number)s") % {"number": area.number} if area is not None else ""
        raise ValidationError(
            _("%(evaluation)s: delfråga %(code)s finns inte%(where)s i version %(version)s")
            % {"evaluation": evaluation_label(evaluation), "code": code, "where": where, "version": evaluation.framework.code}
        )
    return question


@transaction.atomic
def area_texts_set(*, evaluation: Evaluation, area_number: int, general: str | None = None, changes: str | None = None) -> None:
    area = _area(evaluation, area_number)
    assessment, _created = AreaAssessment.objects.get_or_create(evaluation=evaluation, area=area)
    if general is not None:
        assessment.general_text = general.strip()
    if changes is not None:
        assessment.changes_text = changes.strip()
    assessment.save()


@transaction.atomic
def question_text_set(*, evaluation: Evaluation, question_code: str, text: str) -> None:
    question = _question(evaluation, question_code)
    QuestionAssessment.objects.update_or_create(evaluation=evaluation, question=question, defaults={"text": text.strip()})


@transaction.atomic
def findings_set(
    *, evaluation: Evaluation, area_number: int, kind: str, items: Iterable[tuple[str, str | None]]
) -> list[Finding]:
    """Replace the ordered list of strengths, improvement areas or good examples of an area."""
    if kind not in FindingKind.values:
        raise ValidationError(_("okänt slag av iakttagelse: %(kind)r") % {"kind": kind})
    area = _area(evaluation, area_number)
    findings = []
    for position, (text, question_code) in enumerate(items, start=1):
        text = (text or "").strip()
        if not text:
            raise ValidationError(
                _("%(evaluation)s: område %(number)s, %(kind)s %(position)s: texten är tom")
                % {"evaluation": evaluation_label(evaluation), "number": area_number, "kind": FindingKind(kind).label, "position": position}
            )
        question = _question(evaluation, question_code, area) if question_code else None
        findings.append(Finding(evaluation=evaluation, area=area, kind=kind, position=position, text=text, question=question))
    Finding.objects.filter(evaluation=evaluation, area=area, kind=kind).delete()
    return Finding.objects.bulk_create(findings)


@transaction.atomic
def evaluators_set(*, evaluation: Evaluation, evaluators: Iterable[tuple[str, str]]) -> None:
    rows = []
    for position, (name, organisation) in enumerate(evaluators, start=1):
        name = (name or "").strip()
        if not name:
            raise ValidationError(
                _("%(evaluation)s: utvärderare %(position)s saknar namn") % {"evaluation": evaluation_label(evaluation), "position": position}
            )
        rows.append(Evaluator(evaluation=evaluation, position=position, name=name, organisation=(organisation or "").strip()))
    Evaluator.objects.filter(evaluation=evaluation).delete()
    Evaluator.objects.bulk_create(rows)


# --- single writes for the workspace (it locks, checks the lifecycle and audits; these write) ---


@transaction.atomic
def evaluator_add(*, evaluation: Evaluation, name: str, organisation: str = "") -> Evaluator:
    """One more evaluator named in the report, after those already there."""
    return Evaluator.objects.create(evaluation=evaluation, position=evaluation.evaluators.count() + 1, name=name, organisation=organisation)


@transaction.atomic
def evaluation_status_set(*, evaluation: Evaluation, status: str) -> Evaluation:
    """The status as given; which step is allowed, by whom, is the workspace's lifecycle."""
    if status not in Status.values:
        raise ValidationError(_("status: okänd status %(value)r") % {"value": status})
    evaluation.status = status
    evaluation.save(update_fields=["status", "updated_at"])
    return evaluation


# An evaluation's own fields that change after it is created (status has its own door).
EDITABLE_FIELDS = (
    "shared_with_municipality", "month", "interviewees", "interviewees_approximate", "ordinal", "sources", "publisher",
    "evaluation_text", "summary_text",
)


@transaction.atomic
def evaluation_update(*, evaluation: Evaluation, **values) -> Evaluation:
    """Change some of the evaluation's own fields; with none, only mark it changed, so the
    summaries and caches derived from its parts follow."""
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValueError(f"not editable through evaluation_update: {', '.join(unknown)}")
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.save(update_fields=[*values, "updated_at"])
    return evaluation


@transaction.atomic
def assessment_locked(*, evaluation: Evaluation, question: Question | None = None, area: Area | None = None):
    """The row that holds a sub-question's (else an area's) agreed score and texts, created
    empty if missing and locked until the transaction ends: what a caller reads to check a
    change before it asks for it."""
    model, lookup = (QuestionAssessment, {"question": question}) if question is not None else (AreaAssessment, {"area": area})
    row, _created = model.objects.get_or_create(evaluation=evaluation, **lookup)
    return model.objects.select_for_update().get(pk=row.pk)


@transaction.atomic
def question_score_set(*, evaluation: Evaluation, question: Question, score, rationale: str | None = None) -> QuestionAssessment:
    """A sub-question's agreed score (a point, no interval) and, if given, its rationale."""
    return _agreed_score_set(assessment_locked(evaluation=evaluation, question=question), score, rationale, question.max_points)


@transaction.atomic
def area_score_set(*, evaluation: Evaluation, area: Area, score, rationale: str | None = None) -> AreaAssessment:
    """An area's own agreed score, where the version scores the area as a whole."""
    return _agreed_score_set(assessment_locked(evaluation=evaluation, area=area), score, rationale, area.max_points)


def _agreed_score_set(assessment, score, rationale: str | None, maximum):
    if score is not None and scoring.value_problems(score, maximum, ""):  # callers check first; this is the last guard
        part = assessment.question.code if isinstance(assessment, QuestionAssessment) else assessment.area.number
        raise ValidationError(str(scoring.value_problems(score, maximum, f"{evaluation_label(assessment.evaluation)}: {part}")[0]))
    assessment.score, assessment.score_low, assessment.score_high = score, None, None
    fields = ["score", "score_low", "score_high"]
    if rationale is not None:
        assessment.rationale = rationale
        fields.append("rationale")
    assessment.save(update_fields=fields)
    return assessment


# --- for an imported dump (kompass.dump.importing) ---------------------------------------


@transaction.atomic
def evaluation_facts_fill(*, evaluation: Evaluation, facts: Facts) -> bool:
    """The facts the evaluation lacks, taken from ``facts``; nothing it holds is
    overwritten (the year never changes). Whether any was filled."""
    filled = False
    for name in Facts.__dataclass_fields__:
        value = getattr(facts, name)
        if name != "year" and value not in (None, "", (), False) and getattr(evaluation, name) in (None, "", []):
            setattr(evaluation, name, list(value) if name == "sources" else value)
            filled = True
    evaluation.save()
    return filled


@transaction.atomic
def evaluation_delete(*, evaluation: Evaluation) -> None:
    """The evaluation and everything it holds (an import replacing it)."""
    evaluation.delete()
