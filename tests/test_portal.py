"""The public portal: start page, municipalities, a municipality, an evaluation, compare,
benchmark — and that nothing unpublished ever shows in a page, the API or a CSV."""

import html
import re
from decimal import Decimal

import pytest

from kompass import scoring
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

DRAFT_MARK = "zqutkastmarkor"


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _evaluation(code: str, year: int, *, area_scores: dict[int, str], status="published", text=""):
    municipality = Municipality.objects.get(country="SE", code=code)
    evaluation = services.evaluation_create(
        municipality=municipality, framework=Framework.objects.get(code="2010"), facts=services.Facts(year=year, status=status)
    )
    services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas={n: Decimal(v) for n, v in area_scores.items()}))
    if text:
        services.area_texts_set(evaluation=evaluation, area_number=1, general=text)
        services.findings_set(evaluation=evaluation, area_number=1, kind="strength", items=[(text, None)])
    return evaluation


@pytest.fixture
def portal(demo):
    """Örebro from the demo, two more published evaluations, and a draft full of markers."""
    _evaluation("0180", 2014, area_scores={n: "80" for n in range(1, 9)})  # Stockholm, 640
    _evaluation("1480", 2013, area_scores={n: "50" for n in range(1, 9)})  # Göteborg, 400
    return _evaluation("0580", 2016, area_scores={n: "99" for n in range(1, 9)}, status="planned", text=DRAFT_MARK)


def _orebro(year: int) -> int:
    return Evaluation.objects.get(municipality__code="1880", year=year).pk


def test_the_pages_answer(portal, client):
    first, second = _orebro(2015), _orebro(2012)
    for path in ["/", "/kommuner/", "/kommun/SE/1880/", f"/utvardering/{first}/", "/jamforelse/2010/", f"/jamfor/?id={first}&id={second}"]:
        assert client.get(path).status_code == 200, path
    assert client.get("/jamforelse/1999/").status_code == 404


def test_municipalities_filter_and_sort_by_total(portal, client):
    page = _text(client.get("/kommuner/?country=SE&framework=2010&sort=total"))
    order = [name for name in ("Örebro kommun", "Stockholms kommun", "Göteborgs kommun") if name in page]
    assert order == ["Örebro kommun", "Stockholms kommun", "Göteborgs kommun"]
    assert page.index("Örebro kommun") < page.index("Stockholms kommun") < page.index("Göteborgs kommun")
    county = _text(client.get("/kommuner/?group=lan-SE-18"))
    assert "Örebro kommun" in county and "Stockholms kommun" not in county
    bad = _text(client.get("/kommuner/?country=XX&year=tjugo"))
    assert "okänt land 'XX'" in bad and "'tjugo' är inget årtal" in bad


def test_compare_two_to_four_of_one_version(portal, client):
    stockholm = Evaluation.objects.get(municipality__code="0180")
    page = client.get(f"/jamfor/?id={_orebro(2015)}&id={stockholm.pk}")
    text = _text(page)
    assert "Örebro 2015" in text and "Stockholm 2014" in text
    assert "<svg" in page.content.decode() and "Poäng per område" in text
    assert "Totalt 650 640 800" in text
    assert client.get(f"/jamfor/?id={_orebro(2015)}").status_code == 400
    assert client.get(f"/jamfor/?id={portal.pk}&id={_orebro(2015)}").status_code == 400  # a draft is not there to compare


def test_benchmark_page_shows_counts_quartiles_and_references(portal, client):
    text = _text(client.get("/jamforelse/2010/"))
    # Totals of the published 2010 evaluations: 515, 615, 649.95 (Örebro), 640, 400.
    totals = sorted([Decimal("515"), Decimal("615"), Decimal("649.95"), Decimal("640"), Decimal("400")])
    mean = scoring.round_half_up(sum(totals) / len(totals))  # whole points on the page (two decimals in the CSV)
    assert f"medelvärde {mean}, median 615 (5 utvärderingar)" in text
    assert "461 poäng" in text and "Källa:" in text
    best = text[text.index("Högst totalpoäng"):]
    assert best.index("Örebro kommun 2015") < best.index("Stockholms kommun 2014")
    county = _text(client.get("/jamforelse/2010/?group=lan-SE-01"))
    assert "(1 utvärdering)" in county


def test_nothing_unpublished_shows_anywhere(portal, client):
    pages = ["/", "/kommuner/", "/kommuner/?sort=total", "/kommun/SE/0580/", "/jamforelse/2010/", f"/jamfor/?id={_orebro(2015)}&id={portal.pk}"]
    api = [
        "/api/municipalities?country=SE", "/api/evaluations", "/api/evaluations?municipality=0580",
        "/api/benchmark?framework=2010", "/api/benchmark?framework=2010&format=csv&locale=sv", "/api/evaluations?format=csv",
    ]
    for path in pages + api:
        body = client.get(path).content.decode()
        assert DRAFT_MARK not in body, path
        assert f"/utvardering/{portal.pk}/" not in body, path
    for path in (f"/utvardering/{portal.pk}/", f"/api/evaluations/{portal.pk}", f"/utvardering/{portal.pk}/rapport.html"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/evaluations?municipality=0580").json()["count"] == 0
    # 99 in every area would have topped the benchmark; it is not counted.
    assert client.get("/api/benchmark?framework=2010").json()["total"]["count"] == 5


def test_search_page_finds_compounds_highlights_and_links_to_the_place(portal, client):
    page = client.get("/sok/?q=dialog")
    html_text = page.content.decode()
    assert page.status_code == 200
    hits = re.findall(r'<li>\s*<p><a href="(/utvardering/\d+/#[^"]+)">', html_text)
    assert hits, "dialog should find Örebro's medborgardialog"
    assert "<mark>" in html_text and "medborgar<mark>dialog</mark>" in html_text.lower()
    first = hits[0]
    anchor = first.split("#", 1)[1]
    target = client.get(first.split("#", 1)[0]).content.decode()
    assert f'id="{anchor}"' in target, anchor
    draft_search = client.get(f"/sok/?q={DRAFT_MARK}").content.decode()
    assert "0 träffar." in draft_search and "/utvardering/" not in draft_search
    assert client.get("/sok/?q=%22%22%22").status_code == 400
    assert client.get("/sok/?q=" + "a" * 10000).status_code in (200, 400)
