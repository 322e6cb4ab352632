"""Action plans and follow-up: the command line, the services' refusals, the follow-up
in the next evaluation and in its report."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import SEED, bring_to_consensus

pytestmark = pytest.mark.django_db


def seed_improvements_2015() -> list[tuple[int, str]]:
    """The 2015 report's improvement areas, read from the seed: (area, text) in order."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found, area = [], None
    for index, line in enumerate(lines[: lines.index("Område 1 Offentlighet och demokrati", 200)]):
        if m := re.match(r"^Område (\d) ", line):
            area = int(m[1])
        if line == "Förbättringsområden":
            for item in lines[index + 2 :]:
                if not item.startswith("- "):
                    break
                found.append((area, item[2:].strip()))
    return found


def snapshot() -> dict:
    """Everything an action-plan write may touch, to compare before and after."""
    from kompass.actions.models import Action, ActionNote, ActionPlan
    from kompass.evaluations.models import Evaluation, Finding
    from kompass.workspace.models import AuditEntry

    return {
        "actions": list(Action.objects.order_by("pk").values()),
        "notes": list(ActionNote.objects.order_by("pk").values()),
        "plans": list(ActionPlan.objects.order_by("pk").values()),
        "findings": list(Finding.objects.order_by("pk").values_list("pk", "text")),
        "evaluations": list(Evaluation.objects.order_by("pk").values_list("pk", "status", "year")),
        "audit": AuditEntry.objects.count(),
    }


def plan_json(run_cli) -> dict:
    code, out, err = run_cli("actions", "1880", "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_plan_lists_the_seeds_19_improvement_areas_and_follows_them_into_2018(demo, run_cli):
    seed = seed_improvements_2015()
    assert len(seed) == 19
    plan = plan_json(run_cli)
    assert plan["municipality"]["code"] == "1880" and plan["evaluation"]["year"] == 2015
    # The demo data writes the seed's "deklARATIONER" (a caps-lock slip) in lower case.
    assert [(i["area"], i["text"].casefold()) for i in plan["improvements"]] == [(a, t.casefold()) for a, t in seed]
    assert all(i["actions"] == [] for i in plan["improvements"])

    target = plan["improvements"][4]
    code, out, err = run_cli(
        "actions", "add", "--improvement", target["id"], "--title", "Synpunkter redovisas per nämnd",
        "--owner", "Kommunledningskontoret", "--due", "2017-06-30", "--json",
    )
    assert code == 0, err
    action_id = json.loads(out)["id"]
    listed = {i["id"]: i for i in plan_json(run_cli)["improvements"]}[target["id"]]["actions"]
    assert [(a["id"], a["title"], a["owner"], a["due"], a["status"]) for a in listed] == [
        (action_id, "Synpunkter redovisas per nämnd", "Kommunledningskontoret", "2017-06-30", "not_started")
    ]

    code, out, err = run_cli("actions", "set", action_id, "--status", "pågår", "--note", "Mall beslutad i KS", "--date", "2016-09-01")
    assert code == 0, err
    listed = {i["id"]: i for i in plan_json(run_cli)["improvements"]}[target["id"]]["actions"][0]
    assert listed["status"] == "in_progress"
    assert listed["notes"] == [{"date": "2016-09-01", "text": "Mall beslutad i KS", "status": "in_progress"}]

    code, out, err = run_cli("evaluation", "new", "1880", "2018", "--framework", "2010", "--json")
    assert code == 0, err
    code, out, err = run_cli("followup", "1880", "2018", "--json")
    assert code == 0, err
    followup = json.loads(out)
    assert followup["evaluation"]["year"] == 2018 and followup["previous"]["year"] == 2015
    assert [(i["area"], i["text"]) for i in followup["improvements"]] == [(i["area"], i["text"]) for i in plan["improvements"]]
    by_id = {i["id"]: i for i in followup["improvements"]}
    assert [(a["title"], a["status"]) for a in by_id[target["id"]]["actions"]] == [("Synpunkter redovisas per nämnd", "in_progress")]
    # The 2018 evaluation has no scores yet: no change to tell.
    assert all(i["area_change"] is None for i in followup["improvements"])


def test_area_change_is_the_exact_difference_of_the_area_scores(team, run_cli):
    from kompass.evaluations.models import Evaluation
    from kompass.evaluations.selectors import evaluation_result

    # Team's evaluation is Örebro 2026 on version 2010; 2015 is the previous published one.
    bring_to_consensus(team, anna_score=lambda q: q.max_points * Decimal("0.7"), bo_score=lambda q: q.max_points * Decimal("0.7"))
    from kompass.workspace import services

    services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
    code, out, err = run_cli("followup", "1880", "2026", "--json")
    assert code == 0, err
    followup = json.loads(out)
    assert followup["previous"]["year"] == 2015 and followup["comparable"] is True
    earlier = evaluation_result(Evaluation.objects.get(municipality__code="1880", year=2015))
    later = evaluation_result(team.evaluation)
    # Independently: the sum of each area's recorded sub-question scores, before and after.
    for item in followup["improvements"]:
        before = sum(q.score.score for q in earlier.area(item["area"]).questions)
        after = sum(q.max_points * Decimal("0.7") for q in team.evaluation.framework.definition.area(item["area"]).questions)
        assert Decimal(item["area_change"]) == (after - before).quantize(Decimal("0.01"))
    assert len(followup["improvements"]) == 19


def test_followup_across_versions_lists_the_areas_but_no_change(demo):
    from kompass.actions.selectors import followup_get
    from kompass.catalogue.models import Framework
    from kompass.evaluations.models import Evaluation
    from kompass.municipalities.models import Municipality

    # Version 2016 is known at area level only, so the workspace cannot start one; a bare row will do.
    later = Evaluation.objects.create(
        municipality=Municipality.objects.get(country="SE", code="1880"), framework=Framework.objects.get(code="2016"), year=2019
    )
    followup = followup_get(later)
    assert followup.previous.year == 2015 and followup.comparable is False
    assert len(followup.items) == 19 and all(i.area_change is None for i in followup.items)


@pytest.fixture
def improvement(demo):
    from kompass.evaluations.models import Finding

    return Finding.objects.filter(evaluation__municipality__code="1880", evaluation__year=2015, kind="improvement").order_by("pk").first()


@pytest.fixture
def action(improvement):
    from kompass.actions import services

    return services.action_add(improvement_id=improvement.pk, title="Diariet på webben", start="2016-01-01", due="2016-12-31")


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "--improvement", "999999", "--title", "x"], "förbättringsområde 999999 finns inte"),
        (["add", "--improvement", "abc", "--title", "x"], "förbättringsområde abc finns inte"),
        (["add", "--improvement", "{improvement}", "--title", "x", "--due", "2016-02-30"], "är inget datum"),
        (["add", "--improvement", "{improvement}", "--title", "x", "--due", "30/6 2016"], "är inget datum"),
        (["add", "--improvement", "{improvement}", "--title", "x", "--start", "2016-05-01", "--due", "2016-04-30"], "ligger före start"),
        (["add", "--improvement", "{improvement}", "--title", "x", "--status", "halvklar"], "okänd status"),
        (["add", "--improvement", "{improvement}", "--title", "   "], "behöver en rubrik"),
        (["add", "--improvement", "{improvement}", "--title", "x" * 301], "högst 300 tecken"),
        (["set", "999999", "--status", "klar"], "åtgärd 999999 finns inte"),
        (["set", "{action}", "--status", "finished"], "okänd status"),
        (["set", "{action}", "--status", "klar", "--date", "i går"], "är inget datum"),
    ],
)
def test_bad_input_on_the_command_line_is_one_line_and_changes_nothing(run_cli, improvement, action, args, message):
    args = [a.format(improvement=improvement.pk, action=action.pk) for a in args]
    before = snapshot()
    code, out, err = run_cli("actions", *args)
    assert code != 0
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert snapshot() == before


def test_services_refuse_and_change_nothing(team, improvement, action):
    from kompass.actions import services
    from kompass.evaluations.models import Finding

    refusals = [
        (lambda: services.action_update(action_id=action.pk, by=team.admin, due="2015-12-31"), "ligger före start"),
        (lambda: services.action_update(action_id=action.pk, by=team.admin, start="2017-01-01"), "ligger före start"),
        (lambda: services.action_update(action_id=action.pk, by=team.admin, status="done!"), "okänd status"),
        (lambda: services.action_update(action_id=action.pk, by=team.admin, colour="red"), "okända fält"),
        # Someone else's municipality, an evaluator, or nobody in particular.
        (lambda: services.action_add(improvement_id=improvement.pk, by=team.stranger, title="x"), "får inte ändra"),
        (lambda: services.action_status_set(action_id=action.pk, by=team.stranger, status="done"), "får inte ändra"),
        (lambda: services.action_delete(action_id=action.pk, by=team.anna), "får inte ändra"),
        (lambda: services.plan_publish_set(municipality=improvement.evaluation.municipality, by=team.stranger, public=True), "får inte ändra"),
        (lambda: services.action_note_add(action_id=action.pk, by=team.contact, text="  "), "skriv vad som har hänt"),
        # A strength is no improvement area; the team's 2026 evaluation is not published.
        (lambda: services.action_add(improvement_id=Finding.objects.filter(kind="strength").first().pk, title="x"), "finns inte"),
    ]
    unpublished = Finding.objects.create(evaluation=team.evaluation, area=improvement.area, kind="improvement", text="Utkast")
    refusals.append((lambda: services.action_add(improvement_id=unpublished.pk, title="x"), "inte är publicerad"))
    for call, message in refusals:
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            call()
        assert message in " ".join(refused.value.messages)
        assert snapshot() == before


def test_the_contact_and_the_administrator_edit_the_plan_and_the_audit_trail_says_so(team, improvement):
    from kompass.actions import services
    from kompass.workspace.models import AuditEntry

    action = services.action_add(improvement_id=improvement.pk, by=team.contact, title="Diariet på webben", indicator="n00945")
    assert action.indicator == "N00945"  # a Kolada id as Kolada writes it
    services.action_update(action_id=action.pk, by=team.admin, owner="Kansliet", due="2027-03-31")
    services.action_status_set(action_id=action.pk, by=team.contact, status="done", note="Publicerat", date="2027-02-01")
    action.refresh_from_db()
    assert (action.owner, action.due, action.status) == ("Kansliet", datetime.date(2027, 3, 31), "done")
    trail = AuditEntry.objects.filter(evaluation=improvement.evaluation).order_by("pk")
    assert [e.username for e in trail] == ["kontakt", "admin", "admin", "kontakt", "kontakt"]
    services.action_delete(action_id=action.pk, by=team.contact)
    assert trail.last().new == "borttagen"


def test_an_improvement_area_with_actions_cannot_be_deleted_or_replaced(demo, improvement, action, kompass_process, run_cli, tmp_path):
    from django.db.models import ProtectedError

    from kompass.workspace.models import AuditEntry

    before = snapshot()
    with pytest.raises(ProtectedError):
        improvement.delete()
    assert snapshot() == before

    code, out, err = run_cli("export", "--output", tmp_path / "dump.json")
    assert code == 0, err
    code, out, err = run_cli("import-dump", tmp_path / "dump.json")  # refused: exists
    assert code != 0
    from kompass.dump.importing import dump_import
    from kompass.dump.reading import DumpError

    with pytest.raises(DumpError) as refused:
        dump_import(json.loads((tmp_path / "dump.json").read_text()), on_existing="replace")
    assert "1880 2015 (2010)" in str(refused.value) and "kan inte ersättas" in str(refused.value)
    # Even without a workspace history (the trail of the action gone), the plan holds it.
    AuditEntry.objects.all().delete()  # a queryset delete: the model's own delete refuses
    with pytest.raises(DumpError) as refused:
        dump_import(json.loads((tmp_path / "dump.json").read_text()), on_existing="replace")
    assert "1880 2015 (2010) har en handlingsplan med åtgärder och kan inte ersättas" in str(refused.value)
    assert snapshot() == {**before, "audit": 0}


def test_overdue_and_progress_per_area(improvement):
    from kompass.actions import services
    from kompass.actions.selectors import is_overdue, plan_get

    today = datetime.date(2017, 1, 1)
    services.action_add(improvement_id=improvement.pk, title="Försenad", due="2016-12-31")
    services.action_add(improvement_id=improvement.pk, title="Klar i tid", due="2016-12-31", status="klar")
    services.action_add(improvement_id=improvement.pk, title="Avbruten", due="2016-06-30", status="avbruten")
    services.action_add(improvement_id=improvement.pk, title="Pågår, inte sen", due="2017-01-01", status="pågår")
    plan = plan_get(improvement.evaluation.municipality, today=today)
    overdue = {a.title for a in plan.actions if is_overdue(a, today)}
    assert overdue == {"Försenad"}
    area = plan.progress()[0]
    assert area.number == improvement.area.number
    assert area.counts == {"not_started": 1, "in_progress": 1, "done": 1, "cancelled": 1} and area.overdue == 1
    assert area.done_percent == 33  # 1 of the 3 not cancelled, half-up
    assert plan.totals().improvements == 19


def test_the_next_report_shows_the_follow_up_table_once_the_plan_is_public(team, improvement):
    from kompass.actions import services
    from kompass.reports.formats import render_report

    services.action_add(improvement_id=improvement.pk, title="Diariet på webben", status="klar")
    html = render_report(team.evaluation, "html").content.decode()
    assert "Diariet på webben" not in html  # the municipality has not published its plan
    services.plan_publish_set(municipality=improvement.evaluation.municipality, public=True)
    html = render_report(team.evaluation, "html").content.decode()
    assert "Åtgärder för förbättringsområdena från 2015" in html
    assert re.search(r"<td[^>]*>Tillgång till handlingar på hemsidan</td><td[^>]*>Diariet på webben</td><td>klar</td>", html)


def test_the_workspace_shows_the_actions_beside_what_has_happened(team, improvement, client):
    from django.urls import reverse

    from kompass.actions import services

    services.action_add(improvement_id=improvement.pk, title="Diariet på webben", owner="Kansliet", status="pågår")
    client.force_login(team.anna)
    page = client.get(reverse("workspace:texts", args=[team.evaluation.pk])).content.decode()
    checklist = page[page.index("Förbättringsområden från 2015 att följa upp") :]
    assert re.search(r"Tillgång till handlingar på hemsidan.*?Diariet på webben – <span[^>]*>pågår</span> \(Kansliet\)", checklist, re.S)
    assert "Kommunen har inte registrerat några åtgärder." in checklist  # the other 18
    assert "Områdets poäng sedan 2015" not in page  # no agreed scores yet


def test_the_docx_report_carries_the_follow_up_table(team, improvement):
    import io

    import docx

    from kompass.actions import services
    from kompass.reports.formats import render_report

    services.action_add(improvement_id=improvement.pk, title="Diariet på webben", status="klar")
    services.plan_publish_set(municipality=improvement.evaluation.municipality, public=True)
    document = docx.Document(io.BytesIO(render_report(team.evaluation, "docx").content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Förbättringsområde", "Åtgärd", "Status"] in rows
    assert ["Tillgång till handlingar på hemsidan", "Diariet på webben", "klar"] in rows
    assert ["Fler ”light-dokument”", "Inga registrerade åtgärder", ""] in rows
