"""The data of the report's charts: the evaluation's results, its history, and the
comparison with other municipalities (computed means and published references). Values
are unrounded; the writers round them where they print them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass import scoring
from kompass.benchmark.selectors import benchmark_compute, published_references
from kompass.evaluations.models import Evaluation
from kompass.reports.context import ChartData, Series
from kompass.reports.wording import genitive


def area_label(area) -> str:
    return f"{area.number}. {area.title}"


def results_chart(evaluation: Evaluation, result: scoring.Result) -> ChartData:
    label = evaluation.municipality.display_name
    return ChartData(
        key="results",
        title=_("%(name)s %(year)s: %(total)s poäng")
        % {"name": label, "year": evaluation.year, "total": result.total.rounded if result.total.known else "–"},
        categories=tuple(area_label(a.area) for a in result.areas),
        series=(Series(str(evaluation.year), tuple(a.score.score for a in result.areas)),),
        max_value=int(max(a.area.max_points for a in result.areas)),
        value_label=_("Poäng"),
        note="" if result.total.known else _("Totalpoängen är inte känd."),
    )


def history_chart(evaluation: Evaluation, result: scoring.Result, history: list[tuple[Evaluation, scoring.Result]]) -> ChartData:
    return ChartData(
        key="history",
        title=_("Poäng per område vid %(municipality)s utvärderingar") % {"municipality": genitive(evaluation.municipality.display_name)},
        categories=tuple(area_label(a.area) for a in result.areas),
        series=tuple(Series(str(e.year), tuple(a.score.score for a in r.areas)) for e, r in history),
        max_value=int(max(a.area.max_points for a in result.areas)),
        value_label=_("Poäng"),
    )


def benchmark_chart(evaluation: Evaluation, result: scoring.Result) -> tuple[ChartData | None, list[str]]:
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
                categories=tuple(area_label(a.area) for a in result.areas),
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
