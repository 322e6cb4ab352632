"""Whole answers of public pages and API calls, cached until the published data changes.

A page every anonymous visitor sees alike is rendered once per data version and address;
logged-in users (whose header differs) and anything but GET always get a fresh render.
A search is an address like any other: the same query answers from the cache until the
published data changes.

The answers live in the shared cache (files, so that every worker process finds what one
of them rendered) and, the most recently used of them, in the worker's memory too, which
spares reading and unpacking the file. The memory copy is used only for a data version
read outside a transaction, i.e. a committed one: a version a rolled-back transaction
has seen may come again with other data (as it does between tests)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import wraps

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from kompass.evaluations.summaries import data_version

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


def cached_answer(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"answer:{data_version()}:{address}"
        committed = not connection.in_atomic_block
        stored = recent.get(key) if committed else None
        if stored is not None:
            return _answer(stored)
        stored = cache.get(key)
        if stored is not None:
            if committed:
                recent.put(key, stored)
            return _answer(stored)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            headers = [(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS]
            stored = (response.status_code, headers, response.content)
            cache.set(key, stored, timeout=24 * 60 * 60)
            if committed:
                recent.put(key, stored)
        return response

    return wrapped
