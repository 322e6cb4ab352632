"""What a workspace write names, found in the evaluation's version: a sub-question by its
code, an area by its number, or a unit (what is scored or answered), refused by name when
the version has no such thing; and a score as typed in a form."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.core.exceptions import ValidationError

from kompass import scoring
from kompass.catalogue.models import Area, Question
from kompass.evaluations.models import Evaluation
from kompass.i18n import _
from kompass.workspace import units


def question_of(evaluation: Evaluation, code: str) -> Question:
    question = Question.objects.filter(area__framework=evaluation.framework, code=code).select_related("area").first()
    if question is None:
        raise ValidationError(
            _("delfråga %(code)s finns inte i version %(version)s") % {"code": code, "version": evaluation.framework.code}
        )
    return question


def area_of(evaluation: Evaluation, number) -> Area:
    area = Area.objects.filter(framework=evaluation.framework, number=number).first() if str(number).isdigit() else None
    if area is None:
        raise ValidationError(_("område %(number)s finns inte i version %(version)s") % {"number": number, "version": evaluation.framework.code})
    return area


def unit_of(evaluation: Evaluation, *, question_code: str | None = None, area_number=None) -> tuple[units.Unit, dict]:
    """What is scored or answered: a sub-question by its code, or, where the version has
    no sub-questions in it, an area by its number; with the lookup of its stored rows."""
    if (question_code is None) == (area_number is None):
        raise ValueError("give either question_code or area_number")
    definition = evaluation.framework.definition
    # The maximum as stored (15.00), as messages have always named it.
    if question_code is not None:
        question = question_of(evaluation, question_code)
        return dataclasses.replace(units.unit_get(definition, question.code), max_points=question.max_points), {"question": question}
    area = area_of(evaluation, area_number)
    if definition.area(area.number).questions:
        raise ValidationError(
            _("område %(number)s poängsätts per delfråga i version %(version)s, inte som helhet")
            % {"number": area.number, "version": evaluation.framework.code}
        )
    return dataclasses.replace(units.unit_get(definition, str(area.number)), max_points=area.max_points), {"area": area}


def unit_by_key(evaluation: Evaluation, key: str) -> tuple[units.Unit, dict]:
    """A unit by its key as forms and the command line carry it: "1.1" or "3"."""
    return unit_of(evaluation, **units.kwargs_of(key))


def parse_score(text, unit: units.Unit | Question, where: str | None = None) -> Decimal | None:
    """A score typed in a form ("7,5" or "7.5"); empty means no score. A refusal carries
    the code "score" and, as ``params["problem"]``, the message without the place
    (``where``, by default the unit's label), for a form to show beside the score's field,
    and as ``params["key"]`` the unit's key ("1.1", "3")."""
    if where is None:
        where = unit.label if isinstance(unit, units.Unit) else _("delfråga %(code)s") % {"code": unit.code}
    if text is None or str(text).strip() == "":
        return None
    key = unit.key if isinstance(unit, units.Unit) else unit.code
    try:
        value = scoring.parse_points(text)
    except ValueError:
        raise score_error(where, scoring.not_a_number(), key) from None
    problems = scoring.value_problems(value, unit.max_points, where)
    if problems:
        raise score_error(where, problems[0].message, key)
    return value.quantize(scoring.HUNDREDTH)


def score_error(where: str, problem: str, key: str) -> ValidationError:
    """A refused score: the message with its place, and (as params) without it and the unit's key."""
    return ValidationError("%(where)s: %(problem)s", code="score", params={"where": where, "problem": problem, "key": key})


def points(value: Decimal | None) -> str | None:
    return scoring.format_points(value)


def area_field_label(number: int, field: str) -> str:
    names = {"general": _("Allmänt"), "changes": _("Vad har hänt?")}
    return _("område %(number)s · %(field)s") % {"number": number, "field": names[field]}
