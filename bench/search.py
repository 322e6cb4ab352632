"""Benchmark: the good-examples search at national scale.

Fills a database with N synthetic published evaluations and their search entries
(about 100 texts each, shaped like Örebro 2015's: "Allmänt" and "Vad har hänt?" per area,
short strengths and improvement areas, a few good examples, and for about a third of
them a text per sub-question; Swedish sentences from the demo data with extra compound
words), then times ``kompass.search.services.search`` end to end (parsing, checks, the
query, the page's rows and snippets) for a fixed set of queries with and without filters,
and prints p50/p95 per query and over all of them. Also times
``search_index_evaluation`` for Örebro 2015 (the demo data) on the full index.

    .venv/bin/python bench/search.py [--evaluations 30000] [--runs 20]

SQLite: a file of its own, ``var/bench/search-N.sqlite3``, kept and reused by later runs
(``--fresh`` builds it again). PostgreSQL: set ``DATABASE_URL``; the bench refuses a
database holding evaluations other than its own.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARKER = "bench/search.py v2 n=%d seed=%d"

# Words planted at known rates (share of entries), so the queries have hits of every size.
PLANTED = [
    ("medborgardialog", 0.010), ("dialogmöten", 0.005), ("korruption", 0.003), ("korruptionen", 0.002),
    ("visselblåsarfunktion", 0.0002), ("e-tjänster", 0.005), ("synpunktshantering", 0.004),
    ("medarbetarsamtal", 0.004), ("internkontroll", 0.004), ("värdegrund", 0.004),
]

QUERIES = [
    ("medborgardialog", {}),
    ("dialog", {}),
    ("korruptionen", {}),
    ("e-tjänster", {}),
    ("visselblåsare", {}),
    ("kommunen", {}),
    ("resultat uppföljning", {}),
    ("medborgardialog korruption", {}),
    ("blockkedjeteknik", {}),
    ("dialog", {"county": "18"}),
    ("dialog", {"municipality": "0180"}),
    ("korruption", {"from_year": 2010, "to_year": 2015}),
    ("medborgardialog", {"kinds": ["good_example"]}),
    ("kvalitet", {"area": 6, "min_score": "70"}),
    ("styrdokument", {"framework": "2010", "question": "3.2"}),
    ("dialog", {"county": "18", "year": 2015, "kinds": ["strength"]}),
    ("internkontroll", {"country": "NO", "min_score": "60"}),
    ("värdegrund medarbetarsamtal", {"kinds": ["strength", "good_example"], "from_year": 2016}),
]


def setup(n: int, fresh: bool) -> None:
    if not os.environ.get("DATABASE_URL"):
        path = REPO / "var" / "bench" / f"search-{n}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompass.settings")
    import django
    from django.core.management import call_command

    from kompass import var_dir

    var_dir.prepare()  # as every kompass command does before Django starts
    django.setup()
    call_command("migrate", verbosity=0)


# --- synthetic text -----------------------------------------------------------------------


class Writer:
    def __init__(self, rng: random.Random):
        import yaml

        data = yaml.safe_load((REPO / "src" / "kompass" / "demo" / "orebro.yaml").read_text(encoding="utf-8"))
        texts = []

        def collect(value):
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, dict):
                for v in value.values():
                    collect(v)
            elif isinstance(value, list):
                for v in value:
                    collect(v)

        collect(data["evaluations"])
        sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t.replace("\n", " ")) if 20 < len(s.strip()) < 300]
        words = {w for t in texts for w in re.findall(r"[^\W\d_]+", t.lower()) if len(w) >= 6}
        content = sorted(words)
        self.rng = rng
        # Sentences with made-up compound words, so the vocabulary has a long tail.
        self.pool = []
        for _ in range(20000):
            sentence = rng.choice(sentences).split()
            for _ in range(rng.randint(0, 2)):
                sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(content) + rng.choice(content))
            self.pool.append(" ".join(sentence))
        self.short = [s for s in self.pool if len(s) < 90] or self.pool

    def text(self, length: int) -> str:
        rng = self.rng
        if length < 90:
            words = rng.choice(self.short).split()
            text = " ".join(words[: max(3, length // 7)])
        else:
            parts, size = [], 0
            while size < length:
                parts.append(rng.choice(self.pool))
                size += len(parts[-1]) + 1
            text = " ".join(parts)
        for word, share in PLANTED:
            if rng.random() < share:
                words = text.split()
                words.insert(rng.randrange(len(words) + 1), word)
                text = " ".join(words)
        return text[0].upper() + text[1:]


# --- filling ------------------------------------------------------------------------------


def fill(n: int, seed: int) -> None:
    from django.db import connection, transaction

    from kompass.catalogue.models import Area, Framework, Question
    from kompass.evaluations.models import Evaluation
    from kompass.municipalities.models import Municipality
    from kompass.search import indexer, schema
    from kompass.search.models import SearchEntry

    marker = MARKER % (n, seed)
    if Evaluation.objects.filter(data_source=marker).count() == n and SearchEntry.objects.exists():
        print(f"Reusing the filled database ({n} evaluations, {SearchEntry.objects.count()} entries).")
        return
    others = Evaluation.objects.exclude(data_source__startswith="bench/search.py").exclude(municipality__code="1880")
    if others.exists():
        sys.exit("bench/search.py: the database holds other evaluations; use an empty database for the bench")

    rng = random.Random(seed)
    writer = Writer(rng)
    frameworks = {f.code: f for f in Framework.objects.all()}
    areas = {(a.framework.code, a.number): a.title for a in Area.objects.select_related("framework")}
    questions = {}
    for q in Question.objects.select_related("area__framework").order_by("area__number", "position"):
        questions.setdefault(q.area.framework.code, []).append((q.area.number, q.code, q.position))
    municipalities = list(Municipality.objects.exclude(code="1880").select_related("county"))

    def version(year):
        return "2002" if year < 2010 else "2010" if year < 2016 else "2016" if year < 2020 else "2020"

    combos = [(m, y, version(y)) for m in municipalities for y in range(1995, 2026)]
    rng.shuffle(combos)
    extra = [(m, y, f) for (m, y, v) in combos for f in frameworks if f != v]
    rng.shuffle(extra)
    combos = (combos + extra)[:n]
    if len(combos) < n:
        sys.exit(f"bench/search.py: at most {len(combos)} evaluations fit the municipalities and years")

    started = time.monotonic()
    with transaction.atomic():
        with schema.bulk_load(connection):  # empties the index; builds the text index at the end
            Evaluation.objects.filter(data_source__startswith="bench/search.py").delete()
            done = 0
            for start in range(0, n, 1000):
                batch = [
                    Evaluation(municipality=m, framework=frameworks[f], year=y, status="published", data_source=marker)
                    for m, y, f in combos[start : start + 1000]
                ]
                batch = Evaluation.objects.bulk_create(batch)
                rows = []
                for evaluation in batch:
                    rows.extend(entries(evaluation, rng, writer, areas, questions))
                indexer.insert_rows(rows)
                done += len(batch)
                print(f"\r{done}/{n} evaluations, {time.monotonic() - started:.0f} s", end="", file=sys.stderr, flush=True)
            print(file=sys.stderr)
            print("Building the text index…", file=sys.stderr, flush=True)
            rows_done = time.monotonic()
    print(
        f"Filled {n} evaluations, {SearchEntry.objects.count()} entries in {time.monotonic() - started:.0f} s "
        f"(rows {rows_done - started:.0f} s, text index {time.monotonic() - rows_done:.0f} s)."
    )


def entries(evaluation, rng, writer, areas, questions):
    """Rows for search_searchentry, in the model's column order."""
    from decimal import Decimal

    from kompass.search import indexer
    from kompass.search.query import clean_text, normalize

    framework = evaluation.framework.code
    municipality = evaluation.municipality
    county = municipality.county.code if municipality.county_id else None
    scores = {a: Decimal(rng.randint(2000, 9800)) / 100 for a in range(1, 9)}
    total = sum(scores.values())
    spec = []  # (kind, area, question code, position, length)
    has_previous = rng.random() < 0.6
    for area in range(1, 9):
        spec.append(("general", area, None, 0, int(rng.uniform(350, 1050))))
        if has_previous:
            spec.append(("changes", area, None, 0, int(rng.uniform(400, 1200))))
        for kind, count, length in (("strength", rng.randint(4, 8), 40), ("improvement", rng.randint(2, 4), 45), ("good_example", rng.randint(0, 2), 160)):
            for position in range(1, count + 1):
                spec.append((kind, area, None, position, int(length * rng.uniform(0.5, 1.5))))
    if rng.random() < 0.3 and framework in questions:
        for area, code, position in questions[framework]:
            spec.append(("question", area, code, position, int(rng.uniform(150, 550))))
    rows = []
    for index, (kind, area, code, position, length) in enumerate(spec):
        text = clean_text(writer.text(length))
        rows.append(indexer.entry_row({
            "id": indexer.entry_id(kind, evaluation.year, evaluation.pk, index), "evaluation_id": evaluation.pk,
            "municipality_id": municipality.pk, "municipality_code": municipality.code, "country": municipality.country,
            "county_code": county, "year": evaluation.year, "framework_code": framework, "area_number": area,
            "question_code": code, "kind": kind, "position": position, "area_score": scores[area], "total_score": total,
            "area_title": areas.get((framework, area), f"Område {area}"), "text": text, "normalized": normalize(text),
        }))
    return rows


# --- measuring ----------------------------------------------------------------------------


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def measure(runs: int) -> None:
    from django.db import connection

    from kompass.search.services import search

    print(f"\n{connection.vendor}, {runs} runs per query after one warm-up; times in ms, end to end (search())")
    print(f"{'query':<34} {'filters':<44} {'total':>6} {'p50':>7} {'p95':>7} {'max':>7}")
    everything = []
    for q, filters in QUERIES:
        result = search(q, **filters)  # warm-up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            search(q, **filters)
            times.append((time.perf_counter() - started) * 1000)
        everything.extend(times)
        total = f"{result.total}{'+' if result.total_capped else ''}"
        shown = ", ".join(f"{k}={v}" for k, v in filters.items())
        print(f"{q:<34} {shown[:44]:<44} {total:>6} {percentile(times, 50):7.1f} {percentile(times, 95):7.1f} {max(times):7.1f}")
    print(f"{'all queries':<34} {'':<44} {'':>6} {percentile(everything, 50):7.1f} {percentile(everything, 95):7.1f} {max(everything):7.1f}")


def measure_indexing(runs: int) -> None:
    from kompass.demo import demo_load
    from kompass.evaluations.models import Evaluation
    from kompass.search.services import search_index_evaluation

    if not Evaluation.objects.filter(municipality__code="1880", year=2015).exists():
        demo_load()
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        count = search_index_evaluation(evaluation)
        times.append((time.perf_counter() - started) * 1000)
    print(f"\nsearch_index_evaluation(Örebro 2015, {count} entries): p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="build the SQLite file again")
    args = parser.parse_args()
    setup(args.evaluations, args.fresh)
    fill(args.evaluations, args.seed)
    measure(args.runs)
    measure_indexing(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
