"""The report as an editable Word document, in the seed report's structure.

Built-in styles only (Title, Heading 1–3, List Bullet, Caption, …), so a user restyles the
whole document from Word's style gallery. The contents are internal hyperlinks to
bookmarks on the chapter headings: they work without updating fields.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from markdown_it import MarkdownIt

from kompass.benchmark.role_models import role_model_sentence
from kompass.reports.charts import chart_png
from kompass.reports.context import ChartData, ReportContext, ScoreRow, genitive
from kompass.scoring import round_half_up

MISSING = "–"
FONT = "Calibri"  # Word's default sans; LibreOffice substitutes the metric-compatible Carlito
LANGUAGE = "sv-SE"
TABLE_STYLE = "Light Grid Accent 1"
TEXT_WIDTH = 16.0  # cm: A4 portrait with 2.5 cm margins
MAX_PICTURE_HEIGHT = 15.0  # cm
SCORE_WIDTHS = (1.1, 9.3, 2.1, 1.4, 2.1)  # N. | text | Uppnått | Max | Procent
_markdown = MarkdownIt("commonmark", {"html": False})


def report_docx(context: ReportContext) -> bytes:
    report = _Report(context)
    report.build()
    buffer = io.BytesIO()
    report.document.save(buffer)
    return buffer.getvalue()


class _Report:
    def __init__(self, context: ReportContext):
        self.context = context
        self.document = Document()
        self.bookmarks = 0
        _set_up(self.document, context)

    def build(self) -> None:
        chapters = self.chapters()
        self.title_page()
        self.contents(chapters)
        headings = iter(chapters)
        self.about(next(headings))
        self.summary(next(headings))
        self.details(next(headings), headings)
        self.overview(next(headings))
        if self.context.appendix:
            self.appendix(next(headings))

    def chapters(self) -> list[tuple[int, str, str]]:
        """(level, heading, bookmark) of everything the contents list, in document order."""
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
        areas = [(2, _area_heading(a.number, a.title), a.anchor.replace("-", "_")) for a in c.chapters]
        return chapters[:3] + areas + chapters[3:]

    # Building blocks

    def heading(self, text: str, level: int, bookmark: str | None = None, *, new_page: bool = False):
        paragraph = self.document.add_heading(text, level)
        paragraph.paragraph_format.page_break_before = new_page or None
        if bookmark:
            self.bookmarks += 1
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(self.bookmarks))
            start.set(qn("w:name"), bookmark)
            end.set(qn("w:id"), str(self.bookmarks))
            paragraph._p.insert(1, start)  # after the paragraph properties
            paragraph._p.append(end)
        return paragraph

    def markdown(self, text: str) -> None:
        _add_markdown(self.document, text)

    def bullets(self, heading: str, items) -> None:
        if items:
            self.heading(heading, 3)
            for item in items:
                self.document.add_paragraph(item, style="List Bullet")

    # Chapters

    def title_page(self) -> None:
        c = self.context
        title = self.document.add_paragraph(c.title, style="Title")
        title.paragraph_format.space_before = Cm(6)
        self.document.add_paragraph(c.subtitle, style="Subtitle")
        evaluators = [", ".join(part for part in person if part) for person in c.evaluators]
        for index, line in enumerate(evaluators):
            paragraph = self.document.add_paragraph(line)
            paragraph.paragraph_format.space_after = Pt(0)
            if index == 0:
                paragraph.paragraph_format.space_before = Cm(3)
        publisher = self.document.add_paragraph(c.publisher)
        publisher.paragraph_format.space_before = Cm(2)
        publisher.add_run().add_break(WD_BREAK.PAGE)

    def contents(self, chapters) -> None:
        self.document.add_paragraph(_("Innehåll"), style="TOC Heading")
        for level, text, bookmark in chapters:
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.75 * (level - 1))
            paragraph.paragraph_format.space_after = Pt(4 if level == 1 else 2)
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            link.append(paragraph.add_run(text)._r)
            paragraph._p.append(link)

    def about(self, chapter) -> None:
        self.heading(chapter[1], 1, chapter[2], new_page=True)
        self.markdown(self.context.about_md)

    def summary(self, chapter) -> None:
        c = self.context
        self.heading(chapter[1], 1, chapter[2], new_page=True)
        if c.evaluation_md or c.facts:
            self.heading(_("Utvärderingen"), 2)
            self.markdown(c.evaluation_md)
            if c.facts:
                _table(self.document, (4.5, TEXT_WIDTH - 4.5), None, [list(fact) for fact in c.facts])
        if c.charts:
            self.heading(_("Sammanfattning av resultat"), 2)
            for number, chart in enumerate(c.charts, start=1):
                self.chart(number, chart)
        if c.comparisons:
            self.heading(_("Jämförelser"), 2)
            for sentence in c.comparisons:
                self.document.add_paragraph(sentence)
        if c.summary_md:
            self.heading(_("Sammanfattande kommentar"), 2)
            self.markdown(c.summary_md)

    def chart(self, number: int, chart: ChartData) -> None:
        """The picture, its values as a table (the text alternative), the note, the caption."""
        png = chart_png(chart)
        image = Image.from_blob(png)
        width = Cm(TEXT_WIDTH)
        if TEXT_WIDTH * image.px_height / image.px_width > MAX_PICTURE_HEIGHT:
            width = Cm(MAX_PICTURE_HEIGHT * image.px_width / image.px_height)
        picture = self.document.add_paragraph()
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=width)
        for properties in picture._p.iter(qn("wp:docPr")):
            properties.set("descr", chart.title)
        values = len(chart.series)
        value_width = min(2.8, (TEXT_WIDTH - 6) / values)
        rows = [[category, *(_number(s.values[i]) for s in chart.series)] for i, category in enumerate(chart.categories)]
        header = ["", *(s.name for s in chart.series)]
        table = _table(self.document, (TEXT_WIDTH - value_width * values, *[value_width] * values), header, rows, numeric=range(1, values + 1))
        _keep_together(table)
        if chart.note:
            note = self.document.add_paragraph(chart.note)
            note.paragraph_format.keep_with_next = True
        caption = _("Diagram %(number)s: %(title)s") % {"number": number, "title": chart.title}
        self.document.add_paragraph(caption, style="Caption").paragraph_format.space_before = Pt(6)

    def details(self, chapter, areas) -> None:
        self.heading(chapter[1], 1, chapter[2], new_page=True)
        for area, heading in zip(self.context.chapters, areas):
            self.area(area, heading)

    def area(self, area, heading) -> None:
        c = self.context
        self.heading(heading[1], 2, heading[2])
        years = [str(c.year)] + ([str(c.previous_year)] if c.previous_year else [])
        scores = [_points(area.score)] + ([_points(area.previous_score)] if c.previous_year else [])
        widths = (TEXT_WIDTH - 2.0 * len(years), *[2.0] * len(years))
        table = _table(self.document, widths, [_("Rubriker"), *years], [["", *scores]], numeric=range(1, len(widths)))
        cell = table.rows[1].cells[0]
        for index, text in enumerate(area.headings):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.style = self.document.styles["List Bullet"]
            paragraph.add_run(text)
        if area.general_md:
            self.heading(_("Allmänt"), 3)
            self.markdown(area.general_md)
        if area.changes_md:
            self.heading(c.changes_heading, 3)
            self.markdown(area.changes_md)
        self.bullets(_("Styrkor"), area.strengths)
        if area.improvements:
            self.heading(_("Förbättringsområden"), 3)
            for improvement in area.improvements:
                paragraph = self.document.add_paragraph(improvement.text, style="List Bullet")
                if improvement.role_models:
                    paragraph.add_run().add_break()
                    run = paragraph.add_run(role_model_sentence(improvement.role_models))
                    run.italic, run.font.size = True, Pt(9)
        self.bullets(_("Goda exempel"), area.good_examples)

    def overview(self, chapter) -> None:
        c = self.context
        self.heading(chapter[1], 1, chapter[2], new_page=True)
        header = [_("Uppnått"), _("Max"), _("Procent")]
        if c.overview:
            self.document.add_paragraph(
                _("Nedanstående tabeller visar %(municipality)s resultat fördelat på delfrågor inom respektive område.")
                % {"municipality": genitive(c.municipality)}
            )
            for table in c.overview:
                rows = [_score_cells(row) for row in table.rows] + [["", "", *_score_cells(table.total)[2:]]]
                self.score_table([f"{table.number}.", table.title, *header], rows)
        else:
            self.document.add_paragraph(c.overview_note)
            rows = [_score_cells(row) for row in c.area_overview] + [["", c.total.text, *_score_cells(c.total)[2:]]]
            self.score_table(["", _("Område"), *header], rows)

    def score_table(self, header, rows) -> None:
        table = _table(self.document, SCORE_WIDTHS, header, rows, numeric=(2, 3, 4))
        _keep_together(table)
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        self.document.add_paragraph()  # apart, or Word joins consecutive tables into one

    def appendix(self, chapter) -> None:
        self.heading(chapter[1], 1, chapter[2], new_page=True)
        for area in self.context.appendix:
            self.heading(_area_heading(area.number, area.title), 2)
            for section in area.sections:
                self.heading(section.heading, 3)
                self.markdown(section.text_md)


def _area_heading(number: int, title: str) -> str:
    return _("Område %(number)s %(title)s") % {"number": number, "title": title}


def _points(value: int | None) -> str:
    return MISSING if value is None else str(value)


def _number(value) -> str:
    return MISSING if value is None else str(round_half_up(value))


def _score_cells(row: ScoreRow) -> list[str]:
    percent = MISSING if row.percent is None else f"{row.percent}%"
    return [row.label, row.text, _points(row.rounded), str(row.max), percent]


# Document set-up and tables


def _set_up(document, context: ReportContext) -> None:
    properties = document.core_properties
    properties.title = f"{context.title} – {context.subtitle}"
    properties.author = properties.last_modified_by = context.author
    properties.subject = "Kommunkompassen"
    properties.language = LANGUAGE
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0)
    properties.revision = 1

    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _font(defaults)
    defaults.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    _font(normal.element.get_or_add_rPr())
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        _font(style.element.get_or_add_rPr())
        style.paragraph_format.keep_with_next = True

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    section.different_first_page_header_footer = True  # no page number on the title page
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{context.subtitle}   ")
    _page_number(footer.add_run())


def _font(rpr) -> None:
    """One explicit font for every script, replacing the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{kind}"), FONT)


def _page_number(run) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _table(document, widths, header, rows, numeric=()):
    """A fixed-width table; the header row (if any) repeats on every page it spans."""
    numeric = set(numeric)
    table = document.add_table(rows=0, cols=len(widths))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    properties = table._tbl.tblPr
    for tag, attributes in (
        ("w:tblW", {"w:w": str(int(Cm(sum(widths)).twips)), "w:type": "dxa"}),
        ("w:tblLayout", {"w:type": "fixed"}),
        ("w:tblLook", {"w:firstRow": "1" if header else "0", "w:lastRow": "0", "w:firstColumn": "0", "w:lastColumn": "0", "w:noHBand": "0", "w:noVBand": "1", "w:val": "0420" if header else "0400"}),
    ):
        old = properties.find(qn(tag))
        if old is not None:
            properties.remove(old)
        element = OxmlElement(tag)
        for key, value in attributes.items():
            element.set(qn(key), value)
        properties.append(element)
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for index, cells in enumerate([header, *rows] if header else rows):
        row = table.add_row()
        _row_property(row, "w:cantSplit")
        if header and index == 0:
            _row_property(row, "w:tblHeader")
        for column, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width = Cm(widths[column])
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text)
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _row_property(row, tag: str) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    properties.append(element)


def _keep_together(table) -> None:
    """Keep a short table on one page and with the paragraph after it."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


# Markdown


def _add_markdown(document, text: str) -> None:
    """Paragraphs, bullet and numbered lists, bold and italic from Markdown, never its characters."""
    if not text or not text.strip():
        return
    lists: list[list] = []  # per open list: [ordered, number id, paragraphs so far in the current item]
    style = None
    for token in _markdown.parse(text):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1)
            lists.append([ordered, _restart_numbering(document, _list_style(True, len(lists) + 1), start) if ordered else None, 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][2] = 0
        elif kind == "heading_open":
            style = "Heading 4"
        elif kind == "heading_close":
            style = None
        elif kind in ("inline", "code_block", "fence"):
            paragraph = document.add_paragraph(style=style or _paragraph_style(lists))
            if lists and lists[-1][1] is not None and lists[-1][2] == 0:
                _set_numbering(paragraph, lists[-1][1])
            if lists:
                lists[-1][2] += 1
            if kind == "inline":
                _add_inline(paragraph, token.children or [])
            else:
                paragraph.add_run(token.content.rstrip("\n"))


def _list_style(ordered: bool, depth: int) -> str:
    name = "List Number" if ordered else "List Bullet"
    return name if depth == 1 else f"{name} {min(depth, 3)}"


def _paragraph_style(lists) -> str:
    if not lists:
        return "Normal"
    ordered, _num, seen = lists[-1]
    if seen:  # a second paragraph of the same item: indented, no new bullet
        return "List Continue" if len(lists) == 1 else f"List Continue {min(len(lists), 3)}"
    return _list_style(ordered, len(lists))


def _restart_numbering(document, style_name: str, start: int) -> int:
    """A new numbering instance of the style's list, so every Markdown list starts at its own number."""
    style_num = document.styles[style_name].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return num.numId


def _set_numbering(paragraph, num_id: int) -> None:
    paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id
    paragraph._p.pPr.numPr.get_or_add_ilvl().val = 0


def _add_inline(paragraph, children) -> None:
    bold = italic = 0
    link: tuple[str, list[str]] | None = None
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind.endswith("open") else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind.endswith("open") else -1
        elif kind in ("text", "code_inline", "image", "softbreak", "html_inline"):
            text = " " if kind == "softbreak" else child.content
            run = paragraph.add_run(text)
            run.bold, run.italic = bold > 0 or None, italic > 0 or None
            if link:
                link[1].append(text)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "link_open":
            link = (child.attrGet("href") or "", [])
        elif kind == "link_close" and link:
            href, seen = link
            if href and href != "".join(seen) and not href.startswith("#"):
                paragraph.add_run(f" ({href.removeprefix('mailto:')})")
            link = None
