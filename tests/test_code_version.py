"""After a deployment of other code, cached answers and derived figures are computed
anew, even when the published data has not changed."""

import os

from kompass.code_version import folder_stamp


def test_the_stamp_changes_with_any_file_but_not_with_bytecode(tmp_path):
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "page.html").write_text("<p>före</p>")
    before = folder_stamp(tmp_path)
    (tmp_path / "web" / "__pycache__").mkdir()
    (tmp_path / "web" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert folder_stamp(tmp_path) == before
    (tmp_path / "web" / "page.html").write_text("<p>efter</p>")
    os.utime(tmp_path / "web" / "page.html", ns=(1, 1))
    assert folder_stamp(tmp_path) != before


def test_other_code_computes_anew(demo, monkeypatch):
    from django.test import RequestFactory

    from kompass import page_cache
    from kompass.evaluations import summaries

    calls = []
    figure = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert summaries.derived("x", figure) == 1 and summaries.derived("x", figure) == 1
    request = RequestFactory().get("/kommuner/?q=orebro")
    answer_before = page_cache.answer_key(request, ("q",))
    monkeypatch.setattr(summaries, "code_stamp", lambda: "other-code")
    monkeypatch.setattr(page_cache, "code_stamp", lambda: "other-code")
    assert summaries.derived("x", figure) == 2
    assert page_cache.answer_key(request, ("q",)) != answer_before
