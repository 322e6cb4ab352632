"""The report's charts, drawn by one function for every format: SVG for the HTML page and
the PDF (WeasyPrint), PNG for the DOCX.

Only matplotlib's object API (``Figure`` and the Agg canvas), never pyplot's global
figure state, so charts can be drawn in a web server's threads. The rcParams the drawing
needs are still process-wide, so drawing and saving hold one lock.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import threading
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from kompass.i18n import _
from kompass.scoring import round_half_up

if TYPE_CHECKING:
    from kompass.reports.context import ChartData

WIDTH = 16 / 2.54  # inches: the PDF's text column, so points in the SVG are real points
NARROW = 9 / 2.54  # inches: a phone's width at about 1:1, so 9 pt stays about 12 px
BAR = 0.19  # inches per bar: ≥ 4 mm, still visible in print
GAP = 0.18  # inches between category groups
MIN_ROW = 0.44  # inches: room for a category label wrapped onto two lines
PAD = 0.12  # inches around the figure's edge
RIGHT = 0.38  # inches right of the axis, for the value label of a full bar
LABEL_WRAP = 30  # characters per line of a category label (the narrow chart: 16)
# Series differ by grey level and by hatch, so a greyscale print keeps them apart (five
# styles; more series would repeat them). Line hatches only: dots would bloat the SVG.
FILLS = ("#222222", "#777777", "#bbbbbb", "#e0e0e0", "#ffffff")
HATCHES = ("", "////", "\\\\\\\\", "xx", "---")
FONT_SIZE = 9
STYLE = {
    # DejaVu Sans draws and measures; browsers without it fall back to Verdana, whose
    # widths are close, so right-aligned labels stay aligned.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Verdana"],
    "font.size": FONT_SIZE,
    "svg.fonttype": "none",  # text stays text: selectable and searchable in the PDF
    "svg.hashsalt": "kommunkompassen",  # fixed ids: same chart, same bytes
    "hatch.linewidth": 0.6,
    "axes.edgecolor": "#444444",
}
_lock = threading.Lock()


def chart_svg(data: ChartData, *, narrow: bool = False) -> str:
    """The chart as an SVG element with an accessible name, ready to inline in HTML;
    ``narrow``: drawn for a phone's width, labels wrapped shorter, instead of scaled down."""
    with _lock, matplotlib.rc_context(STYLE):
        buffer = io.StringIO()
        _draw(data, NARROW if narrow else WIDTH).savefig(buffer, format="svg", metadata={"Date": None})
    prefix = f"chart-{data.key}-{'narrow-' if narrow else ''}"
    return _accessible(_inlinable(buffer.getvalue(), prefix), data.title)


def chart_png(data: ChartData, *, dpi: int = 200) -> bytes:
    with _lock, matplotlib.rc_context(STYLE):
        buffer = io.BytesIO()
        _draw(data).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _accessible(svg: str, title: str) -> str:
    """Give the root a name screen readers announce. The XML declaration and DOCTYPE go:
    the string is inlined in HTML, where they are not allowed."""
    svg = svg[svg.index("<svg") :]
    end = svg.index(">")
    return f"{svg[:end]} role=\"img\" aria-label={quoteattr(title)}>\n <title>{escape(title)}</title>{svg[end + 1 :]}"


def _inlinable(svg: str, prefix: str) -> str:
    """Make the SVG safe to inline in an HTML page beside other charts: ids get the chart's
    prefix, the global ``*{…}`` style sheet goes, and style attributes become presentation
    attributes (WeasyPrint reads inline SVG styles as HTML CSS and warns about each one)."""
    svg = re.sub(r"<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>", "", svg, count=1)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r'(url\(|xlink:href=")#', rf"\1#{prefix}", svg)
    return re.sub(r' style="([^"]*)"', _attributes, svg)


def _attributes(match: re.Match) -> str:
    declarations = (d.split(":", 1) for d in match[1].split(";") if d.strip())
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) if text else []


def _category_label(text: str, wrap: int = LABEL_WRAP) -> str:
    """Wrapped, with a dash kept at the end of its line: at the start it reads as a bullet."""
    glued = text.replace(" - ", "\xa0- ").replace(" – ", "\xa0– ")
    return "\n".join(_lines(glued, wrap)).replace("\xa0", " ")


def _text_width(fig: Figure, lines: list[str]) -> float:
    """Widest line in inches, measured with the font the chart uses."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    prop = FontProperties(family="DejaVu Sans", size=FONT_SIZE)
    widths = [renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines]
    return max(widths, default=0) / fig.dpi


def _legend_columns(fig: Figure, names: list[str], width: float = WIDTH) -> int:
    """As many columns (at most 3) as fit across the figure, handle and spacing included."""
    entry = _text_width(fig, names) + 0.75
    return max(1, min(len(names), 3, int((width - 2 * PAD) // entry)))


def _draw(data: ChartData, width: float = WIDTH) -> Figure:
    n = len(data.series)
    share = width / WIDTH  # text wraps in proportion to the width
    title = _lines(data.title, round(56 * share))
    note = _lines(data.note, round(100 * share))
    labels = [_category_label(c, max(16, round(LABEL_WRAP * share))) for c in data.categories]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    row = max(n * BAR + GAP, MIN_ROW, 0.15 * lines + 0.14)  # a label of three lines needs more

    # Heights in inches from the top: title, bars, x axis, legend, note, and the edge.
    title_h = PAD + 0.2 * len(title) + 0.12
    plot_h = len(data.categories) * row
    axis_h = 0.5
    note_h = 0.16 * len(note) + 0.06 if note else 0

    fig = Figure(figsize=(width, 1))
    columns = _legend_columns(fig, [s.name for s in data.series], width)
    legend_h = 0.28 * math.ceil(n / columns) + 0.04 if n > 1 else 0
    height = title_h + plot_h + axis_h + legend_h + note_h + PAD
    fig.set_size_inches(width, height)
    left = PAD + _text_width(fig, [line for label in labels for line in label.split("\n")]) + 0.12
    ax = fig.add_axes((left / width, 1 - (title_h + plot_h) / height, (width - left - RIGHT) / width, plot_h / height))
    _bars(ax, data, row, ticks=5 if width < WIDTH else 10)
    ax.set_yticks(range(len(labels)), labels)

    fig.text(PAD / width, 1 - PAD / height, "\n".join(title), ha="left", va="top", fontsize=11, weight="bold")
    if n > 1:
        handles = [Patch(facecolor=_fill(j), edgecolor="black", hatch=_hatch(j), label=s.name) for j, s in enumerate(data.series)]
        # The legend fills column by column; reordered, it reads row by row like the bars.
        rows = math.ceil(n / columns)
        handles = [handles[r * columns + c] for c in range(columns) for r in range(rows) if r * columns + c < n]
        top = 1 - (title_h + plot_h + axis_h) / height
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=columns, frameon=False, borderaxespad=0)
    if note:
        fig.text(PAD / width, PAD / height, "\n".join(note), ha="left", va="bottom", fontsize=8, style="italic", color="#333333")
    return fig


def _fill(j: int) -> str:
    return FILLS[j % len(FILLS)]


def _hatch(j: int) -> str:
    return HATCHES[j % len(HATCHES)]


def _bars(ax, data: ChartData, row: float, ticks: int = 10) -> None:
    """One group per category, first at the top; series top to bottom in legend order."""
    n = len(data.series)
    thickness = BAR / row  # in data units, where one category is 1
    for j, series in enumerate(data.series):
        offset = (j - (n - 1) / 2) * thickness
        for i, value in enumerate(series.values):
            y = i + offset
            if value is None:
                # Unknown is not zero: no bar, and a word where the bar would start.
                _bar_label(ax, _("saknas"), 0, y, f"missing-{i}-{j}", style="italic", color="#666666")
                continue
            ax.barh(y, float(value), height=thickness, color=_fill(j), edgecolor="black", linewidth=0.6, hatch=_hatch(j))
            _bar_label(ax, str(round_half_up(value)), float(value), y, f"value-{i}-{j}")

    ax.set_xlim(0, data.max_value)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=ticks, integer=True))  # a count of 0.25 evaluations means nothing
    ax.set_ylim(len(data.categories) - 0.5, -0.5)
    ax.set_xlabel(data.value_label)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.grid(True, color="#d0d0d0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def _bar_label(ax, text: str, x: float, y: float, gid: str, **style) -> None:
    """Text just right of x; the gid names it in the SVG (tests find values by it).
    Never clipped: the label of a full bar stands in the right margin."""
    label = ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, annotation_clip=False, **style)
    label.set_gid(gid)


LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D")


RADAR_WRAP = 18  # characters per line of a radar label


def radar_label(text: str) -> str:
    """Wrapped at spaces (and after hyphens) only: a long word such as
    "Verksamhetsutveckling" stays whole on its own line."""
    glued = re.sub(r"^(\d+\.) ", "\\1\xa0", text)  # "7. Verksamhetsutveckling": the number stays with its word
    glued = glued.replace(" - ", "\xa0- ").replace(" – ", "\xa0– ")
    lines = textwrap.wrap(glued, RADAR_WRAP, break_long_words=False, break_on_hyphens=True)
    return "\n".join(lines).replace("\xa0", " ")


def radar_svg(data: ChartData) -> str:
    """Two to four series over the same categories as an overlaid radar (spider) chart:
    series differ by line style and marker as well as grey level, so print keeps them
    apart. Like the bar charts, it has an accessible name and a data table beside it."""
    with _lock, matplotlib.rc_context(STYLE):
        figure = radar_figure(data)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(_inlinable(buffer.getvalue(), f"chart-{data.key}-"), data.title)


def radar_figure(data: ChartData) -> Figure:
    """The radar's figure. Each label is anchored on its side of the circle (left-aligned
    on the right, right-aligned on the left, above at the top, below at the bottom), so
    labels grow away from the plot and from each other instead of across it; the plot is
    kept small enough that the labels fit inside the figure."""
    count = len(data.categories)
    labels = [radar_label(c) for c in data.categories]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    title = _lines(data.title, 56)
    figure = Figure(figsize=(WIDTH, 1))
    FigureCanvasAgg(figure)
    label_w = _text_width(figure, [line for label in labels for line in label.split("\n")]) + 0.15
    size = min(WIDTH - 2 * PAD - 2 * label_w, WIDTH * 0.62)
    label_h = 0.15 * lines + 0.15  # a top or bottom label's lines, and the tick pad
    top = PAD + 0.2 * len(title) + 0.1 + label_h
    legend_h = 0.28 * math.ceil(len(data.series) / 2)
    missing = any(v is None for s in data.series for v in s.values)
    note_h = 0.22 if missing else 0
    height = top + size + label_h + 0.1 + legend_h + note_h + PAD
    figure.set_size_inches(WIDTH, height)
    axes = figure.add_axes(((WIDTH - size) / 2 / WIDTH, 1 - (top + size) / height, size / WIDTH, size / height), projection="polar")
    angles = [2 * math.pi * i / count for i in range(count)]
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_xticks(angles, labels, fontsize=FONT_SIZE)
    axes.tick_params(axis="x", pad=4)
    for angle, label in zip(angles, axes.get_xticklabels()):
        x, y = math.sin(angle), math.cos(angle)  # clockwise from the top
        label.set_horizontalalignment("left" if x > 0.2 else "right" if x < -0.2 else "center")
        label.set_verticalalignment("bottom" if y > 0.2 else "top" if y < -0.2 else "center")
    axes.set_ylim(0, data.max_value)
    axes.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    axes.set_rlabel_position(180 / count)  # between the first two spokes, clear of the points
    axes.tick_params(axis="y", labelsize=FONT_SIZE - 2, colors="#555555")
    for j, series in enumerate(data.series):
        values = [float(v) if v is not None else math.nan for v in series.values]  # unknown is not zero: a gap
        axes.plot(
            [*angles, angles[0]], [*values, values[0]], color=FILLS[min(j, 2)], linestyle=LINE_STYLES[j % 4],
            marker=MARKERS[j % 4], linewidth=1.6, label=series.name,
        )
    columns = min(2, len(data.series))
    figure.legend(loc="lower center", bbox_to_anchor=(0.5, (PAD + note_h) / height), ncols=columns, frameon=False, borderaxespad=0)
    if missing:
        figure.text(PAD / WIDTH, PAD / height, _("Värden som saknas är inte ritade (se tabellen)."), ha="left", va="bottom", fontsize=8,
                    style="italic", color="#333333")
    figure.text(PAD / WIDTH, 1 - PAD / height, "\n".join(title), ha="left", va="top", fontsize=11, weight="bold")
    return figure


def trend_svg(data: ChartData, *, years: tuple[int, ...], current: int | None = None) -> str:
    """A municipality's totals over the years as points, one series per version: a line
    joins the points of one version only (totals of different versions are not
    comparable), and each version has its own marker and line style. ``years`` gives
    each category's x position; ``current`` ringed marks the page's own evaluation."""
    with _lock, matplotlib.rc_context(STYLE):
        figure = trend_figure(data, years=years, current=current)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(_inlinable(buffer.getvalue(), f"chart-{data.key}-"), data.title)


def trend_figure(data: ChartData, *, years: tuple[int, ...], current: int | None = None) -> Figure:
    title = _lines(data.title, 56)
    note = _lines(data.note, 100)
    n = len(data.series)
    title_h = PAD + 0.2 * len(title) + 0.12
    plot_h, axis_h = 2.0, 0.5
    legend_h = 0.28 * math.ceil((n + (current is not None)) / 3) + 0.04
    note_h = 0.16 * len(note) + 0.06 if note else 0
    height = title_h + plot_h + axis_h + legend_h + note_h + PAD
    figure = Figure(figsize=(WIDTH, height))
    FigureCanvasAgg(figure)
    left = 0.62
    axes = figure.add_axes((left / WIDTH, 1 - (title_h + plot_h) / height, (WIDTH - left - RIGHT) / WIDTH, plot_h / height))
    handles = []
    for j, series in enumerate(data.series):
        points = [(years[i], value, i) for i, value in enumerate(series.values) if value is not None]
        if not points:
            continue
        (line,) = axes.plot(
            [x for x, _v, _i in points], [float(v) for _x, v, _i in points], color=FILLS[min(j, 2)], linestyle=LINE_STYLES[j % 4],
            marker=MARKERS[j % 4], markersize=6, linewidth=1.6, label=series.name,
        )
        handles.append(line)
        for x, value, i in points:
            label = axes.annotate(str(round_half_up(value)), (x, float(value)), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=8)
            label.set_gid(f"value-{i}-{j}")
    if current is not None:
        value = next((s.values[current] for s in data.series if s.values[current] is not None), None)
        if value is not None:
            (ring,) = axes.plot([years[current]], [float(value)], linestyle="none", marker="o", markersize=13, markerfacecolor="none",
                                markeredgecolor="black", markeredgewidth=1.2, label=_("denna utvärdering"))
            handles.append(ring)
    low, high = min(years), max(years)
    span = max(high - low, 2)
    axes.set_xlim(low - span * 0.08 - 0.5, high + span * 0.08 + 0.5)
    distinct = sorted(set(years))
    if len(distinct) <= 12:  # the evaluations' own years; more would crowd the axis
        axes.set_xticks(distinct, [str(y) for y in distinct])
    else:
        axes.xaxis.set_major_locator(MaxNLocator(10, integer=True))
    axes.set_ylim(0, data.max_value)
    axes.yaxis.set_major_locator(MaxNLocator(8, steps=[1, 2, 2.5, 5, 10], integer=True))
    axes.set_ylabel(data.value_label)
    axes.set_xlabel(_("År"))
    axes.yaxis.grid(True, color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.text(PAD / WIDTH, 1 - PAD / height, "\n".join(title), ha="left", va="top", fontsize=11, weight="bold")
    top = 1 - (title_h + plot_h + axis_h) / height
    figure.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=min(3, len(handles)), frameon=False, borderaxespad=0)
    if note:
        figure.text(PAD / WIDTH, PAD / height, "\n".join(note), ha="left", va="bottom", fontsize=8, style="italic", color="#333333")
    return figure
