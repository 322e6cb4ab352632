"""An evaluation as a JSON document: the shape of ``kompass show --json`` and of the API,
and, with everything else it holds, of one evaluation in a dump (``kompass.dump``)."""

from __future__ import annotations

from kompass import scoring
from kompass.evaluations.models import Evaluation, FindingKind
from kompass.evaluations.selectors import evaluation_findings, evaluation_result
from kompass.municipalities.models import Municipality

FINDING_LISTS = {"strengths": FindingKind.STRENGTH, "improvements": FindingKind.IMPROVEMENT, "good_examples": FindingKind.GOOD_EXAMPLE}


def points_document(score: scoring.Score) -> dict:
    return {
        "score": scoring.format_points(score.score),
        "rounded": score.rounded,
        "max": int(score.max),
        "percent": score.percent,
    }


def _with_interval(document: dict, score: scoring.Score) -> None:
    """The export adds the interval of a recorded reconstructed score (derived ones follow)."""
    if score.reconstructed and not score.derived:
        document["interval"] = [scoring.format_points(score.low), scoring.format_points(score.high)]


def municipality_document(municipality: Municipality) -> dict:
    return {"code": municipality.code, "name": municipality.name, "country": municipality.country}


def evaluation_document(evaluation: Evaluation, result: scoring.Result | None = None) -> dict:
    """The evaluation's scores in the shape of ``kompass show --json``."""
    result = result or evaluation_result(evaluation)
    with_questions = result.has_question_scores
    return {
        "municipality": municipality_document(evaluation.municipality),
        "year": evaluation.year,
        "framework": evaluation.framework.code,
        "status": evaluation.status,
        "total": points_document(result.total),
        "areas": [
            {
                "number": area.area.number,
                "title": area.area.title,
                **points_document(area.score),
                "questions": [
                    {"id": q.question.id, "text": q.question.text, **points_document(q.score)} for q in area.questions
                ]
                if with_questions
                else [],
            }
            for area in result.areas
        ],
    }


def evaluation_full_document(evaluation: Evaluation) -> dict:
    """``evaluation_document`` plus everything else the evaluation holds."""
    result = evaluation_result(evaluation)
    document = evaluation_document(evaluation, result)
    _with_interval(document["total"], result.total)
    for area_document, area in zip(document["areas"], result.areas):
        _with_interval(area_document, area.score)
        for question_document, question in zip(area_document["questions"], area.questions):
            _with_interval(question_document, question.score)
    document.update(
        {
            "ordinal": evaluation.ordinal,
            "month": evaluation.month,
            "visit_start": evaluation.visit_start.isoformat() if evaluation.visit_start else None,
            "visit_end": evaluation.visit_end.isoformat() if evaluation.visit_end else None,
            "interviewees": evaluation.interviewees,
            "interviewees_approximate": evaluation.interviewees_approximate,
            "sources": list(evaluation.sources),
            "publisher": evaluation.publisher,
            "data_source": evaluation.data_source,
            "evaluators": [{"name": e.name, "organisation": e.organisation} for e in evaluation.evaluators.all()],
            "texts": {"evaluation": evaluation.evaluation_text, "summary": evaluation.summary_text},
        }
    )
    area_texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    question_texts: dict[int, dict[str, str]] = {}
    for assessment in evaluation.question_assessments.select_related("question__area").exclude(text=""):
        question_texts.setdefault(assessment.question.area.number, {})[assessment.question.code] = assessment.text
    findings = {
        key: [{"text": f.text, "question": f.question.code if f.question else None} for f in items]
        for key, items in evaluation_findings(evaluation).items()
    }
    for area in document["areas"]:
        assessment = area_texts.get(area["number"])
        area["texts"] = {
            "general": assessment.general_text if assessment else "",
            "changes": assessment.changes_text if assessment else "",
            "questions": question_texts.get(area["number"], {}),
        }
        for key, kind in FINDING_LISTS.items():
            area[key] = findings.get((area["number"], kind), [])
    return document
