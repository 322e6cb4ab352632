"""Everyday forms in the workspace (issue 16, part F): the municipality picker of the
new-evaluation form, evidence edited and linked through a checklist, empty sections
hidden beside the score, and the municipality's own answers as DOCX and PDF."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import bring_to_consensus
from kompass.evaluations.models import Evaluation
from kompass.workspace import municipality_picker, services
from kompass.workspace.models import AuditEntry, Evidence

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_upload(name="Budget 2026.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


# --- the municipality picker ------------------------------------------------------------


def test_a_part_of_the_name_finds_the_municipality_with_its_code_and_country(demo):
    picked = municipality_picker.pick("Link")
    assert picked.municipality is None
    assert [municipality_picker.label(m) for m in picked.candidates] == ["Linköping (0580, Sverige)"]
    assert "Linköping (0580, Sverige)" in picked.problem
    assert municipality_picker.pick("Linköping (0580, Sverige)").municipality.name == "Linköpings kommun"
    assert municipality_picker.pick("linköping").municipality.country == "SE"  # a whole name, in any case
    assert municipality_picker.pick("ÖREBRO").municipality.code == "1880"


def test_a_code_used_in_two_countries_says_so_and_offers_both(demo):
    picked = municipality_picker.pick("0580")
    assert picked.municipality is None
    assert {municipality_picker.label(m) for m in picked.candidates} == {"Linköping (0580, Sverige)", "Aabenraa (0580, Danmark)"}
    assert "flera länder" in picked.problem and "Aabenraa (0580, Danmark)" in picked.problem
    assert municipality_picker.pick("0580", "DK:0580").municipality.name.startswith("Aabenraa")
    assert municipality_picker.pick("1880").municipality.code == "1880"  # unique codes need no country
    assert "Ingen kommun har koden 9999" in municipality_picker.pick("9999").problem
    assert "Ingen kommun heter" in municipality_picker.pick("Atlantis").problem
    assert municipality_picker.pick("   ").problem.startswith("Välj en kommun")


def test_the_dashboard_offers_every_municipality_of_the_three_countries(team):
    page = _client(team.admin).get("/arbete/").content.decode()
    assert 'list="new-municipality-list"' in page
    for text in ("Linköping (0580, Sverige)", "Aabenraa (0580, Danmark)", "Oslo (0301, Norge)"):
        assert f'<option value="{text}">' in page


def test_an_ambiguous_code_is_refused_beside_the_field_and_then_chosen(team):
    client = _client(team.admin)
    before = Evaluation.objects.count()
    response = client.post("/arbete/ny/", {"municipality": "0580", "framework": "2010", "year": "2025", "evaluators": [str(team.carl.pk)]})
    page = response.content.decode()
    assert response.status_code == 400 and Evaluation.objects.count() == before
    assert "Det finns ett problem" in page and 'href="#new-municipality"' in page
    assert 'aria-invalid="true"' in page and page.count('aria-invalid="true"') == 1  # only the municipality is wrong
    assert 'value="DK:0580"' in page and 'value="SE:0580"' in page and 'name="municipality_searched" value="0580"' in page
    # A radio button left checked from an earlier search does not override a new one.
    response = client.post("/arbete/ny/", {"municipality": "Göteborg", "municipality_pick": "DK:0580", "municipality_searched": "0580",
                                          "framework": "2010", "year": "2025"})
    assert response.status_code == 302 and Evaluation.objects.order_by("-pk").first().municipality.code == "1480"
    before += 1
    assert f'value="{team.carl.pk}" checked' in page and 'value="2025"' in page  # what was typed is kept
    assert f'href="/arbete/{team.evaluation.pk}/"' in page  # the rest of the dashboard is still there
    response = client.post("/arbete/ny/", {"municipality": "0580", "municipality_pick": "DK:0580", "municipality_searched": "0580",
                                          "framework": "2010", "year": "2025"})
    assert response.status_code == 302
    made = Evaluation.objects.order_by("-pk").first()
    assert (made.municipality.country, made.municipality.code, made.year) == ("DK", "0580", 2025)


def test_a_label_chosen_from_the_list_creates_the_evaluation(team):
    response = _client(team.admin).post("/arbete/ny/", {"municipality": "Linköping (0580, Sverige)", "framework": "2010", "year": "2025"})
    assert response.status_code == 302
    assert Evaluation.objects.order_by("-pk").first().municipality.name == "Linköpings kommun"


def test_a_bad_year_is_named_beside_its_field(team):
    response = _client(team.admin).post("/arbete/ny/", {"municipality": "Örebro", "framework": "2010", "year": "tjugo"})
    page = response.content.decode()
    assert response.status_code == 400 and "Skriv året med fyra siffror" in page
    assert 'id="new-year-error"' in page and 'value="Örebro (1880, Sverige)"' in page


# --- evidence: the checklist and editing --------------------------------------------------


def _collecting(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)


def test_evidence_is_linked_through_a_checklist_grouped_by_area(team):
    _collecting(team)
    client = _client(team.anna)
    page = client.get(f"/arbete/{team.evaluation.pk}/underlag/").content.decode()
    assert "<select" not in page and 'type="checkbox" name="questions" value="2.3"' in page
    assert page.count('class="area-group"') == len(team.evaluation.framework.definition.areas)
    assert "unit-filter.js" in page and "data-filter hidden" in page  # the filter box appears with the script only
    response = client.post(f"/arbete/{team.evaluation.pk}/underlag/", {
        "kind": "interview", "date": "2026-10-01", "interviewee": "", "questions": ["1.1", "2.3"]})
    page = response.content.decode()
    assert response.status_code == 400 and 'value="2.3" checked' in page and 'value="1.1" checked' in page
    assert "Valda: 1.1, 2.3" in page
    assert 'href="#ev-interviewee"' in page and re.search(r'id="ev-interviewee"[^>]*aria-invalid="true"', page)
    page = client.post(f"/arbete/{team.evaluation.pk}/underlag/", {"kind": "brev", "date": "2026-10-01"}).content.decode()
    assert 'href="#ev-kind"' in page and 'id="ev-kind-error"' in page


def test_an_evidence_item_is_edited_and_the_change_audited(team):
    _collecting(team)
    item = services.evidence_add(evaluation=team.evaluation, by=team.anna, kind="interview", date=__import__("datetime").date(2026, 10, 1),
                                 interviewee="kommunstyrelsens ordförande", question_codes=["1.1"])
    client = _client(team.bo)
    url = f"/arbete/{team.evaluation.pk}/underlag/{item.pk}/andra/"
    page = client.get(url).content.decode()
    assert 'value="kommunstyrelsens ordförande"' in page and 'value="1.1" checked' in page
    assert 'name="kind"' not in page and 'id="ev-url"' not in page  # its kind stays; only its own fields
    base = re.search(r'name="base" value="([0-9a-f]+)"', page)[1]
    response = client.post(url, {"base": base, "date": "2026-10-02", "interviewee": "fackliga företrädare", "notes": "Bra samtal",
                                 "questions": ["2.3", "3.1"]})
    assert response.status_code == 302 and response["Location"].endswith(f"?andrat={item.pk}#e-{item.pk}")
    item.refresh_from_db()
    assert item.interviewee == "fackliga företrädare" and str(item.date) == "2026-10-02" and item.notes == "Bra samtal"
    assert sorted(q.code for q in item.questions.all()) == ["2.3", "3.1"]
    entry = AuditEntry.objects.filter(evaluation=team.evaluation, field="underlag").order_by("-pk").first()
    assert "kommunstyrelsens ordförande" in entry.old and "1.1" in entry.old and "fackliga företrädare" in entry.new and "2.3, 3.1" in entry.new
    # A second save on the same form: someone changed it meanwhile; refused, nothing changed, the stored version shown.
    response = client.post(url, {"base": base, "date": "2026-10-03", "interviewee": "x", "questions": []})
    assert response.status_code == 409 and "har ändrats av någon annan" in response.content.decode()
    item.refresh_from_db()
    assert item.interviewee == "fackliga företrädare"
    assert 'value="fackliga företrädare"' in response.content.decode()


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(team):
    _collecting(team)
    import datetime

    item = services.evidence_add(evaluation=team.evaluation, by=team.anna, kind="website", date=datetime.date(2026, 10, 1),
                                 url="https://orebro.se/", question_codes=["1.1"])
    audits = AuditEntry.objects.count()
    response = _client(team.anna).post(f"/arbete/{team.evaluation.pk}/underlag/{item.pk}/andra/",
                                       {"date": "2026-10-01", "url": "orebro", "title": "Min titel", "questions": ["2.1"]})
    page = response.content.decode()
    assert response.status_code == 400 and "Det finns ett problem" in page
    assert 'value="Min titel"' in page and 'value="orebro"' in page and 'value="2.1" checked' in page
    assert re.search(r'id="ev-url"[^>]*aria-invalid="true"', page) and page.count('aria-invalid="true"') == 1  # only the address is wrong
    assert 'href="#ev-url"' in page and 'id="ev-url-error"' in page
    item.refresh_from_db()
    assert item.url == "https://orebro.se/" and item.title == "" and AuditEntry.objects.count() == audits


def test_a_document_keeps_its_file_unless_a_new_one_is_given(team, settings, tmp_path):
    settings.KOMPASS_UPLOAD_DIR = tmp_path
    _collecting(team)
    import datetime

    item = services.evidence_add(evaluation=team.evaluation, by=team.anna, kind="document", date=datetime.date(2026, 10, 1), upload=_pdf_upload())
    first = item.file_name
    services.evidence_update(evaluation=team.evaluation, evidence_id=item.pk, by=team.anna, date=item.date, title="Budgeten")
    item.refresh_from_db()
    assert item.file_name == first and item.title == "Budgeten"
    with pytest.MonkeyPatch.context():
        services.evidence_update(evaluation=team.evaluation, evidence_id=item.pk, by=team.anna, date=item.date, title="Budgeten",
                                 upload=_pdf_upload("Budget 2027.pdf"))
    item.refresh_from_db()
    assert item.file_name != first and item.original_name == "Budget 2027.pdf"


def test_editing_is_closed_after_publication_and_to_others(team):
    import datetime

    _collecting(team)
    item = services.evidence_add(evaluation=team.evaluation, by=team.anna, kind="interview", date=datetime.date(2026, 10, 1), interviewee="x")
    url = f"/arbete/{team.evaluation.pk}/underlag/{item.pk}/andra/"
    assert _client(team.contact).get(url).status_code == 404
    assert _client(team.carl).get(url).status_code == 404
    assert _client(team.anna).get(f"/arbete/{team.evaluation.pk}/underlag/999999/andra/").status_code == 404
    page = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/underlag/").content.decode()
    assert f'href="{url}"' in page


# --- empty sections hidden beside the score -------------------------------------------------


def test_a_self_score_alone_shows_without_an_empty_answer_heading(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.self_assessment_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", score="2,5", comment="")
    services.previsit_answer_set(evaluation=team.evaluation, by=team.contact, question_code="1.2", text="Vi har en plan.")
    _collecting(team)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    page = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()
    first = page[page.index('id="qh-1.1"'): page.index('id="qh-1.2"')]
    second = page[page.index('id="qh-1.2"'): page.index('id="qh-1.3"')]
    assert "Kommunens svar i förfrågan" not in first and "Kommunens självskattning: 2,5 av" in first
    assert "Kommunens svar i förfrågan" in second and "Vi har en plan." in second and "självskattning:" not in second


# --- the municipality's own answers as files --------------------------------------------------


def _answered(team, settings, tmp_path):
    settings.KOMPASS_UPLOAD_DIR = tmp_path
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.previsit_answer_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", text="Vi har en **plan** för dialog.")
    services.self_assessment_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", score="12,5", comment="Planen är ny.")
    services.previsit_attachment_add(evaluation=team.evaluation, by=team.contact, question_code="1.1", upload=_pdf_upload("Dialogplan.pdf"))


def test_the_answers_download_as_docx_with_answers_self_scores_and_attachment_names(team, settings, tmp_path):
    from docx import Document

    _answered(team, settings, tmp_path)
    response = _client(team.contact).get(f"/arbete/{team.evaluation.pk}/forfragan/svar.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="forfragan-1880-orebro-2026.docx"'
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Vi har en plan för dialog." in text and "Självskattning: 12,5 av" in text and "Planen är ny." in text
    assert "Bilagor: Dialogplan.pdf" in text and "Inget svar." in text and "1 av 45 besvarade" in text


def test_the_answers_download_as_pdf_before_and_after_the_visit_never_with_scores(team, settings, tmp_path):
    _answered(team, settings, tmp_path)
    bring_to_consensus(team, anna_score=lambda q: q.max_points, bo_score=lambda q: q.max_points)
    for user in (team.contact, team.anna, team.admin):
        response = _client(user).get(f"/arbete/{team.evaluation.pk}/forfragan/svar.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "svar.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Vi har en plan för dialog." in text and "12,5 av" in text and "Dialogplan.pdf" in text
    assert "Motivering" not in text  # the evaluators' justifications (conftest: "Motivering 1.1") never appear


def test_the_answers_are_not_for_others(team):
    url = f"/arbete/{team.evaluation.pk}/forfragan/svar.docx"
    assert _client(team.contact).get(url).status_code == 404  # not shared yet
    assert _client(team.stranger).get(url).status_code == 404
    assert _client(team.carl).get(url).status_code == 404
    assert _client(team.anna).get(f"/arbete/{team.evaluation.pk}/forfragan/svar.odt").status_code == 404
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    page = _client(team.contact).get(f"/arbete/{team.evaluation.pk}/forfragan/").content.decode()
    assert f'href="{url}"' in page and "svar.pdf" in page
