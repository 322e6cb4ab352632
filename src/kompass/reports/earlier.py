"""What the report carries over from earlier evaluations: the follow-up of the previous
evaluation's improvement areas (the municipality's actions) and the appendix of the latest
earlier evaluation's texts."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kompass.evaluations.models import Evaluation, FindingKind
from kompass.evaluations.selectors import evaluation_findings, evaluation_result


@dataclass(frozen=True)
class FollowUpRow:
    """An improvement area of the previous evaluation and what the municipality did."""

    text: str
    actions: tuple[tuple[str, str], ...]  # (title, status as a word)


@dataclass(frozen=True)
class AppendixSection:
    heading: str
    text_md: str


@dataclass(frozen=True)
class AppendixArea:
    number: int
    title: str
    sections: tuple[AppendixSection, ...]


def follow_up(evaluation: Evaluation) -> tuple[int | None, dict[int, tuple[FollowUpRow, ...]]]:
    """The previous evaluation's improvement areas with the municipality's actions, per
    area; only when the municipality has published its action plan and has actions."""
    from kompass.actions.selectors import followup_get, plan_is_public

    if not plan_is_public(evaluation.municipality):
        return None, {}
    followup = followup_get(evaluation)
    if not any(item.improvement.actions.all() for item in followup.items):
        return None, {}
    rows: dict[int, list[FollowUpRow]] = {}
    for item in followup.items:
        actions = tuple((a.title, str(a.get_status_display())) for a in item.improvement.actions.all())
        rows.setdefault(item.improvement.area.number, []).append(FollowUpRow(item.improvement.text, actions))
    return followup.previous.year, {number: tuple(r) for number, r in rows.items()}


def appendix_source(evaluation: Evaluation, *, published_only: bool) -> Evaluation | None:
    """The municipality's latest earlier evaluation, of any version: the report appends
    selected parts of it, as the seed appends 2012's texts to 2015's report."""
    earlier = Evaluation.objects.filter(municipality=evaluation.municipality, year__lt=evaluation.year).select_related("framework")
    if published_only:
        earlier = earlier.filter(status="published")
    return earlier.order_by("-year", "-pk").first()


def appendix(source: Evaluation) -> tuple[AppendixArea, ...]:
    """Per area of the earlier evaluation: its sub-question texts where it has them (the
    seed's appendix), otherwise its area texts and lists; areas without any are left out."""
    result = evaluation_result(source, public=True)
    question_texts = {
        q.question.code: q.text for q in source.question_assessments.select_related("question").exclude(text="")
    }
    texts = {a.area.number: a for a in source.area_assessments.select_related("area")}
    findings = evaluation_findings(source)
    areas = []
    for a in result.areas:
        sections = [AppendixSection(q.question.short or q.question.text, question_texts[q.question.id]) for q in a.questions if q.question.id in question_texts]
        if not sections:
            assessment = texts.get(a.area.number)
            if assessment is not None:
                sections += [AppendixSection(_("Allmänt"), assessment.general_text)] if assessment.general_text.strip() else []
                sections += [AppendixSection(_("Vad har hänt?"), assessment.changes_text)] if assessment.changes_text.strip() else []
            for kind, heading in ((FindingKind.STRENGTH, _("Styrkor")), (FindingKind.IMPROVEMENT, _("Förbättringsområden"))):
                items = findings.get((a.area.number, kind), [])
                if items:
                    sections.append(AppendixSection(heading, "\n".join(f"- {f.text}" for f in items)))
        if sections:
            areas.append(AppendixArea(a.area.number, a.area.title, tuple(sections)))
    return tuple(areas)
