"""Benchmark: an evaluation page drawn with nothing cached (the first view after a
publication raised the data version) and answered again, for many evaluations.

In-process (django.test.Client), SQLite. Each uncached view starts from an empty cache
(the shared file cache and the worker's memory copy both cleared), so it pays for every
derived figure the page needs: the charts, the comparison with other municipalities, the
role models, the history. Then each page is asked for again, from the cache.

    .venv/bin/python bench/evaluation_page.py [--evaluations 1000] [--pages 50] [--seed 1]
    .venv/bin/python bench/evaluation_page.py --var /tmp/copy/var --pages 50   # an existing installation

``--var`` uses an existing var folder (database and cache) instead of generating one:
give it a COPY of a database, since the cache in it is cleared and filled. ``--profile``
prints where the uncached views spent their time (cProfile, cumulative).

It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KOMPASS = Path(sys.executable).with_name("kompass")


def generated(evaluations: int, seed: int) -> Path:
    """A fresh SQLite installation of its own with ``evaluations`` generated ones."""
    var = Path(tempfile.mkdtemp(prefix="kompass-bench-evaluation-"))
    env = {**os.environ, "KOMPASS_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    subprocess.run([KOMPASS, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([KOMPASS, "generate", "--evaluations", str(evaluations), "--seed", str(seed)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return var


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000

    return f"p50 {at(0.5):7.1f} ms   p95 {at(0.95):7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=1000, help="generated for a new installation (without --var)")
    parser.add_argument("--pages", type=int, default=50, help="different published evaluations to view")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--var", type=Path, help="an existing var folder (a copy: its cache is cleared)")
    parser.add_argument("--profile", action="store_true", help="cProfile the uncached views")
    args = parser.parse_args()

    var = args.var.resolve() if args.var else generated(args.evaluations, args.seed)
    os.environ.update(KOMPASS_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="kompass.settings")
    os.environ.pop("DATABASE_URL", None)
    from kompass import var_dir

    var_dir.prepare()
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    if args.var:
        call_command("migrate", verbosity=0)  # a database made by an older version of the code
    from django.test import Client

    from kompass import page_cache
    from kompass.evaluations.models import Evaluation, Status

    client = Client(HTTP_HOST="127.0.0.1")
    published = list(Evaluation.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    paths = [f"/utvardering/{pk}/" for pk in random.Random(args.seed).sample(published, min(args.pages, len(published)))]
    print(f"{len(published)} published evaluations, SQLite in {var}; {len(paths)} pages; load average {os.getloadavg()}")
    client.get("/")  # imports, URL configuration: not the pages' cost

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    def timed(path: str, clear: bool) -> tuple[float, float]:
        """Wall-clock and CPU seconds (this process: SQLite runs in it) of one view."""
        if clear:
            cache.clear()
            page_cache.recent.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        get(path)
        if profiler:
            profiler.disable()
        return time.perf_counter() - wall, time.process_time() - cpu

    # Nothing cached: every derived figure, the shared ones of the version too (the leaders
    # of the role models), is computed for each page: the worst case.
    uncached = [timed(path, clear=True) for path in paths]
    # After a publication: the cache emptied once, then each page viewed for the first
    # time; what pages of one version share is computed by the first that needs it.
    cache.clear()
    page_cache.recent.clear()
    first = [timed(path, clear=False) for path in paths]
    cached = [timed(path, clear=False) for path in paths]
    for name, times in (("nothing cached", uncached), ("first view, cache emptied once", first), ("cached", cached)):
        print(f"evaluation page, {name:<31} wall {percentiles([w for w, _c in times])}")
        print(f"{'':<48} CPU  {percentiles([c for _w, c in times])}")
    print(f"load average after: {os.getloadavg()}")
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
