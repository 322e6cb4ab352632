"""kompass import-results: result tables (CSV) into evaluations, reconstructed from their
rounded prints; a file with any error saves nothing (the tests compare whole exports)."""

import json
from decimal import Decimal

import pytest

from kompass.dump.export import dumps, export_document
from kompass.evaluations.models import AreaAssessment, Evaluation
from kompass.importers import results
from kompass.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

HEADER = "country,municipality_code,municipality_name,year,framework,total," + ",".join(f"area_{n}" for n in range(1, 9)) + ",source"
OREBRO_2012 = "SE,1880,Örebro,2012,2010,615,68,85,86,74,70,74,71,87,SKL: Kommunkompassen – Analys av Örebro kommun 2015"
OREBRO_2010 = "SE,1880,Örebro kommun,2010,2010,515,,,66,59,51,,55,,SKL: Kommunkompassen – Analys av Örebro kommun 2015"
STOCKHOLM_2012 = "SE,0180,Stockholm,2012,2010,615,68,85,86,74,70,74,71,87,"
UPPSALA_2016 = "SE,0380,Uppsala kommun,2016,2016,,60,61.5,62,63,64,65,66,67,Uppsala kommuns webbplats"


def write(tmp_path, *lines, header=HEADER, name="resultat.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def snapshot():
    return dumps(export_document()), Municipality.objects.count()


def shown(run_cli, code, year, *extra):
    status, out, err = run_cli("show", code, year, "--json", *extra)
    assert status == 0, err
    return json.loads(out)


def area(code, year, number):
    return AreaAssessment.objects.get(evaluation__municipality__code=code, evaluation__year=year, area__number=number)


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """Run from the file's folder, so messages name it as a user would type it."""
    monkeypatch.chdir(tmp_path)


def run_import(run_cli, path, *options):
    return run_cli("import-results", path.name, *options)


# --- valid files ------------------------------------------------------------------------


def test_a_comma_separated_file_with_decimal_points(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2012, UPPSALA_2016)
    status, out, err = run_import(run_cli, path)
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == "resultat.csv: 2 utvärderingar sparades"

    orebro = shown(run_cli, 1880, 2012)
    assert orebro["status"] == "published"
    assert orebro["total"]["rounded"] == 615
    assert [a["rounded"] for a in orebro["areas"]] == [68, 85, 86, 74, 70, 74, 71, 87]
    assert all(a["questions"] == [] for a in orebro["areas"])
    first = area("1880", 2012, 1)  # a rounded print: reconstructed, with its interval
    assert (first.score, first.score_low, first.score_high) == (Decimal("68.00"), Decimal("67.50"), Decimal("68.49"))
    assert Evaluation.objects.get(year=2012).data_source == "SKL: Kommunkompassen – Analys av Örebro kommun 2015"

    uppsala = shown(run_cli, "0380", 2016)
    assert uppsala["framework"] == "2016"
    assert [a["score"] for a in uppsala["areas"]] == ["60.00", "61.50", "62.00", "63.00", "64.00", "65.00", "66.00", "67.00"]
    assert uppsala["total"]["score"] == "508.50"
    exact = area("0380", 2016, 2)  # written with decimals: exact, no interval
    assert (exact.score, exact.score_low, exact.score_high) == (Decimal("61.50"), None, None)
    assert area("0380", 2016, 1).score_low == Decimal("59.50")


def test_a_swedish_spreadsheet_semicolons_decimal_commas_and_bom(run_cli, tmp_path, db):
    header = "\ufeff Country ; MUNICIPALITY_CODE;Municipality_Name;Year;Framework;Total;" + ";".join(f"Area_{n}" for n in range(1, 9)) + ";Source "
    path = write(tmp_path, "SE;1880;örebro;2012;2010;;73,5;85;86;74;70;74;71;87;Nerikes Allehanda", header=header)
    status, out, err = run_import(run_cli, path)
    assert (status, err) == (0, "")
    document = shown(run_cli, 1880, 2012)
    assert document["areas"][0]["score"] == "73.50" and document["areas"][0]["rounded"] == 74
    assert [a["rounded"] for a in document["areas"][1:]] == [85, 86, 74, 70, 74, 71, 87]
    assert document["total"]["score"] == "620.50"  # 73.5 exact and the other seven at their printed values
    assert area("1880", 2012, 2).score_low == Decimal("84.50")


def test_lines_are_physical_lines_with_crlf_blank_lines_and_quoted_line_breaks(run_cli, tmp_path, db):
    quoted = OREBRO_2010.replace("SKL: Kommunkompassen", '"SKL:\r\nKommunkompassen') + '"'
    lines = [HEADER, "", quoted, ",,,,,,,,,,,,,,", "SE,0180,Stockholm,2012,2010,,70,120,70,70,70,70,70,70,"]
    path = tmp_path / "resultat.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    status, out, err = run_import(run_cli, path, "--skip-invalid", "--json")
    report = json.loads(out)
    assert [c["line"] for c in report["created"]] == [3]
    assert report["errors"] == [{"line": 6, "column": "area_2", "message": "poängen kan vara högst 100"}]
    assert Evaluation.objects.get().data_source == "SKL:\r\nKommunkompassen – Analys av Örebro kommun 2015"


def test_a_trailing_separator_on_every_line_is_ignored(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2010 + ",", header=HEADER + ",")
    assert run_import(run_cli, path)[0] == 0
    assert Evaluation.objects.count() == 1


def test_orebro_2012_and_2010_into_an_empty_database_match_the_demo_data(run_cli, tmp_path, db):
    assert Evaluation.objects.count() == 0
    path = write(tmp_path, OREBRO_2012, OREBRO_2010)
    assert run_import(run_cli, path)[0] == 0

    e2012, e2010 = shown(run_cli, 1880, 2012), shown(run_cli, 1880, 2010)
    assert e2012["total"]["rounded"] == 615
    assert e2012["total"]["score"] == "615.00"  # the printed areas add up to the printed total
    assert [a["rounded"] for a in e2012["areas"]] == [68, 85, 86, 74, 70, 74, 71, 87]
    assert e2010["total"] == {"score": "515.00", "rounded": 515, "max": 800, "percent": 64}
    assert [a["rounded"] for a in e2010["areas"]] == [None, None, 66, 59, 51, None, 55, None]
    evaluation = Evaluation.objects.get(year=2010)
    assert (evaluation.total_low, evaluation.total_high) == (Decimal("514.50"), Decimal("515.49"))

    # The same numbers as the demo data, which holds them from the seed.
    def numbers(document):
        return document["total"]["rounded"], [(a["rounded"], a["percent"]) for a in document["areas"]]

    imported = numbers(e2012), numbers(e2010)
    Evaluation.objects.all().delete()
    from kompass.demo import demo_load

    demo_load()
    assert (numbers(shown(run_cli, 1880, 2012)), numbers(shown(run_cli, 1880, 2010))) == imported


def test_a_total_off_by_rounding_is_accepted_with_a_warning(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2012.replace(",615,", ",614,"))
    status, out, err = run_import(run_cli, path, "--json")
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["errors"] == []
    assert report["warnings"] == [
        {"line": 2, "message": "totalpoäng: områdenas avrundade poäng summerar till 615 och totalen är 614; skillnaden förklaras av avrundning"}
    ]
    areas = AreaAssessment.objects.filter(evaluation__year=2012)
    stored = sum(a.score for a in areas)
    assert stored == Decimal("614.00")  # the printed total, met exactly
    assert all(a.score_low <= a.score <= a.score_high for a in areas)
    assert report["created"][0]["total"] == str(stored)


def test_a_new_norwegian_municipality_is_created_from_code_and_name(run_cli, tmp_path, db):
    before = Municipality.objects.count()
    path = write(tmp_path, "no,0101,Halden kommune,2014,2010,480,,,,,,,,,Kommuneforlaget", "NO,101,Halden kommune,2016,2016,500,,,,,,,,,")
    status, out, err = run_import(run_cli, path)
    assert (status, err) == (0, "")
    assert "rad 2: kommunen NO 0101 Halden kommune finns inte och läggs till" in out.splitlines()
    assert "rad 3: kommunkoden 101 läses som 0101" in out.splitlines()
    assert Municipality.objects.count() == before + 1
    oslo = Municipality.objects.get(country="NO", code="0101")
    assert oslo.name == "Halden kommune"
    assert shown(run_cli, "0101", 2014, "--country", "NO")["total"]["score"] == "480.00"
    assert oslo.evaluations.count() == 2


# --- bad input: nothing saved, one line on stderr ----------------------------------------

BAD = [
    ("unknown SE code", [UPPSALA_2016, "SE,9999,,2012,2010,600,,,,,,,,,"], "rad 3, kolumn municipality_code: okänd kommunkod SE 9999"),
    ("name of another municipality", [UPPSALA_2016, "SE,1880,Göteborg,2012,2010,600,,,,,,,,,"], "rad 3, kolumn municipality_name: 'Göteborg' är inte namnet på kommun 1880 (Örebro kommun)"),
    ("area above 100", [UPPSALA_2016, "SE,0180,Stockholm,2012,2010,,70,120,70,70,70,70,70,70,"], "rad 3, kolumn area_2: poängen kan vara högst 100"),
    ("total above 800", ["SE,0180,Stockholm,2012,2010,801,,,,,,,,,"], "rad 2, kolumn total: poängen kan vara högst 800"),
    ("three decimals", ["SE,0180,Stockholm,2012,2010,,70.125,70,70,70,70,70,70,70,"], "rad 2, kolumn area_1: poängen kan ha högst två decimaler"),
    ("not a number", ["SE,0180,Stockholm,2012,2010,sexhundra,,,,,,,,,"], "rad 2, kolumn total: 'sexhundra' är inget tal"),
    ("total off by more than rounding", [UPPSALA_2016, STOCKHOLM_2012.replace(",615,", ",630,")], "rad 3, kolumn total: totalpoäng: områdena ger 611,00–618,92, men totalen är 630"),
    ("total missing with areas missing", ["SE,0180,Stockholm,2012,2010,,70,,,,,,,,"], "rad 2, kolumn total: saknas; totalen får vara tom bara när alla 8 områden är ifyllda"),
    ("year in the future", ["SE,0180,Stockholm,2099,2010,500,,,,,,,,,"], "rad 2, kolumn year: år: 2099 ligger i framtiden"),
    ("year before Kommunkompassen", ["SE,0180,Stockholm,1990,2010,500,,,,,,,,,"], "rad 2, kolumn year: år: 1990 är före 1995"),
    ("unknown framework", ["SE,0180,Stockholm,2012,2011,500,,,,,,,,,"], "rad 2, kolumn framework: okänd version '2011'"),
    ("new municipality without a name", [UPPSALA_2016, "DK,0999,,2012,2010,500,,,,,,,,,"], "rad 3, kolumn municipality_name: saknas; kommunen DK 0999 är ny"),
    ("unknown country", ["FI,0091,Helsingfors,2012,2010,500,,,,,,,,,"], "rad 2, kolumn country: 'FI' är inget av SE, NO, DK"),
    ("same evaluation twice", [UPPSALA_2016, "SE,0180,Stockholm,2012,2010,500,,,,,,,,,", "SE,0180,Stockholms kommun,2012,2010,501,,,,,,,,,"], "rad 3: samma kommun, år och version som rad 4"),
    ("already in the database", [UPPSALA_2016, OREBRO_2012], "rad 3: Örebro kommun (SE 1880) 2012, version 2010, finns redan i databasen"),
    ("decimal comma unquoted in a comma file", ["SE,0180,Stockholm,2012,2010,500,70,5" + "," * 8], "rad 2: raden har 16 fält men rubriken 15 (ett decimalkomma"),
]


@pytest.mark.parametrize("lines,expected", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_row_saves_nothing(run_cli, tmp_path, demo, lines, expected):
    before = snapshot()
    path = write(tmp_path, *lines)
    status, out, err = run_import(run_cli, path)
    assert status == 1
    assert err.startswith(f"kompass: resultat.csv, {expected}"), err
    assert err.endswith("inget sparades)\n") and err.count("\n") == 1 and "Traceback" not in err
    assert out.splitlines()[0].startswith("resultat.csv: inget sparades")
    assert expected in out
    assert snapshot() == before


def test_the_same_evaluation_twice_names_both_lines(run_cli, tmp_path, db):
    path = write(tmp_path, "SE,0180,Stockholm,2012,2010,500,,,,,,,,,", UPPSALA_2016, "SE,0180,Stockholm,2012,2010,500,,,,,,,,,")
    status, out, err = run_import(run_cli, path, "--json")
    assert status == 1
    assert json.loads(out)["errors"] == [
        {"line": 2, "column": None, "message": "samma kommun, år och version som rad 4"},
        {"line": 4, "column": None, "message": "samma kommun, år och version som rad 2"},
    ]
    assert err == "kompass: resultat.csv, rad 2: samma kommun, år och version som rad 4 (och 1 fel till; inget sparades)\n"
    assert Evaluation.objects.count() == 0


BAD_FILES = [
    ("missing column", (HEADER.replace(",area_5", "") + "\n" + UPPSALA_2016.replace(",64,", ",") + "\n").encode(), "resultat.csv, rad 1, kolumn area_5: kolumnen saknas (inget sparades)"),
    ("unknown column", (HEADER + ",comment\n" + UPPSALA_2016 + ",ok\n").encode(), "resultat.csv, rad 1, kolumn comment: okänd kolumn"),
    ("value under no header", (HEADER + ",\n" + UPPSALA_2016 + ",x\n").encode(), "resultat.csv, rad 2: värde i en kolumn utan rubrik"),
    ("misspelt column", (HEADER.replace("total", "totla") + "\n" + UPPSALA_2016 + "\n").encode(), "resultat.csv, rad 1, kolumn total: kolumnen saknas (och 1 fel till; inget sparades)"),
    ("empty file", b"", "resultat.csv: filen är tom (inget sparades)"),
    ("only blank lines", b"\xef\xbb\xbf\n \n", "resultat.csv: filen är tom (inget sparades)"),
    ("only separators", b";;;\r\n;;;\r\n", "resultat.csv: filen är tom (inget sparades)"),
    ("header only", (HEADER + "\n").encode(), "resultat.csv: filen har bara en rubrikrad och inga resultat (inget sparades)"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "resultat.csv: binär fil, ingen CSV-text (inget sparades)"),
    ("not UTF-8", (HEADER + "\n" + UPPSALA_2016 + "\n" + "SE,1880,Örebro,2011,2010,515,,,,,,,,,Örebro kommun\n").encode("cp1252"), "resultat.csv, rad 3: filen är inte UTF-8 (byte 0xd6); spara den som CSV UTF-8 (inget sparades)"),
    ("UTF-16", (HEADER + "\n" + UPPSALA_2016 + "\n").encode("utf-16"), "resultat.csv: filen är UTF-16; spara den som CSV UTF-8 (inget sparades)"),
]


@pytest.mark.parametrize("content,expected", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_saves_nothing(run_cli, tmp_path, demo, content, expected):
    before = snapshot()
    path = tmp_path / "resultat.csv"
    path.write_bytes(content)
    status, out, err = run_import(run_cli, path)
    assert status == 1
    assert err.startswith(f"kompass: {expected}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_reading(run_cli, tmp_path, demo, monkeypatch):
    monkeypatch.setattr(results, "MAX_BYTES", 100)
    monkeypatch.setattr(results.Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    before = snapshot()
    path = write(tmp_path, UPPSALA_2016)
    status, out, err = run_import(run_cli, path)
    assert status == 1
    assert err == f"kompass: resultat.csv: filen är {path.stat().st_size} byte, mer än gränsen 100 byte (inget sparades)\n"
    assert snapshot() == before


def test_a_missing_file(run_cli, tmp_path, db):
    status, out, err = run_cli("import-results", tmp_path / "saknas.csv")
    assert status == 1
    assert err.startswith(f"kompass: {tmp_path / 'saknas.csv'}: kan inte läsas (") and err.count("\n") == 1


# --- options -----------------------------------------------------------------------------


def test_skip_invalid_saves_the_valid_rows_and_lists_the_others(run_cli, tmp_path, db):
    path = write(
        tmp_path,
        OREBRO_2012,
        "SE,0180,Stockholm,2012,2010,,70,120,70,70,70,70,70,70,",
        "NO,5001,Trondheim kommune,2012,2010,,,,,,,,,,",  # no total: invalid, and Trondheim is not added
        UPPSALA_2016,
    )
    before = Municipality.objects.count()
    status, out, err = run_import(run_cli, path, "--skip-invalid", "--json")
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert [(c["line"], c["municipality"]["code"]) for c in report["created"]] == [(2, "1880"), (5, "0380")]
    assert report["skipped"] == [{"line": 3, "municipality_code": "0180", "year": "2012"}, {"line": 4, "municipality_code": "5001", "year": "2012"}]
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(3, "area_2"), (4, "total")]
    assert sorted(Evaluation.objects.values_list("municipality__code", flat=True)) == ["0380", "1880"]
    assert Municipality.objects.count() == before

    Evaluation.objects.all().delete()
    status, out, err = run_import(run_cli, path, "--skip-invalid")
    assert status == 0
    assert out.splitlines()[0] == "resultat.csv: 2 utvärderingar sparades, 2 rader hoppades över (3, 4)"
    assert "rad 3, kolumn area_2: poängen kan vara högst 100" in out.splitlines()


def test_dry_run_reports_what_it_would_create_and_saves_nothing(run_cli, tmp_path, demo):
    before = snapshot()
    path = write(tmp_path, UPPSALA_2016, "NO,0101,Halden kommune,2014,2010,480,,,,,,,,,")
    status, out, err = run_import(run_cli, path, "--dry-run")
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == "resultat.csv (provkörning, inget sparades): 2 utvärderingar skulle sparas"
    status, out, err = run_import(run_cli, path, "--dry-run", "--json")
    report = json.loads(out)
    assert report["dry_run"] is True
    assert [(c["municipality"]["name"], c["year"], c["total"]) for c in report["created"]] == [("Uppsala kommun", 2016, "508.50"), ("Halden kommune", 2014, "480.00")]
    assert snapshot() == before


def test_dry_run_with_errors_is_refused(run_cli, tmp_path, db):
    path = write(tmp_path, "SE,0180,Stockholm,2012,2010,900,,,,,,,,,")
    status, out, err = run_import(run_cli, path, "--dry-run")
    assert status == 1 and err.startswith("kompass: resultat.csv, rad 2, kolumn total:")


def test_json_shape(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2010, "NO,0101,Halden kommune,2014,2010,480,,,,,,,,,")
    status, out, err = run_import(run_cli, path, "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "file": "resultat.csv",
        "dry_run": False,
        "created": [
            {"line": 2, "municipality": {"code": "1880", "name": "Örebro kommun", "country": "SE"}, "year": 2010, "framework": "2010", "total": "515.00"},
            {"line": 3, "municipality": {"code": "0101", "name": "Halden kommune", "country": "NO"}, "year": 2014, "framework": "2010", "total": "480.00"},
        ],
        "skipped": [],
        "warnings": [{"line": 3, "message": "kommunen NO 0101 Halden kommune finns inte och läggs till"}],
        "errors": [],
    }


def test_json_when_refused(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2010, "SE,0180,Stockholm,2012,2010,,70,120,70,70,70,70,70,70,")
    status, out, err = run_import(run_cli, path, "--json")
    assert status == 1
    assert json.loads(out) == {
        "file": "resultat.csv",
        "dry_run": False,
        "created": [],
        "skipped": [],
        "warnings": [],
        "errors": [{"line": 3, "column": "area_2", "message": "poängen kan vara högst 100"}],
    }
    assert err == "kompass: resultat.csv, rad 3, kolumn area_2: poängen kan vara högst 100 (inget sparades)\n"
    assert Evaluation.objects.count() == 0


def test_draft(run_cli, tmp_path, db):
    path = write(tmp_path, OREBRO_2010)
    assert run_import(run_cli, path, "--draft")[0] == 0
    assert shown(run_cli, 1880, 2010)["status"] == "planned"
