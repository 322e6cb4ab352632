"""The report as one self-contained HTML document: for the web, and for the PDF."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

from kompass.reports.charts import chart_svg
from kompass.reports.context import ChartData, ReportContext


@dataclass(frozen=True)
class Figure:
    number: int
    chart: ChartData
    svg: str

    @property
    def src(self) -> str:
        """The SVG as a data URI: an image of its own, so the ids of several charts never
        collide, and browsers and WeasyPrint alike draw it as vectors with real text."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def report_html(context: ReportContext, *, for_print: bool = False) -> str:
    figures = [Figure(n, chart, chart_svg(chart)) for n, chart in enumerate(context.charts, start=1)]
    return render_to_string("reports/report.html", {"report": context, "figures": figures, "for_print": for_print})
