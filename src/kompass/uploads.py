"""Checking and storing uploaded documents (evidence documents, attachments to answers).

Plain Python: Django is only consulted, lazily, for two settings when the caller does not
pass ``directory`` / ``max_bytes`` explicitly:

- ``KOMPASS_UPLOAD_DIR`` (fallback ``VAR_DIR / "uploads"``): where stored files live, outside
  the web root. Created with mode 0o700 when missing; files are written with mode 0o600.
- ``KOMPASS_UPLOAD_MAX_BYTES`` (fallback ``MAX_UPLOAD_BYTES``, 20 MiB).

The kind of a document is decided by its content, never by its name: PDF, DOCX, ODT or
HTML. The client's file name is only kept as a display form (``StoredFile.original_name``);
the file is stored under a generated name (uuid4 hex + extension of the detected kind), and
only such generated names are ever turned back into paths (``open_stored``).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kompass.i18n import _, decimal_text

MAX_UPLOAD_BYTES = 20 * 2**20
MAX_ORIGINAL_NAME = 200

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "html": "text/html",
}
KINDS = tuple(CONTENT_TYPES)

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:pdf|docx|odt|html)")

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_HTML_WHITESPACE = " \t\n\f\r"
_HTML_START = re.compile(r"<!doctype\s+html(?=[\s>])|<html(?=[\s>])", re.IGNORECASE)
_HTML_HEAD_CHARS = 2**20  # leading whitespace and comments are looked through this far
_READ_CHUNK = 2**16
# What a damaged, encrypted or odd ZIP may raise while its directory or a member is read.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)
# Unicode categories dropped from display names: controls, format characters (bidi
# overrides that disguise "exe.pdf"), line/paragraph separators, lone surrogates.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


class UploadError(ValueError):
    """An upload is refused; the message (Swedish) names the file and the problem."""


@dataclass(frozen=True)
class StoredFile:
    name: str  # generated storage name, e.g. "3f2a…c1.pdf"
    original_name: str  # the client's name in a safe display form; never a path
    kind: str  # "pdf" | "docx" | "odt" | "html"
    content_type: str
    size: int


# --- detection -------------------------------------------------------------------------


def detect_kind(source: BinaryIO | bytes) -> str | None:
    """The kind of document in ``source`` by its content, or None if it is none we accept.

    ``source`` is the whole document: bytes, or a seekable binary file (read from the
    start; its position afterwards is unspecified). ZIP members are not decompressed,
    except the ODT ``mimetype`` member, which must be tiny.
    """
    file = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
    file.seek(0)
    head = file.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_ZIP_LOCAL_HEADER):
        return _zip_kind(file)
    return "html" if _is_html(file) else None


def _zip_kind(file: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            first = members[0] if members else None
            if first is not None and first.filename == "mimetype":
                if first.file_size > len(_ODT_MIMETYPE) + 16:
                    return None
                with archive.open(first) as member:
                    content = member.read(len(_ODT_MIMETYPE) + 1)
                return "odt" if content == _ODT_MIMETYPE else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                # A macro-enabled document (.docm) is not a DOCX.
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return None
                return "docx"
    except _ZIP_ERRORS:
        return None
    return None


def _is_html(file: BinaryIO) -> bool:
    """UTF-8 text (BOM allowed, no NUL) starting, after whitespace and comments, with
    ``<!doctype html`` or ``<html``."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    head = ""
    started = False
    try:
        while True:
            chunk = file.read(_READ_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if "\x00" in text:
                return False
            if not started:
                head += text
                verdict = _html_start(head, complete=not chunk or len(head) >= _HTML_HEAD_CHARS)
                if verdict is False:
                    return False
                if verdict:
                    started = True
                    head = ""
            if not chunk:
                return started
    except UnicodeDecodeError:
        return False


def _html_start(text: str, *, complete: bool) -> bool | None:
    """Whether ``text`` starts like an HTML document; None if more text is needed."""
    position = 0
    while True:
        while position < len(text) and text[position] in _HTML_WHITESPACE:
            position += 1
        if text.startswith("<!--", position):
            end = text.find("-->", position + 4)
            if end < 0:
                return False if complete else None
            position = end + 3
            continue
        break
    rest = text[position:]
    if _HTML_START.match(rest):
        return True
    if not complete and len(rest) < 64:
        return None  # perhaps the start of a start tag so far
    return False


# --- names -----------------------------------------------------------------------------


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return name.strip()


def _truncate(name: str, limit: int = MAX_ORIGINAL_NAME) -> str:
    if len(name) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and 0 < len(suffix) <= 16:
        return stem[: limit - len(suffix) - 1] + "." + suffix
    return name[:limit]


def _shown(name: object) -> str:
    """A name as it may appear in a message."""
    if not isinstance(name, str):
        return repr(name)
    return _truncate(_clean(name.replace("\x00", "")))


def display_name(name: object) -> str:
    """The client's file name reduced to a safe display form, or UploadError.

    Refused: a name that is not a string, contains NUL or path separators (``/``, ``\\``),
    or is empty, ``.`` or ``..`` once control characters are removed. Django's multipart
    parser already reduces browser-sent names to their basename, so a name with path parts
    here is crafted; it is refused rather than silently reduced.
    """
    if not isinstance(name, str) or "\x00" in name or "/" in name or "\\" in name:
        raise UploadError(_("”%(file)s”: ogiltigt filnamn") % {"file": _shown(name)})
    cleaned = _clean(name)
    if cleaned in {"", ".", ".."}:
        raise UploadError(_("”%(file)s”: ogiltigt filnamn") % {"file": _shown(name)})
    return _truncate(cleaned)


def _format_size(size: int) -> str:
    if size < 2**10:
        return _("%(n)s byte") % {"n": size}
    if size < 2**20:
        return _("%(n)s kB") % {"n": _decimal(size / 2**10)}
    return _("%(n)s MB") % {"n": _decimal(size / 2**20)}


def _decimal(value: float) -> str:
    return decimal_text(f"{value:.1f}".removesuffix(".0"))


# --- settings --------------------------------------------------------------------------


def _upload_dir(directory: Path | str | None) -> Path:
    if directory is not None:
        return Path(directory)
    from django.conf import settings

    configured = getattr(settings, "KOMPASS_UPLOAD_DIR", None)
    if configured is not None:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "uploads"


def _max_bytes(max_bytes: int | None) -> int:
    if max_bytes is None:
        from django.conf import settings

        max_bytes = getattr(settings, "KOMPASS_UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES)
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive int, not {max_bytes!r}")
    return max_bytes


# --- storing ---------------------------------------------------------------------------


def store_upload(uploaded, *, directory: Path | str | None = None, max_bytes: int | None = None) -> StoredFile:
    """Check ``uploaded`` (a Django UploadedFile or alike: ``.name``, ``.size``,
    ``.chunks()``) and store it under a generated name in ``directory``.

    Raises UploadError (Swedish message naming the file) for an invalid name, an empty or
    too large file, or content that is not PDF, DOCX, ODT or HTML. Nothing is left behind
    in ``directory`` on any failure: the content goes to a temporary file there, renamed
    into place only once accepted.
    """
    original_name = display_name(getattr(uploaded, "name", None))
    limit = _max_bytes(max_bytes)
    declared = getattr(uploaded, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(original_name, limit)

    target_dir = _upload_dir(directory)
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target_dir, prefix=".upload-", suffix=".part")  # mode 0o600
    temp_path = Path(temp_name)
    try:
        with os.fdopen(fd, "w+b") as temp:
            size = 0
            for chunk in uploaded.chunks():
                size += len(chunk)
                if size > limit:
                    raise _too_large(original_name, limit)
                temp.write(chunk)
            if size == 0:
                raise UploadError(_("”%(file)s”: filen är tom") % {"file": original_name})
            temp.flush()
            kind = detect_kind(temp)
            if kind is None:
                raise UploadError(
                    _("”%(file)s”: filtypen godtas inte; ladda upp PDF, DOCX, ODT eller HTML")
                    % {"file": original_name}
                )
            os.fsync(temp.fileno())
        name = f"{uuid.uuid4().hex}.{kind}"
        os.replace(temp_path, target_dir / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp_path.unlink()
        raise
    _fsync_dir(target_dir)
    return StoredFile(name=name, original_name=original_name, kind=kind, content_type=CONTENT_TYPES[kind], size=size)


def _too_large(original_name: str, limit: int) -> UploadError:
    return UploadError(
        _("”%(file)s”: filen är för stor; högst %(limit)s tillåts") % {"file": original_name, "limit": _format_size(limit)}
    )


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- reading back ----------------------------------------------------------------------


def _checked_name(name: object) -> str:
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        raise UploadError(_("”%(file)s”: inget giltigt namn på en lagrad fil") % {"file": _shown(name)})
    return name


def open_stored(name: str, *, directory: Path | str | None = None) -> Path:
    """The path of the stored file ``name``.

    UploadError unless ``name`` is exactly a generated name (32 lowercase hex digits, a
    dot, pdf|docx|odt|html); FileNotFoundError if no regular file of that name exists
    (a symlink counts as missing).
    """
    path = _upload_dir(directory) / _checked_name(name)
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"no stored file {name}") from None
    if not stat.S_ISREG(mode):
        raise FileNotFoundError(f"no stored file {name}")
    return path


def remove_stored(name: str, directory: Path | str | None = None) -> bool:
    """Remove the stored file ``name``; False if it was not there. UploadError for a name
    that is not a generated name."""
    path = _upload_dir(directory) / _checked_name(name)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
