"""The installed `kompass` command, run as a user runs it, on its own SQLite file."""

import json

import pytest


def _one_line_error(result):
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def test_end_to_end_round_trip_between_two_databases(kompass_process, tmp_path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    assert kompass_process("load-demo", database=first).returncode == 0
    assert kompass_process("export", "--output", tmp_path / "a.json", database=first).returncode == 0
    imported = kompass_process("import-dump", tmp_path / "a.json", database=second)
    assert imported.returncode == 0, imported.stderr
    assert "Läste in 3 utvärderingar" in imported.stdout
    assert kompass_process("export", "--output", tmp_path / "b.json", database=second).returncode == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()

    shown = kompass_process("show", "1880", "2015", "--json", database=second)
    assert json.loads(shown.stdout)["total"]["rounded"] == 650


def test_load_demo_is_idempotent(kompass_process, tmp_path):
    db = tmp_path / "db.sqlite3"
    assert kompass_process("load-demo", database=db).returncode == 0
    again = kompass_process("load-demo", database=db)
    assert again.returncode == 0
    assert again.stdout.count("Fanns redan") == 3
    exported = json.loads(kompass_process("export", database=db).stdout)
    assert len(exported["evaluations"]) == 3


def test_default_database_is_a_sqlite_file_under_var(kompass_process, tmp_path):
    assert kompass_process("init").returncode == 0
    assert (tmp_path / "var" / "kompass.sqlite3").exists()


def test_a_bad_dump_is_one_line_and_saves_nothing(kompass_process, tmp_path):
    db = tmp_path / "db.sqlite3"
    kompass_process("load-demo", database=db)
    document = json.loads(kompass_process("export", database=db).stdout)
    fresh = tmp_path / "fresh.sqlite3"
    document["evaluations"][2]["areas"][0]["questions"][0]["score"] = "99"
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    message = _one_line_error(kompass_process("import-dump", tmp_path / "bad.json", database=fresh))
    assert message.startswith("kompass: Dumpen sparades inte: evaluations[2]: delfråga 1.1: poängen kan vara högst 15")
    assert json.loads(kompass_process("export", database=fresh).stdout)["evaluations"] == []

    (tmp_path / "cut.json").write_text(json.dumps(document)[:500], encoding="utf-8")
    message = _one_line_error(kompass_process("import-dump", tmp_path / "cut.json", database=fresh))
    assert "rad 1, kolumn" in message and "ogiltig JSON" in message


@pytest.mark.parametrize(
    "args,expected",
    [
        ((), "kompass: the following arguments are required: KOMMANDO"),
        (("show", "1880"), "the following arguments are required: ÅR"),
        (("show", "1880", "tjugo"), "invalid int value: 'tjugo'"),
        (("import-dump", "/no/such/file.json"), "kompass: /no/such/file.json: kan inte läsas"),
    ],
)
def test_errors_are_one_line_without_traceback(kompass_process, tmp_path, args, expected):
    kompass_process("init", database=tmp_path / "db.sqlite3")
    message = _one_line_error(kompass_process(*args, database=tmp_path / "db.sqlite3"))
    assert expected in message


def test_an_uninitialised_database_says_what_to_do(kompass_process, tmp_path):
    message = _one_line_error(kompass_process("show", "1880", "2015", database=tmp_path / "none.sqlite3"))
    assert message == "kompass: databasen är inte initierad: kör först kompass init"


def test_an_unreachable_database_is_one_line(kompass_process, tmp_path):
    import os
    import subprocess

    from conftest import KOMPASS

    env = dict(os.environ, DATABASE_URL="postgres://nobody:secret@127.0.0.1:1/none", KOMPASS_VAR_DIR=str(tmp_path))
    result = subprocess.run([str(KOMPASS), "show", "1880", "2015"], capture_output=True, text=True, env=env, timeout=60)
    message = _one_line_error(result)
    assert message.startswith("kompass: kan inte ansluta till databasen")


def test_the_suite_runs_on_the_database_it_was_given(db):
    """CI runs the suite twice; this guards that the second run really is on PostgreSQL."""
    import os

    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
