"""The trend chart on an evaluation's page: the municipality's published totals across
all its evaluations, one series per version (totals of different versions are not
comparable, so no line joins them), and a note where a version's owner declared a
crosswalk between two of them (``kompass.comparison``: "inte fullt jämförbara")."""

from __future__ import annotations

from kompass.catalogue.visibility import public_view
from kompass.comparison import NOT_FULLY_COMPARABLE, crosswalk_between
from kompass.evaluations.models import Evaluation, EvaluationSummary, Status
from kompass.evaluations.selectors import evaluation_result
from kompass.i18n import _
from kompass.reports.svg_chart import trend_svg
from kompass.reports.context import ChartData, Series
from kompass.reports.wording import genitive


def trend_chart(evaluation: Evaluation) -> dict | None:
    """``{"data", "svg", "years"}`` for the page's chart list, or None when the
    municipality has only this one published evaluation (a trend needs two points)."""
    evaluations = list(
        Evaluation.objects.filter(municipality=evaluation.municipality, status=Status.PUBLISHED)
        .select_related("framework", "municipality")
        .order_by("year", "framework__code", "pk")
    )
    if len(evaluations) < 2:
        return None
    versions: list[str] = []  # in the order they first appear
    for e in evaluations:
        if e.framework.code not in versions:
            versions.append(e.framework.code)
    totals = _totals(evaluations)
    series = tuple(
        Series(
            _("Version %(version)s") % {"version": code},
            tuple(t if e.framework.code == code else None for e, t in zip(evaluations, totals)),
        )
        for code in versions
    )
    years = [e.year for e in evaluations]
    categories = tuple(
        f"{e.year} ({e.framework.code})" if years.count(e.year) > 1 else str(e.year) for e in evaluations
    )
    frameworks = {e.framework.code: public_view(e.framework.definition) for e in evaluations}
    data = ChartData(
        key="trend",
        # Translators: genitive is the municipality's name in the genitive (Örebros, Örebro's).
        title=_("Totalpoäng vid %(genitive)s utvärderingar") % {"genitive": genitive(evaluation.municipality.display_name)},
        categories=categories,
        series=series,
        max_value=int(max(f.max_points for f in frameworks.values())),
        value_label=_("Totalpoäng"),
        note=_trend_note(versions, frameworks),
    )
    current = evaluations.index(evaluation) if evaluation in evaluations else None
    return {"data": data, "svg": trend_svg(data, years=tuple(years), current=current), "years": years}


def _totals(evaluations: list[Evaluation]) -> list:
    """Each evaluation's total (None where it is not known) from the summaries, one query;
    the same number ``evaluation_result`` derives (the public view keeps every score)."""
    known = dict(EvaluationSummary.objects.filter(evaluation__in=[e.pk for e in evaluations]).values_list("evaluation_id", "total"))
    return [
        known[e.pk] if e.pk in known else _total(e)
        for e in evaluations
    ]


def _total(evaluation: Evaluation):
    """Without a summary (not yet rebuilt): derived from the scores."""
    total = evaluation_result(evaluation, public=True).total
    return total.score if total.known else None


def _trend_note(versions: list[str], frameworks: dict) -> str:
    if len(versions) < 2:
        return ""
    notes = [_("Poäng enligt olika versioner jämförs inte: varje version har sin egen linje.")]
    for index, later in enumerate(versions):
        for earlier in versions[:index]:
            found = crosswalk_between(frameworks[earlier], frameworks[later])
            if found is not None and found[0].areas:
                notes.append(
                    _("Version %(a)s och %(b)s har en korsreferens mellan motsvarande områden (%(mark)s); kommunens sida visar dem sida vid sida.")
                    % {"a": earlier, "b": later, "mark": _(NOT_FULLY_COMPARABLE)}
                )
    return " ".join(notes)
