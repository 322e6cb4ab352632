"""The site as `make run` serves it (`kompass demo`), in a real Chromium."""

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import KOMPASS

CHROMIUM = Path(os.environ.get("KOMPASS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_server(tmp: Path, **env_extra: str):
    """`kompass demo` on a fresh SQLite file in ``tmp`` (init, demo data, server); yields
    its address and the environment that reaches the same database."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(KOMPASS_VAR_DIR=str(tmp / "var"), **env_extra)
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([str(KOMPASS), "demo", "--port", str(port)], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"kompass demo did not start: {(tmp / 'server.log').read_text()}")
                time.sleep(0.2)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("site")) as (base, _env):
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: sudo apt-get install -y chromium (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_make_run_serves_the_orebro_evaluation(live_site, page, tmp_path):
    page.goto(live_site + "/")
    assert page.locator("h1").inner_text() == "Kommunkompassen"
    page.get_by_role("link", name="Örebro kommun").first.click()
    assert page.locator("h1").inner_text() == "Örebro kommun"
    page.get_by_role("link", name="2015").click()
    assert page.locator("h1").inner_text() == "Kommunkompassen – analys av Örebro kommun 2015"

    overview = page.get_by_role("table", name="1. Offentlighet och demokrati")
    first_row = overview.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first_row == ["1.1", "Finns en plan/strategi för demokratiutveckling och information?", "11", "15", "70%"]
    assert overview.locator("tfoot td").all_inner_texts()[1:] == ["74", "100", "74%"]
    assert page.get_by_text("650 av 800 poäng").is_visible()
    page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)


def test_static_files_are_served(live_site, page):
    page.goto(live_site + "/")
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert font_size == "17px"  # from site.css, served by WhiteNoise


def test_the_admin_asks_for_a_login(live_site, page):
    page.goto(live_site + "/admin/")
    assert "/admin/login/" in page.url
    assert page.get_by_label("Användarnamn").is_visible()
