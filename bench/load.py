"""Load benchmark of the public portal and the open data API at national scale.

Fills a database with synthetic evaluations (`kompass generate`), starts the site the
way production runs it (`kompass serve`: gunicorn with several workers), warms it up,
and measures each kind of address with wrk (Debian's `wrk`) at 32 concurrent
connections: p50 and p95 latency and throughput.

    .venv/bin/python bench/load.py                      # SQLite in bench/var/
    DATABASE_URL=postgres://… .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --evaluations 30000 --duration 20 --workers 5

It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
KOMPASS = Path(sys.executable).with_name("kompass")
SEARCHES = ["dialog", "korruption", "medborgardialog", "e-tjänster", "internkontroll", "brukarundersökningar",
            "budgetuppföljning", "kvalitet", "medarbetarsamtal", "jämförelser"]
# Searches nobody made before: pairs of words with an area, each path its own, so that
# every request is searched (answers are cached per address, like the pages).
MORE_WORDS = SEARCHES + ["styrning", "uppföljning", "ledarskap", "delegation", "resultat", "synpunkter", "hemsida",
                         "medborgare", "chefer", "värdegrund", "brukare", "kompetens", "samverkan", "näringsliv",
                         "förbättring", "planering", "revision", "information", "tillgänglighet", "effektivitet"]
# Kinds measured without warm-up: their answers must not be in any cache.
COLD = {"search, each query new", "search API, each query new"}


def new_searches(rng: random.Random, prefix: str, count: int = 6000) -> list[str]:
    pairs = [(a, b, area) for a in MORE_WORDS for b in MORE_WORDS if a != b for area in range(1, 9)]
    return [f"{prefix}q={urllib.request.quote(f'{a} {b}')}&area={area}" for a, b, area in rng.sample(pairs, count)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args, env, **kwargs):
    return subprocess.run([str(KOMPASS), *map(str, args)], env=env, check=True, **kwargs)


def _django(env, code: str) -> str:
    """What the code prints, as the last line of `kompass manage shell` (which may chat before)."""
    out = _run(["manage", "shell", "--no-imports", "-c", code], env, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else ""


def prepare(env, evaluations: int) -> None:
    _run(["init"], env, stdout=subprocess.DEVNULL)
    have = int(_django(env, "from kompass.evaluations.models import Evaluation; print(Evaluation.objects.count())") or 0)
    if have < evaluations:
        print(f"generating {evaluations - have} evaluations …", flush=True)
        _run(["generate", "--evaluations", evaluations - have, "--seed", 1], env)


def published(env) -> list[tuple[int, str, str]]:
    """Every published evaluation: id, country, municipality code."""
    return [tuple(row) for row in json.loads(_django(env, (
        "import json; from kompass.evaluations.models import Evaluation; "
        "rows = list(Evaluation.objects.filter(status='published').order_by('pk').values_list('pk', 'municipality__country', 'municipality__code')); "
        "print(json.dumps(rows))"
    )))]


def addresses(env, rng: random.Random) -> dict[str, list[str]]:
    """Realistic request paths per kind, drawn from the published data."""
    data = published(env)
    sample = rng.sample(data, min(400, len(data)))
    return {
        "evaluation page": [f"/utvardering/{pk}/" for pk, _c, _m in sample],
        "municipality page": [f"/kommun/{country}/{code}/" for _p, country, code in sample],
        "benchmark page": [f"/jamforelse/2010/{q}" for q in ("", "?country=SE", "?country=NO", "?country=DK", "?from_year=2012", "?country=SE&from_year=2014")],
        "search": [f"/sok/?q={urllib.request.quote(q)}" for q in SEARCHES],
        "search API": [f"/api/search?q={urllib.request.quote(q)}" for q in SEARCHES],
        "search, each query new": new_searches(rng, "/sok/?"),
        "search API, each query new": new_searches(rng, "/api/search?"),
        "evaluation API": [f"/api/evaluations/{pk}" for pk, _c, _m in sample],
        "benchmark API": ["/api/benchmark?framework=2010", "/api/benchmark?framework=2010&country=SE", "/api/benchmark?framework=2016"],
    }


def serve(env, port: int, workers: int, threads: int = 1) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(KOMPASS), "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


def warm(base: str, paths: list[str]) -> None:
    """One request per address, so that every worker's caches are not what is measured."""
    for path in paths:
        try:
            urllib.request.urlopen(base + path, timeout=120).read()
        except OSError as exc:
            print(f"  warm-up {path}: {exc}", file=sys.stderr)


def settle(base: str, path: str, seconds: float = 30) -> None:
    """Waits until the server has answered what the last wrk run left queued (slow
    searches), so that it is not counted against the next kind of address."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(base + path, timeout=30).read()
        except OSError:
            pass
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def measure(base: str, paths: list[str], connections: int, seconds: int, threads: int, script: str = "wrk-report.lua") -> dict:
    """wrk with a script of bench/ over these paths: wrk-report.lua cycles through them,
    wrk-once.lua requests each once."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths))
    env = dict(os.environ, WRK_PATHS=handle.name, WRK_THREADS=str(threads), WRK_CONNECTIONS=str(connections))
    try:
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(HERE / script), base],
            env=env, capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(done.stdout.strip().splitlines()[-1])


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install -y wrk")


def kompass_env(var: Path) -> dict[str, str]:
    """The environment of every kompass command the bench runs: its own var folder, and
    DATABASE_URL as given (PostgreSQL), else SQLite in that folder."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KOMPASS_VAR_DIR"] = str(var)
    env.setdefault("KOMPASS_CONN_MAX_AGE", "600")  # production keeps connections open
    # Every request comes from 127.0.0.1, standing for many visitors: the per-address rate
    # limits (still counted, as in production) must not answer 429 instead of the page.
    for group in ("SEARCH", "API", "REPORTS"):
        env.setdefault(f"KOMPASS_RATE_LIMIT_{group}", "1000000000/60")
    var.mkdir(parents=True, exist_ok=True)
    return env


def database_name(env) -> str:
    return "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=30_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per kind of address")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per gunicorn worker (kompass serve --threads)")
    parser.add_argument("--only", action="append", metavar="KIND", help="measure only this kind of address (repeatable)")
    parser.add_argument("--var", type=Path, default=HERE / "var", help="where the SQLite database lives")
    args = parser.parse_args()
    require_wrk()
    env = kompass_env(args.var)
    database = database_name(env)
    prepare(env, args.evaluations)
    rng = random.Random(1)
    kinds = addresses(env, rng)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    if args.only:
        kinds = {kind: paths for kind, paths in kinds.items() if kind in args.only}
    server = serve(env, port, args.workers, args.worker_threads)
    try:
        for kind, paths in kinds.items():
            if kind not in COLD:
                warm(base, paths)
        threads = f" × {args.worker_threads} threads" if args.worker_threads > 1 else ""
        print(f"\n{database}, {args.evaluations} evaluations, gunicorn with {args.workers} workers{threads}, wrk {args.connections} connections, {args.duration} s each, {os.cpu_count()} CPUs\n")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (uptime)\n")
        print("| address | p50 ms | p95 ms | requests/s | errors | load (1 min) |")
        print("|---|---:|---:|---:|---:|---:|")
        for kind, paths in kinds.items():
            settle(base, kinds[next(iter(kinds))][0])
            result = measure(base, paths, args.connections, args.duration, args.threads)
            print(f"| {kind} | {result['p50']:.1f} | {result['p95']:.1f} | {result['rps']:.0f} | {result['errors']} | {os.getloadavg()[0]:.2f} |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
