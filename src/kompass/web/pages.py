"""What the pages show, assembled from selectors (no queries in templates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kompass import scoring
from kompass.benchmark.groups import groups_all
from kompass.benchmark.peers import peer_comparison
from kompass.benchmark.role_models import RoleModelFinder
from kompass.benchmark.selectors import benchmark_compute, published_references
from kompass.catalogue import definitions
from kompass.catalogue.translations import active_language, text_of
from kompass.catalogue.visibility import public_view, question_heading, question_label
from kompass.comparison import compare
from kompass.evaluations.documents import FINDING_LISTS
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_findings
from kompass.evaluations.selectors import evaluation_result as _evaluation_result
from kompass.evaluations.summaries import derived
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.reports.chart_data import evaluation_chart_data, history_results
from kompass.reports.context import ChartData, Series
from kompass.reports.svg_chart import bar_svg
from kompass.web.forms import PortalFiltersForm


def evaluation_result(evaluation: Evaluation) -> scoring.Result:
    """Every page here is public: scores against the version as the public may see it.
    Kept on the evaluation object (it lives for one request): the page and its charts
    both need it."""
    memo = evaluation.__dict__.setdefault("_public_result", {})  # per language: the public view's labels are words
    language = active_language()
    if language not in memo:
        memo[language] = _evaluation_result(evaluation, public=True)
    return memo[language]


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
    # The history's results in one read (two queries), not one read per evaluation.
    history = history_results(evaluation, published_only=public)
    earlier = [(e, r) for e, r in history if e.year < evaluation.year]
    previous, previous_result = earlier[-1] if earlier else (None, None)
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
                "general": web_text(assessment.general_text) if assessment else "",
                "changes": web_text(assessment.changes_text) if assessment else "",
                "question_texts": [(q.question, web_text(question_texts[q.question.id])) for q in area.questions if q.question.id in question_texts],
                **{key: findings.get((number, kind), []) for key, kind in FINDING_LISTS.items()},
                "role_models": {f.pk: finder.for_finding(f) for f in findings.get((number, "improvement"), [])},
            }
        )
    peers = peer_comparison(evaluation)
    maxima = {a["result"].area.max_points for a in areas}
    return {
        "evaluation": evaluation,
        "result": result,
        "areas": areas,
        "previous": previous,
        "comparison": comparison,
        "history": [EvaluationRow(e, r) for e, r in history],
        "evaluators": list(evaluation.evaluators.all()),
        "peers": peers,
        "peer_list": peer_list(peers),
        "peer_areas": [(a["result"], peers.areas.get(a["result"].area.number)) for a in areas],
        "area_max": maxima.pop() if len(maxima) == 1 else None,
        "has_question_texts": any(a["question_texts"] for a in areas),
        "question_captions": {q.question.id: question_caption(q.question) for a in result.areas for q in a.questions},
        "evaluation_text": web_text(evaluation.evaluation_text),
        "summary_text": web_text(evaluation.summary_text),
        "references": published_references(framework=evaluation.framework.code),
    }


def peer_list(peers) -> str:
    """The compared evaluations as list items (HTML), written here rather than by a loop in
    the template: a comparison names up to ~300 municipalities, and a template loop with a
    ``{% url %}`` per item cost about 50 ms a page. One reverse: the links differ only by id."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    marker = 987654321
    head, tail = (escape(part) for part in reverse("web:evaluation", args=[marker]).split(str(marker)))
    unknown, points = escape(_("totalpoängen är inte känd; räknas bara i de områden som är kända")), escape(_("poäng"))
    return mark_safe("".join(
        f'<li><a href="{head}{p.evaluation_id}{tail}">{escape(p.municipality)} {p.year}</a>: '
        f'{unknown if p.total is None else f"{p.rounded} {points}"}</li>'
        for p in peers.peers
    ))


# A printed report's cross-references ("på sid. 24"): no such page exists on the web.
_PAGE_REFERENCE = re.compile(r"\s*\((?:se |på )?sid(?:an|\.)\s*\d+(?:\s*[–-]\s*\d+)?\)|\s+(?:på|se) sid(?:an|\.)\s*\d+(?:\s*[–-]\s*\d+)?")


def web_text(text: str) -> str:
    return _PAGE_REFERENCE.sub("", text)


def question_caption(question) -> str:
    """"Delfråga 1.1 – its title" (only "Delfråga 1.1" where the text is not public), as
    HTML: the title marked with its language where it is not the page's."""
    from django.utils.html import format_html

    from kompass.catalogue.translations import LocalText
    from kompass.web.templatetags.catalogue_text import marked

    label, heading = question_label(question.id), question_heading(question)
    if heading == label:
        return label
    title = LocalText(heading.split(" ", 1)[1], getattr(heading, "language", None) or "sv")
    return format_html("{} – {}", label, marked(title))


# --- the portal: lists, comparison, benchmark -------------------------------------------------





def bar_chart(data: ChartData) -> dict:
    """A bar chart for a page: drawn for the text column and, for phones, drawn again
    narrower (labels wrapped shorter) rather than scaled down out of legibility. Written
    as SVG directly (``reports.svg_chart``, a fraction of a millisecond), so it is drawn
    each time it is needed rather than cached under a key of its own."""
    return {"data": data, "svg": bar_svg(data), "narrow": bar_svg(data, narrow=True)}


def evaluation_charts(evaluation: Evaluation) -> list[dict]:
    """The report's three charts (result, history, comparison with the average), as SVG
    with their data, for the evaluation's page; then the municipality's totals across all
    its evaluations (``web.trend``), where it has more than one."""
    from kompass.web.trend import trend_chart

    def compute():
        charts = [bar_chart(c) for c in evaluation_chart_data(evaluation, evaluation_result(evaluation))]
        trend = trend_chart(evaluation)
        return charts + [trend] if trend else charts

    # Drawn charts carry words (titles, area titles, legends): one copy per language.
    return derived(f"charts:{evaluation.pk}:{active_language()}", compute, municipalities=[evaluation.municipality_id],
                   version=evaluation.framework.code, country=evaluation.municipality.country)


@dataclass
class Filters:
    """The portal's filters from a query string (``forms.PortalFiltersForm``); an invalid
    value is named in ``problems`` and ignored."""

    PARAMS = tuple(PortalFiltersForm.base_fields)

    country: str | None = None
    group: str | None = None
    framework: str | None = None
    year: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    sort: str = "name"
    problems: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query) -> "Filters":
        form = PortalFiltersForm(query)
        return cls(**form.values(), problems=form.problems())

    def key(self) -> str:
        return f"{self.country}:{self.group}:{self.framework}:{self.year}:{self.from_year}:{self.to_year}:{self.sort}"


def municipality_chart(municipality: Municipality, groups: list[dict]) -> list[dict]:
    """One chart per version: the municipality's totals per area over the years."""

    def compute():
        charts = []
        for group in groups:
            rows = group["rows"]
            if not rows:
                continue
            areas = rows[0].result.areas
            data = ChartData(
                key=f"history-{group['framework'].code}",
                title=_("%(name)s, version %(version)s: poäng per område") % {"name": municipality.display_name, "version": group["framework"].code},
                categories=tuple(f"{a.area.number}. {text_of(a.area, 'title')}" for a in areas),
                series=tuple(Series(str(r.evaluation.year), tuple(a.score.score for a in r.result.areas)) for r in rows[-5:]),
                max_value=int(max(a.area.max_points for a in areas)),
                value_label=_("Poäng"),
            )
            charts.append({"framework": group["framework"], **bar_chart(data)})
        charts += crosswalk_charts(municipality, groups)
        return charts

    return derived(f"municipality-chart:{municipality.pk}:{active_language()}", compute, municipalities=[municipality.pk])


def crosswalk_charts(municipality: Municipality, groups: list[dict]) -> list[dict]:
    """Where the owner declared a crosswalk between two of the municipality's versions: the
    corresponding areas side by side (the last evaluation on each), shown under the later
    version and marked as not fully comparable."""
    from kompass.comparison import NOT_FULLY_COMPARABLE, crosswalk_between

    charts = []
    ordered = sorted((g for g in groups if g["rows"]), key=lambda g: (g["rows"][-1].evaluation.year, g["framework"].code))
    for index, later in enumerate(ordered):
        for earlier in ordered[:index]:
            a, b = earlier["rows"][-1], later["rows"][-1]
            found = crosswalk_between(a.result.framework, b.result.framework)
            if found is None or not found[0].areas:
                continue
            crosswalk, reverse = found
            pairs = [(y, x) if reverse else (x, y) for x, y in crosswalk.areas]
            mark = _(NOT_FULLY_COMPARABLE)
            data = ChartData(
                key=f"crosswalk-{a.result.framework.id}-{b.result.framework.id}",
                title=_("%(name)s, version %(a)s ↔ %(b)s: motsvarande områden (%(mark)s)")
                % {"name": municipality.display_name, "a": a.result.framework.id, "b": b.result.framework.id, "mark": mark},
                categories=tuple(f"{x} ↔ {y}. {text_of(b.result.framework.area(y), 'title')}" for x, y in pairs),
                series=(
                    Series(f"{a.evaluation.year} ({a.result.framework.id})", tuple(a.result.area(x).score.score for x, _y in pairs)),
                    Series(f"{b.evaluation.year} ({b.result.framework.id})", tuple(b.result.area(y).score.score for _x, y in pairs)),
                ),
                max_value=int(max(max(a.result.area(x).area.max_points, b.result.area(y).area.max_points) for x, y in pairs)),
                value_label=_("Poäng"),
                note=_("Versionerna är %(mark)s: parvisa motsvarigheter enligt versionsägarens korsreferens.") % {"mark": mark},
            )
            charts.append({"framework": later["framework"], **bar_chart(data), "crosswalk": True})
    return charts


def compare_page(evaluations: list[Evaluation]) -> dict:
    from kompass.reports.charts import radar_svg  # matplotlib: only this page still draws with it

    results = [evaluation_result(e) for e in evaluations]
    definition = public_view(evaluations[0].framework.definition)
    labels = [f"{e.municipality.display_name} {e.year}" for e in evaluations]
    areas = []
    for index, area in enumerate(definition.areas):
        area_results = [r.areas[index] for r in results]
        areas.append(
            {
                "area": area,
                "scores": [a.score for a in area_results],
                "questions": [
                    {"question": q, "scores": [a.questions[j].score for a in area_results]} for j, q in enumerate(area.questions)
                ],
            }
        )
    data = ChartData(
        key="compare",
        title=_("Poäng per område: %(names)s") % {"names": ", ".join(labels)},
        categories=tuple(f"{a.number}. {text_of(a, 'title')}" for a in definition.areas),
        series=tuple(Series(label, tuple(a.score.score for a in r.areas)) for label, r in zip(labels, results)),
        max_value=int(max(a.max_points for a in definition.areas)),
        value_label=_("Poäng"),
    )
    key = f"compare:{active_language()}:" + ",".join(str(e.pk) for e in evaluations)
    return {
        "evaluations": list(zip(evaluations, results, labels)),
        "areas": areas,
        "totals": [r.total for r in results],
        "radar": {"data": data, "svg": derived(key, lambda: radar_svg(data), municipalities=[e.municipality_id for e in evaluations])},
    }


# Whole points for areas (0–100) and totals (0–800), where one point is at most 1 % of the
# scale; one decimal for sub-questions (10–30 points), where a point is 3–10 % of it and
# scores are set in half points. The CSV keeps two decimals.
AREA_PLACES, QUESTION_PLACES = 0, 1
STAT_FIELDS = ("mean", "median", "q1", "q3", "min", "max")


def stat_shown(stat, places: int) -> dict:
    """A ``Stat``'s values rounded half-up for the page (None stays None), with its count."""
    from decimal import ROUND_HALF_UP

    unit = Decimal(1).scaleb(-places)
    shown = {name: None if getattr(stat, name) is None else getattr(stat, name).quantize(unit, rounding=ROUND_HALF_UP) for name in STAT_FIELDS}
    return {**shown, "count": stat.count}


def benchmark_page(framework: str, filters: Filters) -> dict:
    from kompass.benchmark.selectors import DISTRIBUTION_STEP, Stat, benchmark_compute

    computed = benchmark_compute(
        framework=framework, from_year=filters.from_year, to_year=filters.to_year, country=filters.country, group=filters.group,
        questions=True,
    )
    definition = public_view(definitions.get(framework))
    distribution = ChartData(
        key="distribution",
        title=_("Fördelning av totalpoängen (%(count)s utvärderingar)") % {"count": computed.total.count},
        categories=tuple(f"{low}–{high}" for low, high, _n in computed.distribution),
        series=(Series(_("Antal utvärderingar"), tuple(Decimal(n) for _l, _h, n in computed.distribution)),),
        max_value=max([n for _l, _h, n in computed.distribution] + [1]),
        value_label=_("Antal utvärderingar"),
    )
    empty = Stat(0)
    return {
        "framework": definition,
        "benchmark": computed,
        "total_shown": stat_shown(computed.total, AREA_PLACES),
        "areas": [(a, stat_shown(computed.areas.get(a.number, empty), AREA_PLACES)) for a in definition.areas],
        "questions": [(q, stat_shown(computed.questions.get(q.id, empty), QUESTION_PLACES)) for q in definition.questions],
        "distribution": derived(f"distribution:{framework}:{filters.key()}:{active_language()}", lambda: bar_chart(distribution),
                                version=framework, country=filters.country)
        if computed.distribution else None,
        "distribution_step": DISTRIBUTION_STEP,
        "references": published_references(framework=framework),
        "groups": groups_all(),
    }
