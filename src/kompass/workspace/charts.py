"""Charts on workspace pages, drawn by the report's chart code."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from kompass import scoring


def gap_chart(result) -> dict:
    """Per area, self-assessment and evaluators side by side in percent of the compared
    sub-questions' maxima, largest gap first; an SVG with a title, a description and its
    data as a table (the page's template shows both)."""
    from kompass.reports.charts import chart_svg
    from kompass.reports.context import ChartData, Series

    data = ChartData(
        key="gaps",
        title=_("Självskattning och utvärderarnas poäng per område"),
        categories=tuple(f"{a.number}. {a.title}" for a in result.areas),
        series=(
            Series(_("Kommunens självskattning"), tuple(a.self_percent for a in result.areas)),
            Series(_("Utvärderarnas poäng"), tuple(a.evaluators_percent for a in result.areas)),
        ),
        max_value=100,
        value_label=_("Procent av områdets max") if result.area_level else _("Procent av max för de jämförda delfrågorna"),
        note=_("Störst skillnad först. Bara områden med både självskattning och utvärderarnas poäng räknas.") if result.area_level
        else _("Störst skillnad först. Bara delfrågor med både självskattning och utvärderarnas poäng räknas."),
    )
    description = _("Per område kommunens självskattning och utvärderarnas poäng i procent av max, störst skillnad först: %(areas)s.") % {
        "areas": "; ".join(
            _("område %(number)s: självskattning %(own)s %%, utvärderarna %(theirs)s %%")
            % {"number": a.number, "own": scoring.round_half_up(a.self_percent), "theirs": scoring.round_half_up(a.evaluators_percent)}
            for a in result.areas
        )
    }
    svg = chart_svg(data)
    end = svg.index("</title>") + len("</title>")
    svg = f"{svg[:end]}<desc>{escape(description)}</desc>{svg[end:]}"
    return {"data": data, "svg": svg, "description": description}
