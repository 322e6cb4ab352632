"""The workspace through its services and its pages: lifecycle, independent scoring and
consensus, texts, follow-up, audit trail, revisions, lost updates and bad input."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD, bring_to_consensus, score_everything, write_all_texts
from kompass.evaluations.models import AreaAssessment, Finding, QuestionAssessment
from kompass.evaluations.selectors import evaluation_result
from kompass.workspace import guards, selectors, services
from kompass.workspace.models import AuditEntry, Evidence, FollowUpItem, IndependentScore, Revision
from kompass.workspace.selectors import evaluation_agreement

pytestmark = pytest.mark.django_db


def _snapshot(evaluation):
    """Everything a workspace write could change, to compare before and after a refusal."""
    evaluation.refresh_from_db()
    return {
        "status": evaluation.status,
        "shared": evaluation.shared_with_municipality,
        "audit": list(AuditEntry.objects.filter(evaluation=evaluation).values_list("field", "old", "new")),
        "scores": list(IndependentScore.objects.filter(assignment__evaluation=evaluation).values_list("question__code", "score", "justification")),
        "agreed": list(QuestionAssessment.objects.filter(evaluation=evaluation).values_list("question__code", "score", "text", "rationale")),
        "areas": list(AreaAssessment.objects.filter(evaluation=evaluation).values_list("area__number", "general_text", "changes_text")),
        "findings": list(Finding.objects.filter(evaluation=evaluation).values_list("area__number", "kind", "position", "text")),
        "evidence": list(Evidence.objects.filter(evaluation=evaluation).values_list("kind", "title", "file_name")),
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _pdf_bytes() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- lifecycle ------------------------------------------------------------------------


def test_a_new_evaluation_starts_planned_with_the_previous_improvement_areas_to_follow_up(team):
    evaluation = team.evaluation
    assert evaluation.status == "planned"
    assert [e.name for e in evaluation.evaluators.all()] == ["Anna Berg", "Bo Ek"]
    items = FollowUpItem.objects.filter(evaluation=evaluation)
    improvements_2015 = Finding.objects.filter(evaluation__year=2015, evaluation__municipality__code="1880", kind="improvement")
    assert items.count() == improvements_2015.count() == 19
    assert set(items.values_list("text", flat=True)) == set(improvements_2015.values_list("text", flat=True))


def test_the_lifecycle_moves_one_step_at_a_time_and_consensus_waits_for_every_evaluator(team):
    with pytest.raises(ValidationError, match="bara ett steg"):
        services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    score_everything(team, team.anna)
    services.scoring_submit(evaluation=team.evaluation, user=team.anna)
    before = _snapshot(team.evaluation)
    with pytest.raises(ValidationError) as refused:
        services.status_set(evaluation=team.evaluation, status="consensus", by=team.anna)
    assert refused.value.messages == ["Bo Ek har inte lämnat in sina poäng"]
    assert _snapshot(team.evaluation) == before


def test_publishing_is_refused_with_everything_that_is_missing(team):
    bring_to_consensus(team)
    services.consensus_set(evaluation=team.evaluation, by=team.anna, question_code="1.1", score="10", rationale="Enade")
    before = _snapshot(team.evaluation)
    with pytest.raises(ValidationError) as refused:
        services.publish(evaluation=team.evaluation, by=team.anna)
    messages = refused.value.messages
    assert "område 1: konsensuspoäng saknas för delfråga 1.2, 1.3, 1.4, 1.5" in messages
    assert "område 8: konsensuspoäng saknas för delfråga 8.1, 8.2, 8.3, 8.4, 8.5, 8.6" in messages
    assert "område 3: texten ”Allmänt” saknas" in messages
    assert "område 3: texten ”Vad har hänt?” saknas" in messages  # Örebro has an earlier evaluation
    assert "rapporten: texten ”Sammanfattande kommentar” saknas (Rapportuppgifter)" in messages
    assert "rapporten: besökets månad saknas (Rapportuppgifter)" in messages
    assert len(messages) == 8 * 3 + 2
    assert _snapshot(team.evaluation) == before


def test_a_full_evaluation_is_published_as_revision_1_with_exact_totals(team):
    bring_to_consensus(team)
    assert services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna) == 45
    write_all_texts(team)
    services.publish(evaluation=team.evaluation, by=team.anna)
    evaluation = team.refresh()
    assert evaluation.status == "published"
    # Every sub-question at half its maximum: each area 50 of 100, the total 400 of 800.
    result = evaluation_result(evaluation)
    assert [a.score.score for a in result.areas] == [Decimal(50)] * 8 and result.total.score == Decimal(400)
    revision = Revision.objects.get(evaluation=evaluation)
    assert revision.number == 1 and revision.document["total"]["score"] == "400.00"
    with pytest.raises(ValidationError, match="publicerad och kan inte ändras"):
        services.area_text_set(evaluation=evaluation, by=team.anna, area_number=1, field="general", text="ändrad")


def test_a_correction_is_a_new_revision_with_a_reason_and_the_old_one_stays_readable(team, client):
    bring_to_consensus(team)
    services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
    write_all_texts(team)
    services.publish(evaluation=team.evaluation, by=team.anna)
    with pytest.raises(ValidationError, match="behöver ett skäl"):
        services.correction_apply(evaluation=team.evaluation, by=team.admin, reason=" ", scores={"1.1": "9"}, texts={})
    services.correction_apply(
        evaluation=team.evaluation, by=team.admin, reason="Felskrivning i 1.1", scores={"1.1": "9"}, texts={("area", 1, "general"): "Rättad text."}
    )
    revisions = list(Revision.objects.filter(evaluation=team.evaluation).order_by("number"))
    assert [(r.number, r.reason) for r in revisions] == [(1, "Publicering"), (2, "Felskrivning i 1.1")]
    assert revisions[0].document["areas"][0]["questions"][0]["score"] == "7.50"
    assert revisions[1].document["areas"][0]["questions"][0]["score"] == "9.00"
    first = client.get(f"/utvardering/{team.evaluation.pk}/revision/1/").content.decode()
    assert "Allmänt om område 1." in first and "Rättad text." not in first
    assert "Rättad text." in client.get(f"/utvardering/{team.evaluation.pk}/revision/2/").content.decode()
    entry = AuditEntry.objects.filter(evaluation=team.evaluation, field="delfråga 1.1 · poäng").get()
    assert (entry.old, entry.new, entry.username) == ("7.50", "9.00", "admin")


# --- independent scoring and consensus -------------------------------------------------------


def test_an_evaluator_never_sees_the_others_scores_before_consensus(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.bo, question_code="1.1", score="3", justification="Bos-hemliga-motivering")
    anna = _client(team.anna)
    for path in ("poang/", "konsensus/", "historik/", "texter/", ""):
        page = anna.get(f"/arbete/{team.evaluation.pk}/{path}")
        assert page.status_code == 200
        assert "Bos-hemliga-motivering" not in page.content.decode(), path
    assert anna.get(f"/arbete/{team.evaluation.pk}/konsensus.csv").status_code == 404
    assert "Bos-hemliga-motivering" in _client(team.bo).get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()


def test_the_consensus_page_marks_divergences_and_shows_agreement(team):
    # Anna gives every question its maximum on 1.1 and half elsewhere; Bo half everywhere.
    bring_to_consensus(team, anna_score=lambda q: q.max_points if q.code == "1.1" else q.max_points / 2)
    page = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/konsensus/").content.decode()
    assert page.count('class="question divergent"') == 1
    block = page[page.index('id="qh-1.1"') - 300: page.index('id="qh-1.2"')]
    assert "avvikelse" in block and ">15<" in block and ">7,5<" in block  # Swedish: decimal comma, no needless zeros
    agreement = evaluation_agreement(team.evaluation)
    assert agreement.units == 45
    assert agreement.mean_absolute_difference == Decimal("0.17")  # 7.5 / 45 = 0.1666…
    assert f"<dd>{str(agreement.alpha).replace('.', ',')}</dd>" in page
    csv = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/konsensus.csv").content.decode()
    assert "1.1;15;15,00;7,50;ja;" in csv and "1.2;" in csv and f"Krippendorffs alfa (intervall);{str(agreement.alpha).replace('.', ',')}" in csv


def test_a_score_outside_the_range_is_refused_with_the_field_marked(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    client = _client(team.anna)
    before = _snapshot(team.evaluation)
    for typed, message in (("16", "Poängen kan vara högst 15"), ("-1", "Poängen kan inte vara lägre än 0"), ("tio", "Skriv poängen som ett tal"), ("7.555", "högst två decimaler")):
        response = client.post(f"/arbete/{team.evaluation.pk}/poang/1.1/", {"score": typed, "note": "x", "base": ""}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert message in html and 'aria-invalid="true"' in html and 'role="alert"' in html, typed
    assert _snapshot(team.evaluation) == before


# --- texts, lists, Markdown --------------------------------------------------------------


def test_texts_are_markdown_in_and_sanitised_html_out(team):
    client = _client(team.anna)
    payload = '<script>alert(1)</script> **fet** [länk](javascript:alert(1)) <img src=x onerror=alert(1)>'
    response = client.post(
        f"/arbete/{team.evaluation.pk}/texter/omrade/1/general/", {"text": payload, "base": services.fingerprint("")}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<strong>fet</strong>" in html
    assert "<script>" not in html and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_lists_are_ordered_and_editable(team):
    client = _client(team.anna)
    url = f"/arbete/{team.evaluation.pk}/texter/lista/2/strength/"
    client.post(url, {"items": "Första\nAndra\n\nTredje", "base": services.fingerprint([])}, HTTP_HX_REQUEST="true")
    assert selectors.findings_list(team.evaluation, team.evaluation.framework.areas.get(number=2), "strength") == ["Första", "Andra", "Tredje"]
    client.post(url, {"items": "Tredje\nFörsta", "base": services.fingerprint(["Första", "Andra", "Tredje"])}, HTTP_HX_REQUEST="true")
    assert selectors.findings_list(team.evaluation, team.evaluation.framework.areas.get(number=2), "strength") == ["Tredje", "Första"]
    entry = AuditEntry.objects.filter(field="område 2 · styrka").order_by("id").last()
    assert (entry.old, entry.new) == ("1. Första\n2. Andra\n3. Tredje", "1. Tredje\n2. Första")


def test_the_follow_up_checklist_is_ticked_beside_what_has_happened(team):
    item = FollowUpItem.objects.filter(evaluation=team.evaluation).first()
    page = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/texter/").content.decode()
    assert "Vad har hänt efter 2015?" in page and item.text in page
    _client(team.anna).post(f"/arbete/{team.evaluation.pk}/texter/uppfoljning/{item.pk}/", {"done": "1"})
    item.refresh_from_db()
    assert item.done


# --- lost updates --------------------------------------------------------------------------


def test_the_later_of_two_saves_of_one_field_is_refused_and_shows_the_other_version(team):
    """Anna and Bo open the same text; Anna saves first; Bo's save is refused, his text is
    kept in his form, and Anna's version is shown to him. Nothing is lost."""
    url = f"/arbete/{team.evaluation.pk}/texter/omrade/4/general/"
    anna, bo = _client(team.anna), _client(team.bo)
    shown = services.fingerprint("")  # both forms were rendered from the empty text
    assert 'value="%s"' % shown in anna.get(f"/arbete/{team.evaluation.pk}/texter/").content.decode()
    assert "Sparat." in anna.post(url, {"text": "Annas text", "base": shown}, HTTP_HX_REQUEST="true").content.decode()
    before = _snapshot(team.evaluation)
    refused = bo.post(url, {"text": "Bos text", "base": shown}, HTTP_HX_REQUEST="true").content.decode()
    assert "Någon annan har sparat" in refused and "Annas text" in refused and "Bos text" in refused
    assert _snapshot(team.evaluation) == before
    assert AreaAssessment.objects.get(evaluation=team.evaluation, area__number=4).general_text == "Annas text"
    # Bo merges and saves on the version he has now seen.
    merged = bo.post(url, {"text": "Annas text\n\nBos text", "base": services.fingerprint("Annas text")}, HTTP_HX_REQUEST="true")
    assert "Sparat." in merged.content.decode()
    # Without JavaScript the refusal is a page of its own, with status 409.
    stale = bo.post(url, {"text": "Sent", "base": shown})
    assert stale.status_code == 409 and "Annas text" in stale.content.decode()


@pytest.mark.postgres  # row locks in a server database (the in-memory SQLite test database is one connection)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_field_one_wins_the_other_is_refused(team, monkeypatch):
    """Two saves based on the same version race in two connections: exactly one lands.
    A pause between the check and the write holds the window open, so without the
    row lock both saves would pass the check."""
    import time

    from django.db import connections

    check = guards.check_base

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(guards, "check_base", slow_check)
    services.area_text_set(evaluation=team.evaluation, by=team.admin, area_number=5, field="changes", text="Raden finns redan.")

    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, text):
        try:
            barrier.wait()
            services.area_text_set(evaluation=team.evaluation, by=user, area_number=5, field="general", text=text, base=services.fingerprint(""))
            outcomes.append(("saved", text))
        except services.Conflict as exc:
            outcomes.append(("conflict", exc.current))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(team.anna, "Anna")), threading.Thread(target=save, args=(team.bo, "Bo"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds = sorted(kind for kind, _v in outcomes)
    assert kinds == ["conflict", "saved"], outcomes
    winner = next(v for kind, v in outcomes if kind == "saved")
    loser_saw = next(v for kind, v in outcomes if kind == "conflict")
    assert loser_saw == winner
    assert AreaAssessment.objects.get(evaluation=team.evaluation, area__number=5).general_text == winner
    assert AuditEntry.objects.filter(evaluation=team.evaluation, field="område 5 · Allmänt").count() == 1


# --- evidence and uploads ---------------------------------------------------------------------


def test_evidence_links_to_sub_questions_and_shows_on_the_scoring_page(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    client = _client(team.anna)
    response = client.post(
        f"/arbete/{team.evaluation.pk}/underlag/",
        {"kind": "interview", "date": "2026-10-01", "interviewee": "kommunstyrelsens ordförande", "notes": "Om *dialog*", "questions": ["1.1", "2.3"]},
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("Budget 2026.pdf", _pdf_bytes(), content_type="application/pdf")
    client.post(f"/arbete/{team.evaluation.pk}/underlag/", {"kind": "document", "date": "2026-10-02", "title": "", "questions": ["1.1"], "file": upload})
    document = Evidence.objects.get(kind="document")
    assert document.title == "Budget 2026.pdf" and document.file_name.endswith(".pdf") and document.file_name != "Budget 2026.pdf"
    page = client.get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()
    first = page[page.index('id="qh-1.1"'): page.index('id="qh-1.2"')]
    assert "kommunstyrelsens ordförande" in first and "Budget 2026.pdf" not in first or "2 underlag" in first
    download = client.get(f"/arbete/{team.evaluation.pk}/underlag/{document.pk}/fil")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("program.pdf", b"MZ\x90\x00 not a pdf", "filtypen godtas inte"),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n....", "filtypen godtas inte"),
        ("tom.pdf", b"", "filen är tom"),
    ],
)
def test_a_bad_upload_is_refused_and_changes_nothing(team, settings, tmp_path, name, content, message):
    settings.KOMPASS_UPLOAD_DIR = tmp_path
    client = _client(team.anna)
    before = _snapshot(team.evaluation)
    response = client.post(
        f"/arbete/{team.evaluation.pk}/underlag/",
        {"kind": "document", "date": "2026-10-02", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _snapshot(team.evaluation) == before
    assert list(tmp_path.iterdir()) == []


def test_an_upload_above_the_limit_is_refused(team, settings, tmp_path):
    settings.KOMPASS_UPLOAD_DIR = tmp_path
    settings.KOMPASS_UPLOAD_MAX_BYTES = 1000
    before = _snapshot(team.evaluation)
    response = _client(team.anna).post(
        f"/arbete/{team.evaluation.pk}/underlag/",
        {"kind": "document", "date": "2026-10-02", "file": SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * 5000)},
    )
    assert response.status_code == 400 and "för stor" in response.content.decode()
    assert _snapshot(team.evaluation) == before and list(tmp_path.iterdir()) == []


def test_an_upload_named_with_path_parts_is_refused(team, settings, tmp_path):
    """Browsers send base names; a name with path parts was made up by the sender."""
    settings.KOMPASS_UPLOAD_DIR = tmp_path
    boundary = "kompassgrans"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ndocument\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2026-10-02\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + _pdf_bytes() + f"\r\n--{boundary}--\r\n".encode()
    before = _snapshot(team.evaluation)
    response = _client(team.anna).generic(
        "POST", f"/arbete/{team.evaluation.pk}/underlag/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    # Django already reduces the name to x.pdf; the file is stored under a generated name.
    stored = list(tmp_path.iterdir())
    if response.status_code == 400:
        assert "ogiltigt filnamn" in response.content.decode() and stored == []
        assert _snapshot(team.evaluation) == before
    else:
        assert response.status_code == 302 and len(stored) == 1 and ".." not in stored[0].name
        assert stored[0].parent == tmp_path
        assert Evidence.objects.get(kind="document").original_name == "x.pdf"


def test_a_form_without_its_csrf_token_is_refused(team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.anna)
    before = _snapshot(team.evaluation)
    response = client.post(f"/arbete/{team.evaluation.pk}/texter/omrade/1/general/", {"text": "utan token", "base": ""})
    assert response.status_code == 403
    assert _snapshot(team.evaluation) == before


# --- audit trail ---------------------------------------------------------------------------


def test_every_change_is_in_the_audit_trail_which_cannot_be_changed(team):
    services.area_text_set(evaluation=team.evaluation, by=team.anna, area_number=1, field="general", text="Ett")
    services.area_text_set(evaluation=team.evaluation, by=team.bo, area_number=1, field="general", text="Två")
    entries = list(AuditEntry.objects.filter(evaluation=team.evaluation, field="område 1 · Allmänt").order_by("id"))
    assert [(e.username, e.old, e.new) for e in entries] == [("anna", "", "Ett"), ("bo", "Ett", "Två")]
    with pytest.raises(PermissionError):
        entries[0].save()
    with pytest.raises(PermissionError):
        entries[0].delete()
    page = _client(team.admin).get(f"/arbete/{team.evaluation.pk}/historik/").content.decode()
    assert "område 1 · Allmänt" in page and "Två" in page


# --- accounts and the command line -------------------------------------------------------------


def test_login_is_limited_after_five_failures(team, client):
    for _attempt in range(4):
        response = client.post("/accounts/login/", {"username": "anna", "password": "fel-lösenord"})
        assert response.status_code == 200 and "stämmer inte" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "anna", "password": "fel-lösenord"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert locked.status_code == 429 and "spärrad" in locked.content.decode()
    other = Client()
    assert other.post("/accounts/login/", {"username": "bo", "password": PASSWORD}).status_code == 302


def test_passwords_are_stored_hashed(team):
    team.anna.refresh_from_db()
    assert team.anna.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt")) and PASSWORD not in team.anna.password


def test_user_add_and_evaluation_new_on_the_command_line(demo, run_cli, monkeypatch):
    import io
    import json

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run_cli("user", "add", "eva", "--role", "evaluator", "--password-stdin", "--name", "Eva Lind")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, _out, err = run_cli("user", "add", "kk", "--role", "municipality", "--password-stdin")
    assert code == 1 and "kontaktperson måste höra till en kommun" in err
    code, out, _err = run_cli("evaluation", "new", "1880", "2026", "--framework", "2010", "--evaluator", "eva", "--json")
    created = json.loads(out)
    assert code == 0 and set(created) == {"id", "url"} and created["url"].endswith(f"/arbete/{created['id']}/")
    code, _out, err = run_cli("evaluation", "new", "1880", "2026", "--framework", "2010", "--json")
    assert code == 1 and "har redan en utvärdering 2026" in err
    code, _out, err = run_cli("evaluation", "new", "1880", "2025", "--framework", "2010", "--evaluator", "ingen")
    assert code == 1 and "kontot ingen finns inte" in err


def test_an_import_cannot_replace_an_evaluation_with_a_workspace_history(team, run_cli, tmp_path):
    code, out, _err = run_cli("export", "--output", tmp_path / "all.json")
    assert code == 0
    before = _snapshot(team.evaluation)
    code, _out, err = run_cli("import-dump", tmp_path / "all.json")  # refuses existing ones anyway
    assert code == 1
    from kompass.dump.importing import dump_import
    from kompass.dump.reading import DumpError, loads

    document = loads((tmp_path / "all.json").read_text())
    with pytest.raises(DumpError, match="har en historik i arbetsytan"):
        dump_import(document, on_existing="replace")
    assert _snapshot(team.evaluation) == before
