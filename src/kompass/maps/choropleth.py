"""The class scale and the SVG of a choropleth map. Plain Python: no Django, no database.

The classes are fixed (eighths of the version's maximum: 100 points of 800), not
quantiles of the data, so that a colour means the same score on every visit and for
every year. Totals are classed as shown: rounded half up to whole points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from kompass.scoring import round_half_up

# ColorBrewer's YlGnBu, light to dark (safe for the common colour-vision deficiencies).
COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
NOT_EVALUATED = "#e4e4e4"
UNKNOWN = "#ffffff"  # evaluated, but the total is not known (some areas unscored)


@dataclass(frozen=True)
class MapClass:
    low: int  # whole points, inclusive
    high: int  # inclusive
    colour: str

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


def classes(maximum: Decimal) -> list[MapClass]:
    """Six classes: below three eighths of the maximum, then one eighth each."""
    step = round_half_up(Decimal(maximum) / 8)
    top = round_half_up(Decimal(maximum))
    bounds = [0, *[step * k for k in range(3, 8)], top + 1]
    return [MapClass(low, high - 1, colour) for low, high, colour in zip(bounds, bounds[1:], COLOURS)]


def class_of(total: Decimal | None, scale: list[MapClass]) -> MapClass | None:
    if total is None:
        return None
    shown = round_half_up(total)
    return next((c for c in scale if c.low <= shown <= c.high), scale[-1])


@dataclass(frozen=True)
class Area:
    """One municipality on the map: its outline, its label and, if evaluated, its class and link."""

    code: str
    path: str
    title: str
    href: str | None = None
    colour: str = NOT_EVALUATED


def draw(view_box: tuple[int, int, int, int], areas: list[Area], *, label: str) -> str:
    """The SVG markup: every municipality a ``<path>`` with a ``<title>``; evaluated ones
    inside a link, drawn last so that their borders are on top."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" viewBox="{" ".join(map(str, view_box))}" '
        f'role="group" aria-label="{escape(label)}">'
    ]
    for area in sorted(areas, key=lambda a: a.href is not None):
        path = (
            f'<path d="{area.path}" fill="{area.colour}" data-code="{escape(area.code)}">'
            f"<title>{escape(area.title)}</title></path>"
        )
        out.append(f'<a href="{escape(area.href)}">{path}</a>' if area.href else path)
    out.append("</svg>")
    return "".join(out)
