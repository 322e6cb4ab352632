"""A save while another process holds the database's write lock — a long command-line
import — waits, and when the lock outlasts the wait answers 503 with Retry-After and
keeps the typed text (issue 13, finding 7: it was a 500 after 20 s and the text was lost).

A real `kompass demo` on its own SQLite file, with the wait shortened to one second
(KOMPASS_SQLITE_TIMEOUT); the lock is SQLite's own, taken by this test with BEGIN
IMMEDIATE on the same file, as `kompass import-results` takes it."""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from browsing import demo_server

TYPED = "Kommunen har infört medborgarbudget i två stadsdelar."


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_database):
    """A server of its own: its wait is shortened, and the test holds its write lock."""
    with demo_server(tmp_path_factory.mktemp("busy"), database=demo_database, KOMPASS_SQLITE_TIMEOUT="1") as site:
        made = site.kompass("evaluation", "new", "1880", "2026", "--framework", "2010", "--evaluator", "demo-anna", "--json")
        yield site.base, site.database, json.loads(made.strip().splitlines()[-1])["id"]


class Browser:
    """Cookies, CSRF and redirects as a browser keeps them, over urllib."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def form(self, path: str, form_id: str | None = None) -> dict:
        _status, _headers, page = self.request(path)
        scope = page[page.index(f'id="{form_id}"'):] if form_id else page
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|base)" value="([^"]*)"', scope)[:2])
        return {name: html.unescape(value) for name, value in fields.items()}


def test_a_save_during_a_long_write_is_refused_politely_and_keeps_the_text(server):
    base, database, evaluation = server
    browser = Browser(base)
    login = browser.form("/accounts/login/")
    status, _h, _page = browser.request("/accounts/login/", {**login, "username": "demo-anna", "password": "kompass-demo-2026"})
    assert status == 200  # followed to the dashboard
    form = browser.form(f"/arbete/{evaluation}/texter/", form_id="a1-general")
    save = f"/arbete/{evaluation}/texter/omrade/1/general/"

    lock = sqlite3.connect(database, timeout=5, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what a long import holds
    try:
        status, headers, page = browser.request(save, {**form, "text": TYPED})
        assert status == 503 and headers["Retry-After"] == "10"
        assert "Inte sparat" in page and html.escape(TYPED) in page  # shown back, to copy
        status, headers, fragment = browser.request(save, {**form, "text": TYPED}, headers={"HX-Request": "true"})
        assert status == 503 and headers["HX-Reswap"] == "none"
        assert "Din text finns kvar i fältet" in fragment and 'id="busy"' in fragment
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    status, _h, _page = browser.request(save, {**form, "text": TYPED})
    assert status == 200
    _status, _h, page = browser.request(f"/arbete/{evaluation}/texter/")
    assert html.escape(TYPED) in page
