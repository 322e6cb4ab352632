"""The site in Swedish, Norwegian (bokmål), Danish and English: choosing the language,
remembering it, the page cache per language, country words, and every page crawled in
each language with no Swedish left but proper names and people's own texts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import bring_to_consensus
from language_check import swedish_left

LANGUAGES = ["nb", "da", "en"]


def client(**headers) -> Client:
    return Client(HTTP_HOST="127.0.0.1", **headers)


def html_lang(response) -> str:
    return re.search(r'<html lang="([\w-]+)"', response.content.decode()).group(1)


def h1(response) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)).strip()


# --- choosing and remembering ---------------------------------------------------------


def test_the_first_visit_follows_the_browser_and_falls_back_to_swedish(demo):
    assert html_lang(client().get("/kommuner/")) == "sv"
    assert html_lang(client(HTTP_ACCEPT_LANGUAGE="da-DK,da;q=0.9,en;q=0.5").get("/kommuner/")) == "da"
    assert html_lang(client(HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9").get("/kommuner/")) == "nb"
    assert html_lang(client(HTTP_ACCEPT_LANGUAGE="fi-FI").get("/kommuner/")) == "sv"


def test_the_switch_keeps_the_page_and_the_choice_is_remembered(demo):
    visitor = client(HTTP_ACCEPT_LANGUAGE="sv")
    page = visitor.get("/kommuner/?sort=name&q=öre")
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', page.content.decode()))
    by_language = {language: href.replace("&amp;", "&") for href, language in links.items()}
    assert set(by_language) == {"sv", "nb", "da", "en"}
    english = by_language["en"]
    assert english.startswith("/kommuner/?") and "sort=name" in english and "lang=en" in english
    answer = visitor.get(english)
    assert html_lang(answer) == "en" and h1(answer) == "Municipalities"
    assert answer["Content-Language"] == "en"
    assert answer.cookies["kompass_language"].value == "en"
    # Later pages, without ?lang=, in English; the browser's Swedish no longer decides.
    assert html_lang(visitor.get("/")) == "en"
    assert 'aria-current="true">English<' in visitor.get("/").content.decode()


def test_an_unknown_language_changes_nothing(demo):
    visitor = client()
    answer = visitor.get("/kommuner/?lang=xx")
    assert html_lang(answer) == "sv" and "kompass_language" not in answer.cookies


def test_a_download_or_api_call_in_a_language_does_not_change_the_site_language(demo):
    visitor = client()
    api = visitor.get("/api/municipalities?lang=en")
    assert api.status_code == 200 and "kompass_language" not in api.cookies
    assert html_lang(visitor.get("/kommuner/")) == "sv"


def test_cached_pages_are_kept_per_language(demo):
    """The page cache keys by language: the Swedish answer is never served for English."""
    assert h1(client().get("/kommuner/")) == "Kommuner"
    assert h1(client().get("/kommuner/?lang=en")) == "Municipalities"
    assert h1(client().get("/kommuner/")) == "Kommuner"
    assert h1(client(HTTP_ACCEPT_LANGUAGE="en").get("/kommuner/")) == "Municipalities"


def test_the_switch_links_of_a_cached_page_carry_no_strangers_parameter(demo):
    page = client().get("/kommuner/?sort=name&utm=%22evil%22").content.decode()
    switch = re.search(r'<nav class="languages".*?</nav>', page, re.S).group(0)
    assert "sort=name" in switch and "utm" not in switch and "evil" not in switch


def test_a_workspace_user_saves_the_language_and_finds_it_on_another_device(team):
    first = client()
    first.force_login(team.anna)
    page = first.get("/arbete/")
    assert '<form method="post" action="/sprak/"' in page.content.decode()
    answer = first.post("/sprak/", {"language": "nb", "next": "/arbete/"})
    assert answer.status_code == 302 and answer["Location"] == "/arbete/"
    assert answer.cookies["kompass_language"].value == "nb"
    team.anna.profile.refresh_from_db()
    assert team.anna.profile.language == "nb"
    other = client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(team.anna)
    assert html_lang(other.get("/arbete/")) == "nb"


def test_the_switch_form_refuses_an_unknown_language_and_a_foreign_address(team):
    anna = client()
    anna.force_login(team.anna)
    assert anna.post("/sprak/", {"language": "fi", "next": "/"}).status_code == 400
    team.anna.profile.refresh_from_db()
    assert team.anna.profile.language == ""
    answer = anna.post("/sprak/", {"language": "da", "next": "https://evil.example/"})
    assert answer["Location"] == "/"
    assert anna.get("/sprak/").status_code == 405


def test_numbers_have_the_languages_decimal_separator(demo):
    """Every decimal number on the 2010 version's benchmark (sub-question means): a decimal
    comma in sv, nb and da, the same numbers with a point in en; the question codes
    (1.1, 1.2…) the same in all."""
    decimal = re.compile(r"(?<![\d.,])(\d+)([.,])(\d+)(?![\d.,])")

    def decimals(language):
        page = client().get(f"/jamforelse/2010/?lang={language}").content.decode()
        text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
        return [m.groups() for m in decimal.finditer(text)]

    swedish = decimals("sv")
    assert any(sep == "," for _i, sep, _f in swedish), swedish[:5]  # and 1.1, 1.2 … are codes
    for language in ("nb", "da"):
        assert decimals(language) == swedish
    english = decimals("en")
    assert english == [(i, ".", f) for i, _sep, f in swedish]


def test_a_norwegian_municipality_in_norwegian_says_fylke_and_kommunenummer(demo):
    from kompass.municipalities.models import Municipality

    oslo = Municipality.objects.filter(country="NO").exclude(county=None).first()
    nb = client().get(f"/kommun/NO/{oslo.code}/?lang=nb").content.decode()
    assert "Kommunenummer" in nb and "Fylke" in nb
    assert "Kommunkod" not in nb and "Län" not in nb
    sv = client().get(f"/kommun/NO/{oslo.code}/?lang=sv").content.decode()
    assert "Kommunnummer" in sv and "Fylke" in sv
    en = client().get(f"/kommun/SE/1880/?lang=en").content.decode()
    assert "Municipality code" in en and "County" in en
    da = client().get("/kommun/DK/0101/?lang=da").content.decode()
    assert "Kommunekode" in da and "Region" in da


# --- every page in every language ----------------------------------------------------

def public_pages() -> list[str]:
    """Every kind of public address, with the demo's own ids (Örebro 2015, 2012, 2010)."""
    from kompass.evaluations.models import Evaluation

    ids = dict(Evaluation.objects.filter(municipality__code="1880", municipality__country="SE").values_list("year", "pk"))
    latest, middle, first = ids[2015], ids[2012], ids[2010]
    return [
        "/", "/kommuner/", "/kommuner/?country=SE&framework=2010&sort=total", "/kommun/SE/1880/", "/kommun/NO/0301/",
        f"/utvardering/{latest}/", f"/utvardering/{middle}/", f"/utvardering/{first}/",
        f"/utvardering/{latest}/revision/1/", f"/jamfor/?id={latest}&id={middle}&id={first}",
        "/jamforelse/", "/jamforelse/2010/", "/sok/?q=dialog", "/sok/", "/accounts/login/", "/om/", "/om/webbplatsen/",
        "/om/tillganglighet/", "/om/personuppgifter/", "/data/", "/api/dokumentation/", "/karta/",
        "/accounts/password_reset/", "/finns-inte/",
    ]


def proper_names() -> set[str]:
    """Names that stay as they are in every language."""
    from django.conf import settings

    from kompass.municipalities.models import County, Municipality

    return {settings.KOMPASS_SITE_OWNER, settings.KOMPASS_DATA_ATTRIBUTION, "Sveriges Kommuner och Regioner", "Sveriges Kommuner och Landsting",
            *Municipality.objects.values_list("name", flat=True), *County.objects.values_list("name", flat=True)}


def _crawl(visitor, paths, language) -> dict[str, list[str]]:
    found, names = {}, proper_names()
    for path in paths:
        answer = visitor.get(path + ("&" if "?" in path else "?") + f"lang={language}")
        assert answer.status_code == (404 if path == "/finns-inte/" else 200), (path, answer.status_code)
        assert html_lang(answer) == language, path
        left = swedish_left(answer.content.decode(), language, names)
        if left:
            found[path] = left
    return found


def _report(found) -> str:
    return "\n".join(f"{path}:\n  " + "\n  ".join(items[:12]) for path, items in found.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_swedish_left(demo, language):
    from kompass.evaluations.models import Evaluation
    from kompass.workspace.services.status import _published_changed

    _published_changed(Evaluation.objects.get(municipality__code="1880", year=2015), None, "Publicering")  # revision 1
    found = _crawl(client(), public_pages(), language)
    assert not found, _report(found)


@pytest.fixture
def workspace_pages(team):
    """An evaluation in consensus, shared with the municipality, and every page its people open."""
    from kompass.workspace import services

    bring_to_consensus(team)
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    pk = team.evaluation.pk
    own = [f"/arbete/{pk}/{rest}" for rest in (
        "", "underlag/", "konsensus/", "texter/", "forfragan/", "historik/", "sjalvvardering/",
        "rapportuppgifter/", "plan/", "publicera/",
    )]
    common = ["/arbete/", "/arbete/aviseringar/", "/arbete/aviseringar/installningar/", "/accounts/password_change/"]
    return {
        team.admin: own + common + ["/arbete/handlingsplan/", "/arbete/handlingsplan/SE/1880/"],
        team.anna: own + [f"/arbete/{pk}/poang/"] + common,  # the lead: her own scores too
        team.contact: [f"/arbete/{pk}/", f"/arbete/{pk}/forfragan/", "/arbete/", "/arbete/handlingsplan/SE/1880/"],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_workspace_page_has_no_swedish_left(workspace_pages, language):
    found = {}
    for user, paths in workspace_pages.items():
        visitor = client()
        visitor.force_login(user)
        found.update({f"{user.username} {path}": items for path, items in _crawl(visitor, paths, language).items()})
    assert not found, _report(found)


def test_the_crawl_finds_swedish_where_it_is_left():
    """The check is not vacuous: a Swedish message, a part of one and a Swedish word are
    found on an English page, and nothing in text marked as Swedish."""
    page = ('<html lang="en"><body><h1>Kommuner</h1><p>Se alla utvärderingar här</p>'
            '<p title="Hoppa till innehållet">x</p><div lang="sv"><p>Kommuner och regioner</p></div></body></html>')
    left = swedish_left(page, "en")
    assert any("'Kommuner'" in f for f in left)
    assert any("Hoppa till innehållet" in f for f in left)
    assert any("utvärderingar" in f for f in left)
    assert not any("regioner" in f for f in left)


def test_a_notification_is_told_in_each_readers_language(team, mailoutbox, django_capture_on_commit_callbacks):
    """Carl reads English: his e-mail and his list are in English; the same row read in
    Swedish is Swedish; the names in it stay as they were."""
    from django.utils import translation

    from kompass.notifications import services as notifications
    from kompass.notifications.models import Notification
    from kompass.workspace.services import accounts

    team.carl.email = "carl@example.org"
    team.carl.save()
    accounts.language_set(team.carl, "en")
    team.carl.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.assigned_happened(team.evaluation, team.carl, team.admin, lead=False)
    row = Notification.objects.get(user=team.carl)
    title = f"{team.evaluation.municipality.name} {team.evaluation.year}"
    assert row.text == f"Du är utvärderare för {title}."
    with translation.override("en"):
        english = row.shown
        assert english != row.text and title in english
    with translation.override("sv"):
        assert row.shown == row.text
    [mail] = mailoutbox
    assert english in mail.body and "Hej" not in mail.body
    visitor = client()
    visitor.force_login(team.carl)
    assert english in visitor.get("/arbete/aviseringar/").content.decode()
