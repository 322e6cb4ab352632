"""The benchmark page, the search's area filter and the charts explained: whole numbers
where a decimal means nothing, a histogram over the data's range, each municipality once
among the leaders and only within its version, area names in the search filter and no
passage twice among its hits, radar labels whole and apart, and a trend of the
municipality's totals on each evaluation page with versions kept apart."""

import html
import re
from decimal import Decimal

import pytest
import yaml

from kompass import scoring
from kompass.benchmark.selectors import _distribution
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality
from kompass.reports.charts import radar_figure, radar_label, radar_svg, trend_figure
from kompass.reports.context import ChartData, Series

AREAS_2010 = (
    "1. Offentlighet och demokrati", "2. Tillgänglighet och brukarorientering", "3. Politisk styrning och kontroll",
    "4. Ledarskap, ansvar och delegation", "5. Resultat och effektivitet", "6. Kommunen som arbetsgivare - personalpolitik",
    "7. Verksamhetsutveckling", "8. Kommunen som samhällsbyggare",
)

AREAS_2020 = (
    "1. Samspel mellan förtroendevalda och medborgare", "2. Samhällsutveckling", "3. Styrning och kontroll", "4. Effektivitet",
    "5. Brukarens fokus", "6. Kvalitetsutveckling", "7. Arbetsliv", "8. Chefs- och ledarskap samt medarbetarskap",
)


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _evaluation(code: str, year: int, score: str, framework="2010"):
    municipality = Municipality.objects.get(country="SE", code=code)
    evaluation = services.evaluation_create(
        municipality=municipality, framework=Framework.objects.get(code=framework), facts=services.Facts(year=year, status="published")
    )
    services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas={n: Decimal(score) for n in range(1, 9)}))
    return evaluation


@pytest.fixture
def several(demo):
    """Örebro 2010, 2012, 2015 (515, 615, 649.95) from the demo; Stockholm twice, Göteborg
    once on 2010; Malmö on 2020 with more points than anyone, which 2010 must not show."""
    _evaluation("0180", 2013, "75")  # 600
    _evaluation("0180", 2014, "80")  # 640
    _evaluation("1480", 2013, "50")  # 400
    _evaluation("1280", 2021, "97.5", framework="2020")  # 780


# --- the histogram ---------------------------------------------------------------------------


def test_distribution_spans_the_data_not_the_scale():
    assert _distribution([], 800) == []
    bins = _distribution([Decimal("412.4"), Decimal("549.5"), Decimal("800")], 800)
    # 549.5 is shown as 550 and counted there; the last bar ends at, and includes, 800.
    assert bins[0] == (400, 449, 1) and bins[-1] == (750, 800, 1)
    assert (550, 599, 1) in bins and (500, 549, 0) in bins
    assert [low for low, _high, _n in bins] == list(range(400, 800, 50))
    assert _distribution([Decimal("615")], 800) == [(600, 649, 1)]


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_benchmark_whole_numbers_for_areas_and_totals_one_decimal_for_sub_questions(several, client):
    text = _text(client.get("/jamforelse/2010/"))
    # 515 + 615 + 649.95 + 600 + 640 + 400 = 3419.95; / 6 = 569.99…; median (600 + 615) / 2 = 607.5.
    assert "Totalpoäng: medelvärde 570, median 608 (6 utvärderingar)." in text
    assert "De 6 utvärderingarna gäller 3 kommuner: en kommun som utvärderats flera gånger räknas en gång per utvärdering." in text
    area_table = text[text.index("Per område"):text.index("Fördelning av totalpoängen")]
    assert not re.search(r"\d,\d", area_table), area_table
    # Area 3: 66, 86, 88.9 (Örebro), 75, 80, 50 → mean 74.32 → 74; median 77.5 → 78.
    assert "3. Politisk styrning och kontroll 74 78 " in area_table
    # Sub-question 1.2: only Örebro 2015 has it, 16.25 → 16,3 (half-up, one decimal).
    assert "1.2 Information till medborgarna 20 16,3 16,3 16,3 16,3 1" in text


@pytest.mark.django_db
def test_histogram_covers_the_range_of_the_results(several, client):
    text = _text(client.get("/jamforelse/2010/"))
    table = text[text.index("Fördelning av totalpoängen"):text.index("Högst totalpoäng")]
    assert "400–449 1 450–499 0 500–549 1 550–599 0 600–649 3 650–699 1" in table  # 649.95 shows as 650
    bars = {low for low, _high in re.findall(r"(?<!\d)(\d+)–(\d+)(?!\d)", table)}
    assert bars == {"400", "450", "500", "550", "600", "650"}  # none from 0, none past the best


@pytest.mark.django_db
def test_leaders_once_per_municipality_within_the_version(several, client):
    text = _text(client.get("/jamforelse/2010/"))
    leaders = text[text.index("Högst totalpoäng"):text.index("Per delfråga")]
    assert re.findall(r"(\w+ kommun) (\d{4}) : (\d+) poäng", leaders) == [
        ("Örebro kommun", "2015", "650"), ("Stockholms kommun", "2014", "640"), ("Göteborgs kommun", "2013", "400"),
    ]
    assert "bästa av kommunens 3 utvärderingar i urvalet" in leaders and "bästa av kommunens 2 utvärderingar" in leaders
    assert "Malmö" not in leaders  # a 2020 result is not ranked among 2010's
    later = _text(client.get("/jamforelse/2010/?to_year=2013"))  # the selection decides: Örebro's best up to 2013
    assert "Örebro kommun 2012 : 615 poäng (bästa av kommunens 2 utvärderingar i urvalet)" in later


# --- the search ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_area_filter_names_areas_per_version(several, client):
    page = client.get("/sok/?q=dialog").content.decode()
    assert '<optgroup label="Version 2010">' in page and '<optgroup label="Version 2020">' in page
    assert '<option value="2010:3">3. Politisk styrning och kontroll</option>' in page
    assert '<option value="2020:3">3. Styrning och kontroll</option>' in page
    chosen = client.get("/sok/?q=dialog&area=2010:3")
    assert '<option value="2010:3" selected>' in chosen.content.decode()
    assert all(hit in _text(chosen) for hit in ("3. Politisk styrning och kontroll",)) and "1. Offentlighet" not in _text(chosen).split("träff")[-1]
    refused = client.get("/sok/?q=dialog&area=2010:3&framework=2020")
    assert refused.status_code == 400
    assert "Området hör till version 2010 men version 2020 är vald" in _text(refused)
    bare = client.get("/sok/?q=dialog&area=1")  # an older link: area 1 in every version
    assert bare.status_code == 200 and '<option value="1" selected>område 1 i alla versioner</option>' in bare.content.decode()


@pytest.mark.django_db
def test_search_shows_a_good_example_once_not_again_inside_its_sub_question(demo, client):
    # Örebro 2012's good example in 1.1 is quoted word for word in the sub-question's text.
    passage = "en handbok som stöd för"
    text = _text(client.get("/sok/?q=dialog"))
    assert text.count(passage) == 1, text
    hits = client.get("/api/search?q=handbok medborgardialog").json()["results"]
    assert [h["kind"] for h in hits] == ["good_example"]
    # The rest of the sub-question's text is still found, and its snippet is from there.
    rest = client.get("/api/search?q=indirekt koppling&framework=2010").json()["results"]
    assert [(h["kind"], h["question"]) for h in rest] == [("question", "1.1")]


# --- the charts ------------------------------------------------------------------------------


def _radar(names=("Örebro kommun 2015", "Örebro kommun 2012", "Stockholms kommun 2014", "Göteborgs kommun 2013"), areas=AREAS_2010) -> ChartData:
    series = tuple(Series(n, tuple(Decimal(60 + 5 * j + i) for i in range(8))) for j, n in enumerate(names))
    return ChartData(key="compare", title="Poäng per område: " + ", ".join(names), categories=areas, series=series,
                     max_value=100, value_label="Poäng")


def test_radar_labels_wrap_at_spaces_only():
    assert radar_label("7. Verksamhetsutveckling") == "7. Verksamhetsutveckling"
    for title in AREAS_2010 + AREAS_2020:
        lines = radar_label(title).split("\n")
        assert " ".join(lines) == title  # every break was a space: no word split
    svg = radar_svg(_radar())
    assert ">7. Verksamhetsutveckling</text>" in svg and "Verksamhetsutve\n" not in svg


@pytest.mark.parametrize("areas", [AREAS_2010, AREAS_2020], ids=["2010", "2020"])
def test_radar_labels_do_not_overlap_and_stay_in_the_figure(areas):
    import matplotlib
    from kompass.reports.charts import STYLE

    with matplotlib.rc_context(STYLE):
        figure = radar_figure(_radar(areas=areas))
        renderer = figure.canvas.get_renderer()
        figure.draw(renderer)
        axes = figure.axes[0]
        boxes = [label.get_window_extent(renderer) for label in axes.get_xticklabels()]
        inside = figure.bbox
        for i, box in enumerate(boxes):
            assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1, (i, box, inside)
            for j in range(i):
                assert not box.overlaps(boxes[j]), (areas[i], areas[j])
        legend = figure.legends[0].get_window_extent(renderer)
        assert not any(legend.overlaps(box) for box in boxes)
        # Nor do they reach into the circle: the box's nearest point to the centre is outside it.
        circle = axes.bbox
        cx, cy, radius = (circle.x0 + circle.x1) / 2, (circle.y0 + circle.y1) / 2, circle.width / 2
        for title, box in zip(areas, boxes):
            nearest_x, nearest_y = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
            assert ((nearest_x - cx) ** 2 + (nearest_y - cy) ** 2) ** 0.5 >= radius, title


def test_trend_joins_points_of_one_version_only():
    data = ChartData(
        key="trend", title="Totalpoäng vid Örebros utvärderingar", categories=("2010", "2012", "2015", "2019", "2021"),
        series=(Series("Version 2010", (Decimal(515), Decimal(615), Decimal("649.95"), None, None)),
                Series("Version 2020", (None, None, None, Decimal(500), Decimal(540)))),
        max_value=800, value_label="Totalpoäng",
    )
    import matplotlib
    from kompass.reports.charts import STYLE

    with matplotlib.rc_context(STYLE):
        figure = trend_figure(data, years=(2010, 2012, 2015, 2019, 2021), current=2)
    lines = {line.get_label(): list(line.get_xdata()) for line in figure.axes[0].lines}
    assert lines["Version 2010"] == [2010, 2012, 2015] and lines["Version 2020"] == [2019, 2021]
    assert lines["denna utvärdering"] == [2015]  # the page's own evaluation, ringed
    labels = {t.get_gid(): t.get_text() for t in figure.axes[0].texts}
    assert labels["value-2-0"] == "650" and labels["value-3-1"] == "500"


@pytest.mark.django_db
def test_evaluation_page_has_the_trend_with_versions_apart_and_the_crosswalk_named(demo, run_cli, tmp_path, client):
    from pathlib import Path

    orebro = Evaluation.objects.get(municipality__code="1880", year=2015)
    page = client.get(f"/utvardering/{orebro.pk}/").content.decode()
    assert 'aria-label="Totalpoäng vid Örebros utvärderingar"' in page
    table = _text(client.get(f"/utvardering/{orebro.pk}/"))
    assert "Kategori Version 2010 2010 515 2012 615 2015 650" in table

    # A version of its own with a crosswalk to 2010: its own series, and the note says so.
    example = Path(__file__).parent / "data" / "catalogue" / "example.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["id"], data["crosswalks"] = "2099", [{"to": "2010", "areas": {"1": [1]}}]
    path = tmp_path / "2099.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run_cli("catalogue", "load", path)[0] == 0
    later = _evaluation("1880", 2019, "60", framework="2099")
    text = _text(client.get(f"/utvardering/{later.pk}/"))
    assert "Kategori Version 2010 Version 2099 2010 515 – 2012 615 – 2015 650 – 2019 – " in text
    assert "Poäng enligt olika versioner jämförs inte" in text and "Version 2010 och 2099 har en korsreferens" in text


@pytest.mark.django_db
def test_no_trend_for_a_single_evaluation(demo, client):
    only = _evaluation("0180", 2014, "80")
    assert "Totalpoäng vid" not in client.get(f"/utvardering/{only.pk}/").content.decode()


# --- in Chromium ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_charts_in_chromium_at_phone_width(site, contexts):
    page = contexts().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(site.base + "/jamfor/?id=1&id=2")
    # Each label (one <text> per line) as the box around its lines, in the page's pixels.
    boxes = page.eval_on_selector_all(
        "figure.chart svg[aria-label^='Poäng per område'] g[id*='xtick']",
        """groups => groups.map(g => {
            const rects = [...g.querySelectorAll('text')].map(t => t.getBoundingClientRect());
            return [[...g.querySelectorAll('text')].map(t => t.textContent).join(' '),
                    Math.min(...rects.map(r => r.left)), Math.min(...rects.map(r => r.top)),
                    Math.max(...rects.map(r => r.right)), Math.max(...rects.map(r => r.bottom))];
        })""",
    )
    assert [b[0] for b in boxes] == list(AREAS_2010)  # whole words, wrapped at spaces only
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a, b)
    page.goto(site.base + "/utvardering/1/")
    trend = page.locator("figure.chart svg[aria-label^='Totalpoäng vid']")
    assert trend.count() == 1 and trend.bounding_box()["width"] > 0
