"""Inputs with bounds (issue 13, finding 8): an oversized upload is refused before its
body is read, a DOCX that inflates to gigabytes is refused before it is unpacked, and
JSON nested beyond reason or with monstrous integers is refused in one line."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


def test_an_oversized_upload_is_refused_with_its_limit(team, settings):
    from kompass.workspace.models import Evidence

    settings.KOMPASS_UPLOAD_MAX_BYTES = 2**20
    client = Client()
    client.force_login(team.anna)
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * (3 * 2**20), content_type="application/pdf")
    response = client.post(f"/arbete/{team.evaluation.pk}/underlag/", {"kind": "document", "date": "2026-01-05", "file": big})
    assert response.status_code == 400
    assert "högst 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_limit_is_checked_before_the_body_is_read(settings):
    from kompass.upload_handlers import UploadSizeLimit

    settings.KOMPASS_UPLOAD_MAX_BYTES = 2**20

    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    handler = UploadSizeLimit()
    with pytest.raises(RequestDataTooBig):
        handler.handle_raw_input(Unreadable(), {}, 300 * 2**20, b"x")
    assert handler.handle_raw_input(Unreadable(), {}, 2**20, b"x") is None


def _docx_bomb(unpacked: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * 2**20
            for _ in range(unpacked // 2**20):
                member.write(block)
    return buffer.getvalue()


def test_a_docx_bomb_is_refused_before_it_is_unpacked(db, run_cli, tmp_path):
    bomb = tmp_path / "rapport.docx"
    bomb.write_bytes(_docx_bomb(300 * 2**20))
    assert bomb.stat().st_size < 2 * 2**20
    code, _out, err = run_cli("import", bomb)
    assert code != 0 and "packas upp till 300 MB; gränsen är 200 MB" in err


def test_deep_or_monstrous_json_is_refused_in_one_line(db, run_cli, tmp_path):
    deep = tmp_path / "djup.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    huge = tmp_path / "stor.json"
    huge.write_text('{"format": "kompass", "evaluations": [' + "9" * 5000 + "]}")
    for path, message in ((deep, "nästlad djupare"), (huge, "ogiltig JSON")):
        code, _out, err = run_cli("import-dump", path)
        assert code != 0 and message in err, err
        assert len(err.strip().splitlines()) == 1


def test_a_workbook_bomb_is_refused_before_openpyxl_opens_it(db, run_cli, tmp_path):
    bomb = tmp_path / "version.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b"\0" * 2**20)
    bomb.write_bytes(buffer.getvalue())
    code, _out, err = run_cli("catalogue", "load", bomb)
    assert code != 0 and "packas upp till 300 MB; gränsen är 200 MB" in err
