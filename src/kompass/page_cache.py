"""Whole answers of public pages and API calls, cached until the published data changes.

A page every anonymous visitor sees alike is rendered once per data version and what it
depends on: the host, the path and the query parameters the view reads (``params``), in a
fixed order. Any other parameter (``?cb=1``, ``?cb=2``, …) gives the same key, so it can
neither make the server render anew nor fill the cache. Logged-in users (whose header
differs) and anything but GET always get a fresh render. A search is an answer like any
other: the same query answers from the cache until the published data changes.

Renders that cost real CPU (reports, searches, the API: ``limit=``) are also limited per
client: past the limit a client gets 429 with Retry-After until its window ends, while
answers already in the cache are still served to everyone.

The answers live in the shared cache (files, so that every worker process finds what one
of them rendered) and, the most recently used of them, in the worker's memory too, which
spares reading and unpacking the file. The memory copy is used only for a data version
read outside a transaction, i.e. a committed one: a version a rolled-back transaction
has seen may come again with other data (as it does between tests).

A view that names its ``scopes`` (``evaluations.scopes``) is keyed by their versions
instead of the whole data version, so that a publication elsewhere leaves its answers
cached: an evaluation's page and report change with its municipality and the published
evaluations of its version (the comparison with its country, role models from every
country), the API's evaluation with its municipality and its version in its country, a
municipality's page with the municipality. ``*`` (catalogue, municipalities, reference
values, peer groups) is in every scoped key."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils import translation

from kompass.code_version import code_stamp
from kompass.evaluations.summaries import data_version, evaluation_version, municipality_version, scoped_version

KEPT_HEADERS = ("content-type", "content-disposition", "access-control-allow-origin")


class RecentAnswers:
    """The most recently used answers of this process, up to ``max_bytes`` of content."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threaded workers share it

    def get(self, key: str):
        with self._lock:
            stored = self._items.get(key)
            if stored is not None:
                self._items.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple) -> None:
        size = len(stored[2])
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = stored
            self.size += size
            while self.size > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self.size -= len(dropped[2])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


recent = RecentAnswers(max_bytes=32 * 1024 * 1024)


def _answer(stored: tuple) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def answer_key(request, params, version: str | None = None) -> str:
    """The cache key of an anonymous answer: data version (or the ``version`` of the
    view's scopes), host, language, path and the values of the parameters the view
    depends on (each in the order given, repeated ones kept)."""
    depends = [request.get_host(), translation.get_language(), request.path,
               [(name, request.GET.getlist(name)) for name in params]]
    address = hashlib.sha256(json.dumps([version or data_version(), depends], ensure_ascii=False).encode()).hexdigest()
    return f"answer:{code_stamp()}:{address}"


# What the pages keyed by scopes show (``cached_answer(scopes=…)``): each takes the view's
# arguments and gives the version of its scopes, or None for the whole data version.
PAGE_SCOPES = {
    # The page and the report: the evaluation, its history, peers and role models.
    "evaluation": lambda request, pk, **_rest: evaluation_version(pk, role_models=True),
    # The API's evaluation: the evaluation and its comparison (no role models).
    "evaluation-peers": lambda request, pk, **_rest: evaluation_version(pk),
    # An earlier revision as published, and the list of revisions: the evaluation alone.
    "evaluation-own": lambda request, pk, **_rest: evaluation_version(pk, peers=False),
    "municipality": lambda request, country, code, **_rest: municipality_version(country.upper(), code),
}


def _version(scopes_of, request, args, kwargs) -> str | None:
    if scopes_of is None:
        return None
    found = scopes_of(request, *args, **kwargs)
    return scoped_version(found) if isinstance(found, (list, tuple)) else found


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind KOMPASS_PROXY_COUNT trusted proxies
    the address the first of them saw (the count-th from the right of X-Forwarded-For;
    what a client writes further left is its own claim and is not believed)."""
    proxies = settings.KOMPASS_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, group: str) -> int:
    """Counts one expensive render for this client in ``group``; the seconds to wait when
    it is over the group's limit, else 0. The window opens at the client's first counted
    render (a window fixed to the clock would let a client that straddles its edge render
    twice the limit at once). Counts from the workers may race and undercount by a few,
    which a guard against floods allows."""
    limit, window = settings.KOMPASS_RATE_LIMITS[group]
    now = int(time.time())
    client = client_address(request)
    cache.add(f"rate:{group}:{client}", now, timeout=window)
    start = cache.get(f"rate:{group}:{client}", now)
    key = f"rate:{group}:{client}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return max(1, start + window - now) if count > limit else 0


def too_many(wait: int) -> HttpResponse:
    response = HttpResponse(
        _("För många förfrågningar från din adress. Försök igen om %(seconds)s sekunder.") % {"seconds": wait},
        status=429, content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def cached_answer(view=None, *, params=(), limit: str | None = None, scopes=None):
    """Cache the view's anonymous answers by what they depend on (see the module's
    docstring); ``params`` names every query parameter the view reads, ``limit`` the
    rate-limit group of its renders (settings.KOMPASS_RATE_LIMITS), ``scopes`` what
    its answers show where that is less than all the data: a name of PAGE_SCOPES, or a
    function of the view's arguments giving scope names (``evaluations.scopes``), a
    version, or None (the whole data version)."""
    if view is None:
        return lambda view: cached_answer(view, params=params, limit=limit, scopes=scopes)
    params = tuple(params)
    scopes_of = PAGE_SCOPES[scopes] if isinstance(scopes, str) else scopes

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = answer_key(request, params, _version(scopes_of, request, args, kwargs))
        request.kept_params = params  # the language switch's links keep only these
        committed = not connection.in_atomic_block
        stored = recent.get(key) if committed else None
        if stored is not None:
            return _answer(stored)
        stored = cache.get(key)
        if stored is not None:
            if committed:
                recent.put(key, stored)
            return _answer(stored)
        if limit is not None and (wait := rate_limited(request, limit)):
            return too_many(wait)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            headers = [(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS]
            stored = (response.status_code, headers, response.content)
            cache.set(key, stored, timeout=24 * 60 * 60)
            if committed:
                recent.put(key, stored)
        return response

    return wrapped
