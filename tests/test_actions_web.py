"""Action plans on the web: the editor at /arbete/handlingsplan/SE/1880/, the public plan at
/kommun/SE/1880/handlingsplan/ and their XLSX, CSV and PDF files, through Django's test
client on the demo data (Örebro 2015 is published, with 19 improvement areas).

Who may edit (the administrator and Örebro's contact) and who may not (an evaluator,
another municipality's contact: 404; anonymous: the login page), every form, every kind
of bad input (400 with the service's message and what was typed, or 404), and for every
refused write a comparison of the plan's rows before and after. Rows are looked up by
their data, never by a database id the test assumes."""

from __future__ import annotations

import csv
import datetime
import io
import subprocess

import pytest
from page_bytes import without_tokens
from django.test import Client
from openpyxl import load_workbook

EDITOR = "/arbete/handlingsplan/SE/1880/"
PUBLIC = "/kommun/SE/1880/handlingsplan/"
MUNICIPALITY_PAGE = "/kommun/SE/1880/"
TODAY = datetime.date.today()


# --- helpers --------------------------------------------------------------------------------


def orebro():
    from kompass.municipalities.models import Municipality

    return Municipality.objects.get(country="SE", code="1880")


def improvement(text: str):
    """One of Örebro 2015's improvement areas, by the beginning of its text."""
    from kompass.actions.selectors import plan_get

    found = [f for f in plan_get(orebro()).improvements if f.text.startswith(text)]
    assert len(found) == 1, text
    return found[0]


def add(title: str, *, improvement_text: str = "Tillgång till handlingar", **fields):
    """An action made through the service, as the command line does (by=None)."""
    from kompass.actions import services

    return services.action_add(improvement_id=improvement(improvement_text).pk, title=title, **fields)


def action(title: str):
    from kompass.actions.models import Action

    return Action.objects.get(title=title)


def snapshot() -> dict:
    """Every row of the plans and of the audit trail: what a refused write must not touch."""
    from kompass.actions.models import Action, ActionNote, ActionPlan
    from kompass.evaluations.models import DataVersion, Finding
    from kompass.workspace.models import AuditEntry

    models = [Action, ActionNote, ActionPlan, AuditEntry, Finding, DataVersion]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def client(user=None, **options) -> Client:
    c = Client(**options)
    if user is not None:
        c.force_login(user)
    return c


def text(response) -> str:
    return response.content.decode()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def form_url(kind: str, pk: int, country="SE", code="1880") -> str:
    base = f"/arbete/handlingsplan/{country}/{code}/"
    return {
        "add": f"{base}forbattringsomrade/{pk}/ny/",
        "update": f"{base}atgard/{pk}/",
        "status": f"{base}atgard/{pk}/status/",
        "note": f"{base}atgard/{pk}/anteckning/",
        "delete": f"{base}atgard/{pk}/ta-bort/",
    }[kind]


@pytest.fixture
def stockholm_plan(team):
    """Stockholm with a published evaluation (made directly: the test needs it to exist,
    not how it came to be) and one action: another municipality's plan."""
    from kompass.actions import services
    from kompass.catalogue.models import Area, Framework
    from kompass.evaluations.models import Evaluation, Finding
    from kompass.municipalities.models import Municipality

    framework = Framework.objects.get(code="2010")
    evaluation = Evaluation.objects.create(
        municipality=Municipality.objects.get(country="SE", code="0180"), framework=framework, year=2015, status="published"
    )
    finding = Finding.objects.create(evaluation=evaluation, area=Area.objects.get(framework=framework, number=1), kind="improvement", text="Stockholms förbättring")
    return services.action_add(improvement_id=finding.pk, title="Stockholms åtgärd")


# --- who may use the editor ---------------------------------------------------------------


def test_admin_and_own_contact_see_the_editor(team):
    for user in (team.admin, team.contact):
        response = client(user).get(EDITOR)
        assert response.status_code == 200, user
        page = text(response)
        assert "Handlingsplan för Örebro kommun" in page
        assert "Tillgång till handlingar på hemsidan" in page  # an improvement area of 2015
        assert "Lägg till en åtgärd" in page
        assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize("who", ["anna", "carl", "stranger"])
def test_evaluators_and_other_contacts_get_404(team, who):
    user = getattr(team, who)
    for path in (EDITOR, EDITOR + "plan.xlsx", EDITOR + "plan.csv", "/arbete/handlingsplan/SE/9999/"):
        assert client(user).get(path).status_code == 404, (who, path)


def test_the_404_reveals_nothing(team):
    """The plan of a municipality one may not edit answers like one that does not exist."""
    add("Hemlig åtgärd zqsecret")
    c = client(team.stranger)
    seen = c.get(EDITOR)
    missing = c.get("/arbete/handlingsplan/SE/9999/")
    assert seen.status_code == missing.status_code == 404
    assert without_tokens(seen.content).replace(EDITOR.encode(), b"<p>") == without_tokens(missing.content).replace(b"/arbete/handlingsplan/SE/9999/", b"<p>")
    assert b"zqsecret" not in seen.content


def test_anonymous_goes_to_the_login_page(team):
    for path in (EDITOR, "/arbete/handlingsplan/SE/9999/", EDITOR + "plan.pdf", "/arbete/handlingsplan/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path


def test_posts_by_anyone_else_change_nothing(team):
    made = add("Befintlig åtgärd", start="2026-01-01", due="2026-06-30")
    target = improvement("Tillgång till handlingar")
    attempts = [
        (form_url("add", target.pk), {"title": "Intrång"}),
        (form_url("update", made.pk), {"title": "Intrång"}),
        (form_url("status", made.pk), {"status": "done", "note": "Intrång"}),
        (form_url("note", made.pk), {"text": "Intrång"}),
        (form_url("delete", made.pk), {"confirm": "yes"}),
        (EDITOR + "publicera/", {"public": "1"}),
    ]
    for who in (None, team.anna, team.carl, team.stranger):
        for path, data in attempts:
            before = snapshot()
            response = client(who).post(path, data)
            expected = 302 if who is None else 404
            assert response.status_code == expected, (who, path, response.status_code)
            if who is None:
                assert response["Location"].startswith("/accounts/login/")
            assert snapshot() == before, (who, path)
            assert b"Intr\xc3\xa5ng" not in response.content


def test_csrf_is_checked(team):
    target = improvement("Tillgång till handlingar")
    before = snapshot()
    response = client(team.contact, enforce_csrf_checks=True).post(form_url("add", target.pk), {"title": "Utan token"})
    assert response.status_code == 403
    assert snapshot() == before


def test_get_on_a_form_address_is_405(team):
    made = add("Något")
    c = client(team.contact)
    for path in (form_url("add", improvement("Tillgång").pk), form_url("update", made.pk), form_url("status", made.pk),
                 form_url("note", made.pk), EDITOR + "publicera/"):
        assert c.get(path).status_code == 405, path


# --- the dashboard and the index --------------------------------------------------------------


def test_dashboard_links_to_the_plan(team):
    assert EDITOR.encode() in client(team.contact).get("/arbete/").content
    assert b'href="/arbete/handlingsplan/"' in client(team.admin).get("/arbete/").content
    for user in (team.anna, team.stranger):
        assert EDITOR.encode() not in client(user).get("/arbete/").content
    assert b"/arbete/handlingsplan/" not in client(team.anna).get("/arbete/").content


def test_index(team):
    assert client(team.contact).get("/arbete/handlingsplan/")["Location"] == EDITOR
    assert client(team.stranger).get("/arbete/handlingsplan/")["Location"] == "/arbete/handlingsplan/SE/0180/"
    assert client(team.anna).get("/arbete/handlingsplan/").status_code == 404
    admin = client(team.admin)
    assert admin.get("/arbete/handlingsplan/").status_code == 200
    assert admin.get("/arbete/handlingsplan/?country=SE&code=1880")["Location"] == EDITOR
    refused = admin.get("/arbete/handlingsplan/?country=SE&code=9999")
    assert refused.status_code == 400 and "okänd kommun" in text(refused) and 'value="9999"' in text(refused)
    add("Listad åtgärd")
    assert EDITOR.encode() in admin.get("/arbete/handlingsplan/").content


# --- every form -------------------------------------------------------------------------------


def test_every_form_works_for_the_contact(team):
    from kompass.actions.models import Action, ActionNote, ActionPlan
    from kompass.workspace.models import AuditEntry

    c = client(team.contact)
    target = improvement("Tillgång till handlingar")
    response = c.post(form_url("add", target.pk), {
        "title": "  Publicera  diariet på webben ", "owner": "Kommunledningskontoret", "start": "2026-01-15", "due": "2026-09-30",
        "indicator": "n00945", "description": "Hela diariet, sökbart.",
    })
    made = Action.objects.get(title="Publicera diariet på webben")
    assert response.status_code == 302 and response["Location"] == f"{EDITOR}#atgard-{made.pk}"
    assert (made.improvement_id, made.owner, made.start, made.due, made.indicator, made.status, made.created_by) == (
        target.pk, "Kommunledningskontoret", datetime.date(2026, 1, 15), datetime.date(2026, 9, 30), "N00945", "not_started", team.contact
    )
    page = text(c.get(EDITOR))
    assert "Publicera diariet på webben" in page and "Kommunledningskontoret" in page and "N00945" in page

    response = c.post(form_url("update", made.pk), {
        "title": "Publicera hela diariet", "owner": "Kansliet", "start": "2026-02-01", "due": "2026-10-31", "indicator": "Egen mätning",
        "description": "Med sökfunktion.",
    })
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.owner, made.start, made.due, made.indicator, made.description) == (
        "Publicera hela diariet", "Kansliet", datetime.date(2026, 2, 1), datetime.date(2026, 10, 31), "Egen mätning", "Med sökfunktion."
    )

    response = c.post(form_url("status", made.pk), {"status": "in_progress", "date": "2026-03-01", "note": "Upphandlingen är klar."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "in_progress"
    note = ActionNote.objects.get(action=made)
    assert (note.date, note.text, note.status) == (datetime.date(2026, 3, 1), "Upphandlingen är klar.", "in_progress")

    response = c.post(form_url("status", made.pk), {"status": "klar", "date": "", "note": ""})  # the Swedish name works too
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "done" and ActionNote.objects.filter(action=made).count() == 1

    response = c.post(form_url("note", made.pk), {"date": "2026-04-02", "text": "Besöksstatistiken följs varje månad."})
    assert response.status_code == 302
    assert ActionNote.objects.filter(action=made, date=datetime.date(2026, 4, 2), text="Besöksstatistiken följs varje månad.").exists()
    page = text(c.get(EDITOR))
    assert "2026-03-01" in page and "Upphandlingen är klar." in page and "Besöksstatistiken följs varje månad." in page
    assert "Status: klar" in page

    confirm = c.get(form_url("delete", made.pk))
    assert confirm.status_code == 200 and "Ta bort åtgärden?" in text(confirm) and "Publicera hela diariet" in text(confirm)
    asked = c.post(form_url("delete", made.pk), {})  # no confirmation: asks again, deletes nothing
    assert asked.status_code == 200 and Action.objects.filter(pk=made.pk).exists()
    response = c.post(form_url("delete", made.pk), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == f"{EDITOR}#forbattring-{target.pk}"
    assert not Action.objects.filter(pk=made.pk).exists() and not ActionNote.objects.filter(action_id=made.pk).exists()

    response = c.post(EDITOR + "publicera/", {"public": "1"})
    assert response.status_code == 302 and ActionPlan.objects.get(municipality=orebro()).public
    assert "Sluta publicera" in text(c.get(EDITOR))
    c.post(EDITOR + "publicera/", {"public": "0"})
    assert not ActionPlan.objects.get(municipality=orebro()).public

    fields = set(AuditEntry.objects.filter(evaluation=target.evaluation, field__startswith="handlingsplan").values_list("username", flat=True))
    assert fields == {"kontakt"}


def test_the_administrator_edits_too(team):
    from kompass.actions.models import Action

    target = improvement("Strategi för kulturlivet")
    response = client(team.admin).post(form_url("add", target.pk), {"title": "Kulturstrategi 2027", "due": "2027-06-30"})
    assert response.status_code == 302
    assert Action.objects.get(title="Kulturstrategi 2027").created_by == team.admin


def test_overdue_actions_are_marked_in_words(team):
    from kompass.actions import services

    late = add("Sen åtgärd", start="2024-01-01", due="2025-01-31")
    services.action_status_set(action_id=late.pk, status="in_progress")
    add("Klar i tid", start="2024-01-01", due="2025-01-31", status="done")
    page = text(client(team.contact).get(EDITOR))
    assert page.count("Försenad: skulle vara klar 2025-01-31") == 1
    assert "1 försenad" in page  # the overview's area row and total
    assert "Åtgärder per område efter status" in page and 'role="img"' in page  # the chart


# --- bad input ------------------------------------------------------------------------------


LONG = "x" * 301
BAD = [
    # (form, data, status, message)
    ("add", {"title": "Datumfel", "due": "31/12/2026"}, 400, "klar senast: '31/12/2026' är inget datum"),
    ("add", {"title": "Datumfel", "start": "2026-02-30"}, 400, "start: '2026-02-30' är inget datum"),
    ("add", {"title": "Baklänges", "start": "2026-06-01", "due": "2026-05-01"}, 400, "klar senast: 2026-05-01 ligger före start 2026-06-01"),
    ("add", {"title": "", "owner": "Kansliet"}, 400, "en åtgärd behöver en rubrik"),
    ("add", {"title": "   ", "owner": "Kansliet"}, 400, "en åtgärd behöver en rubrik"),
    ("add", {"title": LONG}, 400, "högst 300 tecken (här 301)"),
    ("add", {"title": "Ägare", "owner": "y" * 201}, 400, "ansvarig: högst 200 tecken"),
    ("update", {"title": "", "owner": "Kansliet"}, 400, "en åtgärd behöver en rubrik"),
    ("update", {"title": LONG}, 400, "högst 300 tecken"),
    ("update", {"title": "Ny rubrik", "start": "2026-09-01", "due": "2026-08-01"}, 400, "ligger före start"),
    ("update", {"title": "Ny rubrik", "due": "snart"}, 400, "klar senast: 'snart' är inget datum"),
    ("status", {"status": "finished", "note": "Skrivet"}, 400, "status: okänd status 'finished'"),
    ("status", {"status": "", "note": "Skrivet"}, 400, "okänd status"),
    ("status", {"status": "done", "date": "igår", "note": "Skrivet"}, 400, "datum: 'igår' är inget datum"),
    ("note", {"text": "", "date": "2026-01-01"}, 400, "skriv vad som har hänt"),
    ("note", {"text": "Skrivet", "date": "2026-13-01"}, 400, "datum: '2026-13-01' är inget datum"),
    ("publish", {"public": "kanske"}, 400, "publicering: välj att publicera"),
]


@pytest.mark.parametrize("who", ["contact", "admin"])
@pytest.mark.parametrize(("form", "data", "status", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_is_refused_with_the_message_and_changes_nothing(team, who, form, data, status, message):
    made = add("Befintlig", start="2026-01-01", due="2026-12-31")
    path = EDITOR + "publicera/" if form == "publish" else form_url(form, improvement("Tillgång till handlingar").pk if form == "add" else made.pk)
    before = snapshot()
    response = client(getattr(team, who)).post(path, data)
    assert response.status_code == status, text(response)[:2000]
    page = text(response)
    from django.utils.html import escape

    assert escape(message) in page, page[:3000]
    assert "Det gick inte att spara. Inget har ändrats." in page
    for value in data.values():  # what was typed is kept in the form
        if value.strip() and form != "publish":
            assert f'value="{escape(value)}"' in page or f">{escape(value)}</textarea>" in page or f'value="{escape(value)}" selected' in page or value == data.get("status"), value
    assert snapshot() == before


@pytest.mark.parametrize("form", ["update", "status", "note", "delete"])
def test_unknown_action_is_404(team, form):
    from kompass.actions.models import Action

    add("Finns")
    missing = (Action.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    before = snapshot()
    response = client(team.contact).post(form_url(form, missing), {"title": "X", "status": "done", "text": "X", "confirm": "yes"})
    assert response.status_code == 404
    assert snapshot() == before


def test_unknown_and_unpublished_improvement_is_404(team):
    from kompass.evaluations.models import Finding
    from kompass.workspace import services as workspace

    # The planned 2026 evaluation's improvement area: not published, so not in any plan.
    workspace.findings_list_set(evaluation=team.evaluation, by=team.anna, area_number=1, kind="improvement", items=["Utkast zqdraftmark"])
    draft = Finding.objects.get(evaluation=team.evaluation, kind="improvement", text="Utkast zqdraftmark")
    strength = Finding.objects.filter(evaluation__year=2015, evaluation__municipality__code="1880", kind="strength").first()
    missing = (Finding.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    for user in (team.contact, team.admin):
        for pk in (draft.pk, strength.pk, missing):
            before = snapshot()
            response = client(user).post(form_url("add", pk), {"title": "Till fel ställe"})
            assert response.status_code == 404, (user, pk)
            assert snapshot() == before
        assert b"zqdraftmark" not in client(user).get(EDITOR).content


def test_another_municipalitys_plan(team, stockholm_plan):
    """Stockholm's plan from Örebro's contact: 404, by its own address or through Örebro's."""
    own = add("Örebros åtgärd")
    theirs = stockholm_plan
    c = client(team.contact)
    assert c.get("/arbete/handlingsplan/SE/0180/").status_code == 404
    for form in ("update", "status", "note", "delete"):
        for path in (form_url(form, theirs.pk, code="0180"), form_url(form, theirs.pk), form_url(form, own.pk, code="0180")):
            before = snapshot()
            response = c.post(path, {"title": "Intrång", "status": "done", "text": "Intrång", "confirm": "yes"})
            assert response.status_code == 404, path
            assert snapshot() == before
    before = snapshot()
    assert c.post(form_url("add", theirs.improvement_id), {"title": "Intrång"}).status_code == 404
    assert c.post("/arbete/handlingsplan/SE/0180/publicera/", {"public": "1"}).status_code == 404
    assert snapshot() == before
    # The administrator edits both, but each action only through its own plan's address.
    admin = client(team.admin)
    assert admin.get("/arbete/handlingsplan/SE/0180/").status_code == 200
    before = snapshot()
    assert admin.post(form_url("update", theirs.pk), {"title": "Fel plan"}).status_code == 404
    assert snapshot() == before
    assert admin.post(form_url("update", theirs.pk, code="0180"), {"title": "Rätt plan"}).status_code == 302
    assert action("Rätt plan").pk == theirs.pk


def test_a_refused_save_keeps_the_other_forms_as_they_were(team):
    """After a refusal the page shows the plan as stored, with only the failed form open."""
    made = add("Stående åtgärd")
    response = client(team.contact).post(form_url("update", made.pk), {"title": "", "owner": "Skrivet men inte sparat"})
    page = text(response)
    assert response.status_code == 400
    assert f'<h4 id="atgard-{made.pk}-rubrik">Stående åtgärd</h4>' in page
    assert page.count("<details open>") == 1 and 'value="Skrivet men inte sparat"' in page
    assert f'href="#andra-{made.pk}"' in page


# --- the public plan ----------------------------------------------------------------------


def test_the_public_plan_is_404_until_published(team):
    from kompass.actions import services

    made = add("Öppen åtgärd zqpublicmark", due="2026-12-31")
    services.action_note_add(action_id=made.pk, text="Första anteckningen", date="2026-02-01")
    for user in (None, team.contact, team.admin):
        for path in (PUBLIC, "/kommun/SE/1880/handlingsplan.xlsx", "/kommun/SE/1880/handlingsplan.csv", "/kommun/SE/1880/handlingsplan.pdf"):
            response = client(user).get(path)
            assert response.status_code == 404, (user, path)
            assert b"zqpublicmark" not in response.content
    assert Client().get("/kommun/SE/9999/handlingsplan/").status_code == 404
    # The municipality's page, cached for anonymous visitors: no link yet.
    assert PUBLIC.encode() not in Client().get(MUNICIPALITY_PAGE).content

    client(team.contact).post(EDITOR + "publicera/", {"public": "1"})
    response = Client().get(PUBLIC)
    assert response.status_code == 200
    page = text(response)
    assert "Öppen åtgärd zqpublicmark" in page and "Första anteckningen" in page and "2026-02-01" in page
    assert "Tillgång till handlingar på hemsidan" in page
    assert "csrfmiddlewaretoken" not in page and "<form" not in page  # read-only
    assert PUBLIC.encode() in Client().get(MUNICIPALITY_PAGE).content  # the cached page shows the link at once
    assert Client().get("/kommun/SE/1880/handlingsplan.csv").status_code == 200
    assert Client().get("/kommun/SE/1880/handlingsplan.doc").status_code == 404

    client(team.contact).post(EDITOR + "publicera/", {"public": "0"})
    assert Client().get(PUBLIC).status_code == 404
    assert PUBLIC.encode() not in Client().get(MUNICIPALITY_PAGE).content


def test_the_public_plan_shows_published_evaluations_only(team):
    """A newer evaluation in the workspace changes nothing until it is published."""
    from kompass.actions import services
    from kompass.workspace import services as workspace

    workspace.findings_list_set(evaluation=team.evaluation, by=team.anna, area_number=1, kind="improvement", items=["Utkast zqdraftmark"])
    add("Synlig åtgärd")
    services.plan_publish_set(municipality=orebro(), public=True)
    page = text(Client().get(PUBLIC))
    assert "Synlig åtgärd" in page and "zqdraftmark" not in page
    assert "utvärdering 2015" in page
    for fmt in ("csv", "xlsx"):
        assert b"zqdraftmark" not in Client().get(f"/kommun/SE/1880/handlingsplan.{fmt}").content


# --- the files ------------------------------------------------------------------------------


@pytest.fixture
def planned(team):
    """Two actions, one done and late-free, one overdue with notes; the rest of the plan empty."""
    from kompass.actions import services

    first = add("Diariet på webben", owner="Kansliet", start="2024-01-01", due="2024-12-31", indicator="N00945",
                description="Hela diariet, sökbart.")
    services.action_status_set(action_id=first.pk, status="done", note="Klart och lanserat.", date="2025-01-10")
    second = add("Kulturstrategi", improvement_text="Strategi för kulturlivet", owner="Kulturförvaltningen", start="2024-03-01", due="2025-02-28")
    services.action_status_set(action_id=second.pk, status="in_progress")
    services.action_note_add(action_id=second.pk, text="Remiss ute.", date="2025-01-20")
    services.action_note_add(action_id=second.pk, text="Remissvaren sammanställs.", date="2025-02-15")
    return first, second


def test_xlsx(team, planned):
    response = client(team.contact).get(EDITOR + "plan.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="handlingsplan-se-1880.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Åtgärder", "Översikt"]
    sheet = book["Åtgärder"]
    header = [c.value for c in sheet[1]]
    assert header == ["Område", "Förbättringsområde", "Åtgärd", "Beskrivning", "Ansvarig", "Start", "Klar senast", "Status",
                      "Försenad", "Indikator", "Senaste anteckning, datum", "Senaste anteckning"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[letter].width >= 10 for letter in "ABCDEFGHIJKL")
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert set(rows) == {"Diariet på webben", "Kulturstrategi"}
    done, late = rows["Diariet på webben"], rows["Kulturstrategi"]
    assert done[0] == "1. Offentlighet och demokrati" and done[1] == "Tillgång till handlingar på hemsidan"
    assert done[3:5] == ("Hela diariet, sökbart.", "Kansliet")
    assert done[5] == datetime.datetime(2024, 1, 1) and done[6] == datetime.datetime(2024, 12, 31)  # real dates
    assert done[7:10] == ("klar", "nej", "N00945")
    assert done[10] == datetime.datetime(2025, 1, 10) and done[11] == "Klart och lanserat."
    assert late[0] == "8. Kommunen som samhällsbyggare" and late[7:9] == ("pågår", "ja")
    assert late[10] == datetime.datetime(2025, 2, 15) and late[11] == "Remissvaren sammanställs."
    # Every improvement area is in the file, with or without actions.
    assert sheet.max_row - 1 == 19
    overview = book["Översikt"]
    totals = [c.value for c in overview[overview.max_row]]
    assert totals[0] == "Totalt" and totals[1:3] == [19, 2]


def test_csv_swedish_and_plain(team, planned):
    c = client(team.admin)
    response = c.get(EDITOR + "plan.csv?locale=sv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
    assert rows[0] == ["område", "förbättringsområde", "åtgärd", "beskrivning", "ansvarig", "start", "klar senast", "status",
                       "försenad", "indikator", "senaste anteckning, datum", "senaste anteckning"]
    by_title = {r[2]: r for r in rows[1:] if r[2]}
    assert by_title["Diariet på webben"][5:12] == ["2024-01-01", "2024-12-31", "klar", "nej", "N00945", "2025-01-10", "Klart och lanserat."]
    assert by_title["Kulturstrategi"][7:9] == ["pågår", "ja"]
    assert len(rows) == 20 and response.content.count(b"\r\n") == 20

    plain = c.get(EDITOR + "plan.csv")
    rows = list(csv.reader(io.StringIO(plain.content.decode("utf-8"))))
    assert rows[0][:3] == ["area", "improvement", "action"]
    by_title = {r[2]: r for r in rows[1:] if r[2]}
    assert by_title["Kulturstrategi"][7:9] == ["in_progress", "true"]
    assert c.get(EDITOR + "plan.csv?locale=xx").status_code == 400
    assert c.get(EDITOR + "plan.docx").status_code == 404


def test_pdf(team, planned, tmp_path):
    response = client(team.contact).get(EDITOR + "plan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    words = " ".join(pdf_text(response.content, tmp_path).split())
    for expected in ("Handlingsplan för Örebro kommun", "Översikt", "Diariet på webben", "Kulturstrategi", "Försenad: skulle vara klar 2025-02-28",
                     "Remissvaren sammanställs.", "Strategi för kulturlivet", "Åtgärder per område efter status"):
        assert expected in words, expected
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Handlingsplan för Örebro kommun"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
