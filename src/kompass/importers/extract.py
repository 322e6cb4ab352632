"""Text out of a report file: plain text, PDF, DOCX or a scan, checked before it is read.

The project's own PDF reports carry the evaluation's data as an embedded attachment;
where it is there, it is used and the import is exact. A PDF's pages without a text
layer, and image files, are read by OCR (``ocr``). A PDF's pages are joined by a form
feed, as pdftotext writes them.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kompass.i18n import _
from kompass.limits import zip_problem

MAX_BYTES = 60 * 1024 * 1024  # a long report with images is a few MB; a 40-page scan at 300 dpi 20-40 MB
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
EMBEDDED_NAME = "kompass-utvardering.json"
DOCX_DATA_RELATIONSHIP = "https://kommunkompassen.se/relationships/evaluation-data"  # as reports.docx writes it


class UnreadableFile(ValueError):
    """The file is not a report this importer can read; the message says why."""


@dataclass
class Source:
    kind: str  # "text", "pdf", "docx" or "scan" (read by OCR, all or some of its pages)
    text: str
    embedded: dict | None = None  # the evaluation as the project's own report carries it


def read_source(path: Path) -> Source:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(_("kan inte läsas (%(error)s)") % {"error": exc.strerror}) from None
    if size == 0:
        raise UnreadableFile(_("filen är tom"))
    if size > MAX_BYTES:
        raise UnreadableFile(_("filen är %(size)s MB; gränsen är %(limit)s MB") % {"size": round(size / 2**20, 1), "limit": MAX_BYTES // 2**20})
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return _pdf(data)
    if suffix == ".docx":
        return _docx(data)
    if suffix in {".txt", ".text", ".md", ""}:
        return Source("text", _text(data))
    if suffix in IMAGE_SUFFIXES:
        from kompass.importers import ocr

        return Source("scan", _scanned_text(ocr.image_pages(data)))
    raise UnreadableFile(_("okänd filtyp %(suffix)s: läser .txt, .pdf, .docx och inskannade sidor (.png, .jpg, .tif)") % {"suffix": suffix})


def _scanned_text(pages: list[str]) -> str:
    text = "\f".join(pages)
    if not text.strip():
        raise UnreadableFile(_("OCR hittade ingen text i bilden"))
    return text


def _text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("filen är binär, inte text"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("texten är inte UTF-8 (byte %(position)s)") % {"position": exc.start}) from None
    if not text.strip():
        raise UnreadableFile(_("filen innehåller ingen text"))
    return text


def _pdf(data: bytes) -> Source:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise UnreadableFile(_("filen heter .pdf men är ingen PDF"))
    try:
        reader = PdfReader(io.BytesIO(data))
        embedded = None
        attachments = reader.attachments
        if EMBEDDED_NAME in attachments:
            payload = json.loads(attachments[EMBEDDED_NAME][0])
            if payload.get("format") == "kompass-evaluation":
                embedded = payload.get("evaluation")
        # Layout mode keeps the page's geometry: a vector chart's labels stay where they
        # are drawn instead of landing inside the paragraph the content stream continues.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
        # A page without a text layer but with an image on it is a scanned page.
        scanned = [
            (index, float(page.mediabox.width), float(page.mediabox.height))
            for index, page in enumerate(reader.pages)
            if not pages[index].strip() and _has_image(page)
        ]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(_("PDF-filen kan inte läsas (%(error)s)") % {"error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}) from None
    if embedded is None and not any(p.strip() for p in pages) and not scanned:
        raise UnreadableFile(_("PDF-filen har varken text eller bilder att läsa"))
    if not scanned:
        return Source("pdf", "\f".join(pages), embedded)
    from kompass.importers import ocr

    for index, text in ocr.pdf_pages(data, scanned).items():
        pages[index] = text
    text = "\f".join(pages)
    if not text.strip() and embedded is None:
        raise UnreadableFile(_("PDF-filen har ingen text, och OCR hittade ingen på dess bilder"))
    return Source("scan", text, embedded)


def _has_image(page) -> bool:
    """Whether the page draws an image: in its resources, a form's, or inline."""
    try:
        return len(page.images) > 0
    except Exception:  # pypdf fails on some broken images; a page that has one is still a scan
        return True


def _docx(data: bytes) -> Source:
    """Paragraphs as lines with blank lines between; a table row as its cells with tabs."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile(_("filen heter .docx men är inget Word-dokument"))
    if problem := zip_problem(data):
        raise UnreadableFile(problem)
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(_("Word-dokumentet kan inte läsas (%(error)s)") % {"error": exc}) from None
    embedded = None
    for rel in document.part.package.rels.values():
        if rel.reltype == DOCX_DATA_RELATIONSHIP and not rel.is_external:
            payload = json.loads(rel.target_part.blob)
            if payload.get("format") == "kompass-evaluation":
                embedded = payload.get("evaluation")
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            if paragraph.style is not None and paragraph.style.name.startswith("List"):
                lines.append("- " + text)
            else:
                if lines and lines[-1].startswith("- "):
                    lines.append("")  # a list ends before the paragraph that follows it
                lines.extend([text, ""])
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells = []
                for cell in row.cells:
                    cells.append(" ".join(cell.text.split()))
                lines.append("\t".join(cells))
            lines.append("")
    return Source("docx", "\n".join(lines), embedded)
