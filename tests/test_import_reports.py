"""`kompass import`: published reports (the seed's text, PDF, DOCX) into evaluations."""

import json
import subprocess
from decimal import Decimal

import pytest

from conftest import SEED
from kompass.benchmark.models import PublishedReference
from kompass.dump.export import dumps, export_document
from kompass.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def _show(run_cli, year):
    code, out, err = run_cli("show", "1880", year, "--json")
    assert code == 0, err
    return json.loads(out)


def _assert_seed_overview(run_cli, seed_overview):
    document = _show(run_cli, 2015)
    rows = {q["id"]: q for a in document["areas"] for q in a["questions"]}
    for row in seed_overview.questions:
        assert (rows[row.id]["rounded"], rows[row.id]["max"], rows[row.id]["percent"]) == (row.rounded, row.max, row.percent), row.id
    for area in document["areas"]:
        _title, rounded, percent = seed_overview.areas[area["number"]]
        assert (area["rounded"], area["percent"]) == (rounded, percent)
    assert document["total"]["rounded"] == 650


def test_the_seed_into_an_empty_database(db, run_cli, seed_overview):
    assert Evaluation.objects.count() == 0
    code, out, err = run_cli("import", SEED)
    assert code == 0, err
    assert "2015 (2010): skapad" in out and "2012 (2010): skapad" in out and "2010 (2010): skapad" in out
    line = SEED.read_text(encoding="utf-8").splitlines().index("\t\t74\t100\t74%", 400) + 1  # area 7's total row
    assert f"område 7 (rad {line}): delfrågornas avrundade poäng summerar till 76 och området visar 74; skillnaden förklaras av avrundning" in out
    _assert_seed_overview(run_cli, seed_overview)
    assert [a["rounded"] for a in _show(run_cli, 2012)["areas"]] == [68, 85, 86, 74, 70, 74, 71, 87]
    assert _show(run_cli, 2012)["total"]["rounded"] == 615
    assert _show(run_cli, 2010)["total"] == {"score": "515.00", "rounded": 515, "max": 800, "percent": 64}
    [average] = PublishedReference.objects.all()
    assert (average.value, average.from_year) == (Decimal(461), 2010)


def test_the_seed_keeps_intervals_texts_and_facts(db, run_cli):
    run_cli("import", SEED)
    evaluation = Evaluation.objects.get(year=2015)
    q11 = evaluation.question_assessments.get(question__code="1.1")
    assert (q11.score_low, q11.score_high) == (Decimal("10.50"), Decimal("10.57"))  # 11 of 15 and 70 %
    assert q11.score_low <= q11.score <= q11.score_high
    assert (evaluation.ordinal, evaluation.month, evaluation.interviewees, evaluation.interviewees_approximate) == (5, 10, 30, True)
    assert [(e.name, e.organisation) for e in evaluation.evaluators.all()][0] == ("Lars Strid", "SKL")
    strengths = evaluation.findings.filter(area__number=1, kind="strength").order_by("position")
    assert [f.text for f in strengths][:2] == ["Teckenspråksinformation", "”Riktlinjer för medborgardialog”"]
    assert strengths.count() == 9
    assert evaluation.area_assessments.get(area__number=1).changes_text.startswith("Vad som framgår vid utvärderingen")
    assert "Kommunens resultat 2015 med 650 poäng" in evaluation.summary_text
    earlier = Evaluation.objects.get(year=2012)
    assert earlier.question_assessments.exclude(text="").count() == 45
    assert earlier.area_assessments.get(area__number=1).score_low == Decimal("67.50")


def test_importing_twice_creates_nothing_new_and_replace_replaces(db, run_cli):
    run_cli("import", SEED)
    before = dumps(export_document())
    code, out, _err = run_cli("import", SEED)
    assert code == 0 and out.count("fanns redan, oförändrad") == 3
    assert dumps(export_document()) == before
    code, out, _err = run_cli("import", SEED, "--replace", "--json")
    assert [e["action"] for e in json.loads(out)["evaluations"]] == ["updated", "updated", "updated"]
    assert Evaluation.objects.count() == 3


def test_dry_run_saves_nothing_and_json_has_the_shape(db, run_cli):
    code, out, _err = run_cli("import", SEED, "--dry-run", "--json")
    assert code == 0
    document = json.loads(out)
    assert set(document) == {"file", "municipality", "year", "framework", "total", "areas", "questions_found", "evaluations", "warnings"}
    assert document["municipality"] == {"code": "1880", "name": "Örebro kommun"}
    assert (document["year"], document["framework"], document["questions_found"]) == (2015, "2010", 45)
    assert Decimal(document["total"]).quantize(Decimal(1)) == 650
    assert [a["rounded"] for a in document["areas"]] == [74, 90, 89, 80, 72, 81, 74, 90]
    assert [(e["year"], e["action"]) for e in document["evaluations"]] == [(2015, "created"), (2012, "created"), (2010, "created")]
    assert Evaluation.objects.count() == 0 and PublishedReference.objects.count() == 0


def _report(run_cli, tmp_path, fmt):
    path = tmp_path / f"orebro.{fmt}"
    assert run_cli("report", "1880", "2015", "--format", fmt, "--output", path)[0] == 0
    return path


def _empty():
    Evaluation.objects.all().delete()
    PublishedReference.objects.all().delete()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_our_own_reports_import_exactly_from_their_embedded_data(demo, run_cli, tmp_path, fmt):
    path = _report(run_cli, tmp_path, fmt)
    before = json.dumps(_show(run_cli, 2015))
    _empty()
    code, out, err = run_cli("import", path)
    assert code == 0, err
    assert "exakt, från rapportens inbäddade data" in out
    assert json.dumps(_show(run_cli, 2015)) == before  # the very decimals, not estimates


@pytest.mark.parametrize("fmt", ["docx", "pdf-text", "pdftotext-layout"])
def test_our_own_reports_read_back_as_text(demo, run_cli, tmp_path, seed_overview, fmt):
    """Without the embedded data: the DOCX, the PDF's text (pypdf) and another tool's."""
    from kompass.reports.context import report_context
    from kompass.reports.html import report_html
    from kompass.reports.pdf import render_pdf

    if fmt == "docx":
        from kompass.reports.docx import report_docx

        context = report_context(Evaluation.objects.get(year=2015))
        context.data = None  # without the embedded data
        path = tmp_path / "plain.docx"
        path.write_bytes(report_docx(context))
    else:
        html = report_html(report_context(Evaluation.objects.get(year=2015)), for_print=True)
        path = tmp_path / "plain.pdf"
        path.write_bytes(render_pdf(html))  # no attachment
        if fmt == "pdftotext-layout":
            text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
            path = tmp_path / "plain.txt"
            path.write_text(text, encoding="utf-8")
    _empty()
    code, out, err = run_cli("import", path)
    assert code == 0, err
    _assert_seed_overview(run_cli, seed_overview)
    assert [a["rounded"] for a in _show(run_cli, 2012)["areas"]] == [68, 85, 86, 74, 70, 74, 71, 87]
    evaluation = Evaluation.objects.get(year=2015)
    assert [f.text for f in evaluation.findings.filter(area__number=2, kind="improvement").order_by("position")] == [
        "Resultatjämförelser av enheter på hemsidan",
        "Visa på förbättringar av inkomna synpunkter och klagomål",
        "Bättre samordning kring deklarationer och synpunktshantering",
    ]


@pytest.fixture
def unchanged(demo):
    before = dumps(export_document())
    yield
    assert dumps(export_document()) == before


def _seed_text():
    return SEED.read_text(encoding="utf-8")


def _refused(run_cli, path, *options):
    code, out, err = run_cli("import", path, *options)
    assert (code, out) == (1, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.strip()


def test_a_pdf_that_is_not_a_report(unchanged, run_cli, tmp_path, capsys):
    from weasyprint import HTML

    path = tmp_path / "faktura.pdf"
    HTML(string="<h1>Faktura</h1><p>Att betala: 1 200 kr</p>").write_pdf(path)
    capsys.readouterr()  # WeasyPrint's own warnings while the test makes its file
    assert _refused(run_cli, path) == "kompass: faktura.pdf: ingen Kommunkompassen-rapport (hittar inte ”Analys av <kommun> <år>”)"


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("tom.txt", b"", "tom.txt: filen är tom"),
        ("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.txt: filen är binär, inte text"),
        ("latin1.txt", "Analys av Örebro kommun 2015".encode("latin-1"), "latin1.txt: texten är inte UTF-8"),
        ("falsk.pdf", b"hej", "falsk.pdf: filen heter .pdf men är ingen PDF"),
        ("falsk.docx", b"hej", "falsk.docx: filen heter .docx men är inget Word-dokument"),
        ("rapport.odt", b"hej", "rapport.odt: okänd filtyp .odt"),
    ],
)
def test_unreadable_files(unchanged, run_cli, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert _refused(run_cli, path).startswith("kompass: " + expected)


def test_a_file_over_the_size_limit(unchanged, run_cli, tmp_path, monkeypatch):
    from kompass.importers import extract

    monkeypatch.setattr(extract, "MAX_BYTES", 1000)
    assert "000_6d41023fb3f89d2a.txt: filen är 0.1 MB; gränsen är 0 MB" in _refused(run_cli, SEED)


def test_a_report_cut_off_inside_its_overview(unchanged, run_cli, tmp_path):
    text = _seed_text()
    path = tmp_path / "avbruten.txt"
    path.write_text(text[: text.index("6.3\tHur stor vikt")], encoding="utf-8")
    message = _refused(run_cli, path)
    assert message == "kompass: avbruten.txt: översikten är avbruten: delfråga 6.3–8.6 saknas (15 av 45; importera ändå med --partial)"


def test_a_title_whose_year_its_tables_contradict(unchanged, run_cli, tmp_path):
    path = tmp_path / "orebro.txt"
    path.write_text(_seed_text().replace("ÖREBRO KOMMUN\n\n2015", "ÖREBRO KOMMUN\n\n2016", 1), encoding="utf-8")
    line = _seed_text().splitlines().index("Rubriker\t2015\t2012") + 2  # the table's scores, on the line after
    assert _refused(run_cli, path) == f"kompass: orebro.txt: titeln säger 2016, men tabellen i område 1 (rad {line}) gäller 2015"


def test_a_cut_off_report_imports_with_partial(db, run_cli, tmp_path):
    text = _seed_text()
    path = tmp_path / "avbruten.txt"
    path.write_text(text[: text.index("6.3\tHur stor vikt")], encoding="utf-8")
    code, _out, err = run_cli("import", path, "--partial")
    assert code == 0, err
    document = _show(run_cli, 2015)
    areas = {a["number"]: a for a in document["areas"]}
    assert areas[1]["rounded"] == 74 and areas[1]["questions"][0]["rounded"] == 11
    assert areas[8]["rounded"] == 90  # from the chapter's table
    assert document["total"]["rounded"] == 650


def test_a_report_cut_off_before_its_overview(unchanged, run_cli, tmp_path):
    text = _seed_text()
    path = tmp_path / "kort.txt"
    path.write_text(text[: text.index("4. Översikt av poängfördelning\n\nNedanstående")], encoding="utf-8")
    assert _refused(run_cli, path) == "kompass: kort.txt: rapporten saknar Översikt av poängfördelning (importera ändå med --partial)"


def test_a_row_whose_percentage_contradicts_its_points(unchanged, run_cli, tmp_path):
    text = _seed_text().replace("information?\t11\t15\t70%", "information?\t11\t15\t90%")
    path = tmp_path / "fel.txt"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("11\t15\t90%")].count("\n") + 1
    assert _refused(run_cli, path) == f"kompass: fel.txt 2015: delfråga 1.1 (rad {line}): 11 poäng och 90 % av 15 går inte ihop"


def test_an_area_total_that_contradicts_its_chapter(unchanged, run_cli, tmp_path):
    text = _seed_text().replace("\t\t74\t100\t74%", "\t\t79\t100\t79%", 1)
    path = tmp_path / "summa.txt"
    path.write_text(text, encoding="utf-8")
    chapter = text[: text.index("\t74\t68")].count("\n") + 1
    overview = text[: text.index("\t\t79\t100")].count("\n") + 1
    assert _refused(run_cli, path) == f"kompass: summa.txt: område 1: kapitel 3 (rad {chapter}) visar 74, översikten (rad {overview}) 79"


def test_an_area_total_that_its_rows_cannot_give(unchanged, run_cli, tmp_path):
    text = _seed_text().replace("\t\t74\t100\t74%", "\t\t79\t100\t79%", 1).replace("\t74\t68", "\t79\t68", 1)
    path = tmp_path / "summa.txt"
    path.write_text(text, encoding="utf-8")
    message = _refused(run_cli, path)
    assert "område 1" in message and "delfrågorna ger 73,78–74,51, men området visar 79" in message


def test_an_unknown_municipality_name(unchanged, run_cli, tmp_path):
    path = tmp_path / "okand.txt"
    path.write_text(_seed_text().replace("ÖREBRO KOMMUN", "PÅHITTADS KOMMUN"), encoding="utf-8")
    assert _refused(run_cli, path) == "kompass: okänd kommun 'PÅHITTADS KOMMUN'"


def test_a_directory_goes_on_past_a_bad_file(db, run_cli, tmp_path, capsys):
    folder = tmp_path / "rapporter"
    folder.mkdir()
    (folder / "a-orebro.txt").write_text(_seed_text(), encoding="utf-8")
    (folder / "b-tom.txt").write_bytes(b"")
    (folder / "c-anteckning.md").write_text("inte en rapport", encoding="utf-8")  # not a report suffix: left alone
    code, out, err = run_cli("import", folder)
    assert code == 1
    assert "2/2" in err  # the progress bar reached the end
    assert "a-orebro.txt" in out and "Örebro kommun" in out and "650" in out
    assert "b-tom.txt" in out and "filen är tom" in out
    assert out.strip().endswith("1 av 2 filer importerade, 1 med fel.")
    assert Evaluation.objects.count() == 3


def test_every_contradiction_is_listed_with_its_line(unchanged, run_cli, tmp_path):
    text = _seed_text().replace("information?\t11\t15\t70%", "information?\t11\t15\t90%").replace("\t18\t20\t88%", "\t18\t20\t60%")
    path = tmp_path / "fel.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("import", path)
    assert code == 1 and err.count("\n") == 1 and "(och 1 problem till)" in err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("fel.txt 2015: delfråga 1.1 (rad ") and lines[1].startswith("fel.txt 2015: delfråga 8.2 (rad ")


RESULTS = (
    "country,municipality_code,municipality_name,year,framework,total,area_1,area_2,area_3,area_4,area_5,area_6,area_7,area_8,source\n"
    "SE,1880,Örebro,2015,2010,650,74,90,89,80,72,81,74,90,Resultattabell\n"
    "SE,1880,Örebro,2012,2010,615,68,85,86,74,70,74,71,87,Resultattabell\n"
)


def test_a_report_completes_evaluations_a_result_table_began(db, run_cli, tmp_path, seed_overview):
    table = tmp_path / "resultat.csv"
    table.write_text(RESULTS, encoding="utf-8")
    assert run_cli("import-results", table)[0] == 0
    code, out, err = run_cli("import", SEED, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert [(e["year"], e["action"]) for e in report["evaluations"]] == [(2015, "updated"), (2012, "updated"), (2010, "created")]
    _assert_seed_overview(run_cli, seed_overview)  # the sub-questions came from the report
    evaluation = Evaluation.objects.get(year=2015)
    assert evaluation.data_source == "Resultattabell"  # what the table said stays
    assert evaluation.evaluators.count() == 3 and evaluation.findings.filter(kind="strength").count() == 55
    assert Evaluation.objects.get(year=2012).question_assessments.exclude(text="").count() == 45
    code, out, _err = run_cli("import", SEED, "--json")
    assert [e["action"] for e in json.loads(out)["evaluations"]] == ["unchanged", "unchanged", "unchanged"]


def test_a_report_that_disagrees_with_the_database_keeps_the_database(db, run_cli, tmp_path):
    table = tmp_path / "resultat.csv"
    table.write_text(RESULTS.replace("650,74,90", "636,60,90"), encoding="utf-8")
    assert run_cli("import-results", table)[0] == 0
    code, out, _err = run_cli("import", SEED, "--json")
    report = json.loads(out)
    assert code == 0
    assert any(
        w.startswith("1880 2015 (2010): område 1: 60.00 i databasen, 7") and w.endswith("i det inlästa; databasens behålls (--replace ersätter)")
        for w in report["warnings"]
    ), report["warnings"]
    assert _show(run_cli, 2015)["areas"][0]["rounded"] == 60
    assert Evaluation.objects.get(year=2015).findings.filter(kind="strength").count() == 55  # texts still completed


# --- embedded data only where the report's own text agrees (issue 13, finding 9) ----------


def _pdf_with(data: dict, html: str, path):
    from kompass.reports.pdf import render_pdf

    path.write_bytes(render_pdf(html, data=data))
    return path


def _orebro_2015():
    from kompass.reports.context import report_context
    from kompass.reports.html import report_html

    context = report_context(Evaluation.objects.get(municipality__code="1880", year=2015))
    return context.data, report_html(context, for_print=True)


def test_a_blank_pdf_with_an_attachment_is_refused_and_saves_nothing(demo, run_cli, tmp_path):
    data, _html = _orebro_2015()
    path = _pdf_with(data, "<html lang=\"sv\"><body><p> </p></body></html>", tmp_path / "tom.pdf")
    _empty()
    before = dumps(export_document())
    code, out, err = run_cli("import", path)
    assert code == 1
    assert err.startswith("kompass: tom.pdf: den inbäddade datan stämmer inte med rapportens text (importera den som utkast med --draft): "
                          "rapportens text saknar ”Analys av <kommun> <år>”")
    assert dumps(export_document()) == before


def test_a_blank_pdf_with_an_attachment_comes_in_as_a_draft_with_a_warning(demo, run_cli, tmp_path):
    data, _html = _orebro_2015()
    path = _pdf_with(data, "<html lang=\"sv\"><body><p> </p></body></html>", tmp_path / "tom.pdf")
    _empty()
    code, out, err = run_cli("import", path, "--draft")
    assert code == 0, err
    assert "den inbäddade datan stämmer inte med rapportens text: rapportens text saknar" in out
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    assert evaluation.status == "planned"  # not on the public site until someone checks it


def test_data_that_contradicts_the_printed_scores_is_refused_naming_each_difference(demo, run_cli, tmp_path):
    data, html = _orebro_2015()
    forged = json.loads(json.dumps(data))
    forged["areas"][0]["questions"][0]["score"] = "3.00"  # 1.1 printed as 11 of 15
    forged["total"]["score"] = "900.00"
    path = _pdf_with(forged, html, tmp_path / "orebro.pdf")
    _empty()
    before = dumps(export_document())
    code, text, err = run_cli("import", path)  # every problem on stdout, the first on stderr
    assert code == 1
    assert "totalpoäng: texten visar 650, datan ger 900" in text
    assert "delfråga 1.1: texten visar 11, datan ger 3" in text
    assert "område 1: texten visar" not in text  # the area is derived from its questions; its print agrees with the text
    assert dumps(export_document()) == before


def test_data_for_another_municipality_than_the_text_names_is_refused(demo, run_cli, tmp_path):
    data, html = _orebro_2015()
    forged = dict(data, municipality={"country": "SE", "code": "0180", "name": "Stockholms stad"}, year=2014)
    path = _pdf_with(forged, html, tmp_path / "orebro.pdf")
    _empty()
    code, out, err = run_cli("import", path)
    assert code == 1
    assert "kommunen: texten säger Örebro" in err and "(och " in err
    assert Evaluation.objects.count() == 0
