"""CSV files in and out: one dialect rule for every import and export.

Reading: UTF-8, with or without a BOM (``csv_decode``). The delimiter is ``;`` when the
header (the first line with text) holds more semicolons than commas, otherwise ``,``; a
tie, such as a header of one column, is ``,`` (``csv_delimiter``). Spreadsheets set to
Swedish save with ``;`` because ``,`` is their decimal comma.

Writing (``csv_document``): ``,`` with decimal points, or the Swedish variant, ``;`` with
decimal commas; CRLF line ends (RFC 4180); dates ISO 8601; text that a spreadsheet would
take for a formula made harmless (``spreadsheets.csv_text``)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

from kompass.i18n import _
from kompass.spreadsheets import csv_text

# --- reading -------------------------------------------------------------------------------


class CsvEncodingError(ValueError):
    """Bytes that are no UTF-8 text; ``line`` (1-based) where a bad byte stands, if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


def csv_decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8, a BOM dropped; UTF-16, binary data (a NUL byte) and
    other encodings are refused with a message that says how to save the file instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvEncodingError(_("filen är UTF-16; spara den som CSV UTF-8"))
    if b"\x00" in data:
        raise CsvEncodingError(_("binär fil, ingen CSV-text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = _("filen är inte UTF-8 (byte 0x%(byte)02x); spara den som CSV UTF-8") % {"byte": data[exc.start]}
        raise CsvEncodingError(message, line) from None


def csv_delimiter(text: str) -> str:
    """``;`` or ``,``, by the header line (see the module's docstring for the tie)."""
    header = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def csv_reader(text: str, delimiter: str | None = None):
    """A ``csv.reader`` over ``text`` with its delimiter (``csv_delimiter`` unless given)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or csv_delimiter(text))


def csv_dict_reader(text: str) -> csv.DictReader:
    """A ``csv.DictReader`` over ``text``: the header line names the columns."""
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))


# --- writing -------------------------------------------------------------------------------


def _is_decimal_text(text: str) -> bool:
    head, dot, tail = text.lstrip("-").partition(".")
    return bool(dot) and head.isdigit() and tail.isdigit()


def csv_cell(value, *, swedish: bool, decimal_text: bool = False):
    """One cell: None empty, decimals with a comma in the Swedish variant, dates ISO 8601,
    text formula-safe. ``decimal_text``: text that is a decimal number ("73.50", as the API
    writes scores) counts as a decimal; free text must not use it ("2.5" is a title too)."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)) or (decimal_text and isinstance(value, str) and _is_decimal_text(value)):
        return str(value).replace(".", ",") if swedish else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(value) if isinstance(value, str) else value


def csv_document(header: list[str], rows: Iterable[Iterable], *, swedish: bool, decimal_text: bool = False) -> str:
    """A header and rows as CSV text in the plain or the Swedish variant (``csv_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value, swedish=swedish, decimal_text=decimal_text) for value in row])
    return out.getvalue()


def csv_attachment(text: str, filename: str) -> HttpResponse:
    """CSV text as a download named ``filename`` (which ends in ``.csv``)."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
