"""What the pages show, assembled from selectors (no queries in templates)."""

from __future__ import annotations

from dataclasses import dataclass

from kompass import scoring
from kompass.benchmark.role_models import RoleModelFinder
from kompass.benchmark.selectors import benchmark_compute, published_references
from kompass.comparison import compare
from kompass.evaluations.documents import FINDING_LISTS
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_findings, evaluation_history, evaluation_result


@dataclass
class EvaluationRow:
    evaluation: Evaluation
    result: scoring.Result


def evaluation_rows(evaluations) -> list[EvaluationRow]:
    return [EvaluationRow(e, evaluation_result(e)) for e in evaluations]


def history_groups(evaluations) -> list[dict]:
    """The municipality's evaluations per version: only those within a version compare."""
    groups: dict[str, dict] = {}
    for evaluation in evaluations:
        group = groups.setdefault(
            evaluation.framework.code, {"framework": evaluation.framework, "rows": []}
        )
        group["rows"].append(EvaluationRow(evaluation, evaluation_result(evaluation)))
    return list(groups.values())


def evaluation_page(evaluation: Evaluation, *, public: bool) -> dict:
    result = evaluation_result(evaluation)
    history = [e for e in evaluation_history(evaluation, published_only=public)]
    earlier = [e for e in history if e.year < evaluation.year]
    previous = earlier[-1] if earlier else None
    previous_result = evaluation_result(previous) if previous else None
    comparison = compare(previous_result, result) if previous_result else None

    area_texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    question_texts = {
        q.question.code: q.text for q in evaluation.question_assessments.select_related("question").exclude(text="")
    }
    findings = evaluation_findings(evaluation)

    finder = RoleModelFinder(evaluation, result)
    areas = []
    for area in result.areas:
        number = area.area.number
        assessment = area_texts.get(number)
        areas.append(
            {
                "result": area,
                "previous": previous_result.area(number) if previous_result else None,
                "delta": comparison.areas[number] if comparison else None,
                "general": assessment.general_text if assessment else "",
                "changes": assessment.changes_text if assessment else "",
                "question_texts": [(q.question, question_texts[q.question.id]) for q in area.questions if q.question.id in question_texts],
                **{key: findings.get((number, kind), []) for key, kind in FINDING_LISTS.items()},
                "role_models": {f.pk: finder.for_finding(f) for f in findings.get((number, "improvement"), [])},
            }
        )
    computed = benchmark_compute(framework=evaluation.framework.code)
    return {
        "evaluation": evaluation,
        "result": result,
        "areas": areas,
        "previous": previous,
        "comparison": comparison,
        "history": [EvaluationRow(e, evaluation_result(e)) for e in history],
        "evaluators": list(evaluation.evaluators.all()),
        "benchmark": computed,
        "references": published_references(framework=evaluation.framework.code),
    }
