"""Finding and comparing: the name search (one function for the list page and the API),
the list's default, filters, paging and rankings within one version, and comparisons of
any published evaluations of one version — chosen in the list or on a municipality page."""

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from kompass import scoring
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality
from kompass.municipalities.names import folded, name_matches

# --- the name search, without a database ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "short"),
    [
        ("orebro", "Örebro kommun", "Örebro"),
        ("malmo", "Malmö kommun", "Malmö"),
        ("goteborg", "Göteborgs kommun", "Göteborg"),
        ("Örebro kommun", "Örebro kommun", "Örebro"),
        ("ÖREBRO", "Örebro kommun", "Örebro"),
        ("  orebro   kommun ", "Örebro kommun", "Örebro"),
        ("borg", "Göteborgs kommun", "Göteborg"),
        ("upplands bro", "Upplands-Bro kommun", "Upplands-Bro"),
        ("tromso", "Tromsø kommune", "Tromsø"),
        ("Oslo kommune", "Oslo kommune", "Oslo"),
        ("aero", "Ærø Kommune", "Ærø"),
        ("arhus", "Aarhus Kommune", "Aarhus"),
        ("Århus", "Aarhus Kommune", "Aarhus"),
        ("amal", "Åmåls kommun", "Åmål"),
    ],
)
def test_a_name_is_found_without_diacritics(query, name, short):
    assert name_matches(query, name=name, short_name=short)


@pytest.mark.parametrize(("query", "name"), [("orebro", "Malmö kommun"), ("malmo kommun", "Örebro kommun"), ("stockholm", "Örebro kommun")])
def test_another_name_is_not(query, name):
    assert not name_matches(query, name=name)


def test_a_code_finds_its_municipality_and_folding_is_plain():
    assert name_matches("1880", name="Örebro kommun", code="1880")
    assert not name_matches("1881", name="Örebro kommun", code="1880")
    assert folded("Göteborgs  kommun!") == "goteborgs kommun"


# --- the list page and the API, on the database -------------------------------------------------

def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _evaluation(code: str, year: int, framework: str = "2010", *, score: str = "50", status: str = "published") -> Evaluation:
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country="SE", code=code), framework=Framework.objects.get(code=framework),
        facts=services.Facts(year=year, status=status),
    )
    count = len(Framework.objects.get(code=framework).definition.areas)
    services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas={n: Decimal(score) for n in range(1, count + 1)}))
    return evaluation


@pytest.fixture
def several(demo):
    """Örebro 2010, 2012, 2015 (the demo); Stockholm 2014 (640) and Göteborg 2013 (400)
    of version 2010; Malmö 2019 of version 2016; a draft in Uppsala."""
    return {
        "stockholm": _evaluation("0180", 2014, score="80"),
        "goteborg": _evaluation("1480", 2013, score="50"),
        "malmo": _evaluation("1280", 2019, "2016", score="70"),
        "draft": _evaluation("0380", 2016, score="99", status="planned"),
    }


def _orebro(year: int) -> Evaluation:
    return Evaluation.objects.get(municipality__code="1880", year=year)


def _listed(response) -> list[str]:
    """The municipalities in the list's table, in order."""
    return re.findall(r'<th scope="row"><a href="/kommun/[A-Z]{2}/\d{4}/">([^<]+)</a>', response.content.decode())


@pytest.mark.django_db
def test_the_list_shows_evaluated_municipalities_by_default(several, client):
    names = _listed(client.get("/kommuner/"))
    assert names == ["Göteborgs kommun", "Malmö kommun", "Stockholms kommun", "Örebro kommun"]  # not Uppsala's draft
    text = _text(client.get("/kommuner/"))
    assert "4 kommuner med publicerad utvärdering" in text
    everything = client.get("/kommuner/?visa=alla")
    assert f"{Municipality.objects.count()} kommuner." in _text(everything)
    assert len(_listed(everything)) == 50  # one page


@pytest.mark.django_db
def test_every_evaluation_can_be_ticked_not_only_the_latest(several, client):
    body = client.get("/kommuner/?q=orebro").content.decode()
    ticked = set(re.findall(r'<input type="checkbox" form="finding" name="id" value="(\d+)"', body))
    assert ticked == {str(_orebro(y).pk) for y in (2010, 2012, 2015)}


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "found"), [("orebro", ["Örebro kommun"]), ("Örebro kommun", ["Örebro kommun"]),
                                               ("malmo", ["Malmö kommun"]), ("goteborg", ["Göteborgs kommun"]),
                                               ("kommun", ["Göteborgs kommun", "Malmö kommun", "Stockholms kommun", "Örebro kommun"])])
def test_list_and_api_take_the_same_query(several, client, query, found):
    assert _listed(client.get("/kommuner/", {"q": query})) == found
    api = client.get("/api/municipalities", {"q": query, "country": "SE"}).json()
    # The API lists every municipality (as before), so "kommun" finds all 290 of Sweden's.
    names = [m["name"] for m in api["results"]]
    if query != "kommun":
        assert names == found
    else:
        assert set(found) <= set(names) and api["count"] == Municipality.objects.filter(country="SE").count()


@pytest.mark.django_db
def test_the_api_stays_backward_compatible(several, client):
    plain = client.get("/api/municipalities").json()
    assert plain["count"] == Municipality.objects.count()
    assert set(plain["results"][0]) == {"code", "name", "country", "county", "population", "evaluations"}
    assert client.get("/api/municipalities?q=").json()["count"] == plain["count"]
    orebro = client.get("/api/municipalities?q=orebro").json()["results"]
    assert [(m["code"], m["evaluations"]) for m in orebro] == [("1880", 3)]
    bad = client.get("/api/municipalities", {"q": "x" * 101})
    assert bad.status_code == 400 and bad.json()["parameter"] == "q"
    assert client.get("/api/municipalities?q=orebro&format=csv").content.decode().count("\n") == 2


@pytest.mark.django_db
def test_a_name_without_an_evaluation_is_pointed_to(several, client):
    response = client.get("/kommuner/?q=uppsala")
    text = _text(response)
    assert "Inga kommuner matchar urvalet." in text and "Uppsala kommun" in text  # the draft does not count
    assert '/kommun/SE/0380/' in response.content.decode()
    assert _listed(client.get("/kommuner/?q=uppsala&visa=alla")) == ["Uppsala kommun"]


@pytest.mark.django_db
def test_sorting_by_total_ranks_within_one_version_only(several, client):
    refused = client.get("/kommuner/?sort=total")
    assert "Sortering efter totalpoäng kräver en version" in _text(refused)
    assert _listed(refused) == ["Göteborgs kommun", "Malmö kommun", "Stockholms kommun", "Örebro kommun"]  # by name
    ranked = client.get("/kommuner/?framework=2010&sort=total")
    assert _listed(ranked) == ["Örebro kommun", "Stockholms kommun", "Göteborgs kommun"]  # 650, 640, 400; no Malmö (2016)
    places = re.findall(r'<tr>\s*<td class="num" data-label="Plats">(\d+)</td>', ranked.content.decode())
    assert places == ["1", "2", "3"]
    # A name search in a ranking keeps the place in the whole version, not among the hits.
    found = client.get("/kommuner/?framework=2010&sort=total&q=goteborg")
    assert _listed(found) == ["Göteborgs kommun"]
    assert re.findall(r'<td class="num" data-label="Plats">(\d+)</td>', found.content.decode()) == ["3"]


@pytest.mark.django_db
def test_filters_stay_in_the_address_and_pages_carry_the_choice(several, client):
    # All of Sweden, 290 municipalities: 6 pages of 50, the choice kept as ticked boxes.
    stockholm = several["stockholm"].pk
    page = client.get(f"/kommuner/?visa=alla&country=SE&sida=6&id={stockholm}")
    body = page.content.decode()
    assert len(_listed(page)) == 290 - 5 * 50
    assert "Visar 251–290 av 290." in _text(page)
    assert 'name="sida" value="5"' in body and 'aria-current="page">6<' in body
    # Stockholm is on page 5, not here: its ticked box travels in "Markerade på andra sidor".
    assert f'name="id" value="{stockholm}" checked' in body and "Stockholm 2014 (version 2010)" in _text(page)
    assert "olika versioner" not in _text(page)
    mixed = client.get(f"/kommuner/?id={stockholm}&id={several['malmo'].pk}")
    assert "markerade utvärderingarna är gjorda enligt olika versioner" in _text(mixed)
    assert 'option value="SE" selected' in body and 'option value="alla" selected' in body
    assert len(_listed(client.get("/kommuner/?visa=alla&country=SE&sida=999"))) == 40  # beyond the last: the last
    bad = client.get("/kommuner/?country=XX&year=tjugo&sida=x")
    assert "okänt land 'XX'" in _text(bad) and "'tjugo' är inget årtal" in _text(bad)


@pytest.mark.django_db
def test_compare_older_evaluations_and_refuse_different_versions(several, client):
    older = client.get(f"/jamfor/?id={_orebro(2010).pk}&id={_orebro(2012).pk}&id={several['goteborg'].pk}")
    assert older.status_code == 200
    text = _text(older)
    assert "Örebro 2010" in text and "Örebro 2012" in text and "Göteborg 2013" in text and "Totalt 515 615 400 800" in text
    assert "Ta bort Örebro 2010" in text
    body = older.content.decode()
    # Back to the list to choose more: that version, the three still ticked.
    assert f"/kommuner/?framework=2010&amp;id={_orebro(2010).pk}&amp;id={_orebro(2012).pk}&amp;id={several['goteborg'].pk}" in body
    assert f'href="/jamfor/?id={_orebro(2012).pk}&amp;id={several["goteborg"].pk}"' in body  # without Örebro 2010
    mixed = client.get(f"/jamfor/?id={_orebro(2015).pk}&id={several['malmo'].pk}")
    assert mixed.status_code == 400
    reason = _text(mixed)
    assert "olika versioner" in reason and "Örebro 2015 (version 2010)" in reason and "Malmö 2019 (version 2016)" in reason
    five = "&".join(f"id={e.pk}" for e in Evaluation.objects.filter(status="published")[:5])
    assert client.get(f"/jamfor/?{five}").status_code == 400 and "högst fyra" in _text(client.get(f"/jamfor/?{five}"))
    start = client.get("/jamfor/")  # the navigation's way in: how to choose, no error
    assert start.status_code == 200 and 'role="alert"' not in start.content.decode() and "Välj två till fyra" in _text(start)
    draft = client.get(f"/jamfor/?id={several['draft'].pk}&id={_orebro(2015).pk}")
    assert draft.status_code == 400 and "finns inte bland de publicerade" in _text(draft)
    assert f"/utvardering/{several['draft'].pk}/" not in draft.content.decode()


@pytest.mark.django_db
def test_the_municipality_page_offers_the_choice(several, client):
    body = client.get("/kommun/SE/1880/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="id" value="(\d+)" form="compare-2010"', body)
    assert sorted(boxes) == sorted(str(_orebro(y).pk) for y in (2010, 2012, 2015))
    assert '<form method="get" action="/jamfor/" id="compare-2010"' in body
    # The button comes before the table it submits.
    assert body.index('id="compare-2010"') < body.index("<table")
    assert f"/kommuner/?framework=2010&amp;id={_orebro(2015).pk}" in body


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_type_ahead_ticking_and_comparing_in_chromium(demo_site, contexts):
    page = contexts().new_page()
    page.goto(demo_site.base + "/kommuner/?visa=alla")
    search = page.get_by_label("Sök kommun")
    search.press_sequentially("orebro", delay=30)
    # The list narrows as one types, without a page load, and the address keeps the query.
    expect(page.locator("#finding-results th[scope=row]")).to_have_text(["Örebro kommun"])
    expect(page.locator("#finding-count")).to_contain_text("1 kommun")
    assert parse_qs(urlparse(page.url).query)["q"] == ["orebro"]
    expect(search).to_be_focused()
    for year in ("2010", "2012"):
        page.get_by_role("checkbox", name=re.compile(rf"^Jämför Örebro kommun {year} ")).check()
    expect(page.locator("[data-compare-count]").first).to_have_text("2 markerade.")
    page.get_by_role("button", name="Jämför markerade").first.click()
    expect(page).to_have_url(re.compile(r"/jamfor/\?"))
    expect(page.get_by_role("heading", name="Jämför utvärderingar", level=1)).to_be_visible()
    expect(page.locator("table.data tfoot")).to_contain_text("515")
    expect(page.locator("table.data tfoot")).to_contain_text("615")
    # From the municipality page: tick two years, the button above the table.
    page.goto(demo_site.base + "/kommun/SE/1880/")
    page.get_by_label("Jämför 2012").check()
    page.get_by_label("Jämför 2015").check()
    page.locator("#compare-2010").get_by_role("button", name="Jämför markerade").click()
    expect(page.locator("table.data tfoot")).to_contain_text("650")


def test_equal_totals_as_shown_share_a_place():
    from kompass.web.listing import Choice, MunicipalityRow, _ranked

    def row(name, total):
        return MunicipalityRow(1, name, "0000", "SE", "", (Choice(1, 2015, "2010", Decimal(total)),) if total else ())

    ranked = _ranked([row("A", "600.4"), row("B", "640"), row("C", "599.6"), row("D", None), row("E", "590")])
    assert [(r.name, r.rank) for r in ranked] == [("B", 1), ("A", 2), ("C", 2), ("E", 4), ("D", None)]


@pytest.mark.browser
def test_the_list_fits_a_phone_and_the_choice_leaves_paper_alone(demo_site, contexts):
    page = contexts().new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/kommuner/?visa=alla", "/kommuner/?q=orebro", "/kommun/SE/1880/", "/jamfor/?id=1&id=2"):
        page.goto(demo_site.base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    page.goto(demo_site.base + "/kommun/SE/1880/")
    expect(page.get_by_role("columnheader", name="Jämför")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("table.data").first).to_be_visible()  # the table is outside the compare form, which print hides
    expect(page.get_by_role("columnheader", name="Jämför")).to_be_hidden()
    expect(page.get_by_role("button", name="Jämför markerade")).to_be_hidden()


@pytest.mark.parametrize("page", ["/kommuner/", "/jamforelse/2010/"])
@pytest.mark.parametrize("parameter", ["q", "country", "group", "framework", "sort", "visa"])
def test_a_nul_in_a_filter_is_named_and_never_echoed(demo, client, page, parameter):
    """PostgreSQL refuses NUL in a query string literal, and a page that echoed it would
    put a parse error into its HTML: the filter is named as a problem and left out."""
    response = client.get(page, {parameter: "Öre\x00bro"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x00" not in body
    if parameter in ("q", "visa") and page == "/jamforelse/2010/":
        return  # not a filter of the benchmark: ignored
    assert f"{parameter}: tecknet NUL är inte tillåtet" in body
