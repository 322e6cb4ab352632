"""kompass import-results beside the web (issue 13, findings 7 and 8): a long import
commits in short transactions, so a save in the workspace waits for one of them instead
of failing; it is still all or nothing when it fails part-way; and a file of one row
repeated many times costs in proportion to its length."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import threading

import pytest

from conftest import KOMPASS
from kompass.catalogue.models import Framework
from kompass.dump.export import dumps, export_document
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.importers import results
from kompass.municipalities.models import Municipality

HEADER = "country,municipality_code,municipality_name,year,framework,total," + ",".join(f"area_{n}" for n in range(1, 9)) + ",source"


def rows_for(municipalities: list[tuple[str, str]], count: int) -> list[str]:
    """Distinct published evaluations of the 2010 version, eight whole area scores each."""
    rng = random.Random(13)
    slots = [(country, code, year) for year in range(2010, 2016) for country, code in municipalities]
    return [f"{country},{code},,{year},2010,,{','.join(str(rng.randint(30, 95)) for _ in range(8))},test"
            for country, code, year in rng.sample(slots, count)]


def test_a_write_during_a_long_import_gets_in_between_its_batches(tmp_path):
    """The import as a user runs it, on its own SQLite file; beside it another process
    writes the way a text save does (BEGIN IMMEDIATE … COMMIT). Every one of those writes
    succeeds, and some of them see the import half done: it is not one transaction that
    holds the write lock to its end (which made saves fail with 500 after 20 s)."""
    env = {"PATH": "/usr/bin:/bin", "KOMPASS_VAR_DIR": str(tmp_path / "var")}
    subprocess.run([KOMPASS, "init"], env=env, check=True, capture_output=True, timeout=300)
    database = tmp_path / "var" / "kompass.sqlite3"
    with sqlite3.connect(database) as connection:
        municipalities = connection.execute("SELECT country, code FROM municipalities_municipality WHERE country = 'SE'").fetchall()
    count = 400
    (tmp_path / "results.csv").write_text("\n".join([HEADER, *rows_for(municipalities, count)]) + "\n", encoding="utf-8")

    seen, failures, stop = [], [], threading.Event()

    def save_like_the_web():
        writer = sqlite3.connect(database, timeout=10, isolation_level=None)
        writer.execute("CREATE TABLE IF NOT EXISTS saves (evaluations INTEGER)")
        while not stop.is_set():
            try:
                writer.execute("BEGIN IMMEDIATE")
                saved = writer.execute("SELECT COUNT(*) FROM evaluations_evaluation").fetchone()[0]
                writer.execute("INSERT INTO saves VALUES (?)", (saved,))
                writer.execute("COMMIT")
                seen.append(saved)
            except sqlite3.OperationalError as error:  # "database is locked" after the timeout
                failures.append(str(error))
                writer.execute("ROLLBACK") if writer.in_transaction else None
            stop.wait(0.05)
        writer.close()

    thread = threading.Thread(target=save_like_the_web)
    thread.start()
    try:
        done = subprocess.run([KOMPASS, "import-results", "results.csv"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"results.csv: {count} utvärderingar sparades")
    assert failures == []
    assert any(0 < saved < count for saved in seen), f"no write got in while the import ran: {sorted(set(seen))[:5]}…"


@pytest.mark.django_db
def test_a_failure_in_a_later_batch_removes_what_earlier_batches_saved(run_cli, tmp_path, monkeypatch):
    """Another process saves one of the file's evaluations while the import runs (between
    its validation and its write): the import fails on that row, and the rows already
    committed in earlier batches, and the municipality it added, are removed again."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(results, "BATCH_SECONDS", 0)  # one evaluation per transaction
    monkeypatch.setattr(results, "PAUSE_SECONDS", 0)
    lines = [
        "SE,0180,Stockholm,2012,2010,615,68,85,86,74,70,74,71,87,",
        "NO,5599,Nykommune,2013,2010,,60,61,62,63,64,65,66,67,",  # a new municipality, added by the import
        "SE,0380,Uppsala,2014,2010,,60,61,62,63,64,65,66,67,",
        "SE,1880,Örebro,2011,2010,,60,61,62,63,64,65,66,67,",
    ]
    (tmp_path / "resultat.csv").write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    before = dumps(export_document()), Municipality.objects.count()

    real_validate = results.validate
    uppsala = Municipality.objects.get(country="SE", code="0380")

    def validate_then_a_rival_saves(rows, **options):
        validation = real_validate(rows, **options)
        # someone else is quicker with the third row, after the check and before the write
        services.evaluation_create(municipality=uppsala, framework=Framework.objects.get(code="2010"), facts=services.Facts(year=2014))
        return validation

    monkeypatch.setattr(results, "validate", validate_then_a_rival_saves)
    status, out, err = run_cli("import-results", "resultat.csv")
    assert status == 1
    assert "inget sparades" in err and "Uppsala" in err and "2014" in err
    rival = Evaluation.objects.get(municipality=uppsala, year=2014)
    rival_document = dumps(export_document())
    rival.delete()  # what the rival saved is not the import's to remove; without it, all is as before
    assert (dumps(export_document()), Municipality.objects.count()) == before
    assert "0180" not in rival_document and "5599" not in rival_document


@pytest.mark.django_db
def test_one_row_repeated_names_a_bounded_number_of_others(run_cli, tmp_path, monkeypatch):
    """40,000 copies of one row took 21.6 s, 100,000 over two minutes: every copy named
    every other. Each now names the first ten others and how many more there are."""
    monkeypatch.chdir(tmp_path)
    row = "SE,0180,Stockholm,2012,2010,615,68,85,86,74,70,74,71,87,"
    (tmp_path / "resultat.csv").write_text("\n".join([HEADER, *[row] * 5000]) + "\n", encoding="utf-8")
    status, out, err = run_cli("import-results", "resultat.csv", "--json")
    assert status == 1
    errors = json.loads(out)["errors"]
    assert len(errors) == 5000
    assert errors[0]["message"] == "samma kommun, år och version som rad 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 och 4989 till"
    assert errors[-1]["message"] == "samma kommun, år och version som rad 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 och 4989 till"
    assert max(len(e["message"]) for e in errors) < 120
    assert Evaluation.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(results, "MAX_ROWS", 3)
    row = "SE,0180,Stockholm,2012,2010,615,68,85,86,74,70,74,71,87,"
    (tmp_path / "resultat.csv").write_text("\n".join([HEADER, *[row] * 4]) + "\n", encoding="utf-8")
    status, out, err = run_cli("import-results", "resultat.csv")
    assert status == 1
    assert err == "kompass: resultat.csv: filen har 4 rader, mer än gränsen 3 (inget sparades)\n"
