"""Cells for exports that a spreadsheet opens: text must stay text.

Excel, LibreOffice and Google Sheets take a CSV cell that starts with ``=``, ``+``,
``-`` or ``@`` (and, in some versions, a tab or carriage return) as a formula, so a
title such as ``=HYPERLINK("http://…")`` typed by anyone would run in the reader's
spreadsheet. Every export writes user text through these helpers (OWASP's "CSV
injection" advice: prefix such a cell with an apostrophe, which spreadsheets show as
text and hide); CSV files through ``kompass.csv_files``, which uses ``csv_text``."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet will evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xlsx_text_cells(sheet) -> None:
    """Make every string cell of an openpyxl sheet a plain string cell.

    openpyxl stores a string that starts with ``=`` as a formula; a string cell is
    shown as written and never calculated. The apostrophe of ``csv_text`` is not
    needed here: the cell's type says it is text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
