"""Reads for the workspace pages: plain data, grouped by area, with each field's fingerprint."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kompass import agreement as agreement_measures
from kompass import scoring
from kompass.catalogue.models import Area, Question
from kompass.evaluations.models import AreaAssessment, Evaluation, Finding, FindingKind, QuestionAssessment, Status
from kompass.workspace.guards import fingerprint
from kompass.workspace.models import (
    Assignment,
    AuditEntry,
    Evidence,
    FollowUpItem,
    IndependentScore,
    PrevisitAnswer,
)
from kompass.workspace.units import Unit, key_of, units

LISTS = [FindingKind.STRENGTH, FindingKind.IMPROVEMENT, FindingKind.GOOD_EXAMPLE]


def findings_list(evaluation: Evaluation, area: Area, kind: str) -> list[str]:
    """An area's list of one kind (strengths, improvement areas, good examples), in order."""
    return list(Finding.objects.filter(evaluation=evaluation, area=area, kind=kind).order_by("position", "id").values_list("text", flat=True))


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The same municipality's evaluation before this one, by the same version."""
    return (
        Evaluation.objects.filter(municipality=evaluation.municipality, framework=evaluation.framework, year__lt=evaluation.year)
        .order_by("-year").first()
    )


@dataclass
class QuestionRow:
    """One unit on a page: a sub-question (``question`` set), or an area scored as a
    whole where the version has no sub-questions (``question`` None; ``agreed`` is then
    the area's ``AreaAssessment``)."""

    unit: Unit
    question: Question | None = None
    evidence: list = field(default_factory=list)
    answer: PrevisitAnswer | None = None
    mine: IndependentScore | None = None
    scores: list = field(default_factory=list)  # (evaluator name, IndependentScore | None) in assignment order
    divergent: bool = False
    agreed: QuestionAssessment | AreaAssessment | None = None
    subarea_starts: bool = False  # the first sub-question of a sub-area ("delområde")

    @property
    def answer_base(self) -> str:
        return fingerprint(self.answer.text if self.answer else "")

    @property
    def mine_base(self) -> str:
        mine = self.mine
        return fingerprint({"score": scoring.format_points(mine.score) if mine else None, "justification": mine.justification if mine else ""})

    @property
    def agreed_base(self) -> str:
        agreed = self.agreed
        return fingerprint({"score": scoring.format_points(agreed.score) if agreed else None, "rationale": agreed.rationale if agreed else ""})

    @property
    def text_base(self) -> str:
        return fingerprint(self.agreed.text if self.agreed else "")


@dataclass
class AreaBlock:
    area: Area
    questions: list[QuestionRow]  # the sub-questions only
    units: list[QuestionRow] = field(default_factory=list)  # what is scored: the sub-questions, or the area itself
    assessment: AreaAssessment | None = None
    lists: dict = field(default_factory=dict)  # kind -> (label, items, base, items as lines)
    follow_up: list = field(default_factory=list)
    area_change: Decimal | None = None  # since the previous evaluation, same version only

    @property
    def general_base(self) -> str:
        return fingerprint(self.assessment.general_text if self.assessment else "")

    @property
    def changes_base(self) -> str:
        return fingerprint(self.assessment.changes_text if self.assessment else "")


def area_blocks(evaluation: Evaluation, *, user=None, with_scores: bool = False, with_texts: bool = False) -> list[AreaBlock]:
    """Every area with its units (its sub-questions, or the area itself where it has
    none), the evidence and pre-visit answer of each, and on request the user's own
    scores, everyone's scores (only from consensus on) or the texts."""
    definition = evaluation.framework.definition
    questions = {q.code: q for q in Question.objects.filter(area__framework=evaluation.framework).select_related("area__framework")}
    areas = {a.number: a for a in Area.objects.filter(framework=evaluation.framework).select_related("framework")}
    rows: dict[str, QuestionRow] = {}
    subarea_of: dict[int, str] = {}
    for unit in units(definition):
        row = rows[unit.key] = QuestionRow(unit, None if unit.is_area else questions.get(unit.key))
        if unit.subarea and subarea_of.get(unit.area_number) != unit.subarea:
            row.subarea_starts = True
        subarea_of[unit.area_number] = unit.subarea
    by_question = {row.question.pk: row for row in rows.values() if row.question is not None}

    def row_of(item) -> QuestionRow | None:
        """The row of a stored item that holds a sub-question or an area."""
        if item.question_id is not None:
            return by_question.get(item.question_id)
        return rows.get(key_of(None, item.area.number)) if item.area_id else None

    for evidence in Evidence.objects.filter(evaluation=evaluation).prefetch_related("questions", "areas"):
        for question in evidence.questions.all():
            if question.pk in by_question:
                by_question[question.pk].evidence.append(evidence)
        for area in evidence.areas.all():
            if (row := rows.get(str(area.number))) is not None and row.unit.is_area:
                row.evidence.append(evidence)
    for answer in PrevisitAnswer.objects.filter(evaluation=evaluation).select_related("area").prefetch_related("attachments"):
        if (row := row_of(answer)) is not None:
            row.answer = answer
    for assessment in QuestionAssessment.objects.filter(evaluation=evaluation):
        if assessment.question_id in by_question:
            by_question[assessment.question_id].agreed = assessment
    area_assessments = {a.area_id: a for a in AreaAssessment.objects.filter(evaluation=evaluation)}
    for row in rows.values():
        if row.unit.is_area:
            row.agreed = area_assessments.get(areas[row.unit.area_number].pk)
    if user is not None:
        for score in IndependentScore.objects.filter(assignment__evaluation=evaluation, assignment__user=user).select_related("area"):
            if (row := row_of(score)) is not None:
                row.mine = score
    if with_scores and evaluation.status in (Status.CONSENSUS, Status.PUBLISHED):
        assignments = list(evaluation.assignments.select_related("user").order_by("id"))
        given = {}
        for score in IndependentScore.objects.filter(assignment__evaluation=evaluation).select_related("area"):
            if (row := row_of(score)) is not None:
                given[(score.assignment_id, row.unit.key)] = score
        for row in rows.values():
            row.scores = [(_name(a), given.get((a.pk, row.unit.key))) for a in assignments]
            values = [s.score for _n, s in row.scores if s is not None]
            row.divergent = agreement_measures.divergent(values, row.unit.max_points)
    blocks: dict[int, AreaBlock] = {}
    for area in definition.areas:
        blocks[area.number] = AreaBlock(areas[area.number], [])
    for row in rows.values():
        block = blocks[row.unit.area_number]
        block.units.append(row)
        if not row.unit.is_area:
            block.questions.append(row)
    if with_texts:
        follow_up: dict[int, list] = {}
        # Each improvement area to follow up comes with the actions the municipality took.
        for item in FollowUpItem.objects.filter(evaluation=evaluation).select_related("previous").prefetch_related("previous__actions"):
            follow_up.setdefault(item.area_id, []).append(item)
        for block in blocks.values():
            block.assessment = area_assessments.get(block.area.pk)
            block.follow_up = follow_up.get(block.area.pk, [])
            for kind in LISTS:
                items = findings_list(evaluation, block.area, kind)
                block.lists[kind.value] = (FindingKind(kind).label, items, fingerprint(items), "\n".join(items))
    return sorted(blocks.values(), key=lambda b: b.area.number)


def _name(assignment: Assignment) -> str:
    return assignment.user.get_full_name() or assignment.user.get_username()


def evaluation_agreement(evaluation: Evaluation) -> agreement_measures.Agreement:
    """Agreement between the evaluators' independent scores, over every unit: the
    sub-questions, or the areas where the version has none."""
    assignments = list(evaluation.assignments.order_by("id").values_list("pk", flat=True))
    given: dict[tuple, dict[int, Decimal | None]] = {}
    for score in IndependentScore.objects.filter(assignment__evaluation=evaluation):
        given.setdefault((score.question_id, score.area_id), {})[score.assignment_id] = score.score
    return agreement_measures.agreement([[by_assignment.get(a) for a in assignments] for by_assignment in given.values()])


def audit_entries(evaluation: Evaluation, user):
    """The audit trail as the user may see it: an evaluator's independent scores stay
    private to them and the administrators until consensus begins."""
    from django.db.models import Q

    entries = AuditEntry.objects.filter(evaluation=evaluation).order_by("-at", "-id")
    if evaluation.status in (Status.CONSENSUS, Status.PUBLISHED) or user.is_superuser:
        return entries
    return entries.filter(Q(private_to__isnull=True) | Q(private_to=user))


@dataclass
class StepCounts:
    """What the overview and the dashboard say about where an evaluation stands (see
    ``workspace.progress``): answers given, each evaluator's scores (scored and justified,
    by assignment id), agreed scores and the areas' "Allmänt" texts."""

    total: int
    areas: int
    answers: int = 0
    scores: dict = field(default_factory=dict)  # assignment id -> scored and justified units
    agreed: int = 0
    texts: int = 0
    assignments: int = 0
    submitted: int = 0


def step_counts(evaluations) -> dict[int, StepCounts]:
    """``StepCounts`` for many evaluations in a handful of grouped queries (the dashboard)."""
    from django.db.models import Count, Q

    evaluations = list(evaluations)
    found, sizes = {}, {}
    for e in evaluations:
        if e.framework.code not in sizes:
            definition = e.framework.definition
            sizes[e.framework.code] = (len(units(definition)), len(definition.areas))
        found[e.pk] = StepCounts(*sizes[e.framework.code])
    pks = list(found)
    if not pks:
        return found
    # A unit is a sub-question, or an area that has none (an area's recorded score in a
    # version with sub-questions is their sum, not a unit of its own).
    unit_of = Q(question__isnull=False) | Q(area__questions__isnull=True)
    answers = PrevisitAnswer.objects.filter(unit_of, evaluation__in=pks).exclude(text="")
    for row in answers.values("evaluation_id").annotate(n=Count("id", distinct=True)):
        found[row["evaluation_id"]].answers = row["n"]
    scores = IndependentScore.objects.filter(unit_of, assignment__evaluation__in=pks, score__isnull=False).exclude(justification="")
    for row in scores.values("assignment_id", "assignment__evaluation_id").annotate(n=Count("id", distinct=True)):
        found[row["assignment__evaluation_id"]].scores[row["assignment_id"]] = row["n"]
    agreed = QuestionAssessment.objects.filter(evaluation__in=pks, score__isnull=False)
    for row in agreed.values("evaluation_id").annotate(n=Count("id")):
        found[row["evaluation_id"]].agreed += row["n"]
    agreed_areas = AreaAssessment.objects.filter(evaluation__in=pks, score__isnull=False, area__questions__isnull=True)
    for row in agreed_areas.values("evaluation_id").annotate(n=Count("id", distinct=True)):
        found[row["evaluation_id"]].agreed += row["n"]
    handed_in = Assignment.objects.filter(evaluation__in=pks).values("evaluation_id")
    for row in handed_in.annotate(n=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False))):
        found[row["evaluation_id"]].assignments, found[row["evaluation_id"]].submitted = row["n"], row["submitted"]
    texts = AreaAssessment.objects.filter(evaluation__in=pks).exclude(general_text="")
    for row in texts.values("evaluation_id").annotate(n=Count("id")):
        found[row["evaluation_id"]].texts = row["n"]
    return found


def progress_lines(evaluations, user, role: str) -> list:
    """The evaluations with ``progress_lines`` set: where each stands, for the dashboard's
    progress column (``progress.step_lines``); the user's own scores where assigned."""
    from kompass.workspace import progress
    from kompass.workspace.services.previsit import PREVISIT_OPEN

    evaluations = list(evaluations)
    # Published ones (every imported evaluation among them) need no counting.
    working = [e for e in evaluations if e.status != Status.PUBLISHED]
    counts = step_counts(working)
    mine = {a.evaluation_id: a for a in Assignment.objects.filter(user=user, evaluation__in=[e.pk for e in working])}
    for e in evaluations:
        if e.status == Status.PUBLISHED:
            e.progress_lines = [progress.step_lines(e.status, None, role=role, previsit_open=False)[0]]
            continue
        assignment = mine.get(e.pk)
        e.progress_lines = progress.step_lines(
            e.status, counts[e.pk], role=role, previsit_open=e.status in PREVISIT_OPEN,
            mine=counts[e.pk].scores.get(assignment.pk, 0) if assignment else None,
            submitted=bool(assignment and assignment.submitted_at),
        )
    return evaluations
