"""The public pages and the admin, through Django's test client."""

import re
from html import unescape
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from kompass.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def _orebro(year):
    return Evaluation.objects.get(municipality__code="1880", year=year)


def _cells(html: str) -> str:
    """The page's text with tags removed and whitespace folded, for reading rows."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_evaluation_page_shows_the_overview_tables(demo, client, seed_overview):
    response = client.get(f"/utvardering/{_orebro(2015).pk}/")
    assert response.status_code == 200
    text = _cells(response.content.decode())
    for row in seed_overview.questions:
        assert f"{row.id} {row.text} {row.rounded} {row.max} {row.percent}%" in text
    assert "Summa 74 100 74%" in text
    assert "650 av 800 poäng" in text
    assert "1. Offentlighet och demokrati 68 74 +6 100" in text  # 2012, 2015, change, max
    assert "461 poäng" in text
    assert "Teckenspråksinformation" in text
    assert "Lars Strid, SKL" in text


def test_pages_are_in_swedish(demo, client):
    html = client.get(f"/utvardering/{_orebro(2015).pk}/").content.decode()
    assert '<html lang="sv">' in html
    for heading in ("Översikt av poängfördelning", "Styrkor", "Förbättringsområden", "Vad har hänt efter 2012?", "Allmänt"):
        assert heading in html


def test_an_area_level_evaluation_says_sub_questions_are_not_recorded(demo, client):
    text = _cells(client.get(f"/utvardering/{_orebro(2012).pk}/").content.decode())
    assert "Poäng per delfråga finns inte registrerade" in text
    assert "615 av 800 poäng" in text
    assert "1.1 Strategi för demokratiutveckling och information" in text  # the appendix texts


def test_drafts_are_not_public(demo, client):
    Evaluation.objects.filter(year=2012).update(status="planned")
    assert client.get(f"/utvardering/{_orebro(2012).pk}/").status_code == 404
    assert "2012" not in _cells(client.get("/kommun/SE/1880/").content.decode()).split("Utvärderingar enligt version 2010")[1]
    page_2015 = _cells(client.get(f"/utvardering/{_orebro(2015).pk}/").content.decode())
    assert "+6" not in page_2015  # no comparison with the unpublished 2012
    staff = User.objects.create_user("staff", password="x-long-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/utvardering/{_orebro(2012).pk}/").status_code == 404  # drafts are previewed in the workspace


def test_municipality_page_and_home(demo, client):
    text = _cells(client.get("/kommun/SE/1880/").content.decode())
    assert "Örebro kommun" in text and "Örebro län" in text
    assert "2015 74 90 89 80 72 81 74 90 650" in text
    assert "2010 – – 66 59 51 – 55 – 515" in text
    assert client.get("/kommun/SE/9999/").status_code == 404
    assert "Örebro kommun" in client.get("/").content.decode()


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "x-long-password-1")
    client.force_login(user)
    return client


def test_the_admin_shows_evaluations_but_changes_none(demo, admin_client):
    """Issue 13, finding 5: a published evaluation was set back to planned in the admin,
    with no audit entry and no revision. The admin now only shows evaluations; the
    workspace changes them."""
    from kompass.dump.export import export_document

    evaluation = _orebro(2015)
    before = export_document()
    change = f"/admin/evaluations/evaluation/{evaluation.pk}/change/"
    page = admin_client.get(change)
    assert page.status_code == 200
    assert f'href="/arbete/{evaluation.pk}/"' in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    refused = [
        admin_client.post(change, {"status": "planned", "summary_text": "Ändrad i admin"}),
        admin_client.post("/admin/evaluations/evaluation/add/", {"year": "2030"}),
        admin_client.post(f"/admin/evaluations/evaluation/{evaluation.pk}/delete/", {"post": "yes"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert admin_client.get(f"/admin/evaluations/evaluation/{evaluation.pk}/poang/").status_code in (302, 404)
    assert export_document() == before


def test_admin_pages_load(demo, admin_client):
    for url in ["/admin/", "/admin/evaluations/evaluation/", f"/admin/evaluations/evaluation/{_orebro(2015).pk}/change/",
                "/admin/catalogue/question/", "/admin/municipalities/municipality/", "/admin/benchmark/publishedreference/"]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_refuses_a_published_reference_above_the_maximum(demo, admin_client):
    from kompass.benchmark.models import PublishedReference
    from kompass.catalogue.models import Framework

    response = admin_client.post(
        "/admin/benchmark/publishedreference/add/",
        {"framework": Framework.objects.get(code="2010").pk, "value": "900", "description": "Snitt", "source": "Test"},
    )
    assert response.status_code == 200
    assert "poängen kan vara högst 800" in response.content.decode()
    assert PublishedReference.objects.count() == 1
