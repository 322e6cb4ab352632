"""Versions as data: list, show, load (YAML and XLSX), export, status; every bad file
named by place and loading nothing; frozen versions; the database-backed catalogue."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"


@pytest.fixture(autouse=True)
def fresh_catalogue_cache():
    """A load in one test is rolled back; the next test must not see it cached."""
    from kompass.catalogue import registry

    registry.clear()
    yield
    registry.clear()


def snapshot() -> dict:
    """Every catalogue row a load may touch, and the data version."""
    from kompass.catalogue.models import Area, CatalogueChange, Crosswalk, CrosswalkPair, Framework, Question
    from kompass.evaluations.summaries import data_version

    return {
        "frameworks": list(Framework.objects.order_by("pk").values()),
        "areas": list(Area.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
        "crosswalks": list(Crosswalk.objects.order_by("pk").values()) + list(CrosswalkPair.objects.order_by("pk").values()),
        "changes": list(CatalogueChange.objects.order_by("pk").values()),
        "data_version": data_version(),
    }


def _version(shown: dict) -> dict:
    """`catalogue show --json` without what names this copy: its id and its record."""
    return {k: v for k, v in shown.items() if k not in ("id", "record")}


def _example(tmp_path: Path, change=None, name="v.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    if change is not None:
        text = change(text)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- through the installed command -------------------------------------------------------


def test_list_show_export_and_load_round_trip_in_yaml_and_xlsx(kompass_process, tmp_path):
    db = tmp_path / "db.sqlite3"

    def run(*args):
        result = kompass_process(*args, database=db)
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("init")
    assert "Version 2099: ny, 8 områden och 20 delfrågor" in run("catalogue", "load", EXAMPLE)
    rows = {row["id"]: row for row in json.loads(run("catalogue", "list", "--json"))}
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert rows["2099"] == {
        "id": "2099", "name": example["name"], "owner": example["owner"], "status": "active",
        "areas": len(example["areas"]), "questions": sum(len(a["questions"]) for a in example["areas"]),
    }
    assert (rows["2010"]["questions"], rows["2020"]["questions"], rows["2002"]["status"]) == (45, 0, "retired")

    for version, fmt, copy in (("2099", "yaml", "2098"), ("2099", "xlsx", "2097"), ("2010", "xlsx", "2010-kopia")):
        exported = tmp_path / f"{version}.{fmt}"
        run("catalogue", "export", version, "--format", fmt, "--output", exported)
        run("catalogue", "load", exported, "--as", copy)
        original = json.loads(run("catalogue", "show", version, "--json"))
        loaded = json.loads(run("catalogue", "show", copy, "--json"))
        assert loaded["id"] == copy
        assert _version(loaded) == _version(original)
    shown = json.loads(run("catalogue", "show", "2099", "--json"))
    assert shown["areas"][0]["questions"][0]["guidance"]["sources"] == ["document", "website"]
    assert "Delområde: Dialog" in run("catalogue", "show", "2099")


def test_a_bad_file_through_the_command_names_each_problem_and_loads_nothing(kompass_process, tmp_path):
    db = tmp_path / "db.sqlite3"
    assert kompass_process("init", database=db).returncode == 0
    before = kompass_process("catalogue", "list", "--json", database=db).stdout
    path = _example(tmp_path, lambda t: t.replace("max_points: 40", "max_points: fyrtio", 1).replace("id: '1.2'", "id: '1.1'", 1))
    result = kompass_process("catalogue", "load", path, database=db)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert "max_points måste vara ett tal, inte 'fyrtio'" in lines[0]
    assert "delfråga 1.1: id förekommer två gånger" in lines[1]
    assert lines[2] == "kompass: v.yaml: 2 fel; ingenting är inläst"
    assert kompass_process("catalogue", "list", "--json", database=db).stdout == before


# --- bad files, in this process --------------------------------------------------------------

BAD_YAML = [  # (case, change, the line at fault: its text and which occurrence, expected)
    ("maxima", lambda t: t.replace("max_points: 40", "max_points: 41", 1), ("  max_points: 100", 1),
     "område 1: delfrågornas max summerar till 101 men områdets max är 100"),
    ("duplicate", lambda t: t.replace("id: '1.2'", "id: '1.1'", 1), ("id: '1.1'", 2), "delfråga 1.1: id förekommer två gånger"),
    ("unknown area", lambda t: t.replace("id: '1.2'", "id: '9.2'", 1), ("id: '9.2'", 1), "questions[2]: id '9.2' ska ha formen 1.N"),
    ("empty text", lambda t: t.replace("text: Hur tas medborgarförslag och synpunkter om hand?", "text: ''"), ("text: ''", 1),
     "delfråga 1.3: text saknas"),
    ("not a number", lambda t: t.replace("max_points: 50", "max_points: femtio", 1), ("max_points: femtio", 1),
     "delfråga 2.1: max_points måste vara ett tal, inte 'femtio'"),
    ("unknown status", lambda t: t.replace("status: active", "status: aktiv"), ("status: aktiv", 1), "okänd status 'aktiv'"),
    ("unknown key", lambda t: t.replace("short: Dialog mellan valen", "kort: Dialog mellan valen"), ("kort: Dialog", 1),
     "okänd nyckel 'kort'"),
    ("sources", lambda t: t.replace("      - website\n", "      - telefon\n", 1), ("sources:", 1), "sources ska vara en lista av interview"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case,change,at,expected", BAD_YAML, ids=[c[0] for c in BAD_YAML])
def test_a_bad_yaml_file_names_the_line_and_changes_nothing(run_cli, tmp_path, case, change, at, expected):
    path = _example(tmp_path, change)
    fragment, occurrence = at
    line = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if fragment in text][occurrence - 1]
    before = snapshot()
    code, out, err = run_cli("catalogue", "load", path)
    assert code == 1 and out == ""
    assert f"v.yaml rad {line}: version 2099" in err and expected in err, err
    assert snapshot() == before


@pytest.mark.django_db
def test_every_problem_of_a_file_is_named_on_a_line_of_its_own(run_cli, tmp_path):
    path = _example(tmp_path, lambda t: t.replace("max_points: 50", "max_points: femtio", 1).replace("status: active", "status: aktiv")
                    .replace("text: Hur tas medborgarförslag och synpunkter om hand?", "text: ''"))
    before = snapshot()
    code, _out, err = run_cli("catalogue", "load", path)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 4
    assert all(line.startswith("v.yaml rad ") for line in lines[:3])
    assert lines[3] == "kompass: v.yaml: 3 fel; ingenting är inläst"
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("as_id,expected", [
    ("20 99", "--as '20 99': ett versions-id är 1–20 bokstäver"),
    ("-2099", "--as '-2099'"),
    ("2010", "--as 2010: versionen finns redan"),
])
def test_as_with_a_malformed_or_taken_id_is_refused(run_cli, as_id, expected):
    before = snapshot()
    code, out, err = run_cli("catalogue", "load", EXAMPLE, "--as", as_id)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert expected in err
    assert snapshot() == before


def _exported_workbook(run_cli, tmp_path) -> Path:
    assert run_cli("catalogue", "load", EXAMPLE)[0] == 0
    path = tmp_path / "v.xlsx"
    assert run_cli("catalogue", "export", "2099", "--format", "xlsx", "--output", path)[0] == 0
    return path


def _edit(path: Path, sheet: str, cell: str, value) -> None:
    workbook = load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


@pytest.mark.django_db
@pytest.mark.parametrize("sheet,cell,value,expected", [
    ("Delfrågor", "F3", "fyrtio", "v.xlsx Delfrågor!F3: version 2099, område 1, delfråga 1.2: max_points måste vara ett tal"),
    ("Delfrågor", "F2", 41, "v.xlsx Områden!C2: version 2099, område 1: delfrågornas max summerar till 101"),
    ("Delfrågor", "A3", 9, "v.xlsx Delfrågor!A3: delfråga 1.2: området finns inte i bladet Områden"),
    ("Delfrågor", "C3", "1.1", "v.xlsx Delfrågor!C3: version 2099, område 1, delfråga 1.1: id förekommer två gånger"),
    ("Delfrågor", "D4", None, "v.xlsx Delfrågor!A4: version 2099, område 1, delfråga 1.3: text saknas"),
    ("Delfrågor", "F5", "=20+20", "v.xlsx Delfrågor!F5: en formel är inte tillåten"),
    ("Områden", "C2", "hundra", "v.xlsx Områden!C2: version 2099, område 1: max_points måste vara ett tal"),
    ("Version", "B5", "aktiv", "v.xlsx Version!B5: version 2099: okänd status 'aktiv'"),
])
def test_a_bad_workbook_names_the_sheet_and_cell_and_changes_nothing(run_cli, tmp_path, sheet, cell, value, expected):
    path = _exported_workbook(run_cli, tmp_path)
    _edit(path, sheet, cell, value)
    workbook = load_workbook(path)
    workbook["Version"]["B1"] = "2096"  # a new version, so nothing of it may exist afterwards
    workbook.save(path)
    before = snapshot()
    code, out, err = run_cli("catalogue", "load", path)
    assert code == 1 and out == ""
    assert expected.replace("version 2099", "version 2096") in err, err
    assert snapshot() == before


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_exported_as_text_and_loads_back(run_cli, tmp_path):
    formula = '=HYPERLINK("http://example.com","klicka")'
    path = _example(tmp_path, lambda t: t.replace("short: Information om beslut", f"short: '{formula}'"))
    assert run_cli("catalogue", "load", path)[0] == 0
    exported = tmp_path / "out.xlsx"
    assert run_cli("catalogue", "export", "2099", "--format", "xlsx", "--output", exported)[0] == 0
    cell = load_workbook(exported)["Delfrågor"]["E2"]
    assert (cell.value, cell.data_type) == (formula, "s")
    import zipfile

    with zipfile.ZipFile(exported) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert run_cli("catalogue", "load", exported, "--as", "2098")[0] == 0
    assert json.loads(run_cli("catalogue", "show", "2098", "--json")[1])["areas"][0]["questions"][0]["short"] == formula


# --- frozen versions --------------------------------------------------------------------------


def _use(code: str, year: int = 2024):
    """An evaluation of Örebro on version ``code``: the version is frozen from now on."""
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality

    return services.evaluation_create(
        municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code=code),
        facts=services.Facts(year=year, status="planned"),
    )


@pytest.mark.django_db
def test_a_frozen_version_refuses_a_structural_change_naming_each(run_cli, tmp_path):
    assert run_cli("catalogue", "load", EXAMPLE)[0] == 0
    _use("2099")

    def change(text):
        text = text.replace("max_points: 40", "max_points: 30", 1)
        return text.replace("  - id: '3.3'\n", "  - id: '3.4'\n    text: Ny fråga\n    max_points: 10\n  - id: '3.3'\n", 1)

    path = _example(tmp_path, lambda t: change(t).replace("  title: Styrning och kontroll\n  max_points: 100", "  title: Styrning och kontroll\n  max_points: 110")
                    .replace("  title: Samspel mellan förtroendevalda och medborgare\n  max_points: 100", "  title: Samspel mellan förtroendevalda och medborgare\n  max_points: 90"))
    before = snapshot()
    code, out, err = run_cli("catalogue", "load", path)
    assert code == 1 and out == ""
    assert "version 2099 är låst (används av 1 utvärderingar): delfråga 1.1: max 40 → 30" in err
    assert "område 1: max 100 → 90" in err and "område 3: max 100 → 110" in err
    assert "område 3: ny delfråga 3.4" in err
    assert "läs in filen som en ny version med --as ID" in err
    assert snapshot() == before
    # The same file derives a new version instead.
    assert run_cli("catalogue", "load", path, "--as", "2100")[0] == 0


@pytest.mark.django_db
def test_a_frozen_version_accepts_a_wording_correction_and_records_it(run_cli, tmp_path):
    from kompass.catalogue import definitions
    from kompass.catalogue.models import CatalogueChange, Framework
    from kompass.evaluations.summaries import data_version

    assert run_cli("catalogue", "load", EXAMPLE)[0] == 0
    evaluation = _use("2099")
    old_text = "Hur tas medborgarförslag och synpunkter om hand?"
    new_text = "Hur tas medborgarförslag, synpunkter och klagomål om hand?"
    path = _example(tmp_path, lambda t: t.replace(old_text, new_text).replace("full: Visionen är gemensam och följs upp årligen.",
                                                                              "full: Visionen är gemensam och följs upp varje år."))
    revision, version = Framework.objects.get(code="2099").revision, data_version()
    code, out, err = run_cli("catalogue", "load", path)
    assert code == 0, err
    assert "2 ändringar i formuleringar" in out
    row = Framework.objects.get(code="2099")
    assert row.revision == revision + 1
    assert data_version() != version
    assert evaluation.framework.definition.question("1.3").text == new_text == definitions.get("2099").question("1.3").text
    assert definitions.get("2099").question("2.1").guidance.full == "Visionen är gemensam och följs upp varje år."
    change = CatalogueChange.objects.get(framework=row, field="delfråga 1.3: text")
    assert (change.old, change.new) == (old_text, new_text)
    shown = json.loads(run_cli("catalogue", "show", "2099", "--json")[1])
    assert {"field": "delfråga 1.3: text", "old": old_text, "new": new_text} in [
        {k: c[k] for k in ("field", "old", "new")} for c in shown["record"]["changes"]
    ]
    assert shown["record"]["frozen"] is True
    with pytest.raises(PermissionError):
        change.delete()


@pytest.mark.django_db
def test_status_goes_forward_only(run_cli):
    from kompass.catalogue.models import Framework

    assert run_cli("catalogue", "load", EXAMPLE)[0] == 0
    Framework.objects.filter(code="2099").update(status="draft")
    assert not Framework.objects.get(code="2099").is_active
    assert run_cli("catalogue", "status", "2099", "active")[0] == 0
    assert Framework.objects.get(code="2099").is_active
    assert run_cli("catalogue", "status", "2099", "retired")[0] == 0
    before = snapshot()
    code, out, err = run_cli("catalogue", "status", "2099", "active")
    assert code == 1 and "kan inte gå tillbaka från retired till active" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_a_version_id_beyond_a_year_is_known_everywhere(run_cli, tmp_path, client):
    from kompass.catalogue import definitions
    from kompass.catalogue.models import Framework

    path = _example(tmp_path, lambda t: t.replace("id: '2099'", "id: 2020-NO").replace("language: sv", "language: nb"))
    assert run_cli("catalogue", "load", path)[0] == 0
    assert Framework.objects.get(code="2020-NO").definition.language == "nb"
    assert "2020-NO" in definitions.frameworks()
    assert client.get("/api/evaluations", {"framework": "2020-NO"}).status_code == 200
    assert client.get("/api/evaluations", {"framework": "2020-XX"}).status_code == 400


# --- the catalogue from the database --------------------------------------------------------


@pytest.mark.django_db
def test_a_change_written_by_another_process_is_seen_at_the_next_check():
    from django.db.models import F

    from kompass.catalogue import definitions, registry
    from kompass.catalogue.models import Area, Framework

    assert definitions.get("2020").area(2).title == "Samhällsutveckling"
    # As another process would write it: rows only, no cache of this process dropped.
    Area.objects.filter(framework__code="2020", number=2).update(title="Samhällsbyggande")
    Framework.objects.filter(code="2020").update(revision=F("revision") + 1)
    registry.recheck()  # what the start of a request, or a second's passing, does
    assert definitions.get("2020").area(2).title == "Samhällsbyggande"


def test_without_a_database_the_shipped_files_answer():
    from kompass.catalogue import definitions

    assert definitions.get("2010").status == "active" and definitions.get("2002").status == "retired"
    assert definitions.get("2010").public_questions and not definitions.get("2020").public_questions
    assert all(q.guidance is None for f in definitions.shipped().values() for q in f.questions)


@pytest.mark.django_db
def test_versions_in_the_catalogue_dir_are_loaded_on_migrate_and_never_silently_changed(settings, tmp_path):
    from kompass.catalogue import definitions
    from kompass.catalogue.definitions import CatalogueError
    from kompass.catalogue.models import Framework
    from kompass.catalogue.services import catalogue_sync

    directory = tmp_path / "versions"
    directory.mkdir()
    settings.KOMPASS_CATALOGUE_DIR = str(directory)
    _example(directory, name="2099.yaml")
    catalogue_sync()
    assert len(definitions.get("2099").questions) == 20
    revision = Framework.objects.get(code="2099").revision
    catalogue_sync()  # the file has not changed: nothing is loaded again
    assert Framework.objects.get(code="2099").revision == revision
    _use("2099")
    _example(directory, lambda t: t.replace("max_points: 40", "max_points: 30", 1).replace("max_points: 35", "max_points: 45", 1), name="2099.yaml")
    before = snapshot()
    with pytest.raises(CatalogueError, match="delfråga 1.1: max 40 → 30"):
        catalogue_sync()
    assert snapshot() == before


@pytest.mark.django_db
def test_shipped_rows_carry_the_new_fields():
    from kompass.catalogue.models import Framework

    rows = {f.code: f for f in Framework.objects.all()}
    assert [rows[c].status for c in ("2002", "2010", "2016", "2020")] == ["retired", "active", "active", "active"]
    assert rows["2010"].public_questions and not rows["2016"].public_questions
    assert rows["2020"].max_points == Decimal(800) and rows["2020"].owner


@pytest.mark.django_db
def test_a_dry_run_shows_what_would_change_and_saves_nothing(run_cli, tmp_path):
    assert run_cli("catalogue", "load", EXAMPLE)[0] == 0
    path = _example(tmp_path, lambda t: t.replace("title: Effektivitet", "title: Effektivitet och produktivitet"))
    before = snapshot()
    code, out, err = run_cli("catalogue", "load", path, "--dry-run")
    assert code == 0, err
    assert "1 ändringar i formuleringar (provkörning: ingenting sparades)" in out
    assert "område 4: title: Effektivitet → Effektivitet och produktivitet" in out
    assert snapshot() == before
    code, out, _err = run_cli("catalogue", "load", EXAMPLE, "--as", "2100", "--dry-run")
    assert code == 0 and "Version 2100: ny" in out
    assert snapshot() == before


@pytest.mark.django_db
def test_a_crosswalk_to_itself_is_refused(run_cli, tmp_path):
    path = _example(tmp_path, lambda t: t + "crosswalks:\n- to: '2100'\n  areas: {'1': [1]}\n")
    before = snapshot()
    code, _out, err = run_cli("catalogue", "load", path, "--as", "2100")
    assert code == 1 and "en korsreferens ska gå till en annan version" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_the_hot_path_asks_the_database_at_most_once_a_second(django_assert_num_queries):
    from kompass.catalogue import definitions, registry

    definitions.get("2010")  # built once
    with django_assert_num_queries(0):
        for _ in range(1000):
            definitions.get("2010")
    registry.recheck()  # a new request, or a second later: one small query, nothing rebuilt
    with django_assert_num_queries(3) as captured:  # within the test's transaction: in a savepoint
        definitions.get("2010")
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SAVEPOINT", "SELECT", "RELEASE"]
