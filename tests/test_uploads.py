"""Uploaded documents: detection by content, refusals, storage under generated names."""

import io
import os
import stat
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kompass.uploads import (
    CONTENT_TYPES,
    MAX_UPLOAD_BYTES,
    STORED_NAME,
    StoredFile,
    UploadError,
    detect_kind,
    display_name,
    open_stored,
    remove_stored,
    store_upload,
)

ACCEPTED = "PDF, DOCX, ODT eller HTML"


# --- real documents ----------------------------------------------------------------------


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Kommunkompassen", level=1)
    document.add_paragraph("Underlag till förbesöket: delegationsordning och internkontrollplan.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_opendocument(mimetype: str, body: str = "<office:text><text:p>Hej</text:p></office:text>") -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def make_odt() -> bytes:
    return make_opendocument("application/vnd.oasis.opendocument.text")


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HTML = (
    "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Svar</title></head>"
    "<body><p>Kommunens svar på förbesöksfrågorna.</p></body></html>\n"
)


def make_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


class RawUpload:
    """An UploadedFile-like object that keeps its name as given (Django's own classes
    already reduce names to their basename) and may lie about its size."""

    def __init__(self, name, content: bytes, size: int | None = None, chunk_size: int = 7):
        self.name = name
        self.content = content
        self.size = len(content) if size is None else size
        self.chunk_size = chunk_size
        self.chunks_read = 0
        self._file = io.BytesIO(content)

    def chunks(self):
        for start in range(0, len(self.content), self.chunk_size):
            self.chunks_read += 1
            yield self.content[start : start + self.chunk_size]

    def read(self, *args):
        return self._file.read(*args)

    def seek(self, *args):
        return self._file.seek(*args)


def contents(directory):
    return sorted(os.listdir(directory)) if directory.exists() else []


@pytest.fixture
def uploads(tmp_path):
    return tmp_path / "uploads"


# --- accepted ----------------------------------------------------------------------------

DOCUMENTS = {
    "pdf": ("Protokoll KF 2024-03-18.pdf", make_pdf),
    "docx": ("Delegationsordning.docx", make_docx),
    "odt": ("Internkontrollplan.odt", make_odt),
    "html": ("svar.html", lambda: HTML.encode()),
}


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_real_documents_are_detected_and_stored_under_generated_names(uploads, kind):
    filename, build = DOCUMENTS[kind]
    data = build()
    assert detect_kind(data) == kind

    stored = store_upload(SimpleUploadedFile(filename, data), directory=uploads)

    assert isinstance(stored, StoredFile)
    assert stored.kind == kind
    assert stored.content_type == CONTENT_TYPES[kind]
    assert stored.original_name == filename
    assert stored.size == len(data)
    assert STORED_NAME.fullmatch(stored.name) and stored.name.endswith("." + kind)
    assert contents(uploads) == [stored.name]
    path = open_stored(stored.name, directory=uploads)
    assert path == uploads / stored.name
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700


def test_content_types():
    assert CONTENT_TYPES == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text",
        "html": "text/html",
    }


def test_kind_comes_from_content_not_name(uploads):
    stored = store_upload(SimpleUploadedFile("bilaga.pdf", make_docx()), directory=uploads)
    assert stored.kind == "docx" and stored.name.endswith(".docx")
    assert stored.original_name == "bilaga.pdf"
    stored = store_upload(SimpleUploadedFile("utan-ändelse", make_pdf()), directory=uploads)
    assert stored.kind == "pdf" and stored.name.endswith(".pdf")


def test_each_upload_gets_its_own_name(uploads):
    data = make_pdf()
    names = {store_upload(SimpleUploadedFile("samma.pdf", data), directory=uploads).name for _ in range(3)}
    assert len(names) == 3
    assert contents(uploads) == sorted(names)


def test_large_upload_is_streamed_in_chunks(uploads):
    data = make_pdf() + b"%" + os.urandom(300_000)  # trailing bytes after %%EOF, still a PDF header
    upload = RawUpload("stor.pdf", data, chunk_size=4096)
    stored = store_upload(upload, directory=uploads, max_bytes=len(data))
    assert upload.chunks_read > 50
    assert stored.size == len(data)
    assert open_stored(stored.name, directory=uploads).read_bytes() == data


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>x</body></html>",
        "<HTML LANG=sv>\n<p>x</p></HTML>",
        "\ufeff  \n<!doctype HTML>\n<html></html>",
        "<!-- exporterad 2024 -->\n<!-- andra kommentaren -->\n<!DOCTYPE html><html></html>",
        "\r\n\t<!--\n<p>\n-->  <html\nlang='sv'>",
    ],
)
def test_html_variants(text):
    assert detect_kind(text.encode("utf-8")) == "html"


@pytest.mark.parametrize(
    "data",
    [
        b"<p>bara ett stycke</p>",
        b"<htmlx>",
        b"<!-- ej avslutad kommentar <html>",
        b"text <html>",
        "<html><p>Gr\xe4nna</p></html>".encode("latin-1"),  # not UTF-8
        b"<html>\x00</html>",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
def test_not_html(data):
    assert detect_kind(data) is None


def test_html_start_found_after_long_comment_across_chunks():
    text = "<!--" + "x" * 200_000 + "-->\n<!DOCTYPE html><html></html>"
    assert detect_kind(text.encode()) == "html"
    # invalid UTF-8 after an HTML start is still refused: the whole file must decode
    assert detect_kind(b"<html>" + b"a" * 200_000 + b"\xff") is None


def test_detect_kind_reads_a_file_object_from_the_start():
    file = io.BytesIO(make_odt())
    file.seek(100)
    assert detect_kind(file) == "odt"


# --- refused -----------------------------------------------------------------------------


def ods() -> bytes:
    return make_opendocument("application/vnd.oasis.opendocument.spreadsheet", "<office:spreadsheet/>")


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.bin", "w") as member,
    ):
        for _ in range(64):
            member.write(bytes(2**20))
    return out.getvalue()


def docm() -> bytes:
    with zipfile.ZipFile(io.BytesIO(make_docx())) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + bytes(60)
    return make_zip(members)


def odt_with_wrong_mimetype_order() -> bytes:
    return make_zip({"content.xml": b"<x/>", "mimetype": b"application/vnd.oasis.opendocument.text"})


def polyglot() -> bytes:
    """A PNG with a DOCX appended: a valid ZIP to zipfile.is_zipfile, but not a DOCX file."""
    return make_png() + make_docx()


WRONG_CONTENT = {
    "renamed PNG": ("kvitto.pdf", make_png),
    "renamed exe": ("protokoll.pdf", lambda: EXE),
    "plain text named .pdf": ("anteckningar.pdf", lambda: "Anteckningar från förbesöket.\n".encode()),
    "ODS": ("budget.odt", ods),
    "zip without word/document.xml": ("rapport.docx", lambda: make_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w/>"})),
    "zip bomb without document": ("rapport.docx", zip_bomb),
    "macro-enabled docm": ("rapport.docx", docm),
    "ODT without mimetype first": ("plan.odt", odt_with_wrong_mimetype_order),
    "PNG with a DOCX appended": ("bild.docx", polyglot),
    "truncated zip": ("trasig.docx", lambda: make_docx()[:2000]),
}


@pytest.mark.parametrize("case", list(WRONG_CONTENT))
def test_wrong_content_is_refused(uploads, case):
    filename, build = WRONG_CONTENT[case]
    data = build()
    assert detect_kind(data) is None
    with pytest.raises(UploadError) as refused:
        store_upload(SimpleUploadedFile(filename, data), directory=uploads)
    message = str(refused.value)
    assert filename in message
    assert ACCEPTED in message
    assert contents(uploads) == []


def test_empty_file_is_refused(uploads):
    with pytest.raises(UploadError, match="tom") as refused:
        store_upload(SimpleUploadedFile("tom.pdf", b""), directory=uploads)
    assert "tom.pdf" in str(refused.value)
    assert contents(uploads) == []


def test_too_large_is_refused_by_declared_size_without_reading(uploads):
    data = make_pdf()
    upload = RawUpload("stor.pdf", data)
    with pytest.raises(UploadError, match="för stor") as refused:
        store_upload(upload, directory=uploads, max_bytes=100)
    assert "stor.pdf" in str(refused.value)
    assert "100 byte" in str(refused.value)
    assert upload.chunks_read == 0
    assert contents(uploads) == []


def test_too_large_simple_uploaded_file(uploads):
    with pytest.raises(UploadError, match="för stor") as refused:
        store_upload(SimpleUploadedFile("stor.pdf", make_pdf()), directory=uploads, max_bytes=100)
    assert "stor.pdf" in str(refused.value)
    assert contents(uploads) == []


def test_lying_size_is_caught_while_streaming_and_partial_file_removed(uploads):
    data = make_pdf()
    assert len(data) > 100
    upload = RawUpload("ljuger.pdf", data, size=10)
    with pytest.raises(UploadError, match="för stor") as refused:
        store_upload(upload, directory=uploads, max_bytes=100)
    assert "ljuger.pdf" in str(refused.value)
    assert 0 < upload.chunks_read < len(data) / upload.chunk_size  # stopped early
    assert contents(uploads) == []

    lying = SimpleUploadedFile("ljuger.pdf", data)
    lying.size = 1
    with pytest.raises(UploadError, match="för stor"):
        store_upload(lying, directory=uploads, max_bytes=100)
    assert contents(uploads) == []


def test_exactly_max_bytes_is_accepted(uploads):
    data = make_pdf()
    stored = store_upload(SimpleUploadedFile("precis.pdf", data), directory=uploads, max_bytes=len(data))
    assert stored.size == len(data)


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../x.pdf", "../../x.pdf"),
        ("..\\..\\x.pdf", "..\\..\\x.pdf"),
        ("/etc/x.pdf", "/etc/x.pdf"),
        ("C:\\Users\\x.pdf", "C:\\Users\\x.pdf"),
        ("undermapp/x.pdf", "undermapp/x.pdf"),
        ("x\x00.pdf", "x.pdf"),
        ("x.pdf\x00.html", "x.pdf.html"),
        ("..", ".."),
        (".", "."),
        ("", ""),
        ("\x01\x02", ""),
        ("  ", ""),
    ],
)
def test_invalid_names_are_refused(uploads, name, shown):
    with pytest.raises(UploadError, match="ogiltigt filnamn") as refused:
        store_upload(RawUpload(name, make_pdf()), directory=uploads)
    assert f"”{shown}”" in str(refused.value)
    assert contents(uploads) == []
    assert not (uploads.parent / "x.pdf").exists()


def test_name_that_is_not_a_string_is_refused(uploads):
    with pytest.raises(UploadError, match="ogiltigt filnamn"):
        store_upload(RawUpload(None, make_pdf()), directory=uploads)
    assert contents(uploads) == []


def test_simple_uploaded_file_with_backslash_path_is_refused(uploads):
    # Django reduces "/" paths to their basename itself, but not "\" paths on POSIX.
    with pytest.raises(UploadError, match="ogiltigt filnamn") as refused:
        store_upload(SimpleUploadedFile("..\\..\\x.pdf", make_pdf()), directory=uploads)
    assert "x.pdf" in str(refused.value)
    assert contents(uploads) == []


def test_nul_in_simple_uploaded_file_name_is_refused(uploads):
    with pytest.raises(UploadError, match="ogiltigt filnamn") as refused:
        store_upload(SimpleUploadedFile("x\x00.pdf", make_pdf()), directory=uploads)
    assert "x.pdf" in str(refused.value)
    assert contents(uploads) == []


def test_failure_while_reading_leaves_nothing_behind(uploads):
    class Broken(RawUpload):
        def chunks(self):
            yield b"%PDF-1.7\n"
            raise OSError("anslutningen bröts")

    with pytest.raises(OSError, match="bröts"):
        store_upload(Broken("avbruten.pdf", b"x" * 20), directory=uploads)
    assert contents(uploads) == []


# --- display names -----------------------------------------------------------------------


def test_display_name_removes_control_and_bidi_characters_and_normalises():
    assert display_name("Rapport\x07 2024\n.pdf") == "Rapport 2024.pdf"
    assert display_name("faktura\u202efdp.exe") == "fakturafdp.exe"
    assert display_name("  Bila\u0308ga.docx ") == "Biläga.docx"  # NFD from macOS -> NFC


def test_display_name_is_at_most_200_characters_and_keeps_the_extension():
    name = display_name("å" * 300 + ".docx")
    assert len(name) == 200 and name.endswith(".docx")
    assert len(display_name("x" * 300)) == 200


def test_original_name_is_the_display_form(uploads):
    stored = store_upload(RawUpload("Svar\tfrån kommunen\r\n.html", HTML.encode()), directory=uploads)
    assert stored.original_name == "Svarfrån kommunen.html"


# --- reading back and removing -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../secret",
        "x.pdf",
        "/etc/passwd",
        "",
        "0123456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF.pdf",
        "0123456789abcdef0123456789abcdef.exe",
        "0123456789abcdef0123456789abcdef.pdf\n",
        "0123456789abcdef0123456789abcdef.pdf/",
        "../0123456789abcdef0123456789abcdef.pdf",
        ".upload-abc.part",
        None,
    ],
)
def test_open_stored_refuses_anything_but_generated_names(uploads, name):
    with pytest.raises(UploadError):
        open_stored(name, directory=uploads)
    with pytest.raises(UploadError):
        remove_stored(name, uploads)


def test_open_stored_refuses_absolute_paths(tmp_path, uploads):
    secret = tmp_path / "0123456789abcdef0123456789abcdef.pdf"
    secret.write_bytes(b"%PDF-1.7 hemligt")
    with pytest.raises(UploadError):
        open_stored(str(secret), directory=uploads)


def test_open_stored_missing_file(uploads):
    uploads.mkdir()
    with pytest.raises(FileNotFoundError):
        open_stored("0123456789abcdef0123456789abcdef.pdf", directory=uploads)


def test_open_stored_does_not_follow_symlinks(tmp_path, uploads):
    uploads.mkdir()
    target = tmp_path / "secret.txt"
    target.write_text("hemligt")
    (uploads / "0123456789abcdef0123456789abcdef.pdf").symlink_to(target)
    with pytest.raises(FileNotFoundError):
        open_stored("0123456789abcdef0123456789abcdef.pdf", directory=uploads)


def test_remove_stored(uploads):
    stored = store_upload(SimpleUploadedFile("bort.pdf", make_pdf()), directory=uploads)
    assert remove_stored(stored.name, uploads) is True
    assert contents(uploads) == []
    assert remove_stored(stored.name, directory=uploads) is False
    with pytest.raises(FileNotFoundError):
        open_stored(stored.name, directory=uploads)


# --- settings ----------------------------------------------------------------------------


def test_defaults_come_from_settings(settings, tmp_path):
    settings.KOMPASS_UPLOAD_DIR = tmp_path / "från-inställningar"
    settings.KOMPASS_UPLOAD_MAX_BYTES = 10
    with pytest.raises(UploadError, match="för stor"):
        store_upload(SimpleUploadedFile("a.pdf", make_pdf()))
    settings.KOMPASS_UPLOAD_MAX_BYTES = 10**6
    stored = store_upload(SimpleUploadedFile("a.pdf", make_pdf()))
    assert open_stored(stored.name) == settings.KOMPASS_UPLOAD_DIR / stored.name
    assert remove_stored(stored.name) is True


def test_fallbacks_when_settings_are_missing(settings, tmp_path):
    for setting in ("KOMPASS_UPLOAD_DIR", "KOMPASS_UPLOAD_MAX_BYTES"):
        if hasattr(settings, setting):
            delattr(settings, setting)
    settings.VAR_DIR = tmp_path / "var"
    stored = store_upload(SimpleUploadedFile("a.pdf", make_pdf()))
    assert open_stored(stored.name) == tmp_path / "var" / "uploads" / stored.name
    assert MAX_UPLOAD_BYTES == 20 * 2**20


def test_invalid_max_bytes_is_a_programming_error(uploads):
    with pytest.raises(ValueError) as raised:
        store_upload(SimpleUploadedFile("a.pdf", make_pdf()), directory=uploads, max_bytes=0)
    assert not isinstance(raised.value, UploadError)
