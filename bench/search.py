"""Benchmark: the good-examples search at national scale, in one process.

Fills a database with N synthetic evaluations (`kompass generate`, seed 1: every Nordic
municipality, all four versions, about 90 passages per published evaluation), then
measures, end to end through ``kompass.search.services``:

- the index rebuilt from scratch (``search_rebuild``), in seconds;
- a fixed set of queries with and without filters (the first call of each is a query
  nobody made before; later calls repeat it), p50/p95/max per query and over all;
- queries nobody made before: two words and an area, drawn from the words the synthetic
  texts use, each asked once, p50/p95/max;
- one evaluation reindexed (a publication) and the index caught up with it.

    .venv/bin/python bench/search.py [--evaluations 30000] [--runs 20] [--new 2000]

SQLite: a file of its own, ``var/bench/search-N.sqlite3``, kept and reused by later runs
(``--fresh`` builds it again). PostgreSQL: set ``DATABASE_URL``; the bench refuses a
database holding a different number of evaluations than asked for.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

QUERIES = [
    ("medborgardialog", {}),
    ("dialog", {}),
    ("korruptionen", {}),
    ("e-tjänster", {}),
    ("synpunktshantering", {}),
    ("kommunen", {}),
    ("resultat uppföljning", {}),
    ("medborgardialog korruption", {}),
    ("blockkedjeteknik", {}),
    ("dialog", {"county": "18"}),
    ("dialog", {"municipality": "0180"}),
    ("korruption", {"from_year": 2010, "to_year": 2015}),
    ("medborgardialog", {"kinds": ["good_example"]}),
    ("kvalitet", {"area": 6, "min_score": "70"}),
    ("internkontroll", {"framework": "2010", "question": "3.2"}),
    ("dialog", {"county": "18", "year": 2015, "kinds": ["strength"]}),
    ("internkontroll", {"country": "NO", "min_score": "60"}),
    ("värdegrund medarbetarsamtal", {"kinds": ["strength", "good_example"], "from_year": 2016}),
]
# Words of the synthetic texts (kompass/generate/vocabulary.yaml) for queries nobody made before.
WORDS = ["dialog", "korruption", "medborgardialog", "e-tjänster", "internkontroll", "brukarundersökningar",
         "budgetuppföljning", "kvalitet", "medarbetarsamtal", "styrning", "uppföljning", "ledarskap", "delegation",
         "resultat", "synpunkter", "medborgare", "chefer", "värdegrund", "brukare", "kompetens", "samverkan",
         "näringsliv", "förbättring", "planering", "information", "tillgänglighet", "medborgarpaneler",
         "servicegaranti", "klimatarbete", "mentorskap", "bisysslor", "kvalitetsledning", "öppettider"]


def setup(n: int, fresh: bool) -> None:
    if not os.environ.get("DATABASE_URL"):
        path = REPO / "var" / "bench" / f"search-{n}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("KOMPASS_VAR_DIR", str(REPO / "var" / "bench" / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompass.settings")
    import django
    from django.core.management import call_command

    from kompass import var_dir

    var_dir.prepare()  # as every kompass command does before Django starts
    django.setup()
    call_command("migrate", verbosity=0)


def fill(n: int) -> None:
    from kompass.evaluations.models import Evaluation
    from kompass.generate.build import generate

    have = Evaluation.objects.count()
    if have == n:
        print(f"Reusing the filled database ({n} evaluations).")
        return
    if have:
        sys.exit(f"bench/search.py: the database holds {have} evaluations, not {n}: use --fresh or another DATABASE_URL")
    started = time.monotonic()
    report = generate(evaluations=n, seed=1, hooks=False)
    from kompass.evaluations.summaries import summaries_refresh

    summaries_refresh(list(Evaluation.objects.values_list("pk", flat=True)))
    print(f"Filled {report.created} evaluations in {time.monotonic() - started:.0f} s.")


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def row(label, times, total=""):
    return f"{label:<60} {total!s:>8} {percentile(times, 50):7.2f} {percentile(times, 95):7.2f} {max(times):7.2f}"


def measure_rebuild() -> None:
    from kompass.search.services import search_rebuild

    load = os.getloadavg()[0]
    report = search_rebuild()
    print(f"\nRebuilt the index: {report.entries} passages of {report.evaluations} published evaluations "
          f"in {report.seconds:.1f} s (load average before {load:.2f})")


def measure(runs: int, new: int) -> None:
    from django.db import connection

    from kompass.search.services import search

    search("dialog")  # opens the index and reads its vocabulary once, as a server's first search does
    print(f"\n{connection.vendor}; times in ms, end to end (search()); load average {os.getloadavg()[0]:.2f}")
    print(f"{'query':<60} {'total':>8} {'p50':>7} {'p95':>7} {'max':>7}")
    everything, first = [], []
    for q, filters in QUERIES:
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            result = search(q, **filters)
            times.append((time.perf_counter() - started) * 1000)
        first.append(times.pop(0))
        everything += times
        print(row(f"{q} {filters or ''}"[:60], times, result.total))
    print(row("all of them, repeated", everything))
    print(row("all of them, each the first time", first))
    rng = random.Random(7)
    pairs = [(a, b, area) for a in WORDS for b in WORDS if a != b for area in range(1, 9)]
    times = []
    for a, b, area in rng.sample(pairs, min(new, len(pairs))):
        started = time.perf_counter()
        search(f"{a} {b}", area=area)
        times.append((time.perf_counter() - started) * 1000)
    print(row(f"{len(times)} queries nobody made before (two words, an area)", times))


def measure_indexing(runs: int) -> None:
    from kompass.evaluations.models import Evaluation
    from kompass.search import sync
    from kompass.search.services import search_index_evaluation

    ids = list(Evaluation.objects.filter(status="published").order_by("-pk").values_list("pk", flat=True)[:runs])
    times = []
    for pk in ids:
        started = time.perf_counter()
        search_index_evaluation(pk)
        sync.catch_up(sync.reader())
        times.append((time.perf_counter() - started) * 1000)
    print(row(f"one evaluation reindexed and caught up ({len(times)} times)", times))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--new", type=int, default=2000, help="queries nobody made before")
    parser.add_argument("--fresh", action="store_true", help="build the SQLite database again")
    parser.add_argument("--no-rebuild", action="store_true", help="search the index as it is")
    args = parser.parse_args()
    setup(args.evaluations, args.fresh)
    fill(args.evaluations)
    if not args.no_rebuild:
        measure_rebuild()
    measure(args.runs, args.new)
    measure_indexing(min(args.runs, 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
