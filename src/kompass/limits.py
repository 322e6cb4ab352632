"""Bounds on what a file may unpack to, checked before a library opens it.

A DOCX or XLSX is a ZIP: 2 MB of it can inflate to gigabytes (a "zip bomb") or hold a
million entries, and python-docx and openpyxl would unpack what they are given. The
central directory says what each entry unpacks to, and Python's zipfile never reads an
entry past that size, so checking the directory bounds the work."""

from __future__ import annotations

import io
import zipfile

from kompass.i18n import _

MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_UNPACKED = 200 * 2**20  # a long report with its images unpacks to a few MB


def zip_problem(data: bytes) -> str | None:
    """Why ``data``, a ZIP, may not be opened (one line), or None when it is within bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return _("filen är ingen läsbar ZIP-fil (%(error)s)") % {"error": exc}
    if len(entries) > MAX_ZIP_ENTRIES:
        return _("filen har %(count)s delar; gränsen är %(limit)s") % {"count": len(entries), "limit": MAX_ZIP_ENTRIES}
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_ZIP_UNPACKED:
        return _("filen packas upp till %(size)s MB; gränsen är %(limit)s MB") % {
            "size": unpacked // 2**20, "limit": MAX_ZIP_UNPACKED // 2**20,
        }
    return None
