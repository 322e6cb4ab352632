"""What the report carries over from earlier evaluations: the follow-up of the previous
evaluation's improvement areas (the municipality's actions) and the appendix of the latest
earlier evaluation's texts."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kompass.catalogue.translations import LocalText, text_of
from kompass.evaluations.models import Evaluation, FindingKind
from kompass.evaluations.selectors import evaluation_findings, evaluation_result


@dataclass(frozen=True)
class FollowUpRow:
    """An improvement area of the previous evaluation and what the municipality did."""

    text: LocalText  # the evaluators' text, in their language
    actions: tuple[tuple[LocalText, str], ...]  # (the municipality's title, in its language; status as a word)


@dataclass(frozen=True)
class AppendixSection:
    heading: str  # a sub-question's short title (a LocalText) or a fixed heading
    text_md: LocalText  # the evaluators' text, in their language


@dataclass(frozen=True)
class AppendixArea:
    number: int
    title: LocalText
    sections: tuple[AppendixSection, ...]


def follow_up(evaluation: Evaluation) -> tuple[int | None, dict[int, tuple[FollowUpRow, ...]]]:
    """The previous evaluation's improvement areas with the municipality's actions, per
    area; only when the municipality has published its action plan and has actions."""
    from kompass.actions.selectors import followup_get, plan_is_public

    # A municipality writes its actions in its own language.
    municipality_language = evaluation.municipality.language
    if not plan_is_public(evaluation.municipality):
        return None, {}
    followup = followup_get(evaluation)
    if not any(item.improvement.actions.all() for item in followup.items):
        return None, {}
    text_language = followup.previous.text_language
    rows: dict[int, list[FollowUpRow]] = {}
    for item in followup.items:
        actions = tuple((LocalText(a.title, municipality_language), str(a.get_status_display())) for a in item.improvement.actions.all())
        rows.setdefault(item.improvement.area.number, []).append(FollowUpRow(LocalText(item.improvement.text, text_language), actions))
    return followup.previous.year, {number: tuple(r) for number, r in rows.items()}


def appendix_source(evaluation: Evaluation, *, published_only: bool) -> Evaluation | None:
    """The municipality's latest earlier evaluation, of any version: the report appends
    selected parts of it, as the seed appends 2012's texts to 2015's report."""
    earlier = Evaluation.objects.filter(municipality=evaluation.municipality, year__lt=evaluation.year).select_related("framework")
    if published_only:
        earlier = earlier.filter(status="published")
    return earlier.order_by("-year", "-pk").first()


def appendix(source: Evaluation, text_language: str = "sv") -> tuple[AppendixArea, ...]:
    """Per area of the earlier evaluation: its sub-question texts where it has them (the
    seed's appendix), otherwise its area texts and lists; areas without any are left out.
    Headings and titles in the report's language; the texts as the evaluators wrote them
    (in ``text_language``)."""

    def written(text: str) -> LocalText:
        return LocalText(text, text_language)

    result = evaluation_result(source, public=True)
    public = result.framework.public_questions
    question_texts = {
        q.question.code: q.text for q in source.question_assessments.select_related("question").exclude(text="")
    }
    texts = {a.area.number: a for a in source.area_assessments.select_related("area")}
    findings = evaluation_findings(source)
    areas = []
    for a in result.areas:
        sections = [
            AppendixSection(_question_heading(q.question, public), written(question_texts[q.question.id]))
            for q in a.questions if q.question.id in question_texts
        ]
        if not sections:
            assessment = texts.get(a.area.number)
            if assessment is not None:
                sections += [AppendixSection(_("Allmänt"), written(assessment.general_text))] if assessment.general_text.strip() else []
                sections += [AppendixSection(_("Vad har hänt?"), written(assessment.changes_text))] if assessment.changes_text.strip() else []
            for kind, heading in ((FindingKind.STRENGTH, _("Styrkor")), (FindingKind.IMPROVEMENT, _("Förbättringsområden"))):
                items = findings.get((a.area.number, kind), [])
                if items:
                    sections.append(AppendixSection(heading, written("\n".join(f"- {f.text}" for f in items))))
        if sections:
            areas.append(AppendixArea(a.area.number, text_of(a.area, "title"), tuple(sections)))
    return tuple(areas)


def _question_heading(question, public: bool):
    """A sub-question's short title (else its text) in the report's language; where the
    version's texts are not public, the neutral label its public view carries."""
    if not public:
        return question.short or question.text
    return text_of(question, "short") or text_of(question, "text")
