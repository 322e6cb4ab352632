"""Site basics: the global navigation and footer on every public page, "Om Kommunkompassen",
"Om webbplatsen", the accessibility statement in DIGG's form, the personal-data note, the
benchmark index, and Swedish error pages (400, 403, 404, 500) with the site around them;
the API keeps answering JSON and says where it is documented."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client, override_settings
from django.urls import include, path

from kompass import urls as site_urls

NAV = {"/kommuner/": "Kommuner", "/jamfor/": "Jämför", "/sok/": "Sök", "/jamforelse/": "Jämförelser",
       "/karta/": "Karta", "/data/": "Öppna data", "/om/": "Om"}
FOOTER = {"/om/": "Om Kommunkompassen", "/om/webbplatsen/": "Om webbplatsen",
          "/om/tillganglighet/": "Tillgänglighetsredogörelse", "/om/personuppgifter/": "Personuppgifter",
          "/data/": "Öppna data", "/api/dokumentation/": "API"}
MINE = {"/om/": "Om Kommunkompassen", "/om/webbplatsen/": "Om webbplatsen",
        "/om/tillganglighet/": "Tillgänglighet för Kommunkompassen",
        "/om/personuppgifter/": "Så behandlar vi personuppgifter", "/jamforelse/": "Jämförelser"}
EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"


def _links(html: str, nav_class: str) -> dict[str, str]:
    found = re.search(rf'<nav class="{nav_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert found, f"no <nav class={nav_class}>"
    return {href: re.sub(r"<[^>]+>", "", text).strip() for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', found[1], re.S)}


def _h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", html, re.S)[1]).strip()


def _public_addresses():
    from kompass.evaluations.models import Evaluation

    first, second = Evaluation.objects.filter(status="published").order_by("year")[:2]
    return [
        "/", "/kommuner/", "/kommun/SE/1880/", f"/utvardering/{first.pk}/", f"/jamfor/?id={first.pk}&id={second.pk}",
        "/jamforelse/2010/", "/sok/?q=dialog", "/accounts/login/", *MINE, "/finns-inte/",
        "/karta/", "/data/", "/api/dokumentation/",  # the map's and the open data's pages (helpers G and C)
    ]


def test_every_public_page_has_the_navigation_and_the_footer(demo, client):
    for address in _public_addresses():
        response = client.get(address)
        assert response.status_code in (200, 404), address
        html = response.content.decode()
        assert _links(html, "site-nav") == NAV, address
        assert _links(html, "site-footer") == FOOTER, address


def test_the_current_section_is_marked(demo, client):
    html = client.get("/om/tillganglighet/").content.decode()
    assert '<a href="/om/tillganglighet/" aria-current="page">' in html  # the footer's own link
    assert '<a href="/om/" aria-current="true">' in html  # the section, in the navigation
    html = client.get("/kommun/SE/1880/").content.decode()
    assert '<a href="/kommuner/" aria-current="true">Kommuner</a>' in html
    switch, rest = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0), re.sub(r'<nav class="languages".*?</nav>', "", html, flags=re.S)
    assert rest.count("aria-current") == 1
    assert switch.count("aria-current") == 1 and 'lang="sv" hreflang="sv" aria-current="true">Svenska<' in switch


@pytest.mark.parametrize("address, heading", MINE.items())
def test_the_pages_exist(demo, client, address, heading):
    response = client.get(address)
    assert response.status_code == 200
    html = response.content.decode()
    assert _h1(html) == heading
    assert '<html lang="sv">' in html


def test_reading_the_site_sets_no_cookie(demo, client):
    """What "Om webbplatsen" and the personal-data note promise: a reader gets no cookie."""
    for address in _public_addresses():
        if address != "/accounts/login/":  # a form that posts: its CSRF cookie is needed
            assert not client.get(address).cookies, address
    assert "csrftoken" in client.get("/accounts/login/").cookies


# --- Om Kommunkompassen ----------------------------------------------------------------


def test_about_explains_the_scale_and_every_version(demo, client, seed_overview):
    html = client.get("/om/").content.decode()
    for heading in ("Vad utvärderas?", "Hur går en utvärdering till?", "Poängskalan: 0–100 per område, 800 totalt", "Jämförelser", "Versioner"):
        assert f">{heading}</h2>" in html
    for version in ("2002", "2010", "2016", "2020"):
        assert f'id="version-{version}"' in html
    # The public version: every sub-question with its text and maximum, in its area.
    for row in seed_overview.questions:
        assert f"<strong>{row.id}</strong> " in html, row.id
        assert f"högst {row.max} poäng" in html
    assert "Finns en plan/strategi för demokratiutveckling och information?" in html
    assert "3 (2010–2015)" in html  # Örebro's three published evaluations of 2010
    # An area-level version: its areas and their maxima.
    section_2020 = html[html.index('id="version-2020"'):html.index('id="version-2016"')]
    assert "1. Samspel mellan förtroendevalda och medborgare" in section_2020
    assert "Chefs- och ledarskap samt medarbetarskap" in section_2020


def test_about_shows_guidance_where_public_and_areas_only_where_confidential(demo, client, tmp_path):
    from kompass.catalogue.services import catalogue_load

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    question = data["areas"][0]["questions"][0]
    question["text"] = "Zqxfråga om informationen?"
    question["guidance"]["looked_for"] = "Zqxvägledning om planen."
    for code, public in (("2097", False), ("2098", True)):
        data["public_questions"] = public
        file = tmp_path / f"v{code}.yaml"
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        catalogue_load(path=file, as_id=code)
    html = client.get("/om/").content.decode()
    public = html[html.index('id="version-2098"'):html.index('id="version-2097"')]
    confidential = html[html.index('id="version-2097"'):html.index('id="version-2020"')]
    assert "Zqxfråga om informationen?" in public and "Zqxvägledning om planen." in public
    assert "Det här söker utvärderarna" in public and "Vanliga källor" in public and "dokument, webbplats" in public
    assert "Zqx" not in confidential and "1.1" not in confidential
    assert "Samspel mellan förtroendevalda och medborgare" in confidential
    assert "Versionens delfrågor är inte publicerade av ägaren" in confidential
    assert "Zqx" not in html.replace(public, "")


def test_a_draft_version_is_not_shown(demo, client, tmp_path):
    from kompass.catalogue.services import catalogue_load

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["status"] = "draft"
    file = tmp_path / "v2096.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalogue_load(path=file, as_id="2096")
    assert 'id="version-2096"' not in client.get("/om/").content.decode()


def test_the_benchmark_index_lists_versions_with_published_evaluations(demo, client):
    html = client.get("/jamforelse/").content.decode()
    assert '<a href="/jamforelse/2010/">Kommunkompassen 2010</a>' in html
    assert "3 publicerade utvärderingar, 2010–2015" in html
    assert "/jamforelse/2020/" not in html  # nothing published


# --- Om webbplatsen, accessibility, personal data ----------------------------------------------


@override_settings(KOMPASS_CONTACT_EMAIL="kompassen@skr.example", KOMPASS_SITE_OWNER="Exempelförbundet")
def test_the_contact_setting_is_on_every_page_that_needs_it(demo, client):
    for address in ("/om/webbplatsen/", "/om/tillganglighet/", "/om/personuppgifter/"):
        html = client.get(address).content.decode()
        assert '<a href="mailto:kompassen@skr.example">kompassen@skr.example</a>' in html, address
        assert "Exempelförbundet" in html, address
        assert "KOMPASS_CONTACT_EMAIL" not in html


@override_settings(KOMPASS_CONTACT_EMAIL="")
def test_without_a_contact_address_the_pages_say_so(demo, client):
    html = client.get("/om/webbplatsen/").content.decode()
    assert "mailto:" not in html
    assert "har ännu inte angett någon kontaktadress" in html


def test_the_accessibility_statement_has_diggs_parts(demo, client):
    html = client.get("/om/tillganglighet/").content.decode()
    headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
    for heading in (
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Oskäligt betungande anpassning",
        "Innehåll som inte omfattas av lagkraven",
        "Hur vi testat webbplatsen",
    ):
        assert heading in headings, heading
    assert '<a href="https://www.digg.se/tdosanmalan">' in html
    assert "<strong>delvis förenlig</strong>" in html
    assert "WCAG 2.1 på nivå AA" in html and "EN 301 549" in html
    assert "Senaste bedömningen gjordes den 6 december 2026." in html
    assert "Redogörelsen uppdaterades senast den 6 december 2026." in html


def test_the_personal_data_note_says_what_why_how_long_and_the_rights(demo, client):
    html = client.get("/om/personuppgifter/").content.decode()
    for kind in ("Utvärderarnas namn", "Konton", "Inloggningsförsök", "Kakor (cookies)", "Serverloggar"):
        assert f"<h3>{kind}" in html
    assert "efter 5 misslyckade försök" in html and "i 15 minuter" in html
    assert "efter 30 minuter utan aktivitet och senast efter 8 timmar" in html
    assert "artikel 6.1 e" in html and "Integritetsskyddsmyndigheten" in html


# --- errors ------------------------------------------------------------------------------


def boom(request):
    raise RuntimeError("a view that fails")


urlpatterns = [path("boom/", boom), path("api/boom", boom), path("", include(site_urls.urlpatterns))]
handler400, handler403, handler404, handler500 = site_urls.handler400, site_urls.handler403, site_urls.handler404, site_urls.handler500


def _is_site_page(response, heading: str, status: int):
    assert response.status_code == status
    html = response.content.decode()
    assert _h1(html) == heading
    assert '<html lang="sv">' in html
    assert _links(html, "site-nav") == NAV and _links(html, "site-footer") == FOOTER
    assert '<a href="/">Till startsidan</a>' in html
    return html


def test_an_unknown_address_gets_a_swedish_page_with_the_site_around_it(demo, client):
    html = _is_site_page(client.get("/finns-inte/"), "Sidan finns inte", 404)
    assert "Not Found" not in html
    assert '<form class="search-box" method="get" action="/kommuner/" role="search">' in html
    found = client.get("/kommuner/", {"q": "orebro"}).content.decode()  # where its search leads
    assert "Örebro kommun" in found
    _is_site_page(client.get("/utvardering/999999/"), "Sidan finns inte", 404)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_failing_view_gets_a_swedish_500_page_with_the_site_around_it(demo):
    client = Client(raise_request_exception=False)
    html = _is_site_page(client.get("/boom/"), "Något gick fel", 500)
    assert "RuntimeError" not in html and "a view that fails" not in html
    response = client.get("/api/boom")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["documentation"] == "/api/dokumentation/"


def test_the_500_page_renders_even_when_the_request_cannot_be_read(db, rf):
    """A failure that also breaks what the page reads from the request (the account, from
    a database that is gone) still gets the Swedish page, without the account bar."""

    class Unreadable:
        @property
        def is_authenticated(self):
            raise RuntimeError("the database is gone")

    request = rf.get("/boom/")
    request.user = Unreadable()
    response = site_urls.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert _h1(html) == "Något gick fel" and _links(html, "site-nav") == NAV


def test_a_refused_form_gets_a_swedish_403_page(demo):
    client = Client(enforce_csrf_checks=True)
    html = _is_site_page(client.post("/accounts/login/", {"username": "x", "password": "y"}), "Formuläret kunde inte skickas", 403)
    assert "ladda om sidan" in html


def test_a_refused_request_gets_a_swedish_400_page(demo, client):
    _is_site_page(client.get("/", HTTP_HOST="inte.tillaten.example"), "Förfrågan kunde inte tas emot", 400)


# --- the API --------------------------------------------------------------------------------


def test_the_api_answers_404_in_json_and_points_to_its_documentation(demo, client):
    response = client.get("/api/finns-inte")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "finns inte", "documentation": "/api/dokumentation/"}
    response = client.get("/api/evaluations/99999999")  # an unknown id, refused by the API itself
    assert response.status_code == 404 and json.loads(response.content)["documentation"] == "/api/dokumentation/"


def test_the_api_root_lists_every_operation_of_its_schema(demo, client):
    response = client.get("/api/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    schema = json.loads(client.get("/api/openapi.json").content)
    assert [e["path"] for e in body["endpoints"]] == [p for p, o in schema["paths"].items() if "get" in o]
    assert all(e["summary"] for e in body["endpoints"])
    assert body["documentation"] == "/api/dokumentation/" and body["openapi"] == "/api/openapi.json"
    assert response["Access-Control-Allow-Origin"] == "*"


# --- in Chromium ------------------------------------------------------------------------------


def test_the_pages_in_chromium_on_a_phone(demo_site, browser):
    """At 390 px: no page of this part wider than the screen, no axe-core violation; the
    skip link and the navigation work by keyboard; every footer link leads to its page."""
    from browsing import axe_violations

    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        problems = {}
        for address in [*MINE, "/finns-inte/"]:
            page.goto(demo_site.base + address)
            for width in (390, 320):
                page.set_viewport_size({"width": width, "height": 844})
                if (wide := page.evaluate("document.documentElement.scrollWidth")) > width:
                    problems[f"{address} at {width}"] = f"{wide} px wide"
            if violations := axe_violations(page):
                problems[address] = violations
        assert not problems, problems

        page.goto(demo_site.base + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
        for _language in range(4):  # past the language switch
            page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # past the brand and "Logga in"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Kommuner"
        for address, name in FOOTER.items():
            if address in MINE:
                page.goto(demo_site.base + "/")
                page.get_by_role("navigation", name="Om webbplatsen").get_by_role("link", name=name, exact=True).click()
                page.wait_for_url(demo_site.base + address)
                assert page.locator("h1").inner_text() == MINE[address]
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Huvudmeny").is_visible()
    finally:
        context.close()
