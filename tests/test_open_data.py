"""Open data (/data/ and /api/dokumentation/): the whole published database as CSV (Swedish
and plain), JSON and SQLite, built once per data version into the var folder, as the public
may see it; the API page with examples that answer; Redoc drawn from the site's own files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test import Client

from kompass.opendata import files
from kompass.opendata.tables import table_definitions

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"
SECRET_QUESTION = "Zqyfråga: hur når kommunen de medborgare som sällan hörs?"
ATTACK = '=HYPERLINK("http://127.0.0.1:9/x","klicka")'


@pytest.fixture
def var(settings, tmp_path):
    """A var folder of the test's own, so every build is the test's."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def _csv_rows(path: Path, *, swedish: bool) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == swedish, path  # the BOM: Swedish variant only
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if swedish else ","))


def _sqlite(path: Path, query: str, *params) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def _all_text(built: files.Built) -> str:
    """Every download of the build as text (the ZIPs' members and the SQLite rows included)."""
    parts = []
    for name in sorted(files.downloadable_names()):
        path = built.path(name)
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8-sig") for n in archive.namelist()]
        elif name.endswith(".sqlite"):
            db = sqlite3.connect(path)
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                parts += [repr(row) for row in db.execute(f'SELECT * FROM "{table}"')]
            db.close()
        else:
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


# --- what the files hold --------------------------------------------------------------------


def test_every_format_holds_the_demo_scores_alike(demo, var):
    """Örebro 2015 (the seed): total 649.95 (650 of 800, 81 %), area 1 74.10 (74), sub-question
    1.1 10.50 (11 of 15, 70 %) — the same in both CSV dialects, JSON and SQLite."""
    built = files.built()
    sv = {r["year"]: r for r in _csv_rows(built.path("csv-sv/utvarderingar.csv"), swedish=True)}
    plain = {r["year"]: r for r in _csv_rows(built.path("csv/utvarderingar.csv"), swedish=False)}
    assert set(sv) == set(plain) == {"2010", "2012", "2015"}
    assert (sv["2015"]["score"], sv["2015"]["rounded"], sv["2015"]["max"], sv["2015"]["percent"]) == ("649,95", "650", "800", "81")
    assert (plain["2015"]["score"], plain["2015"]["municipality_code"], plain["2015"]["interviewees_approximate"]) == ("649.95", "1880", "true")
    evaluation_id = int(plain["2015"]["id"])

    questions = _csv_rows(built.path("csv-sv/delfragepoang.csv"), swedish=True)
    q11 = next(r for r in questions if r["evaluation_id"] == str(evaluation_id) and r["question"] == "1.1")
    assert (q11["score"], q11["rounded"], q11["max"], q11["percent"]) == ("10,50", "11", "15", "70")

    document = json.loads(built.path(files.JSON_NAME).read_text(encoding="utf-8"))
    assert document["licence"]["id"] == "CC-BY-4.0" and document["data_version"] == built.version
    rows = document["tables"]["omradespoang"]["rows"]
    area1 = next(r for r in rows if r["evaluation_id"] == evaluation_id and r["area"] == 1)
    assert (area1["score"], area1["rounded"], area1["title"]) == ("74.10", 74, "Offentlighet och demokrati")
    assert [c["name"] for c in document["tables"]["utvarderingar"]["columns"]][:3] == ["id", "country", "municipality_code"]

    sqlite_path = built.path(files.SQLITE_NAME)
    assert _sqlite(sqlite_path, "SELECT score, rounded FROM utvarderingar WHERE id = ?", evaluation_id) == [(649.95, 650)]
    assert _sqlite(sqlite_path, "SELECT value FROM metadata WHERE key = 'licence_id'") == [("CC-BY-4.0",)]
    # Every table in every format, with the same rows.
    for table in table_definitions():
        count = _sqlite(sqlite_path, f'SELECT count(*) FROM "{table.name}"')[0][0]
        assert len(document["tables"][table.name]["rows"]) == count, table.name
        assert len(_csv_rows(built.path(f"csv/{table.name}.csv"), swedish=False)) == count, table.name
    assert _sqlite(sqlite_path, "SELECT count(*) FROM kommuner")[0][0] > 290  # every municipality
    with zipfile.ZipFile(built.path(files.ZIP_NAMES["csv-sv"])) as archive:
        names = set(archive.namelist())
        assert names == {"LASMIG.txt", *(f"{t.name}.csv" for t in table_definitions())}
        assert "CC BY 4.0" in archive.read("LASMIG.txt").decode()


def test_the_tables_say_what_the_evaluation_document_says(demo):
    """The tables are read in bulk, not through ``evaluation_full_document``: they must hold
    the same scores, intervals, texts and findings as the document the API and the reports use."""
    from kompass.catalogue.visibility import public_document
    from kompass.evaluations.documents import evaluation_full_document
    from kompass.evaluations.models import Evaluation
    from kompass.opendata.tables import tables_read

    t = {table.name: table for table in tables_read()}

    def text(value):
        return None if value is None else str(value)

    checked = 0
    for evaluation in Evaluation.objects.filter(status="published"):
        document = public_document(evaluation_full_document(evaluation), evaluation.framework.definition)
        total = next(r for r in t["utvarderingar"].rows if r[0] == evaluation.pk)
        assert (text(total[14]), total[15], total[18], total[19]) == tuple(document["total"][k] for k in ("score", "rounded", "max", "percent"))
        for area in document["areas"]:
            row = next(r for r in t["omradespoang"].rows if r[0] == evaluation.pk and r[2] == area["number"])
            assert (row[3], text(row[4]), row[5], row[8], row[9]) == tuple(area[k] for k in ("title", "score", "rounded", "max", "percent"))
            assert [text(row[6]), text(row[7])] == (area.get("interval") or [None, None])
            questions = [(r[3], text(r[4])) for r in t["delfragepoang"].rows if r[0] == evaluation.pk and r[2] == area["number"]]
            assert questions == [(q["id"], q["score"]) for q in area["questions"]]
            texts = [(r[2], r[3], r[4]) for r in t["texter"].rows if r[0] == evaluation.pk and r[1] == area["number"]]
            expected = [(None, kind, area["texts"][kind]) for kind in ("general", "changes") if area["texts"][kind]]
            assert texts == expected + [(q, "question", body) for q, body in area["texts"]["questions"].items()]
            findings = [(r[2], r[4], r[5]) for r in t["iakttagelser"].rows if r[0] == evaluation.pk and r[1] == area["number"]]
            kinds = (("strengths", "strength"), ("improvements", "improvement"), ("good_examples", "good_example"))
            assert findings == [(kind, f["question"], f["text"]) for key, kind in kinds for f in area[key]]
            checked += len(texts) + len(findings)
    assert checked > 50  # the demo's texts and findings were there to compare


def test_published_evaluations_only(demo, var):
    """A planned evaluation (not published) appears in no file; publishing it adds it."""
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality

    before = files.built()
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country="SE", code="0180"), framework=Framework.objects.get(code="2010"),
        facts=services.Facts(year=2024, status="planned", summary_text="Zqyutkast som ingen ska se."),
    )
    services.findings_set(evaluation=evaluation, area_number=1, kind="strength", items=[("Zqystyrka i utkastet.", None)])
    draft = files.built()
    assert "Zqy" not in _all_text(draft)
    assert "Stockholm" not in {r["municipality_name"] for r in _csv_rows(draft.path("csv/utvarderingar.csv"), swedish=False)}
    evaluation.status = "published"
    evaluation.save()
    published = files.built()
    assert published.version != before.version
    text = _all_text(published)
    assert "Zqyutkast som ingen ska se." in text and "Zqystyrka i utkastet." in text


def test_a_confidential_version_gives_no_question_texts(demo, var, tmp_path):
    """Sub-questions of a version whose texts are not public: id, maximum and scores, no text
    (as the API and the reports give them); the public copy of the same version has the text,
    so the check can fail."""
    from kompass import scoring
    from kompass.catalogue.models import Framework
    from kompass.catalogue.services import catalogue_load
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["areas"][0]["questions"][0]["text"] = SECRET_QUESTION
    for code, public, municipality in (("2097", False, "0180"), ("2098", True, "1480")):
        data["public_questions"] = public
        path = tmp_path / f"version-{code}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        catalogue_load(path=path, as_id=code)
        framework = Framework.objects.get(code=code)
        evaluation = services.evaluation_create(
            municipality=Municipality.objects.get(country="SE", code=municipality), framework=framework,
            facts=services.Facts(year=2021, status="published"),
        )
        questions = framework.definition.questions
        services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(questions={q.id: q.max_points / 2 for q in questions}))
    built = files.built()
    questions = {(r["framework"], r["question"]): r for r in _csv_rows(built.path("csv/delfragor.csv"), swedish=False)}
    assert questions[("2098", "1.1")]["text"] == SECRET_QUESTION
    assert questions[("2098", "1.1")]["looked_for"] and questions[("2098", "1.1")]["short"]  # guidance where public
    hidden = questions[("2097", "1.1")]
    assert hidden["max_points"] and not any(hidden[c] for c in ("text", "short", "looked_for", "full", "partial", "none"))
    # Once per file that holds 2098's row (two CSVs, two ZIPs, JSON, SQLite); 2097's would double it.
    assert _all_text(built).count(SECRET_QUESTION) == 6
    scores = [r for r in _csv_rows(built.path("csv/delfragepoang.csv"), swedish=False) if r["framework"] == "2097"]
    assert scores and all(r["score"] for r in scores)  # scores stay public


def test_loaded_peer_groups_and_their_members(demo, var, tmp_path):
    from kompass.benchmark.groups import groups_import

    path = tmp_path / "grupper.csv"
    path.write_text("municipality_code;group;scheme\n1880;Större städer;SKR 2023\n0180;Storstäder;SKR 2023\n", encoding="utf-8")
    groups_import(path)
    built = files.built()
    groups = _csv_rows(built.path("csv-sv/jamforelsegrupper.csv"), swedish=True)
    assert [(g["key"], g["scheme"], g["name"]) for g in groups] == [
        ("skr-2023-storstader", "SKR 2023", "Storstäder"), ("skr-2023-storre-stader", "SKR 2023", "Större städer"),
    ]  # by scheme and name
    members = _csv_rows(built.path("csv/gruppmedlemmar.csv"), swedish=False)
    assert [(m["group_key"], m["municipality_code"]) for m in members] == [("skr-2023-storre-stader", "1880"), ("skr-2023-storstader", "0180")]


def test_text_a_spreadsheet_would_run_is_neutralised_in_csv(demo, var):
    """An evaluator's name or a finding typed as a formula reaches the CSV files as text;
    JSON and SQLite, which no spreadsheet evaluates, keep it as typed."""
    from kompass.evaluations.models import Evaluation, Evaluator, Finding

    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    Evaluator.objects.create(evaluation=evaluation, position=9, name=ATTACK, organisation="@SUM(1)")
    Finding.objects.filter(evaluation=evaluation).update(text="+46 19 21 10 00")
    evaluation.save()  # a new data version, as any change of a published evaluation makes
    built = files.built()
    for folder, swedish in files.CSV_SETS.items():
        rows = _csv_rows(built.path(f"{folder}/utvarderare.csv"), swedish=swedish)
        assert {"name": "'" + ATTACK, "organisation": "'@SUM(1)"}.items() <= next(r for r in rows if "HYPERLINK" in r["name"]).items()
        findings = _csv_rows(built.path(f"{folder}/iakttagelser.csv"), swedish=swedish)
        assert findings and all(r["text"] == "'+46 19 21 10 00" for r in findings if r["evaluation_id"] == str(evaluation.pk))
        raw = built.path(f"{folder}/utvarderare.csv").read_text(encoding="utf-8-sig")
        assert not any(cell.startswith(("=", "+", "@")) for line in raw.splitlines() for cell in line.split(";" if swedish else ","))
    assert _sqlite(built.path(files.SQLITE_NAME), "SELECT name FROM utvarderare WHERE organisation = '@SUM(1)'") == [(ATTACK,)]


# --- built once per data version ------------------------------------------------------------


def test_built_once_per_data_version_and_anew_after_a_change(demo, var):
    from kompass.evaluations.models import Evaluation

    first = files.built()
    stamp = (first.folder / "complete").stat().st_mtime_ns
    assert files.built().folder == first.folder and (first.folder / "complete").stat().st_mtime_ns == stamp
    assert first.folder.parent == Path(var) / "opendata" and first.folder.name == f"{first.version}.{files.layout_key()}"

    versions = [first]
    for year in (2010, 2012):
        evaluation = Evaluation.objects.get(municipality__code="1880", year=year)
        evaluation.status = "planned"  # withdrawn: a new data version
        evaluation.save()
        versions.append(files.built())
    assert len({v.version for v in versions}) == 3
    # The newest and the one before are kept (a download may still read it), older ones go.
    assert not versions[0].folder.exists() and versions[1].folder.exists() and versions[2].folder.exists()
    years = {r["year"] for r in _csv_rows(versions[2].path("csv/utvarderingar.csv"), swedish=False)}
    assert years == {"2015"}


def test_a_release_with_other_files_builds_anew_on_the_same_data(demo, var, monkeypatch):
    """The folder is named by the data version and the files' layout: after an upgrade that
    adds a table or column, the same data is built again instead of served without it."""
    before = files.built()
    monkeypatch.setattr(files, "LAYOUT", files.LAYOUT + 1)
    after = files.built()
    assert after.version == before.version and after.folder != before.folder
    assert all(after.path(name).exists() for name in files.downloadable_names())


def test_a_build_that_died_leaves_nothing_served(demo, var, monkeypatch):
    """A failing build leaves no folder and no half-written file; the next request builds."""
    from kompass.opendata import files as module

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(module, "_write_sqlite", broken)
    with pytest.raises(OSError):
        files.built()
    assert [p.name for p in (Path(var) / "opendata").iterdir()] == [".lock"]
    monkeypatch.undo()
    assert files.built().path(files.SQLITE_NAME).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_requests_build_once(demo, var, monkeypatch):
    """Four requests at once on a new data version: one builds, the others wait for it and
    serve the same files."""
    from kompass.opendata import files as module

    reads = []
    real = module.tables_read

    def counted(*args, **kwargs):
        reads.append(threading.get_ident())
        time.sleep(0.3)  # widen the window in which the others arrive
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "tables_read", counted)
    results, errors = [], []
    # The version read once here: SQLite's in-memory test database locks whole tables
    # between threads ("database table is locked") where a file database waits.
    version = module.data_version()

    def request():
        try:
            results.append(files.built(version).folder)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(reads) == 1 and len(set(results)) == 1 and len(results) == 4


# --- the pages and downloads ----------------------------------------------------------------


def test_the_data_page_names_the_licence_and_links_every_download(demo, var):
    client = Client()
    page = client.get("/data/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Creative Commons Erkännande 4.0" in body and 'rel="license"' in body
    links = {name for name in files.downloadable_names() if f'href="/data/{name}"' in body}
    assert links == files.downloadable_names()
    for name in sorted(files.downloadable_names()):
        response = client.get(f"/data/{name}")
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment"), name
        content = b"".join(response.streaming_content)
        assert content == files.built().path(name).read_bytes(), name
    assert client.get("/data/csv-sv/kommuner.csv")["Content-Type"] == "text/csv; charset=utf-8"
    etag = client.get("/data/kommunkompassen.json")["ETag"]
    assert client.get("/data/kommunkompassen.json", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("name", ["complete", ".lock", "csv/hemligt.csv", "../secret_key", "csv/../kommunkompassen.json", "kommunkompassen.sqlite/x"])
def test_no_other_file_is_served(demo, var, name):
    (Path(var)).mkdir(parents=True, exist_ok=True)
    (Path(var) / "secret_key").write_text("hemligt")
    assert Client().get(f"/data/{name}").status_code == 404


def test_the_licence_is_a_setting(demo, var, settings):
    settings.KOMPASS_DATA_LICENCE = "CC0-1.0"
    settings.KOMPASS_DATA_ATTRIBUTION = "Zqy kommunförbund"
    body = Client().get("/data/").content.decode()
    assert "Creative Commons Zero 1.0" in body and "Zqy kommunförbund" in body
    document = json.loads(files.built().path(files.JSON_NAME).read_text(encoding="utf-8"))
    assert document["licence"]["url"].startswith("https://creativecommons.org/publicdomain/zero/1.0/")
    schema = Client().get("/api/openapi.json").json()  # the API's data carry the same licence
    assert schema["info"]["license"]["name"] == "Creative Commons Zero 1.0 (CC0)"
    assert schema["info"]["license"]["url"] == document["licence"]["url"]


@pytest.mark.django_db(transaction=True, reset_sequences=True)  # the examples show the demo data's ids
def test_the_api_page_gives_examples_that_answer(demo):
    client = Client()
    page = client.get("/api/dokumentation/")
    assert page.status_code == 200
    body = page.content.decode()
    schema = yaml.safe_load((Path(__file__).parents[1] / "src/kompass/api/openapi.yaml").read_text(encoding="utf-8"))
    examples = [op["get"]["x-example"] for op in schema["paths"].values() if "x-example" in op.get("get", {})]
    assert len(examples) >= 5
    for example in examples:
        assert f'href="{example.replace("&", "&amp;")}"' in body, example
        assert client.get(example).status_code == 200, example
    assert 'href="/api/dokumentation/referens/"' in body and 'href="/data/"' in body
    reference = client.get("/api/dokumentation/referens/").content.decode()
    for script in ("/static/web/vendor/redoc/redoc.standalone.js", "/static/web/api-docs.js"):
        assert f'src="{script}"' in reference
    assert "<script>" not in reference  # no inline script: the CSP would refuse it


def test_the_vendored_viewer_loads_nothing_from_elsewhere():
    bundle = Path(__file__).parents[1] / "src/kompass/web/static/web/vendor/redoc/redoc.standalone.js"
    text = bundle.read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in text and "fonts.googleapis" not in text
    assert (bundle.parent / "LICENSE").exists() and "Rebilly" in (bundle.parent / "LICENSE").read_text()


# --- in Chromium ----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_api_reference_is_drawn_from_our_own_files(demo_site, contexts):
    """Redoc draws every operation under the site's CSP with no request elsewhere and no
    refused script; the pages fit a phone and axe-core finds no violation."""
    from browsing import axe_violations

    page = contexts().new_page()
    outside, problems = [], []
    page.on("request", lambda r: None if r.url.startswith(demo_site.base) or r.url.startswith("data:") else outside.append(r.url))
    # A refused script or image is a console error; a missing file is a response (the
    # browser's own /favicon.ico aside, which no page asks for).
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(demo_site.base + "/api/dokumentation/referens/")
    page.wait_for_selector(".redoc-wrap h2", timeout=20_000)
    headings = page.locator(".redoc-wrap h2").all_inner_texts()
    assert any("Municipalities" in h for h in headings) and any("Search" in h for h in headings), headings
    assert page.get_attribute("#redoc", "aria-busy") == "false"
    assert not outside and not problems, (outside, problems)
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/data/", "/api/dokumentation/", "/api/dokumentation/referens/"):
            assert page.goto(demo_site.base + path).status == 200, path
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # Redoc draws after the load
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (path, width)
            if violations := axe_violations(page):
                found[f"{path} at {width} px"] = violations
    assert not found, found
