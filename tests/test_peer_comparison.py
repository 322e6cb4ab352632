"""Comparisons that mean what they say (issue 15): an evaluation is compared with other
municipalities' published evaluations of the same version and country up to its own
year — never itself, never its own municipality's others, never later ones —, one per
municipality (its latest up to then), with count, period, rank and percentile; the same
on the page, in the API answer and in the report. Checked against a hand-computed case."""

import html
import re
from decimal import Decimal as D

import pytest

from kompass import scoring
from kompass.benchmark.peers import peer_comparison
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality
from kompass.reports.context import report_context

def _evaluation(code, year, areas, *, country="SE", framework="2010", status="published"):
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country=country, code=code),
        framework=Framework.objects.get(code=framework),
        facts=services.Facts(year=year, status=status),
    )
    services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas={n: D(v) for n, v in areas.items()}))
    return evaluation


def _all(value, last=None):
    scores = {n: value for n in range(1, 9)}
    if last is not None:
        scores[8] = last
    return scores


@pytest.fixture
def several(demo):
    """Örebro from the demo (2010: 515 from its total, four areas known; 2012: 615;
    2015: 649.95, area 1 74.10) and, around it:

    Stockholm 2012 480, 2014 640, 2016 720 (later than 2015); Göteborg 2013 402.50
    (area 8 52.50); Malmö 2015 560; Västerås 2011 areas 1–4 only (no total); Uppsala
    2014 a draft of 792; Oslo 2014 (Norway) 760; Linköping 2015 under version 2016."""
    return {
        "stockholm_2012": _evaluation("0180", 2012, _all("60")),
        "stockholm_2014": _evaluation("0180", 2014, _all("80")),
        "stockholm_2016": _evaluation("0180", 2016, _all("90")),
        "goteborg_2013": _evaluation("1480", 2013, _all("50", last="52.50")),
        "malmo_2015": _evaluation("1280", 2015, _all("70")),
        "vasteras_2011": _evaluation("1980", 2011, {1: "40", 2: "40", 3: "40", 4: "40"}),
        "uppsala_draft": _evaluation("0380", 2014, _all("99"), status="planned"),
        "oslo_2014": _evaluation("0301", 2014, _all("95"), country="NO"),
        "linkoping_2016": _evaluation("0580", 2015, _all("50"), framework="2016"),
    }


def _orebro(year):
    return Evaluation.objects.get(municipality__code="1880", year=year)


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()).replace(" :", ":")


def test_orebro_2015_is_compared_with_others_up_to_2015_one_each(several):
    comparison = peer_comparison(_orebro(2015))
    # Stockholm 2014 (its 2016 is later, its 2012 not its latest), Göteborg 2013, Malmö
    # 2015 (same year counts); Västerås has no total. Not Örebro, Uppsala's draft, Oslo
    # (Norway) or Linköping (version 2016).
    assert [(p.municipality, p.year) for p in comparison.peers] == [
        ("Göteborgs kommun", 2013), ("Malmö kommun", 2015), ("Stockholms kommun", 2014), ("Västerås kommun", 2011),
    ]
    assert comparison.count == 3
    assert comparison.mean == D("534.17")  # (640 + 402.50 + 560) / 3 = 534.1666…
    assert (comparison.from_year, comparison.to_year) == (2013, 2015)
    assert (comparison.rank, comparison.ranked_among, comparison.percentile) == (1, 4, 100)
    # Area 1: 80, 50, 70 and Västerås's 40; area 8: 80, 52.50, 70 (Västerås has none).
    assert (comparison.areas[1].mean, comparison.areas[1].count) == (D("60.00"), 4)
    assert (comparison.areas[8].mean, comparison.areas[8].count) == (D("67.50"), 3)


def test_a_middle_rank_and_rounding_half_up(several):
    comparison = peer_comparison(several["malmo_2015"])
    # Örebro 2015 649.95, Stockholm 2014 640, Göteborg 2013 402.50: 1692.45 / 3 = 564.15.
    assert (comparison.count, comparison.mean) == (3, D("564.15"))
    assert (comparison.rank, comparison.percentile) == (3, 33)  # 1 of 3 lower: 33.3 %
    # Area 1: Örebro 74.10, Stockholm 80, Göteborg 50, Västerås 40: 244.10 / 4 = 61.025 → 61.03.
    assert comparison.areas[1].mean == D("61.03")


def test_an_earlier_year_sees_only_what_existed_then(several):
    comparison = peer_comparison(several["stockholm_2014"])
    # Örebro's latest up to 2014 is 2012 (615), Göteborg 2013 402.50; Stockholm's own 2012 is not a peer.
    assert [(p.municipality, p.year) for p in comparison.peers] == [
        ("Göteborgs kommun", 2013), ("Västerås kommun", 2011), ("Örebro kommun", 2012),
    ]
    assert (comparison.count, comparison.mean, comparison.from_year, comparison.to_year) == (2, D("508.75"), 2012, 2013)
    assert (comparison.rank, comparison.percentile) == (1, 100)
    first = peer_comparison(several["stockholm_2012"])
    # Örebro 2012 615 and Västerås (no total): 480 is below it.
    assert (first.count, first.mean, first.rank, first.ranked_among, first.percentile) == (1, D("615.00"), 2, 2, 0)


def test_equal_totals_share_a_rank(several):
    lund = _evaluation("1281", 2015, _all("70"))  # 560, as Malmö
    comparison = peer_comparison(lund)
    assert comparison.count == 4
    # Örebro 649.95 and Stockholm 640 above; Malmö equal; Göteborg below.
    assert (comparison.rank, comparison.percentile) == (3, 25)
    assert peer_comparison(several["malmo_2015"]).rank == 3


def test_nothing_to_compare_with(demo):
    comparison = peer_comparison(_orebro(2015))
    assert (comparison.count, comparison.mean, comparison.rank, comparison.percentile) == (0, None, None, None)
    assert (comparison.from_year, comparison.to_year) == (None, None)


def test_the_api_answer_carries_the_comparison(several, client):
    answer = client.get(f"/api/evaluations/{_orebro(2015).pk}").json()["comparison"]
    assert {k: answer[k] for k in ("mean", "count", "from_year", "to_year", "rank", "percentile")} == {
        "mean": "534.17", "count": 3, "from_year": 2013, "to_year": 2015, "rank": 1, "percentile": 100,
    }
    assert answer["areas"][0] == {"number": 1, "title": "Offentlighet och demokrati", "mean": "60.00", "count": 4}
    alone = client.get(f"/api/evaluations/{several['oslo_2014'].pk}").json()["comparison"]
    assert alone == {**alone, "mean": None, "count": 0, "rank": None, "percentile": None}


def test_the_page_states_count_period_rank_and_the_reference(several, client):
    text = _text(client.get(f"/utvardering/{_orebro(2015).pk}/"))
    assert "650 av 800 poäng" in text
    assert "Varje område ger högst 100 poäng, alla tillsammans högst 800" in text
    assert "enligt version 2010 (Kommunkompassen 2010)" in text
    assert "Plats 1 av 4 bland jämförbara utvärderingar till och med 2015: högre totalpoäng än 100 % av de 3 andra kommunerna" in text
    assert "Jämförs med 3 andra kommuners publicerade utvärderingar i Sverige enligt version 2010" in text
    assert "De jämförda utvärderingarna gjordes 2013–2015" in text
    assert "Deras medelvärde: 534 poäng" in text
    assert "1. Offentlighet och demokrati 74 60 4" in text  # area title, own score, mean, count
    assert "Totalt 650 534 3" in text
    compared = text[text.index("Jämförelse med andra kommuner"):text.index("Publicerat jämförelsevärde")]
    assert "Stockholms kommun 2014: 640 poäng" in compared and "Västerås kommun 2011: totalpoängen är inte känd" in compared
    for absent in ("Stockholms kommun 2016", "Stockholms kommun 2012", "Oslo", "Uppsala", "Linköping", "Örebro kommun 2012", "Örebro kommun 2010"):
        assert absent not in compared
    # The published reference stays as published, with its source.
    assert "461 poäng (källa: SKL, Kommunkompassen – Analys av Örebro kommun 2015)" in text


def test_the_page_without_peers_says_so_and_is_never_compared_with_itself(demo, client):
    text = _text(client.get(f"/utvardering/{_orebro(2015).pk}/"))
    assert "Det finns inga andra kommuners publicerade utvärderingar i Sverige enligt version 2010 till och med 2015" in text
    assert "Medelvärdet av 3" not in text and "593" not in text and "Plats " not in text


def test_the_web_page_drops_printed_page_references_and_empty_headings(demo, client):
    evaluation = _orebro(2015)
    assert "på sid. 24" in evaluation.summary_text
    text = _text(client.get(f"/utvardering/{evaluation.pk}/"))
    assert "sid. 24" not in text
    assert "framgår även i översikten i kapitel 4 Översikt av poängfördelning Om kommunen skulle" in text
    # Örebro 2012 holds sub-question texts: the heading stays; 2015 holds none: no empty heading.
    assert "Bedömning per delområde" not in text
    assert "Bedömning per delområde" in _text(client.get(f"/utvardering/{_orebro(2012).pk}/"))


def test_the_report_uses_the_same_rule(several):
    context = report_context(_orebro(2015))
    sentences = " ".join(context.comparisons)
    assert "Medelvärdet av 3 andra kommuners publicerade utvärderingar i Sverige enligt samma version" in sentences
    assert "gjorda 2013–2015) är 534 poäng" in sentences
    assert "Örebro 2015 har plats 1 av 4 bland dem och högre totalpoäng än 100 % av de jämförda" in sentences
    assert "Genomsnittet är 461" not in sentences and "461 poäng (källa: SKL" in sentences
    chart = next(c for c in context.charts if c.key == "benchmark")
    # Every area has a mean here (areas 1–4 over 4 municipalities, 5–8 over 3).
    assert chart.series[1].name == "Medelvärde, 3–4 andra kommuner 2013–2015"
    assert chart.series[1].values[0] == D("60.00") and chart.series[1].values[7] == D("67.50")


def test_a_good_example_names_its_sub_question_with_its_title(demo, client):
    text = _text(client.get(f"/utvardering/{_orebro(2015).pk}/"))
    assert "Det är ett gott exempel som vi vill förmedla till andra kommuner. Delfråga 2.2 – Tillgänglighet och bemötande" in text


def test_the_percentile_rounds_half_up(demo):
    # Up to 2011: Örebro 2010 (515) and seven more of 2011: six of 600, one of 400.
    for code in ("0114", "0115", "0117", "0120", "0123", "0125"):
        _evaluation(code, 2011, _all("75"))
    _evaluation("0126", 2011, _all("50"))
    comparison = peer_comparison(_evaluation("0127", 2011, _all("62.50")))  # 500
    assert (comparison.count, comparison.from_year, comparison.to_year) == (8, 2010, 2011)
    assert comparison.mean == D("564.38")  # (515 + 6 × 600 + 400) / 8 = 564.375
    assert (comparison.rank, comparison.ranked_among, comparison.percentile) == (8, 9, 13)  # 1 of 8 lower: 12.5 %


PEERS_CODE = """
from decimal import Decimal as D
from kompass import scoring
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.municipalities.models import Municipality
for code, year, value in (("0180", 2014, "80"), ("0180", 2016, "90"), ("1480", 2013, "50"), ("1280", 2015, "70")):
    e = services.evaluation_create(municipality=Municipality.objects.get(country="SE", code=code),
        framework=Framework.objects.get(code="2010"), facts=services.Facts(year=year, status="published"))
    services.scores_set(evaluation=e, sheet=scoring.Scoresheet(areas={n: D(value) for n in range(1, 9)}))
"""


@pytest.mark.browser
def test_the_comparison_in_chromium_at_phone_width(demo_site, browser, tmp_path):
    """On a server of its own with three more municipalities: the rank, the table with
    area titles and the list of compared evaluations, no wider than a phone, no axe finding."""
    from browsing import axe_violations, demo_server

    with demo_server(tmp_path, database=demo_site.snapshot) as site:
        site.django(PEERS_CODE)
        context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 800})
        page = context.new_page()
        page.goto(site.base + "/utvardering/1/")
        standing = page.locator("p.standing").inner_text()
        # Stockholm 2014 640, Göteborg 2013 400, Malmö 2015 560 (Stockholm 2016 is later).
        assert "Plats 1 av 4" in standing and "100\u00a0% av de 3 andra kommunerna" in standing
        assert page.locator("table.peers tfoot").inner_text().split() == ["Totalt", "650", "533", "3"]
        assert page.locator("table.peers tbody th").first.inner_text() == "1. Offentlighet och demokrati"
        page.locator("details.peers-list summary").click()
        assert page.locator("details.peers-list li").all_inner_texts() == [
            "Göteborgs kommun 2013: 400 poäng", "Malmö kommun 2015: 560 poäng", "Stockholms kommun 2014: 640 poäng",
        ]
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert axe_violations(page) == []
        context.close()


def test_the_meaning_links_to_about_and_the_version(demo, client):
    page = client.get(f"/utvardering/{_orebro(2015).pk}/").content.decode()
    assert 'href="/om/"' in page and 'href="/om/#version-2010"' in page
    assert 'id="version-2010"' in client.get("/om/").content.decode()
