"""Benchmark: `kompass import-results` on a large result table, and what it costs the web.

Writes a CSV of N rows (each a published evaluation of a Swedish, Norwegian or Danish
municipality: eight area scores, whole numbers, no total), optionally each row D times
(the duplicates are refused, so use --dry-run-free figures only without them), and runs
the real command on a fresh SQLite installation of its own. Meanwhile another process
writes to the same database every 50 ms, the way a text save in the workspace does
(BEGIN IMMEDIATE, one row, COMMIT), and the longest time such a write waited for the
lock is printed: while the import holds the write lock, that is what a user waits.

    .venv/bin/python bench/import_results.py [--rows 10000] [--duplicates 1]

It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KOMPASS = Path(sys.executable).with_name("kompass")
HEADER = "country,municipality_code,municipality_name,year,framework,total," + ",".join(f"area_{n}" for n in range(1, 9)) + ",source"


def table(database: Path, rows: int, duplicates: int) -> str:
    with sqlite3.connect(database) as connection:
        municipalities = connection.execute("SELECT country, code FROM municipalities_municipality ORDER BY country, code").fetchall()
    slots = [(country, code, year, framework) for framework, years in (("2010", range(2010, 2016)), ("2016", range(2016, 2020)), ("2020", range(2020, 2026)))
             for year in years for country, code in municipalities]
    if rows > len(slots):
        raise SystemExit(f"at most {len(slots)} distinct rows")
    rng = random.Random(7)
    lines = [HEADER]
    for country, code, year, framework in rng.sample(slots, rows):
        areas = ",".join(str(rng.randint(30, 95)) for _ in range(8))
        lines += [f"{country},{code},,{year},{framework},,{areas},bench"] * duplicates
    return "\n".join(lines) + "\n"


def longest_wait(database: Path, stop: threading.Event, waits: list[float]) -> None:
    connection = sqlite3.connect(database, timeout=600, isolation_level=None)
    connection.execute("CREATE TABLE IF NOT EXISTS bench_writes (at REAL)")
    while not stop.is_set():
        began = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO bench_writes VALUES (?)", (began,))
        connection.execute("COMMIT")
        waits.append(time.perf_counter() - began)
        time.sleep(0.05)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--duplicates", type=int, default=1, help="each row this many times (all refused as duplicates)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kompass-bench-import-") as tmp:
        env = {**os.environ, "KOMPASS_VAR_DIR": f"{tmp}/var"}
        env.pop("DATABASE_URL", None)
        subprocess.run([KOMPASS, "init"], env=env, check=True, capture_output=True)
        database = Path(tmp) / "var" / "kompass.sqlite3"
        path = Path(tmp) / "results.csv"
        path.write_text(table(database, args.rows, args.duplicates), encoding="utf-8")
        stop, waits = threading.Event(), []
        writer = threading.Thread(target=longest_wait, args=(database, stop, waits))
        writer.start()
        began = time.perf_counter()
        done = subprocess.run([KOMPASS, "import-results", str(path)], env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - began
        stop.set()
        writer.join()
        head = (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""
        print(f"rows {args.rows} x {args.duplicates}: {elapsed:.1f} s, exit {done.returncode}: {head[:120]}")
        print(f"concurrent writes: {len(waits)}, longest wait {max(waits) * 1000:.0f} ms, p50 {sorted(waits)[len(waits) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
