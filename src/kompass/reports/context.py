"""Everything a report shows, as plain data: the one input of the HTML, PDF and DOCX
writers, so the three formats cannot disagree.

Texts are Markdown (``*_md`` fields). Numbers are already rounded for display; charts
carry the unrounded values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kompass import scoring
from kompass.benchmark.role_models import RoleModel, RoleModelFinder
from kompass.catalogue.translations import LocalText, active_language, text_of
from kompass.catalogue.visibility import public_document
from kompass.comparison import compare
from kompass.evaluations.documents import evaluation_full_document
from kompass.evaluations.models import Evaluation, FindingKind
from kompass.evaluations.selectors import evaluation_findings, evaluation_history, evaluation_result
from kompass.reports.earlier import AppendixArea, FollowUpRow, appendix, appendix_source, follow_up
from kompass.reports.wording import (
    about_paragraphs,
    evaluation_paragraph,
    genitive,
    interviewees_phrase,
    month_name,
    text_language_sentence,
)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]  # None: unknown, drawn as missing, never as zero


@dataclass(frozen=True)
class ChartData:
    key: str  # "results", "history" or "benchmark"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    max_value: int
    value_label: str
    note: str = ""


@dataclass(frozen=True)
class ScoreRow:
    label: str  # "1.1", or "1." for an area
    text: str  # a catalogue text (a LocalText, which knows its language) or a fixed word
    rounded: int | None
    max: int
    percent: int | None


@dataclass(frozen=True)
class OverviewTable:
    number: int
    title: str
    rows: tuple[ScoreRow, ...]
    total: ScoreRow


@dataclass(frozen=True)
class Improvement:
    text: LocalText  # the evaluators' text, in their language
    question: str | None
    role_models: tuple[RoleModel, ...]


@dataclass(frozen=True)
class AreaChapter:
    """An area's chapter. Its title and headings are catalogue texts in the report's
    language where the version has a translation; the texts are the evaluators', as they
    wrote them (``LocalText``: each knows its language, for ``lang`` marks)."""

    number: int
    title: LocalText
    headings: tuple[LocalText, ...]
    score: int | None
    previous_score: int | None
    general_md: LocalText
    changes_md: LocalText
    strengths: tuple[LocalText, ...]
    improvements: tuple[Improvement, ...]
    good_examples: tuple[LocalText, ...]
    follow_up: tuple[FollowUpRow, ...] = ()

    @property
    def anchor(self) -> str:
        return f"omrade-{self.number}"


@dataclass
class ReportContext:
    municipality: str
    year: int
    framework: str
    framework_name: str
    title: str
    subtitle: str
    evaluators: tuple[tuple[str, str], ...]
    publisher: str
    about_md: str
    evaluation_md: str
    summary_md: str
    total: ScoreRow
    charts: tuple[ChartData, ...]
    comparisons: tuple[str, ...]
    chapters: tuple[AreaChapter, ...]
    overview: tuple[OverviewTable, ...]
    area_overview: tuple[ScoreRow, ...]  # used where sub-question scores are not recorded
    overview_note: str
    previous_year: int | None
    appendix_year: int | None
    appendix: tuple[AppendixArea, ...]
    status: str
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    follow_up_year: int | None = None
    data: dict | None = None  # the evaluation as `kompass export` writes it, embedded in files
    language: str = "sv"  # the report's: every fixed heading, label and chart
    text_language: str = "sv"  # the evaluators' texts' (text_language_of: their country's)
    text_language_note: str = ""  # "Utvärderarnas texter är skrivna på svenska." where the two differ

    @property
    def municipality_genitive(self) -> str:
        return genitive(self.municipality, self.language)

    @property
    def changes_heading(self) -> str:
        if self.previous_year:
            return _("Vad har hänt efter %(year)s?") % {"year": self.previous_year}
        return _("Vad har hänt sedan förra utvärderingen?")

    @property
    def follow_up_heading(self) -> str:
        return _("Åtgärder för förbättringsområdena från %(year)s") % {"year": self.follow_up_year}

    @property
    def has_question_overview(self) -> bool:
        return bool(self.overview)

    @property
    def author(self) -> str:
        return ", ".join(name for name, _org in self.evaluators) or self.publisher or self.title


def _row(label: str, text: str, score: scoring.Score) -> ScoreRow:
    return ScoreRow(label, text, score.rounded, int(score.max), score.percent)


def text_language_of(evaluation: Evaluation) -> str:
    """The language the evaluators wrote in (``Evaluation.text_language``)."""
    return evaluation.text_language


def question_text(framework, question) -> LocalText:
    """A sub-question's text in the report's language; where the version's texts are not
    public, the neutral label its public view already carries (never a translation of the
    confidential text)."""
    if not framework.public_questions:
        return LocalText(question.text, active_language())
    return text_of(question, "text")


def evaluation_text_default(evaluation: Evaluation) -> str:
    """Chapter 2's "Utvärderingen" written from the facts, where the evaluators wrote none;
    nothing when no fact beyond the year is known (an imported result table)."""
    if not (evaluation.month or evaluation.ordinal or evaluation.interviewees or evaluation.sources):
        return ""
    return evaluation_paragraph(
        municipality=evaluation.municipality.name, year=evaluation.year, month=evaluation.month, ordinal=evaluation.ordinal,
        interviewees=evaluation.interviewees, approximate=evaluation.interviewees_approximate, sources=evaluation.sources or (),
    )


def _about(framework) -> LocalText:
    """Chapter 1: the version's own text where it is in the report's language (its own or
    a translation), else written from the version's facts in the report's language: the
    method is explained to the reader in the reader's language."""
    own = text_of(framework, "about")
    if own and own.language == active_language():
        return own
    definition = framework.definition
    text = about_paragraphs(
        framework_name=text_of(framework, "name"), owner=getattr(framework, "owner", "") or "",
        area_titles=[text_of(a, "title") for a in definition.areas],
    )
    return LocalText(text, active_language())


def report_context(evaluation: Evaluation) -> ReportContext:
    # chart_data builds this module's ChartData, so it is imported here: one-way at load.
    from kompass.reports.chart_data import report_charts

    # A report is a publication: the version as the public may see it (catalogue.visibility).
    result = evaluation_result(evaluation, public=True)
    public = evaluation.is_published
    history = [
        (e, evaluation_result(e))
        for e in evaluation_history(evaluation, published_only=public)
        if e.year <= evaluation.year
    ]
    previous, previous_result = (history[-2] if len(history) > 1 else (None, None))
    comparison = compare(previous_result, result) if previous_result else None

    municipality = evaluation.municipality
    language = active_language()
    text_language = text_language_of(evaluation)

    def written(text: str) -> LocalText:
        """An evaluator's text: as written, in their language."""
        return LocalText(text or "", text_language)

    charts, comparisons = report_charts(evaluation, result, history)

    sentences = []
    if comparison and comparison.total.rounded is not None:
        change = comparison.total.rounded
        sentences.append(
            _("Jämfört med %(year)s (%(before)s poäng) har resultatet ändrats med %(change)s poäng.")
            % {"year": previous.year, "before": previous_result.total.rounded, "change": f"{change:+d}"}
        )
    sentences.extend(comparisons)

    follow_up_year, follow_ups = follow_up(evaluation)
    texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    findings = evaluation_findings(evaluation)
    finder = RoleModelFinder(evaluation, result)
    chapters = []
    for area in result.areas:
        number = area.area.number
        improvements = tuple(
            Improvement(written(f.text), f.question.code if f.question else None, tuple(finder.for_finding(f)))
            for f in findings.get((number, FindingKind.IMPROVEMENT), [])
        )
        assessment = texts.get(number)
        chapters.append(
            AreaChapter(
                number=number,
                title=text_of(area.area, "title"),
                headings=tuple(text_of(area.area, "headings")),
                score=area.score.rounded,
                previous_score=previous_result.area(number).score.rounded if previous_result else None,
                general_md=written(assessment.general_text if assessment else ""),
                changes_md=written(assessment.changes_text if assessment else ""),
                strengths=tuple(written(f.text) for f in findings.get((number, FindingKind.STRENGTH), [])),
                improvements=improvements,
                good_examples=tuple(written(f.text) for f in findings.get((number, FindingKind.GOOD_EXAMPLE), [])),
                follow_up=follow_ups.get(number, ()),
            )
        )

    overview = ()
    if result.has_question_scores:
        overview = tuple(
            OverviewTable(
                a.area.number,
                text_of(a.area, "title"),
                tuple(_row(q.question.id, question_text(result.framework, q.question), q.score) for q in a.questions),
                _row(f"{a.area.number}.", text_of(a.area, "title"), a.score),
            )
            for a in result.areas
        )
    note = ""
    if not overview:
        note = (
            _("Poäng per delfråga finns inte registrerade för den här utvärderingen; översikten visar områdena.")
            if result.framework.has_questions
            else _("Version %(version)s är känd på områdesnivå; översikten visar områdena.") % {"version": result.framework.id}
        )

    earlier = appendix_source(evaluation, published_only=public)
    appended = appendix(earlier, text_language_of(earlier)) if earlier is not None else ()

    facts = []
    if evaluation.month:
        facts.append((_("Genomförd"), f"{month_name(evaluation.month)} {evaluation.year}"))
    if evaluation.ordinal:
        facts.append((_("Ordning"), _("kommunens utvärdering nr %(n)s") % {"n": evaluation.ordinal}))
    if evaluation.interviewees:
        facts.append((_("Intervjuade"), interviewees_phrase(evaluation.interviewees, evaluation.interviewees_approximate)))
    framework_name = text_of(evaluation.framework, "name")
    facts.append((_("Version"), framework_name))
    # The seed's "Jämförelser" always says where every evaluation can be compared.
    sentences.append(
        _("Alla publicerade utvärderingar finns på Kommunkompassens webbplats, där kommunernas resultat kan jämföras och goda exempel sökas.")
    )

    return ReportContext(
        municipality=municipality.name,
        year=evaluation.year,
        framework=evaluation.framework.code,
        framework_name=framework_name,
        title=_("Kommunkompassen"),
        subtitle=_("Analys av %(municipality)s %(year)s") % {"municipality": municipality.name, "year": evaluation.year},
        evaluators=tuple((e.name, e.organisation) for e in evaluation.evaluators.all()),
        publisher=evaluation.publisher,
        about_md=_about(evaluation.framework),
        evaluation_md=(
            written(evaluation.evaluation_text) if evaluation.evaluation_text
            else LocalText(evaluation_text_default(evaluation), language)
        ),
        summary_md=written(evaluation.summary_text),
        total=_row("", _("Totalt"), result.total),
        charts=tuple(charts),
        comparisons=tuple(sentences),
        chapters=tuple(chapters),
        overview=overview,
        area_overview=tuple(_row(f"{a.area.number}.", text_of(a.area, "title"), a.score) for a in result.areas),
        overview_note=note,
        previous_year=previous.year if previous else None,
        appendix_year=earlier.year if appended else None,
        appendix=appended,
        status=evaluation.status,
        facts=tuple(facts),
        follow_up_year=follow_up_year,
        data=public_document(evaluation_full_document(evaluation), evaluation.framework.definition),
        language=language,
        text_language=text_language,
        text_language_note=text_language_sentence(text_language, language) if _has_written_texts(evaluation, chapters, appended) else "",
    )


def _has_written_texts(evaluation: Evaluation, chapters, appended) -> bool:
    """Whether the report shows any text the evaluators wrote (else no sentence about their language)."""
    return bool(
        evaluation.evaluation_text or evaluation.summary_text or appended
        or any(c.general_md or c.changes_md or c.strengths or c.improvements or c.good_examples for c in chapters)
    )
