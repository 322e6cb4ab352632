"""The web pages' charts as inline SVG, written directly from a ``ChartData`` in plain
Python: the same drawing as ``reports.charts`` (matplotlib, kept for the PDF and DOCX)
in well under a millisecond, without importing matplotlib into a web worker.

The geometry is ``reports.charts``' own (inches of the PDF's text column, written in
points), text stays text, series differ by grey level and hatch so print keeps them
apart, and only presentation attributes are used: no <style> element, no script. Same
data and language, same bytes. Label widths are measured with DejaVu Sans' advance
widths (the font the charts name first), so right-aligned labels fit their margin.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from kompass.i18n import _
from kompass.scoring import round_half_up

if TYPE_CHECKING:
    from kompass.reports.context import ChartData

PT = 72  # points per inch
WIDTH = 16 / 2.54 * PT  # the PDF's text column
NARROW = 9 / 2.54 * PT  # a phone's width at about 1:1
BAR, GAP, MIN_ROW, PAD, RIGHT = (v * PT for v in (0.19, 0.18, 0.44, 0.12, 0.38))
LABEL_WRAP = 30
FILLS = ("#222222", "#777777", "#bbbbbb", "#e0e0e0", "#ffffff")
HATCHES = ("", "/", "\\", "x", "-")  # none, diagonal, back-diagonal, cross, horizontal
FONT = "'DejaVu Sans', Verdana, sans-serif"
FONT_SIZE = 9
AXIS = "#444444"
GRID = "#d0d0d0"
LINE = 10.8  # points between lines of a 9-point label (matplotlib's 1.2)

# DejaVu Sans advance widths in 1/2048 em; other characters count as a digit.
_ADVANCE = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~åäöÅÄÖæøÆØéèüÜ–—↔…·’",
    (651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, *[1303] * 10, 690, 690, 1716, 1716,
     1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423,
     1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300,
     1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,
     1303, 1716, 1255, 1255, 1253, 1401, 1401, 1612, 2011, 1253, 1995, 1612, 1260, 1260, 1298, 1499, 1024, 2048, 1716, 2048,
     651, 651),
    strict=True,
))


def text_width(text: str, size: float = FONT_SIZE) -> float:
    return sum(_ADVANCE.get(c, 1303) for c in text) * size / 2048


def _n(value: float) -> str:
    """A coordinate, two decimals at most: short and the same on every machine."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False) if text else []


def _category_lines(text: str, wrap: int) -> list[str]:
    """Wrapped, with a dash kept at the end of its line: at the start it reads as a bullet."""
    glued = text.replace(" - ", "\xa0- ").replace(" – ", "\xa0– ")
    return [line.replace("\xa0", " ") for line in _lines(glued, wrap)] or [""]


def step(span: float, bins: int, steps: tuple[float, ...] = (1, 2, 5, 10)) -> int:
    """The smallest whole step of 1, 2, 5 (or ``steps``) times a power of ten that cuts
    ``span`` into at most ``bins`` parts: a count of 0.25 evaluations means nothing."""
    if span <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(span / bins))
    for factor in steps:
        size = factor * magnitude
        if size * bins >= span and size >= 1 and size == int(size):
            return int(size)
    return max(1, int(10 * magnitude))


def ticks(maximum: float, bins: int, steps: tuple[float, ...] = (1, 2, 5, 10)) -> list[int]:
    """Whole-number ticks from 0 up to ``maximum``."""
    return list(range(0, int(maximum) + 1, step(maximum, bins, steps)))


class _Svg:
    """The parts of one SVG element, joined at the end."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.defs: list[str] = []
        self.body: list[str] = []
        self.fills: dict[int, str] = {}

    def text(self, x: float, y: float, text: str, *, size: float = FONT_SIZE, anchor: str = "start", extra: str = "") -> None:
        anchor_attribute = f' text-anchor="{anchor}"' if anchor != "start" else ""
        self.body.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"{anchor_attribute}{extra}>{escape(text)}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float, extra: str = "") -> None:
        self.body.append(
            f'<path d="M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}" stroke="{stroke}" stroke-width="{_n(width)}"{extra}/>'
        )

    def fill(self, j: int) -> str:
        """Series j's fill: its grey, or a pattern of its grey and its hatch (defined once)."""
        style = j % len(FILLS)
        if style not in self.fills:
            self.fills[style] = self._pattern(style) if HATCHES[style] else FILLS[style]
        return self.fills[style]

    def _pattern(self, style: int) -> str:
        grey, hatch, ident = FILLS[style], HATCHES[style], f"{self.prefix}hatch-{style}"
        size = 5 if hatch in "/\\" else 6
        paths = {
            "/": f"M0 {size}L{size} 0M-1 1L1 -1M{size - 1} {size + 1}L{size + 1} {size - 1}",
            "\\": f"M0 0L{size} {size}M-1 {size - 1}L1 {size + 1}M{size - 1} -1L{size + 1} 1",
            "x": f"M0 {size}L{size} 0M0 0L{size} {size}",
            "-": f"M0 {size / 2}L{size} {size / 2}",
        }
        self.defs.append(
            f'<pattern id="{ident}" patternUnits="userSpaceOnUse" width="{size}" height="{size}">'
            f'<rect width="{size}" height="{size}" fill="{grey}"/>'
            f'<path d="{paths[hatch]}" stroke="#000000" stroke-width="0.6" fill="none"/></pattern>'
        )
        return f"url(#{ident})"

    def title(self, lines: list[str]) -> None:
        for k, line in enumerate(lines):
            self.text(PAD, PAD + 10 + k * 14.4, line, size=11, extra=' font-weight="bold"')

    def note(self, lines: list[str], height: float) -> None:
        for k, line in enumerate(lines):
            y = height - PAD - 2 - (len(lines) - 1 - k) * 11.52
            self.text(PAD, y, line, size=8, extra=' font-style="italic" fill="#333333"')

    def svg(self, data: ChartData, width: float, height: float) -> str:
        label = quoteattr(data.title)
        description = f"<desc>{escape(data.note)}</desc>" if data.note else ""
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" height="{_n(height)}pt" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label={label} font-family="{FONT}">'
            f"<title>{escape(data.title)}</title>{description}{defs}"
            f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>'
            + "\n".join(self.body)
            + "</svg>"
        )


def bar_svg(data: ChartData, *, narrow: bool = False) -> str:
    """Horizontal bars, one group per category (first at the top), one bar per series
    with its value rounded half-up beside it; an unknown value is no bar and the word
    "saknas". ``narrow``: drawn for a phone's width, labels wrapped shorter."""
    width = NARROW if narrow else WIDTH
    share = width / WIDTH
    n = len(data.series)
    svg = _Svg(f"chart-{data.key}-{'narrow-' if narrow else ''}")
    title = _lines(data.title, round(56 * share))
    note = _lines(data.note, round(100 * share))
    labels = [_category_lines(c, max(16, round(LABEL_WRAP * share))) for c in data.categories]
    most = max((len(label) for label in labels), default=1)
    row = max(n * BAR + GAP, MIN_ROW, (0.15 * most + 0.14) * PT)
    title_h = PAD + 14.4 * len(title) + 0.12 * PT
    plot_h = len(data.categories) * row
    axis_h = 0.5 * PT
    note_h = 11.52 * len(note) + 0.06 * PT if note else 0
    columns, column_widths = _legend_layout([s.name for s in data.series], width)
    legend_rows = math.ceil(n / columns)
    legend_h = 0.28 * PT * legend_rows + 0.04 * PT if n > 1 else 0
    height = title_h + plot_h + axis_h + legend_h + note_h + PAD
    left = PAD + max((text_width(line) for label in labels for line in label), default=0) + 0.12 * PT
    x0, x1, y0, y1 = left, width - RIGHT, title_h, title_h + plot_h
    scale = (x1 - x0) / max(data.max_value, 1)

    svg.title(title)
    for tick in ticks(data.max_value, 5 if narrow else 10):
        x = x0 + tick * scale
        svg.line(x, y0, x, y1, GRID, 0.6)
        svg.line(x, y1, x, y1 + 3.5, "#000000", 0.8)
        svg.text(x, y1 + 13.84, str(tick), anchor="middle")
    for i, label in enumerate(labels):
        middle = y0 + (i + 0.5) * row
        for k, line in enumerate(label):
            svg.text(x0 - 3.5, middle + (k - (len(label) - 1) / 2) * LINE + 3.2, line, anchor="end")
        for j, series in enumerate(data.series):
            value = series.values[i]
            y = middle + (j - (n - 1) / 2) * BAR
            ident = f' id="{svg.prefix}value-{i}-{j}"'
            if value is None:
                # Unknown is not zero: no bar, and a word where the bar would start.
                svg.text(x0 + 3, y + 2.9, _("saknas"), size=8, extra=f'{ident} font-style="italic" fill="#666666"')
                continue
            length = float(value) * scale
            svg.body.append(
                f'<rect x="{_n(x0)}" y="{_n(y - BAR / 2)}" width="{_n(length)}" height="{_n(BAR)}" '
                f'fill="{svg.fill(j)}" stroke="#000000" stroke-width="0.6"/>'
            )
            svg.text(x0 + length + 3, y + 2.9, str(round_half_up(value)), size=8, extra=ident)
    svg.line(x0, y0, x0, y1, AXIS, 0.8)
    svg.line(x0, y1, x1, y1, AXIS, 0.8)
    svg.text((x0 + x1) / 2, y1 + 28, data.value_label, anchor="middle")
    if n > 1:
        _legend(svg, data, columns, column_widths, y1 + axis_h, width)
    svg.note(note, height)
    return svg.svg(data, width, height)


HANDLE, HANDLE_PAD, COLUMN_GAP = 18, 7.2, 18  # points: matplotlib's 2, 0.8 and 2 em at 9 pt


def _legend_layout(names: list[str], width: float) -> tuple[int, list[float]]:
    """As many columns (at most 3) as fit across the chart; each column as wide as its
    widest entry. Entries read row by row, like the bars."""
    if not names:
        return 1, []
    entry = max(text_width(name) for name in names) + 0.75 * PT
    columns = max(1, min(len(names), 3, int((width - 2 * PAD) // entry)))
    widths = [
        max(HANDLE + HANDLE_PAD + text_width(name) for name in names[c::columns]) for c in range(columns)
    ]
    return columns, widths


def _legend(svg: _Svg, data: ChartData, columns: int, widths: list[float], top: float, width: float) -> None:
    total = sum(widths) + COLUMN_GAP * (columns - 1)
    start = (width - total) / 2
    for j, series in enumerate(data.series):
        row, column = divmod(j, columns)
        x = start + sum(widths[:column]) + COLUMN_GAP * column
        middle = top + 8 + row * 0.28 * PT
        svg.body.append(
            f'<rect x="{_n(x)}" y="{_n(middle - 3.15)}" width="{HANDLE}" height="6.3" fill="{svg.fill(j)}" '
            f'stroke="#000000" stroke-width="0.6"/>'
        )
        svg.text(x + HANDLE + HANDLE_PAD, middle + 3.2, series.name)


# --- the trend: totals over the years, one line per version ---------------------------------

DASHES = ("", "5.92 2.56", "1.6 2.64", "9.6 2.4 1.6 2.4")  # matplotlib's -, --, : and -. at 1.6 points
MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(kind: str, x: float, y: float, colour: str, size: float = 6) -> str:
    r = size / 2
    if kind == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}" stroke="{colour}"/>'
    if kind == "square":
        return f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(size)}" height="{_n(size)}" fill="{colour}" stroke="{colour}"/>'
    if kind == "triangle":
        points = ((x, y - r), (x + r, y + r), (x - r, y + r))
    else:
        points = ((x, y - r * 1.2), (x + r * 0.8, y), (x, y + r * 1.2), (x - r * 0.8, y))
    return f'<path d="M{"L".join(f"{_n(px)} {_n(py)}" for px, py in points)}Z" fill="{colour}" stroke="{colour}"/>'


def trend_svg(data: ChartData, *, years: tuple[int, ...], current: int | None = None) -> str:
    """A municipality's totals over the years as points, one series per version: a line
    joins the points of one version only (totals of different versions are not
    comparable), each version with its own marker and dash. ``years`` gives each
    category's x position; ``current`` ringed marks the page's own evaluation."""
    width = WIDTH
    svg = _Svg(f"chart-{data.key}-")
    title = _lines(data.title, 56)
    note = _lines(data.note, 100)
    entries: list[tuple[str, str]] = []  # (handle, name) for the legend
    title_h = PAD + 14.4 * len(title) + 0.12 * PT
    plot_h, axis_h = 2.0 * PT, 0.5 * PT
    drawn = [j for j, s in enumerate(data.series) if any(v is not None for v in s.values)]
    ring = None
    if current is not None:
        ring = next((s.values[current] for s in data.series if s.values[current] is not None), None)
    count = len(drawn) + (ring is not None)
    columns = max(1, min(3, count))
    legend_h = 0.28 * PT * math.ceil(count / columns) + 0.04 * PT
    note_h = 11.52 * len(note) + 0.06 * PT if note else 0
    height = title_h + plot_h + axis_h + legend_h + note_h + PAD
    x0, x1, y0, y1 = 0.62 * PT, width - RIGHT, title_h, title_h + plot_h
    low, high = min(years), max(years)
    span = max(high - low, 2)
    first, last = low - span * 0.08 - 0.5, high + span * 0.08 + 0.5

    def x_of(year: float) -> float:
        return x0 + (year - first) / (last - first) * (x1 - x0)

    def y_of(value: float) -> float:
        return y1 - value / max(data.max_value, 1) * plot_h

    svg.title(title)
    for tick in ticks(data.max_value, 8, steps=(1, 2, 2.5, 5, 10)):
        y = y_of(tick)
        svg.line(x0, y, x1, y, GRID, 0.6)
        svg.line(x0 - 3.5, y, x0, y, "#000000", 0.8)
        svg.text(x0 - 5.5, y + 3.2, str(tick), anchor="end")
    distinct = sorted(set(years))
    if len(distinct) > 12:  # the evaluations' own years; more would crowd the axis
        every = step(high - low, 10)
        distinct = list(range(-(-low // every) * every, high + 1, every))
    for year in distinct:
        svg.line(x_of(year), y1, x_of(year), y1 + 3.5, "#000000", 0.8)
        svg.text(x_of(year), y1 + 13.84, str(year), anchor="middle")
    svg.line(x0, y0, x0, y1, AXIS, 0.8)
    svg.line(x0, y1, x1, y1, AXIS, 0.8)
    svg.text((x0 + x1) / 2, y1 + 28, _("År"), anchor="middle")
    middle = (y0 + y1) / 2
    svg.text(PAD + 6, middle, data.value_label, anchor="middle", extra=f' transform="rotate(-90 {_n(PAD + 6)} {_n(middle)})"')
    for j in drawn:
        series = data.series[j]
        colour, dash, marker = FILLS[min(j, 2)], DASHES[j % 4], MARKERS[j % 4]
        points = [(x_of(years[i]), y_of(float(v)), i, v) for i, v in enumerate(series.values) if v is not None]
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = "L".join(f"{_n(x)} {_n(y)}" for x, y, _i, _v in points)
            svg.body.append(f'<path d="M{path}" fill="none" stroke="{colour}" stroke-width="1.6"{dashing}/>')
        for x, y, i, value in points:
            svg.body.append(_marker(marker, x, y, colour))
            svg.text(x, y - 9, str(round_half_up(value)), size=8, anchor="middle", extra=f' id="{svg.prefix}value-{i}-{j}"')
        handle = (f'<path d="M{{x}} {{y}}h{HANDLE}" fill="none" stroke="{colour}" stroke-width="1.6"{dashing}/>', marker, colour)
        entries.append((handle, series.name))
    if ring is not None:
        x, y = x_of(years[current]), y_of(float(ring))
        svg.body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6.5" fill="none" stroke="#000000" stroke-width="1.2"/>')
        entries.append((None, _("denna utvärdering")))
    _line_legend(svg, entries, columns, y1 + axis_h, width)
    svg.note(note, height)
    return svg.svg(data, width, height)


def _line_legend(svg: _Svg, entries: list, columns: int, top: float, width: float) -> None:
    names = [name for _handle, name in entries]
    widths = [max(HANDLE + HANDLE_PAD + text_width(name) for name in names[c::columns]) for c in range(min(columns, len(names)))]
    total = sum(widths) + COLUMN_GAP * (len(widths) - 1)
    start = (width - total) / 2
    for k, (handle, name) in enumerate(entries):
        row, column = divmod(k, columns)
        x = start + sum(widths[:column]) + COLUMN_GAP * column
        y = top + 8 + row * 0.28 * PT
        if handle is None:
            svg.body.append(f'<circle cx="{_n(x + HANDLE / 2)}" cy="{_n(y)}" r="6.5" fill="none" stroke="#000000" stroke-width="1.2"/>')
        else:
            line, marker, colour = handle
            svg.body.append(line.format(x=_n(x), y=_n(y)))
            svg.body.append(_marker(marker, x + HANDLE / 2, y, colour))
        svg.text(x + HANDLE + HANDLE_PAD, y + 3.2, name)
