"""The PDF report, opened with real tools (Poppler) and pypdf."""

import json
import re
import subprocess

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _pdf(run_cli, tmp_path, year, name=None):
    path = tmp_path / (name or f"orebro-{year}.pdf")
    code, out, err = run_cli("report", "1880", year, "--format", "pdf", "--output", path)
    assert code == 0, err
    assert path.read_bytes().startswith(b"%PDF-")
    return path


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def orebro_2015_pdf(demo, run_cli, tmp_path):
    return _pdf(run_cli, tmp_path, 2015)


def test_every_overview_row_of_the_seed_is_in_the_pdf(orebro_2015_pdf, seed_overview):
    lines = _text(orebro_2015_pdf).splitlines()
    for row in seed_overview.questions:
        pattern = re.compile(rf"^\s*{re.escape(row.id)}\s+\S.*\s{row.rounded}\s+{row.max}\s+{row.percent}%\s*$")
        assert any(pattern.match(line) for line in lines), f"{row.id} {row.rounded} {row.max} {row.percent}%"
    for _title, rounded, percent in seed_overview.areas.values():
        assert any(re.match(rf"^\s*{rounded}\s+100\s+{percent}%\s*$", line) for line in lines), rounded
    assert any(re.search(r"Totalt, alla områden\s+650\s+800\s+81%", line) for line in lines)


def test_structure_follows_the_seed(orebro_2015_pdf):
    text = _text(orebro_2015_pdf)
    for heading in (
        "Analys av Örebro kommun 2015", "Innehåll", "1 Vad är Kommunkompassen?",
        "2 Örebro kommun i förhållande till Kommunkompassen: En sammanfattande genomgång",
        "Utvärderingen", "Sammanfattning av resultat", "Jämförelser", "Sammanfattande kommentar",
        "Område 1 Offentlighet och demokrati", "Allmänt", "Vad har hänt efter 2012?", "Styrkor", "Förbättringsområden",
        "4 Översikt av poängfördelning", "5 2012 års Kompassutvärdering", "Lars Strid, SKL",
    ):
        assert heading in text, heading
    assert "Diagram 1: Örebro 2015: 650 poäng" in text
    assert "Medelvärden per område finns inte; jämförelsen gäller därför bara totalpoängen." in text


def test_contents_carry_page_numbers_that_point_at_the_chapters(orebro_2015_pdf):
    reader = PdfReader(orebro_2015_pdf)
    pages = [page.extract_text() for page in reader.pages]
    contents = next(p for p in pages if "Innehåll" in p)
    match = re.search(r"4 Översikt av poängfördelning\W*?(\d+)\s*$", contents, re.M)
    assert match, contents
    assert "4 Översikt av poängfördelning" in pages[int(match[1]) - 1]


def test_metadata_fonts_and_bookmarks(orebro_2015_pdf):
    info = subprocess.run(["pdfinfo", str(orebro_2015_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Kommunkompassen – Analys av Örebro kommun 2015$", info, re.M)
    assert re.search(r"^Author:\s+Lars Strid, Anders Dryselius, Ewa Luvö$", info, re.M)
    fonts = subprocess.run(["pdffonts", str(orebro_2015_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    outline = PdfReader(orebro_2015_pdf).outline
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(outline)
    for title in ("1 Vad är Kommunkompassen?", "Område 1 Offentlighet och demokrati", "Område 8 Kommunen som samhällsbyggare", "4 Översikt av poängfördelning"):
        assert title in titles, titles


def test_the_text_is_selectable_and_swedish_characters_survive(orebro_2015_pdf):
    text = _text(orebro_2015_pdf)
    assert "Örebro" in text and "Förbättringsområden" in text and "Tillgänglighet och brukarorientering" in text
    assert "\ufffd" not in text


def test_the_pdf_carries_the_evaluation_data(orebro_2015_pdf):
    attachments = PdfReader(orebro_2015_pdf).attachments
    [payload] = attachments["kompass-utvardering.json"]
    document = json.loads(payload)
    assert document["format"] == "kompass-evaluation"
    assert document["evaluation"]["total"]["score"] == "649.95"
    assert len([q for a in document["evaluation"]["areas"] for q in a["questions"]]) == 45


@pytest.mark.parametrize(
    "year,expected",
    [
        (2012, ["Poäng per delfråga finns inte registrerade", "615", "Diagram 2: Poäng per område vid Örebros utvärderingar"]),
        (2010, ["Poäng per delfråga finns inte registrerade", "515"]),
    ],
)
def test_partial_evaluations_get_a_report_too(demo, run_cli, tmp_path, year, expected):
    text = _text(_pdf(run_cli, tmp_path, year))
    for snippet in expected:
        assert snippet in text, snippet


def test_an_unknown_evaluation_fails_with_one_line(demo, run_cli, tmp_path):
    code, out, err = run_cli("report", "1880", "2011", "--format", "pdf", "--output", tmp_path / "x.pdf")
    assert (code, out) == (1, "")
    assert err == "kompass: Örebro kommun har ingen utvärdering 2011\n"
    assert not (tmp_path / "x.pdf").exists()
