"""Issue 12's journey with an owner's version that has sub-questions: loaded from a file
with `kompass catalogue load` (the example version shipped with the tests, its questions
invented), taken through the workspace by two evaluators with its guidance beside every
sub-question, published by the lead, and the public PDF report has the seed's chapters in
the seed's order with the summary in chapter 2."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

from django.test import Client
from django.utils.html import escape

from conftest import write_report_facts
from test_workspace_report import _chapter_2, _chapters, _expected, _pdf_headings

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"
SUMMARY = "Kommunen har tagit ett samlat grepp om dialogen med medborgarna."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_version_loaded_from_a_file_goes_from_scoring_to_the_published_report(team, run_cli, tmp_path):
    from kompass.catalogue import definitions
    from kompass.evaluations.models import Evaluation
    from kompass.workspace import services

    code, out, err = run_cli("catalogue", "load", EXAMPLE)
    assert code == 0, err
    code, out, err = run_cli("evaluation", "new", "1880", "2025", "--framework", "2099", "--evaluator", "anna", "--evaluator", "bo", "--json")
    assert code == 0, err
    pk = json.loads(out)["id"]
    version = definitions.get("2099")
    anna, bo = _client(team.anna), _client(team.bo)
    base = f"/arbete/{pk}/"

    for status in ("collecting", "scoring"):
        assert anna.post(base + "status/", {"status": status}).status_code == 302  # anna leads
    scoring = anna.get(base + "poang/").content.decode()
    for question in version.questions:
        assert escape(question.text) in scoring and escape(question.guidance.looked_for) in scoring, question.id

    # Two evaluators score independently; bo differs by a fifth of the maximum on 1.1.
    for client, user in ((anna, team.anna), (bo, team.bo)):
        for question in version.questions:
            score = question.max_points * Decimal("0.75")
            if user == team.bo and question.id == "1.1":
                score -= question.max_points / 5
            response = client.post(base + f"poang/{question.id}/", {"score": str(score).replace(".", ","), "note": f"Skäl {question.id}."})
            assert response.status_code in (200, 302), (question.id, response.content.decode()[:300])
        assert client.post(base + "poang/lamna-in/", {"confirm": "1"}).status_code == 302  # final once confirmed
    assert anna.post(base + "status/", {"status": "consensus"}).status_code == 302

    consensus = bo.get(base + "konsensus/").content.decode()
    assert "Bedömningsstöd" in consensus and escape(version.question("1.1").guidance.full) in consensus
    assert bo.post(base + "konsensus/samstammiga/").status_code in (200, 302)  # agreeing is everyone's
    assert bo.post(base + "konsensus/1.1/", {"score": "27", "note": "Enade efter samtal."}).status_code in (200, 302)

    evaluation = Evaluation.objects.get(pk=pk)
    for area in version.areas:
        for field in ("general", "changes"):
            services.area_text_set(evaluation=evaluation, by=team.bo, area_number=area.number, field=field, text=f"Text om område {area.number}.")
    write_report_facts(evaluation, team.bo, summary=SUMMARY)
    assert bo.post(base + "publicera/", {"confirm": "1"}).status_code == 404  # bo does not publish
    assert anna.post(base + "publicera/", {"confirm": "1"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "published"

    pdf = Client().get(f"/utvardering/{pk}/rapport.pdf")
    assert pdf.status_code == 200
    municipality = evaluation.municipality.name
    headings = _chapters(_pdf_headings(pdf.content))
    seed = _expected(municipality, 2015)
    assert [h for h in headings if not h.startswith("Område")] == [h for h in seed if not h.startswith("Område")]
    assert [h for h in headings if h.startswith("Område")] == [f"Område {a.number} {a.title}" for a in version.areas]
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert SUMMARY in _chapter_2(text, municipality)
