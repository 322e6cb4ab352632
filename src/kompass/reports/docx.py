"""The report as an editable Word document, in the seed report's structure.

Built-in styles only (Title, Heading 1–3, List Bullet, Caption, Light Grid Accent 1, …),
so a user restyles the whole document from Word's style gallery. The contents are
internal hyperlinks to bookmarks on the chapter headings: they work without updating fields.
"""

from __future__ import annotations

import io
import json

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from kompass.benchmark.role_models import role_model_sentence
from kompass.reports.charts import chart_png
from kompass.reports.context import AreaChapter, ChartData, ReportContext, ScoreRow
from kompass.reports.docx_markdown import markdown_add
from kompass.reports.docx_setup import document_set_up, run_language
from kompass.reports.docx_tables import keep_together, table_add
from kompass.scoring import round_half_up

MISSING = "–"
TEXT_WIDTH = 16.0  # cm: A4 portrait with 2.5 cm margins
MAX_PICTURE_HEIGHT = 15.0  # cm
SCORE_WIDTHS = (1.1, 8.8, 2.3, 1.5, 2.3)  # N. | text | Uppnått | Max | Procent


# The evaluation's data travels inside the document as a package part of its own, so
# that importing the project's own DOCX is exact. Word and LibreOffice ignore it.
DATA_PART = "/customXml/kompass-utvardering.json"
DATA_RELATIONSHIP = "https://kommunkompassen.se/relationships/evaluation-data"


def report_docx(context: ReportContext) -> bytes:
    report = _Report(context)
    report.build()
    if context.data is not None:
        _embed_data(report.document, context.data)
    buffer = io.BytesIO()
    report.document.save(buffer)
    return buffer.getvalue()


def _embed_data(document, data: dict) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    payload = json.dumps({"format": "kompass-evaluation", "version": 1, "evaluation": data}, ensure_ascii=False, indent=1)
    package = document.part.package
    part = Part(PackURI(DATA_PART), "application/json", payload.encode("utf-8"), package)
    package.relate_to(part, DATA_RELATIONSHIP)


class _Report:
    def __init__(self, context: ReportContext):
        self.context = context
        self.document = Document()
        self.bookmarks = 0
        document_set_up(self.document, context)

    def build(self) -> None:
        entries = self.entries()
        self.title_page()
        self.contents(entries)
        chapters = iter(entries)
        self.about(next(chapters))
        self.summary(next(chapters))
        self.details(next(chapters), chapters)
        self.overview(next(chapters))
        if self.context.appendix:
            self.appendix(next(chapters))

    def entries(self) -> list[tuple[int, str, str]]:
        """(level, heading, bookmark) of every chapter the contents list, in document order."""
        c = self.context
        titles = [
            _("Vad är Kommunkompassen?"),
            _("%(municipality)s i förhållande till Kommunkompassen: En sammanfattande genomgång") % {"municipality": c.municipality},
            _("Detaljerad genomgång i förhållande till Kommunkompassens åtta områden"),
            _("Översikt av poängfördelning"),
        ]
        if c.appendix:
            titles.append(_("%(year)s års Kompassutvärdering") % {"year": c.appendix_year})
        chapters = [(1, f"{n} {title}", f"kapitel_{n}") for n, title in enumerate(titles, start=1)]
        # Word allows letters, digits and "_" in bookmark names, so "omrade-1" becomes "omrade_1".
        areas = [(2, _area_heading(a.number, a.title), a.anchor.replace("-", "_")) for a in c.chapters]
        return chapters[:3] + areas + chapters[3:]

    def heading(self, text: str, level: int, bookmark: str | None = None, *, new_page: bool = False):
        paragraph = self.document.add_heading(text, level)
        paragraph.paragraph_format.page_break_before = new_page or None
        if bookmark:
            self.bookmarks += 1
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:name"), bookmark)
            for element in (start, end):
                element.set(qn("w:id"), str(self.bookmarks))
            paragraph._p.insert(1, start)  # after the paragraph properties
            paragraph._p.append(end)

    def chapter(self, entry) -> None:
        self.heading(entry[1], entry[0], entry[2], new_page=entry[0] == 1)

    def foreign(self, text) -> str | None:
        """The language of a text written in another one than the report's (an evaluator's
        text, an untranslated catalogue text), else None."""
        language = getattr(text, "language", None)
        return language if language and language != self.context.language else None

    def marked(self, paragraph, text) -> None:
        """Mark the paragraph's runs with the text's language where it is not the report's."""
        language = self.foreign(text)
        if language:
            for run in paragraph.runs:
                run_language(run, language)

    def section(self, heading: str, text_md: str, level: int = 3) -> None:
        if text_md.strip():
            self.heading(heading, level)
            self.marked(self.document.paragraphs[-1], heading)
            markdown_add(self.document, text_md, self.foreign(text_md))

    def bullets(self, heading: str, items) -> None:
        if items:
            self.heading(heading, 3)
            for item in items:
                self.marked(self.document.add_paragraph(item, style="List Bullet"), item)

    def title_page(self) -> None:
        c = self.context
        self.document.add_paragraph(c.title, style="Title").paragraph_format.space_before = Cm(6)
        self.document.add_paragraph(c.subtitle, style="Subtitle").paragraph_format.space_after = Cm(3)
        if c.status != "published":
            self.document.add_paragraph().add_run(_("Utkast – inte publicerad")).bold = True
        for name, organisation in c.evaluators:
            self.document.add_paragraph(", ".join(filter(None, (name, organisation)))).paragraph_format.space_after = Pt(0)
        publisher = self.document.add_paragraph(c.publisher)
        publisher.paragraph_format.space_before = Cm(2)
        if c.text_language_note:
            publisher = self.document.add_paragraph()
            publisher.paragraph_format.space_before = Cm(1)
            publisher.add_run(c.text_language_note).italic = True
        publisher.add_run().add_break(WD_BREAK.PAGE)

    def contents(self, entries) -> None:
        self.document.add_paragraph(_("Innehåll"), style="TOC Heading")
        for level, text, bookmark in entries:
            paragraph = self.document.add_paragraph(style=f"toc {level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            link.append(paragraph.add_run(text.replace(" ", "\t", 1) if level == 1 else text, style="Hyperlink")._r)
            paragraph._p.append(link)

    def about(self, entry) -> None:
        self.chapter(entry)
        markdown_add(self.document, self.context.about_md, self.foreign(self.context.about_md))

    def summary(self, entry) -> None:
        c = self.context
        self.chapter(entry)
        if c.evaluation_md.strip() or c.facts:
            self.heading(_("Utvärderingen"), 2)
            markdown_add(self.document, c.evaluation_md, self.foreign(c.evaluation_md))
            if c.facts:
                table_add(self.document, (4.5, TEXT_WIDTH - 4.5), None, [list(fact) for fact in c.facts])
        if c.charts:
            self.heading(_("Sammanfattning av resultat"), 2)
            for number, chart in enumerate(c.charts, start=1):
                self.chart(number, chart)
        if c.comparisons:
            self.heading(_("Jämförelser"), 2)
            for sentence in c.comparisons:
                self.document.add_paragraph(sentence)
        self.section(_("Sammanfattande kommentar"), c.summary_md, 2)

    def chart(self, number: int, chart: ChartData) -> None:
        """The picture, its values as a table (the text alternative), the note, the caption:
        kept together on one page."""
        png = chart_png(chart)
        image = Image.from_blob(png)
        width = min(TEXT_WIDTH, MAX_PICTURE_HEIGHT * image.px_width / image.px_height)
        picture = self.document.add_paragraph()
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(width))
        for properties in picture._p.iter(qn("wp:docPr")):
            properties.set("descr", " ".join(filter(None, (chart.title, chart.note))))
        n = len(chart.series)
        value_width = 2.0 if all(len(s.name) <= 6 for s in chart.series) else 3.4
        rows = [[category, *(_value(s.values[i]) for s in chart.series)] for i, category in enumerate(chart.categories)]
        widths = (TEXT_WIDTH - value_width * n, *[value_width] * n)
        first_column = _("Jämförelse") if len(chart.categories) == 1 else _("Område")
        keep_together(table_add(self.document, widths, [first_column, *(s.name for s in chart.series)], rows, numeric=range(1, n + 1)))
        caption = self.document.add_paragraph(_("Diagram %(number)s: %(title)s") % {"number": number, "title": chart.title}, style="Caption")
        caption.paragraph_format.space_before = Pt(6)

    def details(self, entry, areas) -> None:
        self.chapter(entry)
        for area, area_entry in zip(self.context.chapters, areas):
            self.chapter(area_entry)
            self.area(area)

    def area(self, area: AreaChapter) -> None:
        c = self.context
        years = [str(c.year)] + ([str(c.previous_year)] if c.previous_year else [])
        scores = [_points(area.score)] + ([_points(area.previous_score)] if c.previous_year else [])
        widths = (TEXT_WIDTH - 2.0 * len(years), *[2.0] * len(years))
        table = table_add(self.document, widths, [_("Rubriker"), *years], [["", *scores]], numeric=range(1, len(widths)))
        cell = table.rows[1].cells[0]
        for index, text in enumerate(area.headings):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.style = self.document.styles["List Bullet"]
            paragraph.add_run(text)
            self.marked(paragraph, text)
        self.section(_("Allmänt"), area.general_md)
        self.section(c.changes_heading, area.changes_md)
        if area.follow_up:
            self.heading(c.follow_up_heading, 3)
            rows = []
            for row in area.follow_up:
                actions = row.actions or ((_("Inga registrerade åtgärder"), ""),)
                rows += [[row.text if i == 0 else "", title, status] for i, (title, status) in enumerate(actions)]
            table = table_add(self.document, (TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.4, TEXT_WIDTH * 0.15), [_("Förbättringsområde"), _("Åtgärd"), _("Status")], rows)
            for row, cells in zip(table.rows[1:], rows):
                for cell, text in zip(row.cells, cells):
                    self.marked(cell.paragraphs[0], text)
        self.bullets(_("Styrkor"), area.strengths)
        if area.improvements:
            self.heading(_("Förbättringsområden"), 3)
            for improvement in area.improvements:
                paragraph = self.document.add_paragraph(improvement.text, style="List Bullet")
                self.marked(paragraph, improvement.text)
                if improvement.role_models:
                    paragraph.add_run().add_break()
                    run = paragraph.add_run(role_model_sentence(improvement.role_models))
                    run.italic, run.font.size = True, Pt(9)
        self.bullets(_("Goda exempel"), area.good_examples)

    def overview(self, entry) -> None:
        c = self.context
        self.chapter(entry)
        header = [_("Uppnått"), _("Max"), _("Procent")]
        if c.overview:
            # Translators: genitive is the municipality's name in the genitive (Örebro kommuns, Örebro kommun's).
            intro = _("Nedanstående tabeller visar %(genitive)s resultat fördelat på delfrågor inom respektive område.")
            self.document.add_paragraph(intro % {"genitive": c.municipality_genitive})
            for table in c.overview:
                rows = [_score_cells(row) for row in table.rows] + [["", "", *_score_cells(table.total)[2:]]]
                self.score_table([f"{table.number}.", table.title, *header], rows)
        else:
            self.document.add_paragraph(c.overview_note)
            rows = [_score_cells(row) for row in c.area_overview] + [["", c.total.text, *_score_cells(c.total)[2:]]]
            self.score_table(["", _("Område"), *header], rows)

    def score_table(self, header, rows) -> None:
        table = table_add(self.document, SCORE_WIDTHS, header, rows, numeric=(2, 3, 4))
        for row, cells in zip(table.rows, [header, *rows]):
            self.marked(row.cells[1].paragraphs[0], cells[1])
        keep_together(table)
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        self.document.add_paragraph()  # keeps tables apart: Word joins adjacent tables into one

    def appendix(self, entry) -> None:
        self.chapter(entry)
        for area in self.context.appendix:
            self.heading(_area_heading(area.number, area.title), 2)
            for section in area.sections:
                self.section(section.heading, section.text_md)


def _area_heading(number: int, title: str) -> str:
    return _("Område %(number)s %(title)s") % {"number": number, "title": title}


def _points(value: int | None) -> str:
    return MISSING if value is None else str(value)


def _value(value) -> str:
    return MISSING if value is None else str(round_half_up(value))


def _score_cells(row: ScoreRow) -> list[str]:
    return [row.label, row.text, _points(row.rounded), str(row.max), MISSING if row.percent is None else f"{row.percent}%"]
