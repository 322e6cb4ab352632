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
