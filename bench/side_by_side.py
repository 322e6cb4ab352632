"""Side by side, in one run, on one database: this platform, Datasette serving the same
open data, and the search engines alone.

1. This platform, `kompass serve` (gunicorn, --workers), measured with wrk (32
   connections, --duration s each): the evaluation page first viewed after a publication
   (the caches emptied, the data version raised, the server started afresh; every
   request a published evaluation never requested before, through bench/wrk-once.lua),
   the evaluation page cached, the search page and the search API with every query new
   (each address once, wrk-once.lua) and the same searches repeated (answered from the
   cache); first, the time to rebuild the platform's search index (`search_rebuild`).
2. Datasette (the `bench` extra) serving the platform's own open data SQLite file
   (`kommunkompassen.sqlite`, written in-process by the open data module's writer) with
   `utvarderingar.id` as the primary key and a table `passager` (the rows of `texter`
   and `iakttagelser`, the passages the platform searches) with an FTS5 index: an
   evaluation's row page, every id new, and `?_search=` with every query new and repeated.
3. The engines alone, in-process, for the same queries: Tantivy (a plain index over
   `passager` with a Swedish stemmer; its build timed), SQLite FTS5 top 20 by bm25 on the
   Datasette copy, and the platform's own `kompass.search.services.search`.

Queries: two words and an area, like bench/load.py's `new_searches`, from its words and
the topic words of `kompass generate`'s vocabulary (load.py's 30 words give 6,960
addresses, fewer than a fast search answers in one run); every kind that asks new
queries gets a disjoint share, and each address is requested once.

    .venv/bin/pip install -e '.[bench]'                    # Datasette, sqlite-utils
    .venv/bin/python bench/side_by_side.py                  # SQLite in bench/var, 30,000 evaluations
    DATABASE_URL=postgres://… .venv/bin/python bench/side_by_side.py --var /tmp/pg-var
    .venv/bin/python bench/side_by_side.py --evaluations 500 --duration 3 --var /tmp/x/var --only platform

A filled database in --var (or DATABASE_URL) is reused: only missing evaluations are
generated. It is a benchmark, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import importlib.util
import itertools
import json
import os
import random
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import load  # bench/load.py: generating, serving, wrk

HERE = load.HERE
INSTALL_HINT = "install it with: .venv/bin/pip install -e '.[bench]'"

# What can be measured; --only takes these names, or a group's.
PLATFORM = ["index", "page-new", "page-cached", "search-new", "search-api-new", "search-repeated", "search-api-repeated"]
DATASETTE = ["datasette-row", "datasette-search-new", "datasette-search-repeated"]
ENGINES = ["search-inprocess", "fts5", "tantivy"]
GROUPS = {"platform": PLATFORM, "datasette": DATASETTE, "engines": ENGINES}
TITLES = {
    "index": "platform: search index rebuilt (search_rebuild)",
    "page-new": "platform: evaluation page, first view after a publication",
    "page-cached": "platform: evaluation page, cached",
    "search-new": "platform: search page, every query new",
    "search-api-new": "platform: search API, every query new",
    "search-repeated": "platform: search page, the same queries again",
    "search-api-repeated": "platform: search API, the same queries again",
    "datasette-row": "Datasette: evaluation row page, every id new",
    "datasette-search-new": "Datasette: _search, every query new",
    "datasette-search-repeated": "Datasette: _search, the same queries again",
    "search-inprocess": "platform: search() in-process",
    "fts5": "SQLite FTS5: top 20 by bm25 in-process",
    "tantivy": "Tantivy: top 20 by BM25 in-process",
}
REPEATED = 400  # addresses cycled through by the "same queries again" kinds
CACHED_PAGES = 400  # evaluation pages cycled through (warmed first) by page-cached


# --- queries ------------------------------------------------------------------------------


def query_words() -> list[str]:
    """bench/load.py's words and the topic words (7 letters or more) of `kompass generate`'s
    vocabulary: words the generated texts use, so that queries find something."""
    import yaml

    package = Path(importlib.util.find_spec("kompass").submodule_search_locations[0])
    vocabulary = yaml.safe_load((package / "generate" / "vocabulary.yaml").read_text(encoding="utf-8"))
    words = set(load.MORE_WORDS)
    for theme in vocabulary.get("themes", {}).values():
        for topic in theme.get("topics", []):
            words.update(w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", topic.lower()) if len(w) >= 7)
    return sorted(words)


def query_pool(rng: random.Random) -> list[tuple[str, int]]:
    """Every pair of two different words with an area 1–8, in a random order."""
    pool = [(f"{a} {b}", area) for a, b in itertools.combinations(query_words(), 2) for area in range(1, 9)]
    rng.shuffle(pool)
    return pool


def search_path(prefix: str, q: str, area: int) -> str:
    return f"{prefix}q={urllib.parse.quote(q)}&area={area}"


def datasette_search_path(q: str, area: int) -> str:
    return f"/kommunkompassen/passager?_search={urllib.parse.quote(q)}&area={area}"


# --- measuring helpers --------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def loads() -> float:
    return round(os.getloadavg()[0], 2)


def timings(times_ms: list[float], **extra) -> dict:
    return {"p50": percentile(times_ms, 50), "p95": percentile(times_ms, 95), "max": max(times_ms), "count": len(times_ms), **extra}


def kompass_python(env, code: str) -> dict:
    """Runs code in `kompass manage shell` (Django set up on the bench's database); the
    code prints one JSON document as its last line."""
    return json.loads(load._django(env, code))


def concurrent_get(base: str, paths: list[str], clients: int) -> None:
    """Requests paths with several clients at once, so that every worker answers some."""
    def get(path):
        try:
            urllib.request.urlopen(base + path, timeout=120).read()
        except OSError as exc:
            print(f"  warm-up {path}: {exc}", file=sys.stderr)

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(get, paths))


class Run:
    """The results of one run, kind by kind, with the load average around each."""

    def __init__(self, args):
        self.args = args
        self.results: dict[str, dict] = {}
        self.notes: list[str] = []

    def wrk(self, kind: str, base: str, paths: list[str], once: bool) -> dict:
        before = loads()
        result = load.measure(base, paths, self.args.connections, self.args.duration, self.args.threads,
                              script="wrk-once.lua" if once else "wrk-report.lua")
        result.update(load_before=before, load_after=loads(), client="wrk-once.lua" if once else "wrk-report.lua")
        if not once:
            result["paths"] = len(paths)
        return self.record(kind, result)

    def guard(self, what: str, call, *args) -> None:
        """One part of the run; if it fails, the rest is still measured and the failure reported."""
        try:
            call(*args)
        except (Exception, SystemExit) as exc:
            detail = exc.stderr.strip().splitlines()[-1] if getattr(exc, "stderr", None) else str(exc)
            self.notes.append(f"FAILED: {what}: {type(exc).__name__}: {detail}")
            print(f"  {what} FAILED: {detail}", file=sys.stderr, flush=True)

    def record(self, kind: str, result: dict) -> dict:
        self.results[kind] = result
        print(f"  {TITLES[kind]}: {describe(result)}  (load {result.get('load_before')} → {result.get('load_after')})", flush=True)
        return result


def describe(result: dict | None) -> str:
    if not result:
        return "—"
    if "seconds_build" in result and "p50" not in result:
        return f"{result['seconds_build']:.1f} s"
    if "rps" in result:
        text = f"p50 {result['p50']:.1f} / p95 {result['p95']:.1f} ms, {result['rps']:.0f} req/s"
        if result.get("errors"):
            text += f", {result['errors']} errors ({result.get('non2xx', 0)} non-2xx)"
        if result.get("exhausted"):
            text += f", all {result['paths']} addresses used"
        return text
    text = f"p50 {result['p50']:.2f} / p95 {result['p95']:.2f} ms"
    if "seconds_build" in result:
        text += f"; index built in {result['seconds_build']:.1f} s"
    return text


# --- this platform ------------------------------------------------------------------------


def platform_index(env, run: Run) -> None:
    before = loads()
    result = kompass_python(env, (
        "import json, time\n"
        "from kompass.search.services import search_rebuild\n"
        "started = time.monotonic()\n"
        "report = search_rebuild()\n"
        "print(json.dumps({'seconds_build': time.monotonic() - started, "
        "'entries': getattr(report, 'entries', None), 'evaluations': getattr(report, 'evaluations', None)}))\n"
    ))
    run.record("index", {**result, "load_before": before, "load_after": loads()})


def platform_index_empty(env) -> bool:
    return kompass_python(env, (
        "import json\nfrom kompass.search.services import search\n"
        "print(json.dumps({'total': search('kommunen').total}))\n"
    ))["total"] == 0


def publication(env) -> None:
    """What a publication leaves behind, at its worst: every cache emptied and a new data
    version, so no page or figure is in any cache (the server is started afresh after)."""
    kompass_python(env, (
        "import json\nfrom django.conf import settings\nfrom django.core.cache import caches\n"
        "for alias in settings.CACHES: caches[alias].clear()\n"
        "from kompass.evaluations import summaries\n"
        "raised = getattr(summaries, 'data_version_raise', None)\n"
        "raised and raised()\n"
        "print(json.dumps({'raised': raised is not None}))\n"
    ))


def unused_pages(var: Path, pages: list[str]) -> list[str]:
    """The pages no earlier run in this var folder asked for (figures cached by their data
    elsewhere than Django's caches would otherwise make a second run's first views warm)."""
    used_file = var / "side_by_side" / "pages-requested.txt"
    used = set(used_file.read_text().split()) if used_file.exists() else set()
    return [p for p in pages if p not in used]


def remember_pages(var: Path, pages: list[str]) -> None:
    used_file = var / "side_by_side" / "pages-requested.txt"
    used_file.parent.mkdir(parents=True, exist_ok=True)
    with used_file.open("a") as handle:
        handle.write("".join(p + "\n" for p in pages))


def platform(env, run: Run, kinds: list[str], evaluations: list[int], queries: dict) -> None:
    args = run.args
    if "index" in kinds:
        platform_index(env, run)
    elif any(k.startswith("search") for k in kinds if k in PLATFORM) and platform_index_empty(env):
        run.notes.append("The platform's search index was empty: rebuilt before measuring (untimed).")
        print("  the platform's search index is empty: rebuilding it (untimed) …", flush=True)
        kompass_python(env, "from kompass.search.services import search_rebuild\nsearch_rebuild()\nprint('{}')")
    served = [k for k in kinds if k in PLATFORM and k != "index"]
    if not served:
        return

    split = min(CACHED_PAGES, len(evaluations) // 4)  # a small database keeps most for the first views
    cached = [f"/utvardering/{pk}/" for pk in evaluations[:split]]
    rest = [f"/utvardering/{pk}/" for pk in evaluations[split:]]
    warm_pages, first_views = rest[: 8 * args.workers], unused_pages(args.var, rest[8 * args.workers :])
    if "page-new" in served:
        publication(env)
    port = load._free_port()
    base = f"http://127.0.0.1:{port}"
    server = load.serve(env, port, args.workers, args.worker_threads)
    try:
        # Workers that have drawn a page (code loaded, connections open) but none of the measured ones.
        concurrent_get(base, ["/", *warm_pages], 2 * args.workers)
        if "page-new" in served:
            if not first_views:
                run.notes.append("No evaluation page left that an earlier run did not ask for: remove <var>/side_by_side/pages-requested.txt or add evaluations.")
            else:
                result = run.wrk("page-new", base, first_views, once=True)
                remember_pages(args.var, first_views[: result["reach"]])
        if "page-cached" in served:
            load.settle(base, "/")
            concurrent_get(base, cached, 2 * args.workers)  # each drawn once, so cached
            run.wrk("page-cached", base, cached, once=False)
        for new, repeated, prefix in (("search-new", "search-repeated", "/sok/?"), ("search-api-new", "search-api-repeated", "/api/search?")):
            paths = [search_path(prefix, q, area) for q, area in queries[new]]
            asked = 0
            if new in served:
                load.settle(base, "/")
                asked = run.wrk(new, base, paths, once=True)["requests"]
            if repeated in served:
                # Addresses asked in the run before (wrk-once hands out the list in order);
                # warmed all the same, so that each is answered from the cache.
                again = paths[: max(10, min(REPEATED, asked // 2 or REPEATED))]
                load.settle(base, "/")
                concurrent_get(base, again, 2 * args.workers)
                run.wrk(repeated, base, again, once=False)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the open data copy, FTS5 and Datasette -----------------------------------------------


COPY_CODE = """
import datetime, json, time
from pathlib import Path
from django.conf import settings
from django.utils import translation
from kompass.evaluations.summaries import data_version
from kompass.opendata import files, tables
started = time.monotonic()
path = Path({path!r})
# The writer of the download kommunkompassen.sqlite (files.built() would also write the
# CSV, JSON and ZIP files, gigabytes at national scale), in the site's language as there.
with translation.override(settings.LANGUAGE_CODE):
    read = tables.tables_read()
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    files._write_sqlite(path, read, files._meta(data_version(), now))
print(json.dumps({{"seconds": time.monotonic() - started}}))
"""


def open_data_copy(env, var: Path, published: list[int]) -> tuple[Path, dict]:
    """The open data SQLite file of the published evaluations, prepared for Datasette: kept
    in the var folder for as long as the published evaluations are the same."""
    key = f"{len(published)}-{max(published, default=0)}"
    folder = var / "side_by_side" / f"opendata-{key}"
    path = folder / "kommunkompassen.sqlite"  # Datasette names the database after the file
    facts_file = folder / "facts.json"
    if facts_file.exists():
        return path, json.loads(facts_file.read_text())
    require("sqlite_utils", "sqlite-utils")
    import sqlite_utils

    for old in (var / "side_by_side").glob("opendata-*"):
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    print("  writing the open data SQLite file …", flush=True)
    written = kompass_python(env, COPY_CODE.format(path=str(path)))
    started = time.monotonic()
    db = sqlite_utils.Database(path)
    db["utvarderingar"].transform(pk="id")  # the row page at /kommunkompassen/utvarderingar/<id>
    db.execute("CREATE TABLE passager (evaluation_id INTEGER, area INTEGER, question TEXT, kind TEXT, position INTEGER, text TEXT)")
    db.execute("INSERT INTO passager SELECT evaluation_id, area, question, kind, NULL, text FROM texter")
    db.execute("INSERT INTO passager SELECT evaluation_id, area, question, kind, position, text FROM iakttagelser")
    db.conn.commit()
    prepared = time.monotonic()
    # å, ä and ö are letters of their own in Swedish: not folded into a and o
    db["passager"].enable_fts(["text"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 0")
    db.conn.commit()
    facts = {
        "seconds_written": written["seconds"], "seconds_prepared": prepared - started,
        "seconds_fts5": time.monotonic() - prepared, "passages": db["passager"].count,
        "evaluations": db["utvarderingar"].count, "bytes": path.stat().st_size,
    }
    db.close()
    facts_file.write_text(json.dumps(facts))
    return path, facts


def require(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise SystemExit(f"{package} is missing: {INSTALL_HINT}")


def datasette_serve(path: Path, port: int, threads: int, settings: list[str]) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("datasette")), "serve", "-i", str(path), "--host", "127.0.0.1", "--port", str(port),
               "--setting", "num_sql_threads", str(threads)]
    for setting in settings:
        name, _eq, value = setting.partition("=")
        command += ["--setting", name, value]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=5):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"datasette did not start: {shlex.join(command)}")
            time.sleep(0.3)
    server.kill()
    raise SystemExit("datasette did not start")


def datasette(run: Run, kinds: list[str], copy: Path, evaluations: list[int], queries: dict) -> None:
    args = run.args
    port = load._free_port()
    base = f"http://127.0.0.1:{port}"
    server = datasette_serve(copy, port, args.datasette_threads, args.datasette_setting)
    try:
        concurrent_get(base, ["/kommunkompassen", *(f"/kommunkompassen/utvarderingar/{pk}" for pk in evaluations[:8])], 4)
        if "datasette-row" in kinds:
            run.wrk("datasette-row", base, [f"/kommunkompassen/utvarderingar/{pk}" for pk in evaluations[8:]], once=True)
        paths = [datasette_search_path(q, area) for q, area in queries["datasette-search-new"]]
        asked = 0
        if "datasette-search-new" in kinds:
            load.settle(base, "/-/versions.json")
            asked = run.wrk("datasette-search-new", base, paths, once=True)["requests"]
        if "datasette-search-repeated" in kinds:
            load.settle(base, "/-/versions.json")
            run.wrk("datasette-search-repeated", base, paths[: max(10, min(REPEATED, asked // 2 or REPEATED))], once=False)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the engines alone, in-process --------------------------------------------------------


def fts5_query(q: str) -> str:
    """Every word, quoted (as Datasette escapes a search): all must match."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in q.split())


def engine_fts5(run: Run, copy: Path, queries: list[tuple[str, int]], warm: list[tuple[str, int]], facts: dict) -> None:
    connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    sql = (
        "SELECT p.rowid, p.evaluation_id FROM passager_fts JOIN passager p ON p.rowid = passager_fts.rowid "
        "WHERE passager_fts MATCH ? AND p.area = ? ORDER BY passager_fts.rank LIMIT 20"
    )
    before = loads()
    for q, area in warm:
        connection.execute(sql, (fts5_query(q), area)).fetchall()
    times, hits = [], []
    for q, area in queries:
        started = time.perf_counter()
        rows = connection.execute(sql, (fts5_query(q), area)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
        hits.append(len(rows))
    connection.close()
    run.record("fts5", timings(times, seconds_build=facts["seconds_fts5"], with_20_hits=sum(h == 20 for h in hits),
                               without_hits=hits.count(0), load_before=before, load_after=loads()))


def engine_tantivy(run: Run, copy: Path, var: Path, queries: list[tuple[str, int]], warm: list[tuple[str, int]]) -> None:
    """A plain index, independent of the platform's code: the passages' text with a Swedish
    stemmer, the area as a number; top 20 by BM25 with their row ids."""
    require("tantivy", "tantivy")
    import tantivy

    before = loads()
    folder = var / "side_by_side" / "tantivy"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    started = time.monotonic()
    rows = source.execute("SELECT rowid, area, text FROM passager").fetchall()
    source.close()
    read = time.monotonic()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="swedish")
    builder.add_integer_field("area", indexed=True, fast=True)
    builder.add_integer_field("passage", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("swedish")).build()
    index.register_tokenizer("swedish", analyzer)
    writer = index.writer()  # 128 MB heap, threads as tantivy chooses (one per core)
    for rowid, area, text in rows:
        writer.add_document(tantivy.Document(text=text or "", area=area or 0, passage=rowid))
    writer.commit()
    writer.wait_merging_threads()
    built = time.monotonic()
    del rows
    index.reload()
    searcher = index.searcher()

    def top20(q: str, area: int) -> list[int]:
        query = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, index.parse_query(q, ["text"], conjunction_by_default=True)),
            (tantivy.Occur.Must, tantivy.Query.term_query(schema, "area", area)),
        ])
        return [searcher.doc(address)["passage"][0] for _score, address in searcher.search(query, 20).hits]

    for q, area in warm:
        top20(q, area)
    times, hits = [], []
    for q, area in queries:
        began = time.perf_counter()
        found = top20(q, area)
        times.append((time.perf_counter() - began) * 1000)
        hits.append(len(found))
    run.record("tantivy", timings(times, seconds_build=built - read, seconds_read=read - started, documents=searcher.num_docs,
                                  with_20_hits=sum(h == 20 for h in hits), without_hits=hits.count(0),
                                  load_before=before, load_after=loads()))
    shutil.rmtree(folder, ignore_errors=True)


INPROCESS_CODE = """
import json, time
from kompass.search.services import search
queries = json.load(open({path!r}))
for q, area in queries["warm"]:
    search(q, area=area)
times, hits = [], []
for q, area in queries["measured"]:
    started = time.perf_counter()
    result = search(q, area=area)
    times.append((time.perf_counter() - started) * 1000)
    hits.append(len(result.hits))
print(json.dumps({{"times": times, "hits": hits}}))
"""


def engine_platform(env, run: Run, queries: list[tuple[str, int]], warm: list[tuple[str, int]]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"warm": warm, "measured": queries}, handle)
    before = loads()
    try:
        out = kompass_python(env, INPROCESS_CODE.format(path=handle.name))
    finally:
        os.unlink(handle.name)
    hits = out["hits"]
    run.record("search-inprocess", timings(out["times"], with_20_hits=sum(h == 20 for h in hits), without_hits=hits.count(0),
                                           load_before=before, load_after=loads()))


# --- the report ---------------------------------------------------------------------------


def command_line() -> str:
    prefix = ""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parts = urllib.parse.urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        prefix = f"DATABASE_URL={parts.scheme}://…@{netloc}{parts.path} "
    python = os.path.relpath(sys.executable) if not os.path.relpath(sys.executable).startswith("../..") else sys.executable
    return prefix + shlex.join([python, *sys.argv])


def report(run: Run, meta: dict) -> None:
    r = run.results.get
    args = run.args
    print(f"\n{meta['database']}, {meta['evaluations']} evaluations ({meta['published']} published, {meta['passages'] or '?'} passages "
          f"in the open data copy), {os.cpu_count()} CPUs, {meta['date']}")
    print(f"command: {meta['command']}")
    print(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration} s a kind; kompass serve: {args.workers} workers"
          f"{f' × {args.worker_threads} threads' if args.worker_threads > 1 else ''}; Datasette {meta.get('datasette_version', '?')}: one process, "
          f"num_sql_threads {args.datasette_threads}{''.join(' ' + s for s in args.datasette_setting)}")
    print(f"load average before the run: {meta['load_start']}, after: {meta['load_end']}\n")

    print("| kind | p50 ms | p95 ms | requests/s | requests | addresses | errors | load before → after |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for kind, result in run.results.items():
        if "rps" in result:
            print(f"| {TITLES[kind]} | {result['p50']:.1f} | {result['p95']:.1f} | {result['rps']:.0f} | {result['requests']} | "
                  f"{result['paths']}{' (all used)' if result.get('exhausted') else ''} | {result['errors']} | "
                  f"{result['load_before']} → {result['load_after']} |")
        elif "p50" in result:
            print(f"| {TITLES[kind]} | {result['p50']:.2f} | {result['p95']:.2f} | — | {result['count']} queries | "
                  f"{result['with_20_hits']} with 20 hits, {result['without_hits']} with none | — | {result['load_before']} → {result['load_after']} |")
        else:
            print(f"| {TITLES[kind]} | {result['seconds_build']:.1f} s | | | {result.get('entries') or ''} passages | | | "
                  f"{result['load_before']} → {result['load_after']} |")

    copy = meta.get("copy") or {}
    tantivy = r("tantivy") or {}

    def labelled(label: str, result: dict | None, suffix: str = "") -> str:
        """A result with what it is; the build time is in a row of its own."""
        if not result:
            return "—"
        return f"{label}{describe({k: v for k, v in result.items() if k != 'seconds_build'})}{suffix}"

    print(f"\n| what | this platform (kompass serve, {args.workers} workers) | Datasette, same open data | the engine alone, in-process |")
    print("|---|---|---|---|")
    rows = [
        ("evaluation page, cached", describe(r("page-cached")), labelled("", r("datasette-row"), " (row page, no cache)"), "—"),
        ("evaluation page, first view after a publication", describe(r("page-new")), describe(r("datasette-row")), "—"),
        ("search page, every query new", describe(r("search-new")), describe(r("datasette-search-new")), "—"),
        ("search API, every query new", describe(r("search-api-new")), "—", "—"),
        ("search page, the same queries again", describe(r("search-repeated")), describe(r("datasette-search-repeated")), "—"),
        ("search API, the same queries again", describe(r("search-api-repeated")), "—", "—"),
        ("one search, top 20, in-process", labelled("search(): ", r("search-inprocess")),
         labelled("FTS5 by bm25 (the copy): ", r("fts5")), labelled("Tantivy by BM25: ", r("tantivy"))),
        ("building the search index", describe(r("index")),
         f"FTS5 over {copy.get('passages', '?')} passages: {copy['seconds_fts5']:.1f} s" if "seconds_fts5" in copy else "—",
         f"Tantivy, same passages: {tantivy['seconds_build']:.1f} s" if tantivy else "—"),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if copy:
        print(f"\nThe open data copy: written in {copy['seconds_written']:.1f} s, prepared for Datasette (id as primary key, "
              f"table passager) in {copy['seconds_prepared']:.1f} s, {copy['bytes'] / 1e6:.0f} MB.")
    print(f"Queries: two of {meta['words']} words and an area 1–8 (bench/load.py's new_searches, more words); "
          f"{meta['addresses_per_new_kind']} addresses for each kind that asks new ones, {args.queries} timed in-process.")
    print("Evaluation pages and the search addresses marked 'every … new' are requested once each (bench/wrk-once.lua); "
          "'all used' means every prepared address was asked before the time was up, and requests/s is over the time it took.")
    for note in run.notes:
        print(note)
    if any(note.startswith("FAILED") for note in run.notes):
        print("Some parts failed: their rows are empty.")


def selected(only: list[str] | None) -> list[str]:
    everything = PLATFORM + DATASETTE + ENGINES
    if not only:
        return everything
    chosen = set()
    for name in only:
        if name in GROUPS:
            chosen.update(GROUPS[name])
        elif name in everything:
            chosen.add(name)
        else:
            raise SystemExit(f"--only {name}: use one of {', '.join([*GROUPS, *everything])}")
    return [k for k in everything if k in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=30_000, help="generated first where the database holds fewer")
    parser.add_argument("--duration", type=int, default=20, help="seconds per kind measured with wrk")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="kompass serve's gunicorn workers")
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--datasette-threads", type=int, help="Datasette's num_sql_threads (default: --workers)")
    parser.add_argument("--datasette-setting", action="append", default=[], metavar="NAME=VALUE", help="another Datasette setting (repeatable)")
    parser.add_argument("--queries", type=int, default=1000, help="queries timed in-process per engine")
    parser.add_argument("--only", action="append", metavar="KIND",
                        help=f"measure only this (repeatable): {', '.join([*GROUPS, *PLATFORM, *DATASETTE, *ENGINES])}")
    parser.add_argument("--var", type=Path, default=HERE / "var", help="the var folder (and SQLite database) of the bench")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    args.var = args.var.resolve()
    args.datasette_threads = args.datasette_threads or args.workers
    kinds = selected(args.only)
    if any(k in PLATFORM + DATASETTE for k in kinds if k != "index"):
        load.require_wrk()
    if any(k in DATASETTE for k in kinds):
        require("datasette", "Datasette")
    if any(k in DATASETTE or k in ("fts5", "tantivy") for k in kinds):
        require("sqlite_utils", "sqlite-utils")
    if "tantivy" in kinds:
        require("tantivy", "tantivy")

    load_start = loads()
    env = load.kompass_env(args.var)
    load.prepare(env, args.evaluations)
    published = [pk for pk, _country, _code in load.published(env)]
    rng = random.Random(1)
    evaluations = published[:]
    rng.shuffle(evaluations)
    pool = query_pool(rng)
    warm, pool = pool[:20], pool[20:]
    inprocess, pool = pool[: args.queries], pool[args.queries :]
    share = len(pool) // 3
    queries = {
        "search-new": pool[:share], "search-api-new": pool[share : 2 * share], "datasette-search-new": pool[2 * share :],
    }
    run = Run(args)
    meta = {
        "database": load.database_name(env), "evaluations": args.evaluations, "published": len(published),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "command": command_line(),
        "cpus": os.cpu_count(), "load_start": load_start, "passages": None,
        "words": len(query_words()), "addresses_per_new_kind": share,
    }
    print(f"{meta['database']}, {len(published)} published evaluations; measuring: {', '.join(kinds)}", flush=True)

    run.guard("this platform", platform, env, run, kinds, evaluations, queries)
    copy = None
    if any(k in DATASETTE or k in ("fts5", "tantivy") for k in kinds):
        copy, meta["copy"] = open_data_copy(env, args.var, published)
        meta["passages"] = meta["copy"]["passages"]
    if any(k in DATASETTE for k in kinds):
        from datasette.version import __version__ as datasette_version

        meta["datasette_version"] = datasette_version
        run.guard("Datasette", datasette, run, kinds, copy, evaluations, queries)
    if "search-inprocess" in kinds:
        run.guard(TITLES["search-inprocess"], engine_platform, env, run, inprocess, warm)
    if "fts5" in kinds:
        run.guard(TITLES["fts5"], engine_fts5, run, copy, inprocess, warm, meta["copy"])
    if "tantivy" in kinds:
        run.guard(TITLES["tantivy"], engine_tantivy, run, copy, args.var, inprocess, warm)

    meta["load_end"] = loads()
    report(run, meta)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "args": {k: str(v) for k, v in vars(args).items()}, "results": run.results},
                                        ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
