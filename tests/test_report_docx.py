"""The DOCX report: opened again with python-docx, and converted by LibreOffice."""

import dataclasses
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table

from kompass.benchmark.role_models import RoleModel
from kompass.evaluations.models import Evaluation
from kompass.reports.context import report_context
from kompass.reports.docx import report_docx

pytestmark = pytest.mark.django_db


def _context(year):
    return report_context(Evaluation.objects.get(municipality__code="1880", year=year))


def _open(context) -> Document:
    return Document(io.BytesIO(report_docx(context)))


def _is_overview(table) -> bool:
    return len(table.columns) == 5 and table.rows[0].cells[2].text == "Uppnått"


def _rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def _styles(document) -> dict[str, set[str]]:
    """Paragraph text -> its styles, outside the contents (whose entries repeat the headings)."""
    styles: dict[str, set[str]] = {}
    for paragraph in document.paragraphs:
        if paragraph._p.find(qn("w:hyperlink")) is not None:
            continue
        styles.setdefault(paragraph.text, set()).add(paragraph.style.name)
    return styles


def test_properties_title_page_and_headings(demo):
    document = _open(_context(2015))
    properties = document.core_properties
    assert properties.title == "Kommunkompassen – Analys av Örebro kommun 2015"
    assert properties.author == "Lars Strid, Anders Dryselius, Ewa Luvö"
    assert properties.language == "sv-SE"
    assert properties.subject == "Kommunkompassen"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "sv-SE"

    first = document.paragraphs[0]
    assert (first.text, first.style.name) == ("Kommunkompassen", "Title")
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "Analys av Örebro kommun 2015"
    assert texts[2:5] == ["Lars Strid, SKL", "Anders Dryselius, Hylte kommun", "Ewa Luvö, Borås kommun"]
    assert "Sveriges Kommuner och Landsting" in texts

    styles = _styles(document)
    assert styles["1 Vad är Kommunkompassen?"] == {"Heading 1"}
    assert styles["2 Örebro kommun i förhållande till Kommunkompassen: En sammanfattande genomgång"] == {"Heading 1"}
    assert styles["3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden"] == {"Heading 1"}
    assert styles["4 Översikt av poängfördelning"] == {"Heading 1"}
    assert styles["5 2012 års Kompassutvärdering"] == {"Heading 1"}
    for number, title in enumerate(["Offentlighet och demokrati", "Tillgänglighet och brukarorientering"], start=1):
        assert styles[f"Område {number} {title}"] == {"Heading 2"}  # chapter 3 and the appendix
    chapter_2 = texts.index("2 Örebro kommun i förhållande till Kommunkompassen: En sammanfattande genomgång")
    chapter_3 = texts.index("3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden")
    assert [(p.text, p.style.name) for p in document.paragraphs[chapter_2 + 1 : chapter_3] if p.style.name.startswith("Heading")] == [
        ("Utvärderingen", "Heading 2"),
        ("Sammanfattning av resultat", "Heading 2"),
        ("Jämförelser", "Heading 2"),
        ("Sammanfattande kommentar", "Heading 2"),
    ]
    for heading in ("Allmänt", "Vad har hänt efter 2012?", "Styrkor", "Förbättringsområden", "Goda exempel"):
        assert styles[heading] == {"Heading 3"}
    assert styles["Strategi för demokratiutveckling och information"] == {"Heading 3"}  # appendix section
    assert styles["Teckenspråksinformation"] == {"List Bullet"}
    assert "Nedanstående tabeller visar Örebro kommuns resultat fördelat på delfrågor inom respektive område." in styles


def test_markdown_becomes_lists_and_runs_without_its_characters(demo):
    document = _open(_context(2015))
    styles = _styles(document)
    assert styles["det politiska systemet"] == {"List Bullet"}  # about_md
    assert styles["Vad vi sett som förbättringar sedan 2012"] == {"List Number"}  # summary_md
    for paragraph in document.paragraphs:
        assert not paragraph.text.startswith(("- ", "* ", "1. ", "#")), paragraph.text
        assert "**" not in paragraph.text

    context = dataclasses.replace(_context(2015), summary_md="Det är **mycket bra** och *tydligt*.\n\n3. tre\n4. fyra\n\nMellan.\n\n1. ett")
    document = _open(context)
    paragraph = next(p for p in document.paragraphs if p.text == "Det är mycket bra och tydligt.")
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs] == [
        ("Det är ", False, False), ("mycket bra", True, False), (" och ", False, False), ("tydligt", False, True), (".", False, False)
    ]
    numbered = {p.text: p for p in document.paragraphs if p.text in {"tre", "fyra", "ett"}}
    assert {p.style.name for p in numbered.values()} == {"List Number"}
    num_ids = {text: p._p.pPr.numPr.numId.val for text, p in numbered.items()}
    assert num_ids["tre"] == num_ids["fyra"] != num_ids["ett"]  # the second list counts from its own start
    starts = {
        int(num.get(qn("w:numId"))): int(num.find(f".//{qn('w:startOverride')}").get(qn("w:val")))
        for num in document.part.numbering_part.element.iter(qn("w:num"))
        if num.find(f".//{qn('w:startOverride')}") is not None
    }
    assert (starts[num_ids["tre"]], starts[num_ids["ett"]]) == (3, 1)

    empty = _open(dataclasses.replace(_context(2015), summary_md=""))
    assert "Sammanfattande kommentar" not in _styles(empty)


def test_the_overview_tables_hold_every_row_of_the_seed(demo, seed_overview):
    document = _open(_context(2015))
    rows = _rows(document)
    for row in seed_overview.questions:
        assert [row.id, row.text, str(row.rounded), str(row.max), f"{row.percent}%"] in rows
    for number, (title, rounded, percent) in seed_overview.areas.items():
        assert [f"{number}.", title, "Uppnått", "Max", "Procent"] in rows
        assert ["", "", str(rounded), "100", f"{percent}%"] in rows
    assert ["", "", "74", "100", "74%"] in rows and ["", "", "90", "100", "90%"] in rows
    assert ["Totalpoäng", "650", "461"] in rows
    assert "Diagram 1: Örebro 2015: 650 poäng" in _styles(document)

    overview = [t for t in document.tables if _is_overview(t)]
    assert len(overview) == 8
    for table in overview:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats across pages
        assert all(run.bold for cell in table.rows[-1].cells for run in cell.paragraphs[0].runs)
        for row in table.rows:
            assert [c.paragraphs[0].alignment for c in row.cells[2:]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 3


def test_tables_fit_an_a4_page(demo):
    document = _open(_context(2015))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(text_width - Cm(16)) < Cm(0.01)
    for table in document.tables:
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert sum(widths) <= Cm(16).twips + 1
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        if _is_overview(table):
            assert widths[1] == max(widths)  # the question text gets the room


def test_the_contents_link_to_bookmarks_on_the_headings(demo):
    document = _open(_context(2015))
    body = document.element.body
    bookmarks = {}
    for start in body.iter(qn("w:bookmarkStart")):
        paragraph = start.getparent()
        bookmarks[start.get(qn("w:name"))] = (paragraph, "".join(t.text for t in paragraph.iter(qn("w:t"))))
    links = [
        (link.get(qn("w:anchor")), "".join(node.text if node.tag == qn("w:t") else " " for node in link.iter(qn("w:t"), qn("w:tab"))))
        for link in body.iter(qn("w:hyperlink"))
    ]
    assert len(links) == 5 + 8  # the chapters and the eight areas
    for anchor, text in links:
        assert anchor in bookmarks, anchor
        paragraph, heading = bookmarks[anchor]
        assert heading == text
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
        assert style in {"Heading1", "Heading2"}
    assert ("omrade_1", "Område 1 Offentlighet och demokrati") in links
    entries = [p for p in document.paragraphs if p._p.find(qn("w:hyperlink")) is not None]
    assert [p.style.name for p in entries] == ["toc 1"] * 3 + ["toc 2"] * 8 + ["toc 1"] * 2
    assert len({start.get(qn("w:id")) for start in body.iter(qn("w:bookmarkStart"))}) == len(bookmarks)


def test_three_charts_each_followed_by_its_values(demo):
    document = _open(_context(2015))
    assert len(document.inline_shapes) == 3
    for shape in document.inline_shapes:
        assert shape.width <= Cm(16) + 1
    body = list(document.element.body)
    tables = []
    for index, element in enumerate(body):
        if element.tag == qn("w:p") and element.find(f".//{qn('wp:inline')}") is not None:
            following = body[index + 1]
            assert following.tag == qn("w:tbl"), "a chart without its text alternative"
            tables.append([[c.text for c in row.cells] for row in Table(following, document).rows])
    results, history, benchmark = tables
    assert results[0] == ["Område", "2015"]
    assert results[1:] == [
        [f"{n}. {title}", value]
        for n, title, value in [
            (1, "Offentlighet och demokrati", "74"), (2, "Tillgänglighet och brukarorientering", "90"),
            (3, "Politisk styrning och kontroll", "89"), (4, "Ledarskap, ansvar och delegation", "80"),
            (5, "Resultat och effektivitet", "72"), (6, "Kommunen som arbetsgivare - personalpolitik", "81"),
            (7, "Verksamhetsutveckling", "74"), (8, "Kommunen som samhällsbyggare", "90"),
        ]
    ]
    assert history[0] == ["Område", "2010", "2012", "2015"]
    assert history[1] == ["1. Offentlighet och demokrati", "–", "68", "74"]
    assert history[3] == ["3. Politisk styrning och kontroll", "66", "86", "89"]
    assert benchmark == [["Jämförelse", "Örebro 2015", "Genomsnitt sedan 2010"], ["Totalpoäng", "650", "461"]]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Diagram 1: Örebro 2015: 650 poäng",
        "Diagram 2: Poäng per område vid Örebros utvärderingar",
        "Diagram 3: Örebro 2015 jämfört med genomsnittet, totalpoäng",
    ]
    descriptions = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert descriptions[2] == (
        "Örebro 2015 jämfört med genomsnittet, totalpoäng "
        "Medelvärden per område finns inte; jämförelsen gäller därför bara totalpoängen."
    )


def test_area_chapters(demo):
    document = _open(_context(2015))
    area_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Rubriker")
    assert [c.text for c in area_table.rows[0].cells] == ["Rubriker", "2015", "2012"]
    headings, score, previous = area_table.rows[1].cells
    assert [p.text for p in headings.paragraphs][0] == "Strategi för demokratiutveckling och information"
    assert {p.style.name for p in headings.paragraphs} == {"List Bullet"}
    assert (score.text, previous.text) == ("74", "68")

    context = _context(2015)
    model = RoleModel("Falun kommun", "2080", "SE", 2014, 1, "område 1", Decimal("81.00"), 100)
    chapter = context.chapters[0]
    improved = dataclasses.replace(chapter.improvements[0], role_models=(model,))
    context.chapters = (dataclasses.replace(chapter, improvements=(improved, *chapter.improvements[1:])), *context.chapters[1:])
    paragraph = next(p for p in _open(context).paragraphs if p.text.startswith("Tillgång till handlingar på hemsidan"))
    assert paragraph.style.name == "List Bullet"
    note = paragraph.runs[-1]
    assert note.text == "Förebilder (område 1): Falun kommun 2014 (81 poäng)"
    assert note.italic and note.font.size.pt < 11
    assert paragraph._p.find(f".//{qn('w:br')}") is not None  # on a line of its own


def test_area_level_2012_and_total_only_2010(demo):
    document = _open(_context(2012))
    assert "Poäng per delfråga finns inte registrerade för den här utvärderingen; översikten visar områdena." in _styles(document)
    rows = _rows(document)
    areas = [
        "Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Politisk styrning och kontroll",
        "Ledarskap, ansvar och delegation", "Resultat och effektivitet", "Kommunen som arbetsgivare - personalpolitik",
        "Verksamhetsutveckling", "Kommunen som samhällsbyggare",
    ]
    for number, (title, score) in enumerate(zip(areas, [68, 85, 86, 74, 70, 74, 71, 87]), start=1):
        assert [f"{number}.", title, str(score), "100", f"{score}%"] in rows
    assert ["", "Totalt", "615", "800", "77%"] in rows
    assert not any(text.endswith("Kompassutvärdering") for text in _styles(document))  # no appendix
    assert ["Rubriker", "2012", "2010"] in rows

    document = _open(_context(2010))
    rows = _rows(document)
    assert ["1.", "Offentlighet och demokrati", "–", "100", "–"] in rows
    assert ["3.", "Politisk styrning och kontroll", "66", "100", "66%"] in rows
    assert ["", "Totalt", "515", "800", "64%"] in rows
    assert ["Rubriker", "2010"] in rows  # no earlier evaluation, no column for it
    assert ["Totalpoäng", "515", "461"] in rows


def test_libreoffice_opens_it(demo, tmp_path):
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    if not Path(soffice).exists():
        pytest.fail("LibreOffice is missing: sudo apt-get install -y libreoffice-writer-nogui (make test installs it as root)")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: sudo apt-get install -y poppler-utils")
    source = tmp_path / "orebro-2015.docx"
    source.write_bytes(report_docx(_context(2015)))
    profile = (tmp_path / "libreoffice-profile").as_uri()  # its own profile: parallel runs don't collide
    converted = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "orebro-2015.pdf"
    assert pdf.exists(), converted.stdout + converted.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Översikt av poängfördelning" in text
    assert "1.1" in text and "650" in text
    assert "Uppnått" in text  # the header fits its column, unbroken
    assert "Lars Strid, SKL" in text
    assert pdf.read_bytes().count(b"/Subtype/Link") >= 5 + 8  # the contents' links survive into the PDF
