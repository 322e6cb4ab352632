"""Everything a report shows, as plain data: the one input of the HTML, PDF and DOCX
writers, so the three formats cannot disagree.

Texts are Markdown (``*_md`` fields). Numbers are already rounded for display; charts
carry the unrounded values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass import scoring
from kompass.benchmark.role_models import RoleModel, RoleModelFinder
from kompass.benchmark.selectors import benchmark_compute, published_references
from kompass.catalogue.visibility import public_document
from kompass.comparison import compare
from kompass.evaluations.documents import evaluation_full_document
from kompass.evaluations.models import Evaluation, FindingKind
from kompass.evaluations.selectors import evaluation_findings, evaluation_history, evaluation_result
from kompass.reports.wording import about_paragraphs, evaluation_paragraph, interviewees_phrase, month_name


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
    text: str
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
    text: str
    question: str | None
    role_models: tuple[RoleModel, ...]


@dataclass(frozen=True)
class FollowUpRow:
    """An improvement area of the previous evaluation and what the municipality did."""

    text: str
    actions: tuple[tuple[str, str], ...]  # (title, status as a word)


@dataclass(frozen=True)
class AreaChapter:
    number: int
    title: str
    headings: tuple[str, ...]
    score: int | None
    previous_score: int | None
    general_md: str
    changes_md: str
    strengths: tuple[str, ...]
    improvements: tuple[Improvement, ...]
    good_examples: tuple[str, ...]
    follow_up: tuple[FollowUpRow, ...] = ()

    @property
    def anchor(self) -> str:
        return f"omrade-{self.number}"


@dataclass(frozen=True)
class AppendixSection:
    heading: str
    text_md: str


@dataclass(frozen=True)
class AppendixArea:
    number: int
    title: str
    sections: tuple[AppendixSection, ...]


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


def genitive(name: str) -> str:
    """Swedish genitive: Örebros, but names ending in s, x or z take none (Borås)."""
    return name if name[-1:].lower() in "sxz" else name + "s"


def _row(label: str, text: str, score: scoring.Score) -> ScoreRow:
    return ScoreRow(label, text, score.rounded, int(score.max), score.percent)


def _area_label(area) -> str:
    return f"{area.number}. {area.title}"


def _history_chart(evaluation: Evaluation, result: scoring.Result, history: list[tuple[Evaluation, scoring.Result]]) -> ChartData:
    return ChartData(
        key="history",
        title=_("Poäng per område vid %(municipality)s utvärderingar") % {"municipality": genitive(evaluation.municipality.display_name)},
        categories=tuple(_area_label(a.area) for a in result.areas),
        series=tuple(Series(str(e.year), tuple(a.score.score for a in r.areas)) for e, r in history),
        max_value=int(max(a.area.max_points for a in result.areas)),
        value_label=_("Poäng"),
    )


def _benchmark_chart(evaluation: Evaluation, result: scoring.Result) -> tuple[ChartData | None, list[str]]:
    """Per area against computed means where they exist; otherwise totals, and it says so."""
    name = f"{evaluation.municipality.display_name} {evaluation.year}"
    computed = benchmark_compute(framework=evaluation.framework.code, exclude_municipality=evaluation.municipality)
    sentences = []
    references = [r for r in published_references(framework=evaluation.framework.code) if r.area is None]
    for reference in references:
        sentences.append(
            _("%(description)s: %(value)s poäng (källa: %(source)s).")
            % {"description": reference.description, "value": scoring.round_half_up(reference.value), "source": reference.source}
        )
    if computed.total.count:
        sentences.append(
            ngettext(
                "Medelvärdet av %(count)s publicerad utvärdering av andra kommuner enligt samma version är %(mean)s poäng.",
                "Medelvärdet av %(count)s publicerade utvärderingar av andra kommuner enligt samma version är %(mean)s poäng.",
                computed.total.count,
            )
            % {"count": computed.total.count, "mean": scoring.round_half_up(computed.total.value)}
        )
    area_means = [computed.areas.get(a.area.number) for a in result.areas]
    if all(m is not None and m.count for m in area_means) and result.total.known:
        counts = sorted({m.count for m in area_means})
        count_text = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        return (
            ChartData(
                key="benchmark",
                title=_("%(name)s jämfört med medelvärdet per område") % {"name": name},
                categories=tuple(_area_label(a.area) for a in result.areas),
                series=(
                    Series(name, tuple(a.score.score for a in result.areas)),
                    Series(_("Medelvärde (%(count)s utvärderingar)") % {"count": count_text}, tuple(m.value for m in area_means)),
                ),
                max_value=int(max(a.area.max_points for a in result.areas)),
                value_label=_("Poäng"),
            ),
            sentences,
        )
    mean_total, mean_name = None, ""
    if references:
        reference = references[0]
        mean_total = reference.value
        mean_name = _("Genomsnitt sedan %(year)s") % {"year": reference.from_year} if reference.from_year else _("Genomsnitt")
    elif computed.total.count:
        mean_total, mean_name = computed.total.value, _("Medelvärde (%(count)s utvärderingar)") % {"count": computed.total.count}
    if mean_total is None or not result.total.known:
        return None, sentences
    return (
        ChartData(
            key="benchmark",
            title=_("%(name)s jämfört med genomsnittet, totalpoäng") % {"name": name},
            categories=(_("Totalpoäng"),),
            series=(Series(name, (result.total.score,)), Series(mean_name, (mean_total,))),
            max_value=int(result.total.max),
            value_label=_("Poäng"),
            note=_("Medelvärden per område finns inte; jämförelsen gäller därför bara totalpoängen."),
        ),
        sentences,
    )


def _follow_up(evaluation: Evaluation) -> tuple[int | None, dict[int, tuple[FollowUpRow, ...]]]:
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


def evaluation_text_default(evaluation: Evaluation) -> str:
    """Chapter 2's "Utvärderingen" written from the facts, where the evaluators wrote none;
    nothing when no fact beyond the year is known (an imported result table)."""
    if not (evaluation.month or evaluation.ordinal or evaluation.interviewees or evaluation.sources):
        return ""
    return evaluation_paragraph(
        municipality=evaluation.municipality.name, year=evaluation.year, month=evaluation.month, ordinal=evaluation.ordinal,
        interviewees=evaluation.interviewees, approximate=evaluation.interviewees_approximate, sources=evaluation.sources or (),
    )


def _about(framework) -> str:
    definition = framework.definition
    return about_paragraphs(
        framework_name=framework.name, owner=getattr(framework, "owner", "") or "", area_titles=[a.title for a in definition.areas]
    )


def _appendix_source(evaluation: Evaluation, *, published_only: bool) -> Evaluation | None:
    """The municipality's latest earlier evaluation, of any version: the report appends
    selected parts of it, as the seed appends 2012's texts to 2015's report."""
    earlier = Evaluation.objects.filter(municipality=evaluation.municipality, year__lt=evaluation.year).select_related("framework")
    if published_only:
        earlier = earlier.filter(status="published")
    return earlier.order_by("-year", "-pk").first()


def _appendix(source: Evaluation) -> tuple[AppendixArea, ...]:
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


def report_context(evaluation: Evaluation) -> ReportContext:
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
    label = municipality.display_name
    charts = [
        ChartData(
            key="results",
            title=_("%(name)s %(year)s: %(total)s poäng")
            % {"name": label, "year": evaluation.year, "total": result.total.rounded if result.total.known else "–"},
            categories=tuple(_area_label(a.area) for a in result.areas),
            series=(Series(str(evaluation.year), tuple(a.score.score for a in result.areas)),),
            max_value=int(max(a.area.max_points for a in result.areas)),
            value_label=_("Poäng"),
            note="" if result.total.known else _("Totalpoängen är inte känd."),
        )
    ]
    if len(history) > 1:
        charts.append(_history_chart(evaluation, result, history))
    benchmark_chart, comparisons = _benchmark_chart(evaluation, result)
    if benchmark_chart:
        charts.append(benchmark_chart)

    sentences = []
    if comparison and comparison.total.rounded is not None:
        change = comparison.total.rounded
        sentences.append(
            _("Jämfört med %(year)s (%(before)s poäng) har resultatet ändrats med %(change)s poäng.")
            % {"year": previous.year, "before": previous_result.total.rounded, "change": f"{change:+d}"}
        )
    sentences.extend(comparisons)

    follow_up_year, follow_up = _follow_up(evaluation)
    texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    findings = evaluation_findings(evaluation)
    finder = RoleModelFinder(evaluation, result)
    chapters = []
    for area in result.areas:
        number = area.area.number
        improvements = tuple(
            Improvement(f.text, f.question.code if f.question else None, tuple(finder.for_finding(f)))
            for f in findings.get((number, FindingKind.IMPROVEMENT), [])
        )
        assessment = texts.get(number)
        chapters.append(
            AreaChapter(
                number=number,
                title=area.area.title,
                headings=area.area.headings,
                score=area.score.rounded,
                previous_score=previous_result.area(number).score.rounded if previous_result else None,
                general_md=assessment.general_text if assessment else "",
                changes_md=assessment.changes_text if assessment else "",
                strengths=tuple(f.text for f in findings.get((number, FindingKind.STRENGTH), [])),
                improvements=improvements,
                good_examples=tuple(f.text for f in findings.get((number, FindingKind.GOOD_EXAMPLE), [])),
                follow_up=follow_up.get(number, ()),
            )
        )

    overview = ()
    if result.has_question_scores:
        overview = tuple(
            OverviewTable(
                a.area.number,
                a.area.title,
                tuple(_row(q.question.id, q.question.text, q.score) for q in a.questions),
                _row(f"{a.area.number}.", a.area.title, a.score),
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

    appendix_source = _appendix_source(evaluation, published_only=public)
    appendix = _appendix(appendix_source) if appendix_source is not None else ()

    facts = []
    if evaluation.month:
        facts.append((_("Genomförd"), f"{month_name(evaluation.month)} {evaluation.year}"))
    if evaluation.ordinal:
        facts.append((_("Ordning"), _("kommunens utvärdering nr %(n)s") % {"n": evaluation.ordinal}))
    if evaluation.interviewees:
        facts.append((_("Intervjuade"), interviewees_phrase(evaluation.interviewees, evaluation.interviewees_approximate)))
    facts.append((_("Version"), evaluation.framework.name))
    # The seed's "Jämförelser" always says where every evaluation can be compared.
    sentences.append(
        _("Alla publicerade utvärderingar finns på Kommunkompassens webbplats, där kommunernas resultat kan jämföras och goda exempel sökas.")
    )

    return ReportContext(
        municipality=municipality.name,
        year=evaluation.year,
        framework=evaluation.framework.code,
        framework_name=evaluation.framework.name,
        title=_("Kommunkompassen"),
        subtitle=_("Analys av %(municipality)s %(year)s") % {"municipality": municipality.name, "year": evaluation.year},
        evaluators=tuple((e.name, e.organisation) for e in evaluation.evaluators.all()),
        publisher=evaluation.publisher,
        about_md=evaluation.framework.about or _about(evaluation.framework),
        evaluation_md=evaluation.evaluation_text or evaluation_text_default(evaluation),
        summary_md=evaluation.summary_text,
        total=_row("", _("Totalt"), result.total),
        charts=tuple(charts),
        comparisons=tuple(sentences),
        chapters=tuple(chapters),
        overview=overview,
        area_overview=tuple(_row(f"{a.area.number}.", a.area.title, a.score) for a in result.areas),
        overview_note=note,
        previous_year=previous.year if previous else None,
        appendix_year=appendix_source.year if appendix else None,
        appendix=appendix,
        status=evaluation.status,
        facts=tuple(facts),
        follow_up_year=follow_up_year,
        data=public_document(evaluation_full_document(evaluation), evaluation.framework.definition),
    )
