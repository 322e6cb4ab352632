"""Fixed-width Word tables in the built-in table style, rows never split across pages."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

TABLE_STYLE = "Light Grid Accent 1"


def table_add(document, widths, header, rows, numeric=()):
    """A fixed-width table; its header row (if any) repeats on every page the table spans."""
    numeric = set(numeric)
    table = document.add_table(rows=0, cols=len(widths))
    table.style = document.styles[TABLE_STYLE]
    table.autofit = False
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstColumn"), "0")
    look.set(qn("w:firstRow"), "1" if header else "0")
    look.set(qn("w:val"), "0420" if header else "0400")
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for index, cells in enumerate([header, *rows] if header else rows):
        row = table.add_row()
        row_property(row, "w:cantSplit")
        if header and index == 0:
            row_property(row, "w:tblHeader")
        for column, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width = Cm(widths[column])
            cell.paragraphs[0].add_run(text)
            if column in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def row_property(row, tag: str) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def keep_together(table) -> None:
    """A short table stays on one page, and with the paragraph after it."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
