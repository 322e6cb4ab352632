"""The municipal boundaries shipped with the project, as SVG path data per country.

Only Sweden has them: no package on PyPI or npm ships Norway's or Denmark's current
municipal boundaries (see ``data/README.md``). A country's file is read once per process."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
FILES = {"SE": "se.json"}

# Enlarged beside the whole country, where municipalities are too small to see or click:
# Statistics Sweden's three metropolitan areas (storstadsområden).
INSETS = {
    "SE": (
        ("Storstockholm", ("0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138",
                           "0139", "0140", "0160", "0162", "0163", "0180", "0181", "0182", "0183", "0184", "0186",
                           "0187", "0188", "0191", "0192")),
        ("Storgöteborg", ("1384", "1401", "1402", "1407", "1415", "1419", "1440", "1441", "1462", "1480", "1481",
                          "1482", "1489")),
        ("Stormalmö", ("1214", "1230", "1231", "1233", "1261", "1262", "1263", "1265", "1267", "1280", "1281",
                       "1282", "1285", "1287")),
    ),
}


@dataclass(frozen=True)
class Boundaries:
    country: str
    view_box: tuple[int, int, int, int]
    paths: dict[str, str]  # municipality code → SVG path data
    source: str

    def extent(self, code: str) -> tuple[int, int, int, int]:
        """The bounding box (x0, y0, x1, y1) of a municipality's path."""
        return _extents(self.country)[code]

    def frame(self, codes) -> tuple[int, int, int, int]:
        """A view box around these municipalities, with a margin of a twentieth."""
        boxes = [self.extent(c) for c in codes]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        margin = max(x1 - x0, y1 - y0) // 20 + 1
        return (x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin)

    def within(self, view_box) -> set[str]:
        """The municipalities that show in a view box (their boxes overlap it)."""
        x, y, w, h = view_box
        return {c for c, (x0, y0, x1, y1) in _extents(self.country).items() if x0 < x + w and x1 > x and y0 < y + h and y1 > y}


def countries() -> tuple[str, ...]:
    """The countries the map can draw."""
    return tuple(FILES)


@lru_cache(maxsize=None)
def boundaries(country: str) -> Boundaries | None:
    name = FILES.get(country)
    if name is None:
        return None
    document = json.loads((DATA / name).read_text(encoding="utf-8"))
    return Boundaries(country, tuple(document["view_box"]), document["paths"], document["source"])


@lru_cache(maxsize=None)
def _extents(country: str) -> dict[str, tuple[int, int, int, int]]:
    """Bounding boxes from the path data: each subpath an absolute move, then relative steps."""
    out = {}
    for code, path in boundaries(country).paths.items():
        xs, ys = [], []
        for subpath in path.split("M")[1:]:
            numbers = [int(n) for n in re.findall(r"-?\d+", subpath)]
            x, y = numbers[0], numbers[1]
            xs.append(x)
            ys.append(y)
            for dx, dy in zip(numbers[2::2], numbers[3::2]):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
        out[code] = (min(xs), min(ys), max(xs), max(ys))
    return out
