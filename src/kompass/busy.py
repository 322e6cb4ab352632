"""When the database is busy: a write that cannot get the lock in time (SQLite's
``timeout``, while a long import holds the write lock) answers 503 with Retry-After and
keeps what the user typed, instead of a 500 that loses it.

In the workspace a field saves in place (htmx): the answer then changes nothing on the
page — the typed text stays in its field — and says in the page's message area that
nothing was saved. A plain form post gets a page that shows every text the user typed,
to copy, with the way back."""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.shortcuts import render

RETRY_AFTER_SECONDS = 10
# SQLite's busy and locked errors; PostgreSQL's lock timeout and deadlock.
BUSY = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock", "deadlock detected")
HIDDEN_FIELDS = {"csrfmiddlewaretoken", "base"}

log = logging.getLogger(__name__)


def is_busy(exception: BaseException) -> bool:
    return isinstance(exception, OperationalError) and any(marker in str(exception).lower() for marker in BUSY)


class DatabaseBusy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        log.warning("database busy at %s %s: %s", request.method, request.path, exception)
        if request.headers.get("HX-Request"):
            response = render(request, "web/busy_htmx.html", {"retry": RETRY_AFTER_SECONDS}, status=503)
            response["HX-Reswap"] = "none"  # the field keeps the typed text; only the message is swapped in
        else:
            typed = [(name, value) for name, value in request.POST.items() if name not in HIDDEN_FIELDS and value.strip()]
            back = request.META.get("HTTP_REFERER") or request.path
            response = render(request, "web/busy.html", {"retry": RETRY_AFTER_SECONDS, "typed": typed, "back": back}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
