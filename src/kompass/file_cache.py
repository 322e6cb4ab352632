"""The shared cache in files (every gunicorn worker finds what another computed), with
Django's FileBasedCache underneath. Django culls before every write: it lists every file
of the cache to count them, which with thousands of cached answers costs a write 10–50 ms
(and a rate-limited render writes three times). Here a process culls on its first write
and then on one write in ``CULL_EVERY``: the cache may pass ``MAX_ENTRIES`` by that many
writes per process before it is trimmed, and a write costs what writing one file costs."""

from __future__ import annotations

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 256


class FileCache(FileBasedCache):
    def __init__(self, dir, params):  # noqa: A002 (Django's parameter name)
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1  # races between threads only shift when the next cull comes
        if self._writes % CULL_EVERY == 1:
            super()._cull()
