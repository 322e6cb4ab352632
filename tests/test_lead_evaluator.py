"""The lead evaluator (issue 13, finding 1): an assigned evaluator who is not the lead
could publish, share and correct. Now administrators and the lead do; the others score,
write and agree. Checked at the services (the one door), so no view, command or future
page can give more."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import bring_to_consensus, write_all_texts


def _snapshot(evaluation):
    from kompass.workspace.models import AuditEntry, Revision

    evaluation.refresh_from_db()
    return (evaluation.status, evaluation.shared_with_municipality, AuditEntry.objects.count(), Revision.objects.count())


def test_the_first_evaluator_leads_unless_another_is_named(team):
    from kompass.workspace import services

    assert list(team.evaluation.assignments.order_by("id").values_list("user__username", "lead")) == [("anna", True), ("bo", False)]
    other = services.evaluation_new(
        municipality=team.evaluation.municipality, framework=team.evaluation.framework, year=2024,
        evaluators=[team.anna, team.bo], lead=team.bo, by=team.admin,
    )
    assert other.assignments.get(lead=True).user == team.bo
    with pytest.raises(ValidationError, match="carl är inte en av utvärderarna"):
        services.evaluation_new(municipality=team.evaluation.municipality, framework=team.evaluation.framework, year=2023,
                                evaluators=[team.anna], lead=team.carl, by=team.admin)


def test_only_admins_and_the_lead_move_share_publish_and_correct(team):
    from kompass.workspace import services

    evaluation = team.evaluation
    before = _snapshot(evaluation)
    for attempt in (
        lambda: services.status_set(evaluation=evaluation, status="collecting", by=team.bo),
        lambda: services.share_set(evaluation=evaluation, shared=True, by=team.bo),
    ):
        with pytest.raises(ValidationError, match="Bo Ek får inte .*ansvariga utvärderaren"):
            attempt()
    assert _snapshot(evaluation) == before

    services.share_set(evaluation=evaluation, shared=True, by=team.anna)
    bring_to_consensus(team)  # the lead moves it along
    services.consensus_accept_unanimous(evaluation=evaluation, by=team.bo)  # agreeing is everyone's
    write_all_texts(team)
    before = _snapshot(evaluation)
    with pytest.raises(ValidationError, match="får inte publicera"):
        services.publish(evaluation=evaluation, by=team.bo)
    with pytest.raises(ValidationError, match="får inte byta status"):
        services.status_set(evaluation=evaluation, status="published", by=team.bo)
    assert _snapshot(evaluation) == before
    services.publish(evaluation=evaluation, by=team.anna)
    with pytest.raises(ValidationError, match="får inte rätta"):
        services.correction_apply(evaluation=evaluation, by=team.bo, reason="Fel", scores={"1.1": "1"}, texts={})
    services.correction_apply(evaluation=evaluation, by=team.admin, reason="Stavning", scores={}, texts={("area", 1, "general"): "Rättad."})


def test_the_overview_names_the_lead_and_offers_bo_no_lifecycle(team):
    page = Client()
    page.force_login(team.bo)
    html = page.get(f"/arbete/{team.evaluation.pk}/").content.decode()
    assert "Anna Berg (ansvarig utvärderare)" in html
    assert f'action="/arbete/{team.evaluation.pk}/status/"' not in html
    lead = Client()
    lead.force_login(team.anna)
    assert f'action="/arbete/{team.evaluation.pk}/status/"' in lead.get(f"/arbete/{team.evaluation.pk}/").content.decode()


def test_the_command_line_names_the_lead(team, run_cli):
    import json

    code, out, err = run_cli("evaluation", "new", "1880", "2022", "--framework", "2010", "--evaluator", "anna", "--evaluator", "bo", "--lead", "bo", "--json")
    assert code == 0, err
    from kompass.workspace.models import Assignment

    assert Assignment.objects.get(evaluation_id=json.loads(out)["id"], lead=True).user == team.bo
    code, _out, err = run_cli("evaluation", "new", "1880", "2021", "--framework", "2010", "--evaluator", "anna", "--lead", "carl")
    assert code != 0 and "--lead: carl är inte en av utvärderarna" in err


def test_an_administrator_hands_the_lead_to_another_evaluator_in_the_workspace(team):
    """In the workspace, not only on the command line: the admin picks another of the
    assigned evaluators; the change is in the audit trail, and the new lead now moves the
    evaluation while the old one no longer can. Neither lead nor evaluator may do it."""
    from kompass.workspace import services
    from kompass.workspace.models import AuditEntry

    evaluation, path = team.evaluation, f"/arbete/{team.evaluation.pk}/"
    admin = Client()
    admin.force_login(team.admin)
    page = admin.get(path).content.decode()
    assert f'action="{path}ansvarig/"' in page and f'<option value="{team.anna.pk}" selected>' in page
    for who in (team.anna, team.bo):  # the lead and an evaluator: no form, and a post is refused
        client = Client()
        client.force_login(who)
        assert f'action="{path}ansvarig/"' not in client.get(path).content.decode()
        response = client.post(f"{path}ansvarig/", {"user": team.bo.pk})
        assert response.status_code == 404
        assert evaluation.assignments.get(lead=True).user == team.anna
    response = admin.post(f"{path}ansvarig/", {"user": team.carl.pk})  # not assigned
    assert response.status_code == 400 and "carl är inte en av utvärderarna" in response.content.decode()
    for posted in ("", "tolv", "9" * 30, "999999"):  # nobody, no number, no column holds it, no such user
        response = admin.post(f"{path}ansvarig/", {"user": posted})
        assert response.status_code == 400 and "välj en av utvärderarna" in response.content.decode(), posted

    response = admin.post(f"{path}ansvarig/", {"user": team.bo.pk})
    assert response.status_code == 302
    assert list(evaluation.assignments.order_by("id").values_list("user__username", "lead")) == [("anna", False), ("bo", True)]
    entry = AuditEntry.objects.filter(evaluation=evaluation).order_by("-id").first()
    assert (entry.field, entry.old, entry.new) == ("ansvarig utvärderare", "Anna Berg", "Bo Ek")
    services.share_set(evaluation=evaluation, shared=True, by=team.bo)
    with pytest.raises(ValidationError, match="Anna Berg får inte"):
        services.share_set(evaluation=evaluation, shared=False, by=team.anna)
