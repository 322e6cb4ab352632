"""Progress and navigation on the workspace's long pages (issue 16, part A): the count,
the list of areas and units with their state, the filters as plain links, previous and
next per unit, and the same counts on the overview and the dashboard."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from conftest import bring_to_consensus
from kompass.workspace import progress, selectors, services

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _state_of(html: str, key: str) -> str:
    """The state class of a unit's link in the progress list."""
    found = re.search(rf'class="s-(\w+) unit" data-key="{re.escape(key)}"', html)
    assert found, f"no progress item for {key}"
    return found[1]


def _articles(html: str) -> list[str]:
    return re.findall(r'<h4 id="qh-([^"]+)"', html)


# --- the pure part ---------------------------------------------------------------------------


def test_states_and_counts_from_the_rows(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.2", score="5", justification="")
    blocks = selectors.area_blocks(team.evaluation, user=team.anna)
    found = progress.unit_progress(blocks, "scoring")
    states = {i.key: i.state for i in found.items}
    assert states["1.1"] == progress.State.SAVED
    assert states["1.2"] == progress.State.PARTIAL  # no justification: not done, hand-in would refuse it
    assert states["1.3"] == progress.State.EMPTY
    assert (found.done, found.total) == (1, 45)
    assert found.summary == "1 av 45 poängsatta"
    assert found.groups[0].done == 1
    first, second = found.items[0], found.items[1]
    assert first.previous is None and first.next is second and second.previous is first


def test_a_filter_hides_what_is_done_and_links_the_neighbours_that_are_left(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.2", score="5", justification="Ja.")
    blocks = selectors.area_blocks(team.evaluation, user=team.anna)
    found = progress.unit_progress(blocks, "scoring", "obesvarade")
    items = {i.key: i for i in found.items}
    assert not items["1.2"].shown and found.hidden == 1 and found.shown == 44
    assert items["1.1"].next is items["1.3"]
    assert progress.unit_progress(blocks, "scoring", "nonsense").filter == ""  # unknown: everything


# --- the pages ---------------------------------------------------------------------------------


def test_the_scoring_page_counts_lists_and_links_each_unit(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="2.1", score="3", justification="")
    html = _page(_client(team.anna), f"/arbete/{team.evaluation.pk}/poang/")
    assert re.search(r'<span class="n-done">1</span> av 45 poängsatta', html)
    assert _state_of(html, "1.1") == "saved" and _state_of(html, "2.1") == "partial" and _state_of(html, "1.2") == "empty"
    assert 'href="#qh-1.1"' in html and 'href="#area-1"' in html
    assert 'aria-label="1.1: sparad"' in html and 'aria-label="2.1: motivering saknas"' in html  # the state in words, not only a symbol
    # previous and next per unit
    assert re.search(r'href="#qh-1.2" rel="next">Nästa: 1.2', html)
    assert re.search(r'href="#qh-1.1" rel="prev">.*Föregående: 1.1', html)
    # the filters are links that work without JavaScript
    assert 'href="?visa=obesvarade#progress"' in html
    assert len(_articles(html)) == 45


def test_the_unanswered_filter_hides_the_saved_and_says_how_to_show_all(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    html = _page(_client(team.anna), f"/arbete/{team.evaluation.pk}/poang/?visa=obesvarade")
    shown = _articles(html)
    assert "1.1" not in shown and len(shown) == 44
    assert "Bara obesvarade: 44 visas, 1 är dold." in html
    assert 'href="?#progress">Visa alla' in html
    assert 'aria-current="page">Bara obesvarade' in html
    assert 'href="?#qh-1.1"' in html  # the hidden one is still in the list, linked to the whole page



def test_a_save_without_javascript_returns_to_the_filtered_page(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    anna, pk = _client(team.anna), team.evaluation.pk
    html = _page(anna, f"/arbete/{pk}/poang/?visa=obesvarade")
    assert '<input type="hidden" name="visa" value="obesvarade">' in html
    saved = anna.post(f"/arbete/{pk}/poang/1.2/", {"score": "5", "note": "Bra.", "visa": "obesvarade"})
    assert saved.status_code == 302 and saved["Location"] == f"/arbete/{pk}/poang/?visa=obesvarade#q-1.2"
    refused = anna.post(f"/arbete/{pk}/poang/1.3/", {"score": "tolv", "note": "", "visa": "obesvarade"})
    assert refused.status_code == 400 and f'href="/arbete/{pk}/poang/?visa=obesvarade#q-1.3"' in refused.content.decode()
    other = anna.post(f"/arbete/{pk}/poang/1.4/", {"score": "5", "note": "Bra.", "visa": "//evil.example"})
    assert other["Location"] == f"/arbete/{pk}/poang/#q-1.4"  # only the page's own filters are carried

def test_consensus_states_and_the_divergence_filter(team):
    bring_to_consensus(team, lambda q: q.max_points, lambda q: Decimal(0) if q.code in ("1.1", "3.2") else q.max_points)
    services.consensus_set(evaluation=team.evaluation, by=team.anna, question_code="1.2", score="5", rationale="Enade.")
    client = _client(team.anna)
    html = _page(client, f"/arbete/{team.evaluation.pk}/konsensus/")
    assert _state_of(html, "1.1") == "divergent" and _state_of(html, "1.2") == "agreed" and _state_of(html, "1.3") == "empty"
    assert re.search(r'<span class="n-done">1</span> av 45 överenskomna', html)
    assert 'href="?visa=avvikelser#progress"' in html
    filtered = _page(client, f"/arbete/{team.evaluation.pk}/konsensus/?visa=avvikelser")
    assert _articles(filtered) == ["1.1", "3.2"]
    assert "Bara avvikelser: 2 visas, 43 är dolda." in filtered
    assert re.search(r'href="#qh-3.2" rel="next">Nästa: 3.2', filtered)  # next among those shown
    services.consensus_set(evaluation=team.evaluation, by=team.anna, question_code="1.1", score="10", rationale="Enade.")
    services.consensus_set(evaluation=team.evaluation, by=team.anna, question_code="3.2", score="10", rationale="Enade.")
    done = _page(client, f"/arbete/{team.evaluation.pk}/konsensus/?visa=avvikelser")
    assert _articles(done) == [] and "Det finns inga avvikelser utan konsensuspoäng." in done


def test_the_previsit_page_counts_the_municipalitys_answers(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.previsit_answer_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", text="Vi har en plan.")
    services.self_assessment_set(evaluation=team.evaluation, by=team.contact, question_code="1.2", score="4", comment="")
    html = _page(_client(team.contact), f"/arbete/{team.evaluation.pk}/forfragan/")
    assert re.search(r'<span class="n-done">1</span> av 45 besvarade', html)
    assert _state_of(html, "1.1") == "saved" and _state_of(html, "1.2") == "partial"
    filtered = _page(_client(team.contact), f"/arbete/{team.evaluation.pk}/forfragan/?visa=obesvarade")
    assert "1.1" not in _articles(filtered) and "1.2" in _articles(filtered)


def test_the_texts_page_lists_each_text_and_filters_to_the_empty_ones(team):
    services.area_text_set(evaluation=team.evaluation, by=team.anna, area_number=1, field="general", text="Allmänt om område 1.")
    client = _client(team.anna)
    html = _page(client, f"/arbete/{team.evaluation.pk}/texter/")
    assert _state_of(html, "a1-general") == "saved" and _state_of(html, "a2-general") == "empty"
    assert 'href="#t-1.1"' in html and 'href="#a1-strength"' in html
    assert re.search(r'rel="next">Nästa område: 2', html)
    filtered = _page(client, f"/arbete/{team.evaluation.pk}/texter/?visa=obesvarade")
    assert 'id="a1-general"' not in filtered and 'id="a2-general"' in filtered
    assert "Bara tomma texter:" in filtered


def test_a_contact_never_sees_scoring_progress(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    client = _client(team.contact)
    for url in ("/arbete/", f"/arbete/{team.evaluation.pk}/"):
        html = _page(client, url)
        assert "poängsatta" not in html and "Anna Berg" not in html


# --- the overview and the dashboard -----------------------------------------------------------


def test_the_overview_shows_the_team_where_each_step_stands(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.previsit_answer_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", text="Vi har en plan.")
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.2", score="10", justification="Bra.")
    services.independent_score_set(evaluation=team.evaluation, user=team.bo, question_code="1.1", score="10", justification="")
    html = _page(_client(team.anna), f"/arbete/{team.evaluation.pk}/")
    assert "Hur långt har ni kommit?" in html
    assert "1 av 45 besvarade" in html
    assert re.search(r"Poäng: Anna Berg</th>\s*<td>2 av 45 poängsatta och motiverade", html)
    assert re.search(r"Poäng: Bo Ek</th>\s*<td>0 av 45 poängsatta och motiverade", html)  # a score without justification is not done
    assert f'/arbete/{team.evaluation.pk}/poang/?visa=obesvarade' in html  # her own link, to what is left
    assert "10" not in re.sub(r"\d{4}|<[^>]+>", "", html.split("Hur långt har ni kommit?")[1].split("</table>")[0])  # counts, never scores
    contact = _page(_client(team.contact), f"/arbete/{team.evaluation.pk}/")
    assert "Ni har besvarat 1 av 45." in contact and "?visa=obesvarade" in contact
    assert "poängsatta" not in contact


def test_the_overview_counts_agreed_scores_in_consensus(team):
    bring_to_consensus(team, lambda q: q.max_points, lambda q: Decimal(0) if q.code == "2.2" else q.max_points)
    assert "44 av 45" not in (before := _page(_client(team.anna), f"/arbete/{team.evaluation.pk}/"))
    assert "0 av 45 överenskomna; 1 avvikelse kvar" in before
    services.consensus_set(evaluation=team.evaluation, by=team.anna, question_code="2.2", score="5", rationale="Enade.")
    services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
    html = _page(_client(team.admin), f"/arbete/{team.evaluation.pk}/")
    assert "45 av 45 överenskomna" in html and "?visa=avvikelser" in html
    assert re.search(r"Poäng: Anna Berg</th>\s*<td>inlämnade", html)


def test_the_dashboard_has_a_progress_column_and_a_deadlines_column(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.independent_score_set(evaluation=team.evaluation, user=team.anna, question_code="1.1", score="10", justification="Bra.")
    html = _page(_client(team.anna), "/arbete/")
    assert '<th scope="col">Framsteg</th>' in html and '<th scope="col">Nästa tidsgräns</th>' in html
    assert "Förfrågan: 0 av 45 besvarade" in html and "Mina poäng: 1 av 45 poängsatta" in html
    admin = _page(_client(team.admin), "/arbete/")
    assert "Förfrågan: 0 av 45 besvarade" in admin and "Mina poäng" not in admin
    assert "Publicerad" in admin  # the demo's published evaluations



def test_the_dashboards_queries_do_not_grow_with_its_rows(team):
    """Each row's progress and next deadline come from the list's own queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kompass.municipalities.models import Municipality

    def queries() -> int:
        client = _client(team.admin)
        client.get("/arbete/")  # sessions and the like, once
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/arbete/").status_code == 200
        return len(captured)

    def planned(evaluation):
        services.status_set(evaluation=evaluation, status="collecting", by=team.admin)
        services.schedule_set(evaluation=evaluation, by=team.admin, answers_due="2026-12-01", scores_due="2027-01-20")

    planned(team.evaluation)
    one = queries()
    for code in ("0180", "1480", "1280"):
        planned(services.evaluation_new(
            municipality=Municipality.objects.get(country="SE", code=code), framework=team.evaluation.framework,
            year=2026, evaluators=[team.anna, team.bo], by=team.admin,
        ))
    assert queries() == one

def test_the_dashboard_of_a_contact_counts_answers_only(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    services.previsit_answer_set(evaluation=team.evaluation, by=team.contact, question_code="1.1", text="Svar.")
    html = _page(_client(team.contact), "/arbete/")
    assert "Förfrågan: 1 av 45 besvarade" in html and "poäng" not in html.split("<tbody>")[1].split("</tbody>")[0]


@pytest.mark.parametrize(("who", "says"), [
    ("carl", "Du har inte tilldelats någon utvärdering ännu."),
    ("stranger", "Ingen utvärdering av er kommun är delad med dig ännu."),
])
def test_an_empty_dashboard_says_what_to_do_next(team, who, says):
    html = _page(_client(getattr(team, who)), "/arbete/")
    assert says in html


def test_an_administrator_on_an_empty_installation_is_shown_where_to_begin(db):
    from conftest import PASSWORD

    admin = services.user_add(username="ada", role="admin", password=PASSWORD, full_name="Ada Admin")
    html = _page(_client(admin), "/arbete/")
    assert "Kom i gång" in html and "Skapa den första utvärderingen" in html and 'href="#new-heading"' in html
    assert "kompass user add" in html


def test_step_lines_for_each_role_and_status():
    counts = selectors.StepCounts(total=45, areas=8, answers=12, agreed=20, texts=3, assignments=2, submitted=1)
    assert progress.step_lines("collecting", counts, role="municipality", previsit_open=True) == ["Förfrågan: 12 av 45 besvarade"]
    assert progress.step_lines("scoring", counts, role="municipality", previsit_open=False) == ["Förfrågan stängd, utvärderarna arbetar"]
    assert progress.step_lines("scoring", counts, role="evaluator", previsit_open=False, mine=30) == ["Mina poäng: 30 av 45 poängsatta", "1 av 2 har lämnat in"]
    assert progress.step_lines("scoring", counts, role="evaluator", previsit_open=False, mine=45, submitted=True)[0] == "Mina poäng: inlämnade"
    assert progress.step_lines("consensus", counts, role="admin", previsit_open=False) == ["Konsensus: 20 av 45 överenskomna", "Texter: 3 av 8 områden"]
    assert progress.step_lines("published", None, role="admin", previsit_open=False) == ["Publicerad"]


def test_the_dashboard_lists_the_work_in_progress_before_the_published(team):
    from kompass.catalogue.models import Framework

    older = services.evaluation_new(
        municipality=team.evaluation.municipality, framework=Framework.objects.get(code="2010"), year=2011, evaluators=[team.anna], by=team.admin
    )
    html = _page(_client(team.admin), "/arbete/")
    published = re.search(r"<td>2015</td>", html).start()
    assert html.index(f'<a href="/arbete/{older.pk}/">') < published
