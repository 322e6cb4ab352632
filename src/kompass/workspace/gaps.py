"""The gaps of an evaluation as stored: its pre-visit self-scores against its agreed
scores, computed by the pure ``kompass.gaps``."""

from __future__ import annotations

from kompass.evaluations.models import AreaAssessment, QuestionAssessment
from kompass.gaps import Gaps, gaps
from kompass.workspace.models import PrevisitAnswer
from kompass.workspace.units import key_of


def evaluation_gaps(evaluation) -> Gaps:
    """The gaps of an evaluation as stored: the self-scores of its pre-visit answers and
    its agreed (consensus) scores of the sub-questions, or of the areas where there are none."""

    own, comments = {}, {}
    for code, number, score, comment in PrevisitAnswer.objects.filter(evaluation=evaluation).values_list(
        "question__code", "area__number", "self_score", "self_comment"
    ):
        key = key_of(code, number)
        own[key], comments[key] = score, comment
    theirs = dict(
        QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("question__code", "score")
    )
    definition = evaluation.framework.definition
    whole_areas = {a.number for a in definition.areas if not a.questions}
    for number, score in AreaAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("area__number", "score"):
        if number in whole_areas:
            theirs[str(number)] = score
    return gaps(definition, own, theirs, comments)
