"""Nothing a text says makes the server or a reader's browser fetch an address
(issue 13, finding 2): Markdown images become links, the PDF renderer fetches only
data: URIs, and every page carries a Content-Security-Policy that allows the site's own
resources only. `check --deploy` is clean behind HTTPS."""

from __future__ import annotations

import http.server
import os
import subprocess
import threading

import pytest
from django.test import Client

from conftest import KOMPASS


@pytest.fixture
def listener():
    """An HTTP server on the loopback that counts what it is asked for."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _plant_image(address: str):
    from kompass.evaluations.models import AreaAssessment

    assessment = AreaAssessment.objects.get(
        evaluation__municipality__code="1880", evaluation__year=2015, area__number=1
    )
    assessment.general_text += f"\n\n![bild]({address}/spion.png)"
    assessment.save()
    return assessment.evaluation


def test_report_and_page_fetch_nothing_a_text_points_at(demo, listener):
    from kompass.reports.formats import render_report

    address, hits = listener
    evaluation = _plant_image(address)
    for fmt in ("pdf", "html", "docx"):
        render_report(evaluation, fmt)
    page = Client().get(f"/utvardering/{evaluation.pk}/").content.decode()
    assert hits == []
    assert f'<img src="{address}' not in page
    assert f'href="{address}/spion.png"' in page  # still there, as a link


def test_the_pdf_renderer_refuses_other_addresses_but_draws_data_images(listener):
    from pypdf import PdfReader
    import io

    from kompass.reports.pdf import render_pdf

    address, hits = listener
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    pdf = render_pdf(f'<p>x</p><img src="{address}/a.png"><img src="{pixel}" style="width:2cm">'
                     f'<link rel="stylesheet" href="{address}/s.css">')
    assert hits == []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1  # the data: image, and only it


def test_every_page_has_a_strict_content_security_policy(demo):
    for path in ("/", "/kommun/SE/1880/", "/api/municipalities?country=SE", "/accounts/login/"):
        policy = Client().get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        assert directives["frame-ancestors"] == "'none'"


def test_check_deploy_is_clean_behind_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "KOMPASS_DEBUG"}}
    env.update(KOMPASS_VAR_DIR=str(tmp_path / "var"), KOMPASS_HTTPS="1", KOMPASS_ALLOWED_HOSTS="kompass.example.se")
    result = subprocess.run([str(KOMPASS), "manage", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    without = subprocess.run([str(KOMPASS), "manage", "check", "--deploy", "--fail-level", "WARNING"],
                             env={**env, "KOMPASS_HTTPS": "0"}, capture_output=True, text=True, timeout=120)
    assert without.returncode != 0  # the check itself does find what HTTPS=1 fixes
