"""The site as `make run` serves it (`kompass demo`), in a real Chromium."""

import pytest


@pytest.fixture
def page(contexts):
    return contexts().new_page()


def test_make_run_serves_the_orebro_evaluation(demo_site, page, tmp_path):
    page.goto(demo_site.base + "/")
    assert page.locator("h1").inner_text() == "Kommunkompassen"
    page.get_by_role("link", name="Örebro kommun").first.click()
    assert page.locator("h1").inner_text() == "Örebro kommun"
    page.get_by_role("link", name="2015", exact=True).click()
    assert page.locator("h1").inner_text() == "Kommunkompassen – analys av Örebro kommun 2015"

    overview = page.get_by_role("table", name="1. Offentlighet och demokrati")
    first_row = overview.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first_row == ["1.1", "Finns en plan/strategi för demokratiutveckling och information?", "11", "15", "70%"]
    assert overview.locator("tfoot td").all_inner_texts()[1:] == ["74", "100", "74%"]
    assert page.get_by_text("650 av 800 poäng").is_visible()
    page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)


def test_static_files_are_served(demo_site, page):
    page.goto(demo_site.base + "/")
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font_size == "17px"  # from site.css, served by WhiteNoise


def test_the_admin_asks_for_a_login(demo_site, page):
    page.goto(demo_site.base + "/admin/")
    assert "/admin/login/" in page.url
    assert page.get_by_label("Användarnamn").is_visible()
