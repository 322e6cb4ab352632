"""Expensive answers are cached by what they depend on, not by their address, and
their renders are rate-limited per client (issue 13, finding 3; and the Host part of
finding 9)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import Client


def _orebro_2015():
    from kompass.evaluations.models import Evaluation

    return Evaluation.objects.get(municipality__code="1880", year=2015)


@pytest.fixture
def renders(monkeypatch):
    """Counts the report renders behind the public report address (the real renderer runs)."""
    from kompass.reports import formats

    calls = []
    real = formats.render_report

    def counting(evaluation, fmt):
        calls.append(fmt)
        return real(evaluation, fmt)

    monkeypatch.setattr(formats, "render_report", counting)
    return calls


def test_unknown_parameters_do_not_render_again(demo, renders):
    pk = _orebro_2015().pk
    client = Client()
    answers = [client.get(f"/utvardering/{pk}/rapport.html?cb={n}") for n in range(5)]
    assert all(a.status_code == 200 for a in answers)
    assert len({a.content for a in answers}) == 1
    assert renders == ["html"]
    client.get(f"/utvardering/{pk}/rapport.docx")
    assert renders == ["html", "docx"]


def test_parameters_a_page_depends_on_still_count(demo):
    client = Client()
    sv = client.get("/api/municipalities?country=SE&format=csv&locale=sv").content
    en = client.get("/api/municipalities?country=SE&format=csv&locale=en").content
    assert sv != en and b";" in sv.splitlines()[0] and b"," in en.splitlines()[0]


def test_the_host_is_part_of_the_key(demo):
    client = Client()
    first = client.get("/api/search?q=medborgardialog&format=csv", HTTP_HOST="localhost").content.decode()
    second = client.get("/api/search?q=medborgardialog&format=csv", HTTP_HOST="127.0.0.1").content.decode()
    assert "http://localhost/utvardering/" in first and "127.0.0.1" not in first
    assert "http://127.0.0.1/utvardering/" in second and "localhost" not in second


def test_pagination_links_carry_no_foreign_parameters(demo):
    data = json.loads(Client().get("/api/evaluations?page_size=1&cb=%3Cscript%3E").content)
    assert data["next"] and "cb" not in data["next"] and "page_size=1" in data["next"]


def test_renders_are_rate_limited_per_client_but_cached_answers_are_not(demo, settings):
    settings.KOMPASS_RATE_LIMITS = {"report": (2, 60), "search": (2, 60), "api": (2, 60)}
    pk = _orebro_2015().pk
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    assert visitor.get(f"/utvardering/{pk}/rapport.html").status_code == 200
    assert visitor.get(f"/utvardering/{pk}/rapport.docx").status_code == 200
    refused = visitor.get(f"/utvardering/{pk}/rapport.pdf")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Försök igen om" in refused.content.decode()
    assert visitor.get(f"/utvardering/{pk}/rapport.html").status_code == 200  # cached: no render, no count
    assert visitor.get(f"/utvardering/{pk}/").status_code == 200  # pages are not limited
    other = Client(REMOTE_ADDR="192.0.2.2")
    assert other.get(f"/utvardering/{pk}/rapport.pdf").status_code == 200
    for n in range(2):
        assert visitor.get(f"/api/search?q=ord{n}").status_code == 200
    assert visitor.get("/api/search?q=ord9").status_code == 429


def test_the_api_says_it_in_json(demo, settings):
    settings.KOMPASS_RATE_LIMITS = {"report": (1, 60), "search": (1, 60), "api": (1, 60)}
    client = Client(REMOTE_ADDR="192.0.2.3")
    assert client.get("/api/municipalities?country=SE").status_code == 200
    refused = client.get("/api/municipalities?country=NO")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused["Content-Type"] == "application/json" and "Försök igen" in refused.json()["error"]
    assert refused["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("proxies, forwarded, expected", [
    (0, "203.0.113.9", "10.0.0.1"),                   # no proxy trusted: the header is a claim
    (1, "203.0.113.9", "203.0.113.9"),                # one proxy: the address it saw
    (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the client's own claim is left of it
    (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
    (2, "203.0.113.9", "10.0.0.1"),                   # fewer addresses than proxies: not believed
])
def test_client_address_behind_proxies(settings, proxies, forwarded, expected):
    from django.test import RequestFactory

    from kompass.page_cache import client_address

    settings.KOMPASS_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_window_opens_at_the_first_render_not_at_the_clock(settings, monkeypatch):
    """A client whose renders straddle a minute's edge still gets only the limit."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from kompass import page_cache

    settings.KOMPASS_RATE_LIMITS = {"report": (2, 60)}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    clock = iter([119, 120, 121, 178, 179])
    monkeypatch.setattr(page_cache, "time", SimpleNamespace(time=lambda: next(clock)))  # the limiter's clock only
    cache.clear()
    waits = [page_cache.rate_limited(request, "report") for _ in range(3)]
    assert waits == [0, 0, 58]  # the third render at 121 waits until 179
    assert page_cache.rate_limited(request, "report") == 1  # at 178: still the same window
    cache.delete("rate:report:192.0.2.9")  # the window's note expires at 179
    assert page_cache.rate_limited(request, "report") == 0
