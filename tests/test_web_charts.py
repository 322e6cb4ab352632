"""The web pages' charts, written as SVG without matplotlib (``reports.svg_chart``): what a
reader must find in them, that print keeps series apart, and that no web page imports
matplotlib."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kompass.evaluations.models import Evaluation
from kompass.reports.context import ChartData, Series
from kompass.reports.svg_chart import bar_svg, ticks, trend_svg

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal
AREAS = (
    "1. Offentlighet och demokrati", "2. Tillgänglighet och brukarorientering", "3. Politisk styrning och kontroll",
    "4. Ledning, ansvar och delegering", "5. Resultat och effektivitet", "6. Kommunen som arbetsgivare - personalpolitik",
    "7. Verksamhetsutveckling", "8. Kommunen som samhällsbyggare",
)


def chart(*series: Series, key="history", title="Poäng per område vid Örebros utvärderingar", note="") -> ChartData:
    return ChartData(key=key, title=title, categories=AREAS, series=series, max_value=100, value_label="Poäng", note=note)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def values(svg: str) -> dict[str, str]:
    """Value labels by their id without the chart's prefix ("value-2-1": category 2, series 1)."""
    return {t.get("id").rsplit("value-", 1)[1]: t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if "value-" in (t.get("id") or "")}


V2012 = tuple(D(v) for v in ("68", "85", "86", "74", "70", "74", "71", "87"))
V2015 = (D("73.5"), D("90"), D("89.49"), D("80"), D("72"), D("81"), D("74"), None)


def test_named_labelled_and_rounded_half_up():
    svg = bar_svg(chart(Series("2012", V2012), Series("2015", V2015), key="results", title="Örebro 2015: 650 poäng"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Örebro 2015: 650 poäng"
    assert root.find(f"{SVG}title").text == "Örebro 2015: 650 poäng"
    shown = values(svg)
    assert shown["0-1"] == "74" and shown["2-1"] == "89" and shown["0-0"] == "68"  # 73.5 → 74 (half-up), 89.49 → 89
    assert shown["7-1"] == "saknas"  # unknown is not zero: a word, no bar
    words = " ".join(texts(svg))
    assert "Poäng" in words and "Kommunen som samhällsbyggare" in words and "2012" in words and "2015" in words
    assert [t for t in texts(svg) if t in {"0", "50", "100"}] == ["0", "50", "100"]  # the axis reaches the maximum


def test_series_differ_in_greyscale_print_and_a_single_series_has_no_legend():
    svg = bar_svg(chart(Series("2010", V2012), Series("2012", V2012), Series("2015", V2015)))
    root = ET.fromstring(svg)
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("stroke") == "#000000"}
    assert "#222222" in fills and sum(f.startswith("url(#") for f in fills) == 2  # one plain grey, two hatched
    assert len(list(root.iter(f"{SVG}pattern"))) == 2
    single = bar_svg(chart(Series("Enda serien", V2015)))
    assert "Enda serien" not in texts(single) and "<pattern" not in single


def test_long_labels_wrap_and_the_narrow_drawing_is_narrower_with_shorter_lines():
    data = chart(Series("2015", V2015))
    wide, narrow = ET.fromstring(bar_svg(data)), ET.fromstring(bar_svg(data, narrow=True))
    assert float(narrow.get("viewBox").split()[2]) < float(wide.get("viewBox").split()[2]) / 1.5
    assert "6. Kommunen som arbetsgivare -" in texts(bar_svg(data))  # the dash stays at the end of its line
    assert max(len(t) for t in texts(bar_svg(data, narrow=True)) if "." in t[:3]) <= 18
    assert all(float(t.get("font-size")) >= 8 for t in narrow.iter(f"{SVG}text"))


def test_deterministic_inlinable_and_ids_do_not_clash():
    data = chart(Series("2012", V2012), Series("2015", V2015))
    first = bar_svg(data)
    assert first == bar_svg(data)
    assert "<script" not in first and "<style" not in first and " style=" not in first and "<?xml" not in first
    ids = {e.get("id") for e in ET.fromstring(first).iter() if e.get("id")}
    narrow = {e.get("id") for e in ET.fromstring(bar_svg(data, narrow=True)).iter() if e.get("id")}
    other = {e.get("id") for e in ET.fromstring(bar_svg(chart(Series("2015", V2015), key="results"))).iter() if e.get("id")}
    assert ids and not ids & narrow and not ids & other


def test_note_is_shown_and_described():
    svg = bar_svg(chart(Series("2015", V2015), note="Totalpoängen är inte känd."))
    assert "Totalpoängen är inte känd." in texts(svg) and "<desc>Totalpoängen är inte känd.</desc>" in svg


def test_ticks_are_whole_and_reach_the_maximum():
    assert ticks(100, 10) == list(range(0, 101, 10)) and ticks(800, 5) == [0, 200, 400, 600, 800]
    assert ticks(3, 10) == [0, 1, 2, 3]  # never a quarter of an evaluation


def test_trend_joins_points_of_one_version_only_and_rings_the_current():
    data = ChartData(
        key="trend", title="Totalpoäng vid Örebros utvärderingar", categories=("2010", "2012", "2015", "2019", "2021"),
        series=(Series("Version 2010", (D(515), D(615), D("649.95"), None, None)),
                Series("Version 2020", (None, None, None, D(500), D(540)))),
        max_value=800, value_label="Totalpoäng",
    )
    svg = trend_svg(data, years=(2010, 2012, 2015, 2019, 2021), current=2)
    root = ET.fromstring(svg)
    lines = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("stroke-width") == "1.6" and p.get("d").count("L") >= 1 and "h" not in p.get("d")]
    assert [d.count("L") + 1 for d in lines] == [3, 2]  # one line per version, never across
    assert values(svg)["2-0"] == "650" and values(svg)["3-1"] == "500"
    assert "denna utvärdering" in texts(svg) and any(c.get("r") == "6.5" and c.get("fill") == "none" for c in root.iter(f"{SVG}circle"))
    assert root.get("aria-label") == "Totalpoäng vid Örebros utvärderingar"


@pytest.mark.django_db
def test_web_pages_draw_their_charts_without_matplotlib(demo, client):
    """Nothing a web page does imports matplotlib: it is drawn from the data directly.
    (Other tests import it into this process, so it is taken out of sys.modules first.)"""
    taken = {name: sys.modules.pop(name) for name in list(sys.modules) if name == "matplotlib" or name.startswith("matplotlib.")
             or name == "kompass.reports.charts"}
    try:
        evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
        page = client.get(f"/utvardering/{evaluation.pk}/").content.decode()
        assert page.count('role="img"') >= 6 and "chart-results-narrow-" in page and 'aria-label="Totalpoäng vid' in page
        assert client.get(f"/kommun/SE/1880/").status_code == 200
        assert client.get(f"/jamforelse/{evaluation.framework.code}/").status_code == 200
        assert not [name for name in sys.modules if name.startswith("matplotlib")]
    finally:
        sys.modules.update(taken)


def test_the_compared_evaluations_are_listed_escaped_with_their_links():
    """pages.peer_list writes the list the template used to loop over: same words, names escaped."""
    from kompass.benchmark.peers import Peer, PeerComparison
    from kompass.web.pages import peer_list

    peers = PeerComparison(framework="2010", country="SE", year=2015, total=D(600), count=1, mean=D(500), from_year=2014,
                           to_year=2014, rank=1, percentile=100,
                           peers=(Peer(7, "Å<&>by", 2014, D("512.5")), Peer(8, "Ös", 2013, None)))
    assert peer_list(peers) == (
        '<li><a href="/utvardering/7/">Å&lt;&amp;&gt;by 2014</a>: 513 poäng</li>'
        '<li><a href="/utvardering/8/">Ös 2013</a>: totalpoängen är inte känd; räknas bara i de områden som är kända</li>'
    )
