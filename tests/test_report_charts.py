"""The report's charts: what a reader must find in them, in SVG and PNG, without a database."""

import io
import re
import struct
import xml.etree.ElementTree as ET
from decimal import Decimal as D

from PIL import Image

from kompass.reports.charts import chart_png, chart_svg
from kompass.reports.context import ChartData, Series

SVG = "{http://www.w3.org/2000/svg}"
AREAS = (
    "1. Offentlighet och demokrati",
    "2. Tillgänglighet och brukarorientering",
    "3. Politisk styrning och kontroll",
    "4. Ledarskap, ansvar och delegation",
    "5. Resultat och effektivitet",
    "6. Kommunen som arbetsgivare - personalpolitik",
    "7. Verksamhetsutveckling",
    "8. Kommunen som samhällsbyggare",
)
V2012 = tuple(D(v) for v in ("68", "85", "86", "74", "70", "74", "71", "87"))
V2015 = tuple(D(v) for v in ("74.10", "90.35", "88.90", "79.85", "71.90", "81.30", "74.00", "89.55"))


def chart(*series: Series, key="history", title="Poäng per område vid Örebros utvärderingar", note="") -> ChartData:
    return ChartData(key, title, AREAS, series, 100, "Poäng", note)


def totals() -> ChartData:
    return ChartData(
        key="benchmark",
        title="Örebro 2015 jämfört med genomsnittet, totalpoäng",
        categories=("Totalpoäng",),
        series=(Series("Örebro 2015", (D("649.95"),)), Series("Genomsnitt sedan 2010", (D("461"),))),
        max_value=800,
        value_label="Poäng",
        note="Medelvärden per område finns inte; jämförelsen gäller därför bara totalpoängen.",
    )


def texts(svg: str) -> str:
    """All text of the chart in drawing order; wrapped lines joined by a space again."""
    return " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))


def value_labels(svg: str) -> dict[tuple[int, int], str]:
    """The label at the end of each bar, by (category, series)."""
    labels = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if m := re.search(r"-value-(\d+)-(\d+)$", group.get("id", "")):
            labels[int(m[1]), int(m[2])] = "".join(group.itertext()).strip()
    return labels


def test_svg_is_named_labelled_and_rounds_half_up():
    values = (D("74.5"), D("10.5"), *V2015[2:])
    data = chart(Series("2012", V2012), Series("2015", values), key="results", title="Örebro 2015: 650 poäng")
    svg = chart_svg(data)

    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-label") == data.title
    assert root[0].tag == f"{SVG}title" and root[0].text == data.title
    assert root.get("viewBox")
    text = texts(svg)
    for area in AREAS:
        assert area in text
    labels = value_labels(svg)
    assert labels[0, 1] == "75" and labels[1, 1] == "11"  # Python's round() gives 74 and 10
    assert [labels[i, 0] for i in range(8)] == ["68", "85", "86", "74", "70", "74", "71", "87"]
    assert [labels[i, 1] for i in range(2, 8)] == ["89", "80", "72", "81", "74", "90"]


def test_svg_is_16_cm_wide_and_no_text_below_8_pt():
    root = ET.fromstring(chart_svg(chart(Series("2015", V2015), note="En anmärkning.")))
    assert abs(float(root.get("width").removesuffix("pt")) - 16 / 2.54 * 72) < 0.5
    sizes = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 8


def test_unknown_value_is_missing_not_zero():
    v2010 = (None, None, D("66"), D("59"), D("51"), None, D("55"), None)
    svg = chart_svg(chart(Series("2010", v2010), Series("2012", V2012), Series("2015", V2015)))

    assert texts(svg).split().count("saknas") == 4
    labels = value_labels(svg)
    assert [(i, 0) in labels for i in range(8)] == [v is not None for v in v2010]
    assert "0" not in labels.values()
    assert texts(svg).split().count("0") == 1  # the x axis' first tick, no zero bar


def test_legend_only_with_several_series():
    several = texts(chart_svg(chart(Series("Serie ett", V2012), Series("Serie två", V2015))))
    assert "Serie ett" in several and "Serie två" in several
    single = chart_svg(chart(Series("Enda serien", V2015)))
    assert "Enda serien" not in texts(single)
    assert "legend" not in single


def test_svg_is_deterministic_and_ids_do_not_clash_between_charts():
    first = chart_svg(chart(Series("2012", V2012), Series("2015", V2015)))
    assert first == chart_svg(chart(Series("2012", V2012), Series("2015", V2015)))
    assert "<dc:date>" not in first

    def ids(svg):
        found = [e.get("id") for e in ET.fromstring(svg).iter() if e.get("id")]
        assert len(found) == len(set(found))
        return set(found)

    assert not ids(first) & ids(chart_svg(chart(Series("2015", V2015), key="results")))


def test_png_width_and_greyscale_series():
    dpi = 100
    png = chart_png(chart(Series("2012", V2012), Series("2015", V2015)), dpi=dpi)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert abs(width - 16 / 2.54 * dpi) <= 1 and height > width / 2

    # In greyscale the two series still show as two large areas of different grey.
    grey = Image.open(io.BytesIO(png)).convert("L")
    histogram = grey.histogram()
    peaks = [level for level in range(20, 236) if histogram[level] > 0.02 * width * height]
    assert peaks and max(peaks) - min(peaks) >= 40


def test_totals_chart():
    data = totals()
    svg = chart_svg(data)
    labels = value_labels(svg)
    assert labels == {(0, 0): "650", (0, 1): "461"}
    text = texts(svg)
    assert "Totalpoäng" in text and data.note in text
    assert "Örebro 2015" in text and "Genomsnitt sedan 2010" in text
    root = ET.fromstring(svg)
    assert float(root.get("height").removesuffix("pt")) < 0.6 * float(root.get("width").removesuffix("pt"))
    assert chart_png(data, dpi=50)[:8] == b"\x89PNG\r\n\x1a\n"
