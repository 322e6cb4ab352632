"""An action plan as a chart, a table and files: XLSX, CSV and PDF.

Plain functions of a ``selectors.Plan``, so the workspace, the public page and the
command line write the same thing. One row per action; an improvement area without
actions gets a row of its own with the action's columns empty, so every export lists
the whole plan."""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass.actions.models import Action, ActionNote, ActionStatus
from kompass.actions.selectors import AreaProgress, Plan, is_overdue
from kompass.csv_files import csv_document
from kompass.evaluations.models import Finding
from kompass.spreadsheets import xlsx_text_cells

# The order of a bar's segments and of the legend: what is done first.
CHART_ORDER = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED, ActionStatus.CANCELLED)


# --- the rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    area: str  # "1. Offentlighet och demokrati"
    improvement: str
    action: Action | None
    overdue: bool
    note: ActionNote | None  # the latest progress note


def latest_note(action: Action) -> ActionNote | None:
    notes = list(action.notes.all())  # prefetched in date order
    return notes[-1] if notes else None


def area_label(finding: Finding) -> str:
    return f"{finding.area.number}. {finding.area.title}"


def plan_rows(plan: Plan) -> list[Row]:
    rows = []
    for finding in plan.improvements:
        actions = list(finding.actions.all())
        if not actions:
            rows.append(Row(area_label(finding), finding.text, None, False, None))
        for action in actions:
            rows.append(Row(area_label(finding), finding.text, action, is_overdue(action, plan.today), latest_note(action)))
    return rows


@dataclass(frozen=True)
class Column:
    swedish: str
    english: str
    width: int  # characters, for the XLSX


def columns() -> list[Column]:
    return [
        Column(_("område"), "area", 30),
        Column(_("förbättringsområde"), "improvement", 40),
        Column(_("åtgärd"), "action", 40),
        Column(_("beskrivning"), "description", 50),
        Column(_("ansvarig"), "owner", 24),
        Column(_("start"), "start", 12),
        Column(_("klar senast"), "due", 12),
        Column(_("status"), "status", 14),
        Column(_("försenad"), "overdue", 10),
        Column(_("indikator"), "indicator", 16),
        Column(_("senaste anteckning, datum"), "latest_note_date", 14),
        Column(_("senaste anteckning"), "latest_note", 50),
    ]


def _values(row: Row, *, swedish: bool) -> list:
    """A row's cells: dates as dates, the status by its Swedish name (its code when not
    Swedish), overdue as ja/nej (true/false)."""
    a, note = row.action, row.note
    if a is None:
        return [row.area, row.improvement, *[None] * (len(columns()) - 2)]
    if swedish:
        status, overdue = str(a.get_status_display()), _("ja") if row.overdue else _("nej")
    else:
        status, overdue = a.status, "true" if row.overdue else "false"
    return [
        row.area, row.improvement, a.title, a.description, a.owner, a.start, a.due, status, overdue, a.indicator,
        note.date if note else None, note.text if note else "",
    ]


# --- CSV -------------------------------------------------------------------------------------


def plan_csv(plan: Plan, *, swedish: bool) -> str:
    """The open data API's CSV dialect (``kompass.csv_files``): with ``swedish`` ``;`` and
    Swedish headers, otherwise ``,`` and the API's English names; CRLF; dates ISO 8601.
    The rows hold no decimals; free text is never touched (no ``decimal_text``: a title
    like "2.5" stays "2.5")."""
    header = [c.swedish if swedish else c.english for c in columns()]
    return csv_document(header, (_values(row, swedish=swedish) for row in plan_rows(plan)), swedish=swedish)


# --- XLSX ------------------------------------------------------------------------------------


def plan_xlsx(plan: Plan) -> bytes:
    """Two sheets: "Åtgärder" (one row per action) and "Översikt" (progress per area).
    Header rows bold and frozen, filters on, column widths set, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.properties.title = plan_title(plan)
    book.properties.creator = "Kommunkompassen"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    sheet = book.active
    sheet.title = _("Åtgärder")
    cols = columns()
    sheet.append([c.swedish.capitalize() for c in cols])
    for row in plan_rows(plan):
        sheet.append(_values(row, swedish=True))
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = wrap if cols[cell.column - 1].width >= 30 else top
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    xlsx_text_cells(sheet)

    overview = book.create_sheet(_("Översikt"))
    header = [_("Område"), _("Förbättringsområden"), _("Åtgärder"), *[str(s.label).capitalize() for s in CHART_ORDER], _("Försenade"), _("Klart (%)")]
    overview.append(header)
    for area in [*plan.progress(), plan.totals()]:
        overview.append([
            f"{area.number}. {area.title}" if area.number else _("Totalt"), area.improvements, area.actions,
            *[area.counts[s] for s in CHART_ORDER], area.overdue, area.done_percent,
        ])
    for index, width in enumerate([40, 20, 10, 10, 10, 12, 10, 10, 10], start=1):
        overview.column_dimensions[get_column_letter(index)].width = width
    for cell in [*overview[1], *overview[overview.max_row]]:
        cell.font = bold
    overview.freeze_panes = "A2"
    xlsx_text_cells(overview)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the chart -------------------------------------------------------------------------------

WIDTH = 760
BAR_WIDTH = 420
ROW = 48
LEGEND = 34
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
FILLS = {
    ActionStatus.DONE: "#1d5e20",
    ActionStatus.IN_PROGRESS: "url(#{p}-hatch)",
    ActionStatus.NOT_STARTED: "#d5d8de",
    ActionStatus.CANCELLED: "url(#{p}-cross)",
}


def chart_title(plan: Plan) -> str:
    return _("Åtgärder per område efter status")


def area_summary(area: AreaProgress) -> str:
    """"3 åtgärder · 33 % klara · 1 försenad", the words beside a bar."""
    if not area.actions:
        return _("inga åtgärder ännu")
    parts = [ngettext("%(n)s åtgärd", "%(n)s åtgärder", area.actions) % {"n": area.actions}]
    if area.done_percent is not None:
        parts.append(_("%(p)s%% klart") % {"p": area.done_percent})
    if area.overdue:
        parts.append(ngettext("%(n)s försenad", "%(n)s försenade", area.overdue) % {"n": area.overdue})
    return " · ".join(parts)


def progress_svg(plan: Plan, *, prefix: str = "plan-chart") -> str:
    """A horizontal stacked bar per area: the area's actions by status, done first.
    Segments differ by grey level and pattern as well as colour, each has a black
    outline, and the counts are written beside the bar, so the chart reads in black and
    white and without colour vision. The SVG has a title and a description for screen
    readers; the page shows the same numbers in a table."""
    areas = plan.progress()
    scale = max([a.actions for a in areas] + [1])
    height = LEGEND + ROW * max(len(areas), 1) + 8
    title, desc = chart_title(plan), chart_description(areas)
    fills = {status: fill.format(p=prefix) for status, fill in FILLS.items()}
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}" font-size="14">'
        ),
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        "<defs>",
        (
            f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#0b5394"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
        ),
        (
            f'<pattern id="{prefix}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
            '<rect width="6" height="6" fill="#ffffff"/><path d="M0 0L6 6M6 0L0 6" stroke="#6b6e76" stroke-width="1"/></pattern>'
        ),
        "</defs>",
    ]
    x = 0
    for status in CHART_ORDER:  # the legend
        out.append(f'<rect x="{x}" y="8" width="16" height="16" fill="{fills[status]}" stroke="#1b1b1f"/>')
        label = str(status.label).capitalize()
        out.append(f'<text x="{x + 22}" y="21" fill="#1b1b1f">{escape(label)}</text>')
        x += 22 + 9 * len(label) + 28
    for i, area in enumerate(areas):
        y = LEGEND + i * ROW
        out.append(f'<text x="0" y="{y + 15}" fill="#1b1b1f" font-weight="bold">{escape(f"{area.number}. {area.title}")}</text>')
        bar_y = y + 22
        if area.actions:
            left = 0.0
            for status in CHART_ORDER:
                count = area.counts[status]
                if not count:
                    continue
                width = BAR_WIDTH * count / scale
                out.append(
                    f'<rect x="{left:.1f}" y="{bar_y}" width="{width:.1f}" height="18" fill="{fills[status]}" stroke="#1b1b1f">'
                    f"<title>{escape(f'{status.label}: {count}')}</title></rect>"
                )
                left += width
        else:
            out.append(f'<rect x="0" y="{bar_y}" width="{BAR_WIDTH}" height="18" fill="none" stroke="#6b6e76" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{BAR_WIDTH + 12}" y="{bar_y + 14}" fill="#1b1b1f">{escape(area_summary(area))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def chart_description(areas: list[AreaProgress]) -> str:
    if not areas:
        return _("Planen har inga förbättringsområden.")
    parts = []
    for area in areas:
        counts = ", ".join(f"{status.label} {area.counts[status]}" for status in CHART_ORDER)
        parts.append(f"{area.number}. {area.title}: {counts}" + (f" ({area_summary(area)})" if area.overdue else ""))
    return "; ".join(parts) + "."


def progress_svg_data_uri(plan: Plan) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(progress_svg(plan).encode("utf-8")).decode("ascii")


# --- PDF -------------------------------------------------------------------------------------


def plan_title(plan: Plan) -> str:
    return _("Handlingsplan för %(name)s") % {"name": plan.municipality.name}


def plan_pdf(plan: Plan) -> bytes:
    """A4, Swedish headings: the overview table and chart, then every improvement area
    with its actions and their notes. Tagged, with title and author, like the reports."""
    from kompass.reports.pdf import render_pdf

    html = render_to_string("actions/plan_pdf.html", {
        "plan": plan, "title": plan_title(plan), "chart_src": progress_svg_data_uri(plan), "chart_title": chart_title(plan),
        "chart_alt": chart_description(plan.progress()), "sections": sections(plan), "progress": plan.progress(), "totals": plan.totals(),
        "statuses": CHART_ORDER,
    })
    return render_pdf(html)


# --- grouped for pages and the PDF -------------------------------------------------------------


@dataclass
class ActionItem:
    action: Action
    overdue: bool
    notes: list[ActionNote]


@dataclass
class ImprovementItem:
    finding: Finding
    actions: list[ActionItem]


@dataclass
class Section:
    progress: AreaProgress
    improvements: list[ImprovementItem]


def sections(plan: Plan) -> list[Section]:
    """The plan per area, each with its improvement areas and their actions."""
    progress = {area.number: area for area in plan.progress()}
    out: dict[int, Section] = {}
    for finding in plan.improvements:
        section = out.setdefault(finding.area.number, Section(progress[finding.area.number], []))
        section.improvements.append(ImprovementItem(finding, [
            ActionItem(a, is_overdue(a, plan.today), list(a.notes.all())) for a in finding.actions.all()
        ]))
    return [out[n] for n in sorted(out)]


def filename(plan: Plan, fmt: str) -> str:
    m = plan.municipality
    return f"handlingsplan-{m.country.lower()}-{m.code}.{fmt}"
