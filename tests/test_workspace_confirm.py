"""Confirmations for what cannot be undone: an evaluator's hand-in and publishing each go
through a page that shows what becomes final and what is missing (each a link to its
field), and act only on an explicit confirmation; while the step is not allowed the
button is disabled with the reason beside it."""

from __future__ import annotations

import re

import pytest
from conftest import bring_to_consensus, score_everything, write_all_texts
from django.test import Client

from kompass.evaluations.models import Status
from kompass.workspace import services
from kompass.workspace.problems import Problem

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def scoring(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    return team.refresh()


# --- the problems carry a message and where to put them right -----------------------------


def test_problems_are_messages_with_links(team):
    scoring(team)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="2", justification="")
    problems = services.handin_problems(team.evaluation, team.anna)
    assert [str(p) for p in problems][:2] == [
        "poäng saknas för delfråga " + ", ".join(p[0] for p in problems[0].items),
        "motivering saknas för delfråga 1.1",
    ]
    assert problems[0].page == "scoring" and ("1.2", "q-1.2") in problems[0].items
    assert problems[1].items == (("1.1", "q-1.1"),)
    publish = services.publish_problems(team.evaluation)
    assert all(isinstance(p, Problem) and p.page for p in publish)
    general = next(p for p in publish if str(p) == "område 3: texten ”Allmänt” saknas")
    assert (general.page, general.anchor) == ("texts", "a3-general")
    month = next(p for p in publish if "månad" in str(p))
    assert (month.page, month.anchor) == ("report_facts", "f-month")


def test_refusals_keep_their_messages_for_the_command_line(team):
    scoring(team)
    with pytest.raises(Exception) as refused:
        services.scoring_submit(evaluation=team.evaluation, user=team.anna)
    assert refused.value.messages[0].startswith("poäng saknas för delfråga 1.1, 1.2")


# --- hand-in -----------------------------------------------------------------------------


def test_handin_page_lists_what_is_missing_as_links_and_the_button_is_disabled(team):
    scoring(team)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="2,5", justification="Bra.")
    anna = client_of(team.anna)
    page = anna.get(f"/arbete/{team.evaluation.pk}/poang/lamna-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/arbete/{team.evaluation.pk}/poang/#q-1.2"' in html
    assert "1 av " in text(page) and "2,5 av" in text(page)
    assert re.search(r'<button type="submit" disabled aria-describedby="confirm-reason">Lämna in mina poäng</button>', html)
    assert "Du kan lämna in när alla delfrågor har poäng och motivering." in text(page)
    # the scoring page's button leads there, marked as not possible yet, with the reason
    scoring_page = anna.get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()
    assert 'class="button unavailable"' in scoring_page and "delfrågor saknar poäng eller motivering" in scoring_page


def test_a_refused_handin_shows_the_confirmation_page_with_the_problems(team):
    scoring(team)
    anna = client_of(team.anna)
    response = anna.post(f"/arbete/{team.evaluation.pk}/poang/lamna-in/", {"confirm": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns ett problem" in html and "Det gick inte" in html
    assert f'href="/arbete/{team.evaluation.pk}/poang/#q-1.1"' in html
    assert team.evaluation.assignments.get(user=team.anna).submitted_at is None


def test_handin_needs_the_confirmation(team):
    scoring(team)
    score_everything(team, team.anna)
    anna = client_of(team.anna)
    url = f"/arbete/{team.evaluation.pk}/poang/lamna-in/"
    page = anna.get(url)
    assert page.status_code == 200 and 'disabled aria-describedby="confirm-reason"' not in page.content.decode()
    scoring_page = anna.get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()
    assert 'class="button unavailable"' not in scoring_page and f'href="{url}"' in scoring_page
    unticked = anna.post(url, {})
    assert unticked.status_code == 400
    assert "Kryssa i rutan för att bekräfta" in text(unticked) and 'aria-invalid="true"' in unticked.content.decode()
    assert team.evaluation.assignments.get(user=team.anna).submitted_at is None
    done = anna.post(url, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == f"/arbete/{team.evaluation.pk}/poang/"
    assert team.evaluation.assignments.get(user=team.anna).submitted_at is not None
    again = anna.get(url)
    assert "Du lämnade in dina poäng" in text(again) and "disabled" in again.content.decode()


# --- publishing --------------------------------------------------------------------------


def test_publish_is_disabled_with_the_reasons_while_incomplete(team):
    bring_to_consensus(team)
    anna = client_of(team.anna)
    overview = anna.get(f"/arbete/{team.evaluation.pk}/").content.decode()
    assert 'class="button unavailable" href="/arbete/%s/publicera/"' % team.evaluation.pk in overview
    assert f'href="/arbete/{team.evaluation.pk}/texter/#a1-general"' in overview  # the missing items are links
    page = anna.get(f"/arbete/{team.evaluation.pk}/publicera/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'disabled aria-describedby="confirm-reason"' in html and "Du kan publicera när inget saknas." in text(page)
    assert f'href="/arbete/{team.evaluation.pk}/rapportuppgifter/#sammanfattande-kommentar"' in html or "Sammanfattande kommentar" in html
    assert f'href="/arbete/{team.evaluation.pk}/texter/#a3-general"' in html
    refused = anna.post(f"/arbete/{team.evaluation.pk}/publicera/", {"confirm": "1"})
    assert refused.status_code == 400 and "Det gick inte" in text(refused)
    assert team.refresh().status == Status.CONSENSUS


def test_publish_needs_the_confirmation_and_then_publishes(team):
    bring_to_consensus(team)
    services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
    write_all_texts(team)
    anna = client_of(team.anna)
    url = f"/arbete/{team.evaluation.pk}/publicera/"
    page = anna.get(url)
    assert page.status_code == 200 and 'disabled aria-describedby="confirm-reason"' not in page.content.decode()
    assert "Totalt" in text(page) and "oktober 2026" in text(page)
    # the old way, a status change to "published", is no way round the confirmation
    old = anna.post(f"/arbete/{team.evaluation.pk}/status/", {"status": "published"})
    assert old.status_code == 400 and "Kryssa i rutan" in text(old)
    assert anna.post(url, {}).status_code == 400
    assert team.refresh().status == Status.CONSENSUS
    done = anna.post(url, {"confirm": "1"})
    assert done.status_code == 302 and team.refresh().status == Status.PUBLISHED
    after = anna.get(url)
    assert "redan publicerad" in text(after)


def test_only_managers_reach_the_publish_page(team):
    bring_to_consensus(team)
    assert client_of(team.bo).get(f"/arbete/{team.evaluation.pk}/publicera/").status_code == 404
    assert client_of(team.contact).get(f"/arbete/{team.evaluation.pk}/publicera/").status_code == 404
    assert client_of(team.admin).get(f"/arbete/{team.evaluation.pk}/publicera/").status_code == 200


def test_consensus_step_is_disabled_until_everyone_has_handed_in(team):
    scoring(team)
    overview = client_of(team.anna).get(f"/arbete/{team.evaluation.pk}/").content.decode()
    assert 'disabled aria-describedby="nasta-skal"' in overview and "Bo Ek har inte lämnat in sina poäng" in overview


# --- the action plan ---------------------------------------------------------------------


def test_publishing_an_empty_action_plan_is_not_the_prominent_button(team):
    from kompass.actions import services as actions
    from kompass.actions.selectors import plan_get

    editor = "/arbete/handlingsplan/SE/1880/"
    contact = client_of(team.contact)
    empty = contact.get(editor).content.decode()
    assert re.search(r'<button type="submit" class="secondary" aria-describedby="publicering-tom">Publicera handlingsplanen</button>', empty)
    assert "Planen har inga åtgärder ännu." in empty
    improvement = plan_get(team.contact.profile.municipality).improvements[0]
    actions.action_add(improvement_id=improvement.pk, title="Första åtgärden")
    filled = contact.get(editor).content.decode()
    assert '<button type="submit">Publicera handlingsplanen</button>' in filled and "Planen har inga åtgärder ännu." not in filled


def test_an_unticked_attempt_at_a_blocked_step_says_why_it_is_blocked(team):
    scoring(team)
    response = client_of(team.anna).post(f"/arbete/{team.evaluation.pk}/poang/lamna-in/", {})
    assert response.status_code == 400
    assert "Du kan lämna in när alla delfrågor har poäng och motivering." in text(response)
    assert "Kryssa i rutan" not in text(response)
    response = client_of(team.admin).post(f"/arbete/{team.evaluation.pk}/publicera/", {})
    assert response.status_code == 400 and "Publicering är möjlig när utvärderingen har status konsensus (nu: poängsättning)." in text(response)
