"""What one cached anonymous answer costs in the worker: the WSGI application called
in-process (as gunicorn calls it, without the network), on the database of bench/var/
(or DATABASE_URL), after one warm-up request per address.

    .venv/bin/python bench/cached_answer.py                 # mean ms (wall, CPU) per request and kind
    .venv/bin/python bench/cached_answer.py --profile 25    # and the 25 costliest functions
    .venv/bin/python bench/cached_answer.py --keys          # only the key's version: global or scoped, ms per read
    .venv/bin/python bench/cached_answer.py --global-keys   # every answer by the whole data version, to compare

It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def environ(path: str) -> dict:
    path, _sep, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": "*/*", "HTTP_USER_AGENT": "wrk",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per kind of address")
    parser.add_argument("--profile", type=int, metavar="N", help="profile all requests; print the N costliest functions")
    parser.add_argument("--var", type=Path, default=HERE / "var")
    parser.add_argument("--no-memory", action="store_true", help="without the worker's memory copy of answers (files only)")
    parser.add_argument("--keys", action="store_true", help="time the version part of the cache keys alone")
    parser.add_argument("--global-keys", action="store_true", help="key every answer by the whole data version (as before scopes), to compare")
    args = parser.parse_args()
    os.environ.setdefault("KOMPASS_VAR_DIR", str(args.var))
    os.environ.setdefault("KOMPASS_CONN_MAX_AGE", "600")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kompass.settings"
    from kompass import var_dir

    var_dir.prepare()  # as every kompass command does before Django starts
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    if args.no_memory:
        from kompass.page_cache import recent

        recent.max_bytes = 0
    if args.global_keys:  # the scoped pages' versions unknown: they fall back to the data version
        from kompass import page_cache

        page_cache.evaluation_version = page_cache.municipality_version = lambda *args, **kwargs: None

    from kompass.evaluations.models import Evaluation

    rows = list(Evaluation.objects.filter(status="published").order_by("pk").values_list("pk", "municipality__country", "municipality__code")[:200])
    if args.keys:
        keys(rows, args.requests * 25)
        return
    kinds = {
        "evaluation page": [f"/utvardering/{pk}/" for pk, _c, _m in rows],
        "municipality page": [f"/kommun/{c}/{m}/" for _p, c, m in rows],
        "benchmark page": ["/jamforelse/2010/", "/jamforelse/2010/?country=SE", "/jamforelse/2010/?from_year=2012"],
        "evaluation API": [f"/api/evaluations/{pk}" for pk, _c, _m in rows],
        "benchmark API": ["/api/benchmark?framework=2010", "/api/benchmark?framework=2010&country=SE"],
    }

    def call(path):
        status = []
        body = b"".join(application(environ(path), lambda s, h, exc=None: status.append(s)))
        if not status[0].startswith(("200", "404")):
            raise SystemExit(f"{path}: {status[0]}")
        return body

    for paths in kinds.values():
        for path in paths:
            call(path)
    profile = cProfile.Profile() if args.profile else None
    print(f"{'address':<20} {'ms/request':>10} {'CPU ms/request':>15}")
    for kind, paths in kinds.items():
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        for i in range(args.requests):
            call(paths[i % len(paths)])
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{kind:<20} {wall * 1000 / args.requests:>10.2f} {cpu * 1000 / args.requests:>15.2f}", flush=True)
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


def keys(rows, count: int) -> None:
    """What reading the version part of a cache key costs per request, outside any
    request (no per-request memo): the whole data version against the scoped versions
    of an evaluation's page, its API answer and a municipality's page (each one query: the
page's place and its scopes' counters)."""
    from kompass.evaluations.summaries import data_version
    from kompass.page_cache import PAGE_SCOPES

    kinds = {
        "data version (global)": lambda pk, c, m: data_version(),
        "evaluation page scopes": lambda pk, c, m: PAGE_SCOPES["evaluation"](None, pk=pk),
        "evaluation API scopes": lambda pk, c, m: PAGE_SCOPES["evaluation-peers"](None, pk=pk),
        "municipality scopes": lambda pk, c, m: PAGE_SCOPES["municipality"](None, country=c, code=m),
    }
    print(f"{'key version':<24} {'ms/read':>8}")
    for kind, read in kinds.items():
        for row in rows:
            read(*row)
        started = time.perf_counter()
        for i in range(count):
            read(*rows[i % len(rows)])
        print(f"{kind:<24} {(time.perf_counter() - started) * 1000 / count:>8.4f}", flush=True)


if __name__ == "__main__":
    main()
