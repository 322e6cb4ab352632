"""The data of the report's charts: the evaluation's results, its history, and the
comparison with other municipalities (by the rule of ``benchmark.peers``) and published
references. Values are unrounded; the writers round them where they print them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass import scoring
from kompass.benchmark.peers import peer_comparison
from kompass.benchmark.selectors import published_references
from kompass.catalogue.translations import active_language, text_of
from kompass.catalogue.visibility import public_view
from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.selectors import evaluation_scoresheets
from kompass.municipalities.models import Country
from kompass.reports.context import ChartData, Series
from kompass.reports.wording import genitive


def area_label(area) -> str:
    """"1. Offentlighet och demokrati": the title in the active language where the version
    has a translation of it."""
    return f"{area.number}. {text_of(area, 'title')}"


def history_results(evaluation: Evaluation, *, published_only: bool) -> list[tuple[Evaluation, scoring.Result]]:
    """The municipality's evaluations on the same version, oldest first (as
    ``evaluation_history``), each with its public result: all their scores read at once
    (two queries), not one read each. The status is checked here, not in SQL: with it
    there, SQLite reads every published evaluation of the version through the status index.
    Kept on the evaluation object (it lives for one request), so the page and its charts
    read it once."""
    memo = evaluation.__dict__.setdefault("_history_results", {})
    key = (published_only, active_language())  # the public view's labels are words
    if key not in memo:
        history = [
            e for e in Evaluation.objects.filter(municipality_id=evaluation.municipality_id, framework_id=evaluation.framework_id)
            .select_related("framework", "municipality").order_by("year")
            if not published_only or e.status == Status.PUBLISHED
        ]
        sheets = evaluation_scoresheets(history)
        definition = public_view(evaluation.framework.definition)
        memo[key] = [(e, scoring.summarise(definition, sheets[e.pk])) for e in history]
    return memo[key]


def evaluation_chart_data(evaluation: Evaluation, result: scoring.Result) -> list[ChartData]:
    """The report's charts, as the report makes them (``report_context``): the result,
    the history up to the evaluation's year where there is one, and the comparison."""
    history = [(e, r) for e, r in history_results(evaluation, published_only=evaluation.is_published) if e.year <= evaluation.year]
    charts, _sentences = report_charts(evaluation, result, history)
    return charts


def report_charts(evaluation: Evaluation, result: scoring.Result, history) -> tuple[list[ChartData], list[str]]:
    """The result, the history (``history``: the evaluations up to this one, each with its
    result) where there is one, and the comparison; with the comparison's sentences."""
    charts = [results_chart(evaluation, result)]
    if len(history) > 1:
        charts.append(history_chart(evaluation, result, history))
    benchmark, sentences = benchmark_chart(evaluation, result)
    if benchmark:
        charts.append(benchmark)
    return charts, sentences


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
        # Translators: genitive is the municipality's name in the genitive (Örebros, Örebro's).
        title=_("Poäng per område vid %(genitive)s utvärderingar") % {"genitive": genitive(evaluation.municipality.display_name)},
        categories=tuple(area_label(a.area) for a in result.areas),
        series=tuple(Series(str(e.year), tuple(a.score.score for a in r.areas)) for e, r in history),
        max_value=int(max(a.area.max_points for a in result.areas)),
        value_label=_("Poäng"),
    )


def _period(peers) -> str:
    return str(peers.from_year) if peers.from_year == peers.to_year else f"{peers.from_year}–{peers.to_year}"


def peer_sentences(evaluation: Evaluation, peers) -> list[str]:
    """The comparison with other municipalities by ``benchmark.peers``, with its count,
    period, rank and percentile: the same rule as the web page and the API."""
    if not peers.count:
        return []
    sentences = [
        ngettext(
            "Medelvärdet av %(count)s annan kommuns publicerade utvärdering i %(country)s enligt samma version "
            "(kommunens senaste till och med %(year)s, gjord %(period)s) är %(mean)s poäng.",
            "Medelvärdet av %(count)s andra kommuners publicerade utvärderingar i %(country)s enligt samma version "
            "(varje kommuns senaste till och med %(year)s, gjorda %(period)s) är %(mean)s poäng.",
            peers.count,
        )
        % {
            "count": peers.count, "country": Country(peers.country).label, "year": peers.year,
            "period": _period(peers), "mean": peers.mean_rounded,
        }
    ]
    if peers.rank:
        sentences.append(
            _("%(name)s %(year)s har plats %(rank)s av %(of)s bland dem och högre totalpoäng än %(percentile)s %% av de jämförda.")
            % {
                "name": evaluation.municipality.display_name, "year": evaluation.year, "rank": peers.rank,
                "of": peers.ranked_among, "percentile": peers.percentile,
            }
        )
    return sentences


def benchmark_chart(evaluation: Evaluation, result: scoring.Result) -> tuple[ChartData | None, list[str]]:
    """Per area against other municipalities' means (``benchmark.peers``) where every area
    has one; otherwise totals, and it says so."""
    name = f"{evaluation.municipality.display_name} {evaluation.year}"
    peers = peer_comparison(evaluation)
    sentences = []
    references = [r for r in published_references(framework=evaluation.framework.code) if r.area is None]
    for reference in references:
        sentences.append(
            _("%(description)s: %(value)s poäng (källa: %(source)s).")
            % {"description": reference.description, "value": scoring.round_half_up(reference.value), "source": reference.source}
        )
    sentences.extend(peer_sentences(evaluation, peers))
    area_means = [peers.areas.get(a.area.number) for a in result.areas]
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
                    Series(
                        _("Medelvärde, %(count)s andra kommuner %(period)s") % {"count": count_text, "period": _period(peers)},
                        tuple(m.mean for m in area_means),
                    ),
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
    elif peers.count:
        mean_total = peers.mean
        mean_name = _("Medelvärde, %(count)s andra kommuner %(period)s") % {"count": peers.count, "period": _period(peers)}
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
