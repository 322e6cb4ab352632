"""Whole answers of public pages and API calls, cached until the published data changes.

A page every anonymous visitor sees alike is rendered once per data version and address;
logged-in users (whose header differs) and anything but GET always get a fresh render.
The search is not cached: every query is searched."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from kompass.evaluations.summaries import data_version


def cached_answer(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"answer:{data_version()}:{address}"
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            headers = [(k, v) for k, v in response.items() if k.lower() in ("content-type", "content-disposition", "access-control-allow-origin")]
            cache.set(key, (response.status_code, headers, response.content), timeout=24 * 60 * 60)
        return response

    return wrapped
