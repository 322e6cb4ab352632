"""The plan and deadlines (issue 16, part B): visit dates and the deadlines for the
municipality's answers, the independent scores and the publication; set by the lead or
an administrator, shown on the overview, the scoring and pre-visit pages and per row of
the dashboard, with overdue steps marked in words."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import score_everything
from kompass.workspace import services
from kompass.workspace import schedule as plans
from kompass.workspace.guards import Conflict
from kompass.workspace.models import AuditEntry, Schedule
from kompass.workspace.services.schedule import day_parse, schedule_set

pytestmark = pytest.mark.django_db

def day(offset: int) -> datetime.date:
    """Counted from today when the test runs (a suite may cross midnight in Stockholm)."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def iso(offset: int) -> str:
    return day(offset).isoformat()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _plan(team, **typed):
    return schedule_set(evaluation=team.evaluation, by=team.anna, **typed)


# --- the words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "offset, done, words, state",
    [
        (10, False, "om 10 dagar", "later"),
        (3, False, "om 3 dagar", "soon"),
        (1, False, "i morgon", "soon"),
        (0, False, "i dag", "soon"),
        (-1, False, "försenad sedan 1 dag", "overdue"),
        (-2, False, "försenad sedan 2 dagar", "overdue"),
        (-2, True, "klart", "done"),
    ],
)
def test_a_deadline_says_where_it_stands_in_words(offset, done, words, state):
    deadline = plans.Deadline(plans.SCORES, day(offset), done, day(0))
    assert (deadline.when, deadline.state, deadline.overdue) == (words, state, state == "overdue")


def test_a_day_is_shown_the_swedish_way():
    assert plans.day_text(datetime.date(2027, 3, 12)) == "12 mars 2027"


@pytest.mark.parametrize("typed", ["12/3 2027", "2027-3-12", "tolv mars", "20270312"])
def test_a_day_typed_otherwise_than_year_month_day_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as refused:
        day_parse(typed, "Kommunens svar senast")
    assert "till exempel 2027-03-12" in refused.value.messages[0]


def test_a_day_that_does_not_exist_is_named():
    with pytest.raises(ValidationError) as refused:
        day_parse("2027-02-30", "Kommunens svar senast")
    assert "Det finns inget datum 2027-02-30" in refused.value.messages[0]


# --- the service ------------------------------------------------------------------------


def test_the_lead_sets_the_plan_and_every_change_is_audited(team):
    schedule, warnings = _plan(team, visit_start=iso(20), visit_end=iso(21), answers_due=iso(10), scores_due=iso(30), publish_due=iso(60))
    assert warnings == []
    assert (schedule.answers_due, schedule.scores_due, schedule.visit_start) == (day(10), day(30), day(20))
    fields = set(AuditEntry.objects.filter(evaluation=team.evaluation, field__startswith="tidsplan").values_list("field", "new"))
    assert ("tidsplan · kommunens svar senast", iso(10)) in fields
    assert len(fields) == 5
    # changing one date records that one only; an empty field clears it
    schedule_set(evaluation=team.evaluation, by=team.admin, base=plans.schedule_fingerprint(schedule),
                 visit_start=iso(20), visit_end=iso(21), answers_due=iso(12), scores_due=iso(30), publish_due="")
    entries = AuditEntry.objects.filter(evaluation=team.evaluation, field__startswith="tidsplan")
    assert entries.count() == 7
    schedule.refresh_from_db()
    assert (schedule.answers_due, schedule.publish_due) == (day(12), None)


def test_an_evaluator_who_is_not_the_lead_may_not_set_the_plan(team):
    with pytest.raises(ValidationError):
        schedule_set(evaluation=team.evaluation, by=team.bo, answers_due=iso(10))
    assert not Schedule.objects.exists()


def test_answers_due_after_the_scores_are_refused_and_nothing_changes(team):
    _plan(team, answers_due=iso(5), scores_due=iso(20))
    with pytest.raises(ValidationError) as refused:
        _plan(team, answers_due=iso(25), scores_due=iso(20))
    assert set(refused.value.error_dict) == {"answers_due"}
    assert "senast samma dag som utvärderarnas poäng" in refused.value.error_dict["answers_due"][0].messages[0]
    assert Schedule.objects.get().answers_due == day(5)


def test_scores_due_after_the_publication_and_a_visit_ending_before_it_starts_are_refused(team):
    with pytest.raises(ValidationError) as refused:
        _plan(team, scores_due=iso(30), publish_due=iso(20), visit_start=iso(10), visit_end=iso(9))
    assert set(refused.value.error_dict) == {"scores_due", "visit_end"}
    assert not Schedule.objects.exists()


def test_a_day_already_passed_is_allowed_but_warned(team):
    schedule, warnings = _plan(team, answers_due=iso(-3), scores_due=iso(10))
    assert schedule.answers_due == day(-3)
    assert [name for name, _m in warnings] == ["answers_due"]
    assert "har redan passerat" in warnings[0][1]
    # saved again unchanged: no warning about what was already there
    assert _plan(team, answers_due=iso(-3), scores_due=iso(11))[1] == []


def test_answers_due_after_the_visit_begins_is_warned(team):
    _schedule, warnings = _plan(team, visit_start=iso(5), answers_due=iso(8), scores_due=iso(20))
    assert [name for name, _m in warnings] == ["answers_due"]


def test_a_plan_changed_since_the_form_was_shown_is_not_overwritten(team):
    schedule, _w = _plan(team, answers_due=iso(5))
    shown = plans.schedule_fingerprint(schedule)
    schedule_set(evaluation=team.evaluation, by=team.admin, base=shown, answers_due=iso(6))
    with pytest.raises(Conflict):
        _plan(team, base=shown, answers_due=iso(7))
    assert Schedule.objects.get().answers_due == day(6)


def test_a_published_evaluation_keeps_its_plan(team):
    from kompass.evaluations import services as evaluation_services

    evaluation_services.evaluation_status_set(evaluation=team.evaluation, status="published")
    with pytest.raises(ValidationError):
        _plan(team, answers_due=iso(5))


# --- overdue, for whom ------------------------------------------------------------------


def test_scores_are_overdue_for_the_evaluator_who_has_not_handed_in(team):
    _plan(team, scores_due=iso(-2))
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.anna)
    score_everything(team, team.anna)
    services.scoring_submit(evaluation=team.evaluation, user=team.anna)
    anna = plans.deadline(team.refresh(), plans.SCORES, team.anna)
    bo = plans.deadline(team.evaluation, plans.SCORES, team.bo)
    assert (anna.done, anna.when) == (True, "klart")
    assert (bo.overdue, bo.when) == (True, "försenad sedan 2 dagar")
    # for the administrator the team's scores are late while anyone's are
    assert plans.deadline(team.evaluation, plans.SCORES, team.admin).overdue


def test_the_answers_are_overdue_while_the_evaluation_is_still_collecting(team):
    _plan(team, answers_due=iso(-1), scores_due=iso(20))
    assert plans.deadline(team.evaluation, plans.ANSWERS, team.contact).overdue
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.anna)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.anna)
    assert plans.deadline(team.refresh(), plans.ANSWERS, team.contact).done


def test_the_answers_are_done_once_the_contact_marks_them_done(team):
    from kompass.workspace.services.previsit import previsit_done_set

    _plan(team, answers_due=iso(-1), scores_due=iso(20))
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    previsit_done_set(evaluation=team.evaluation, by=team.contact, done=True)
    deadline = plans.deadline(team.refresh(), plans.ANSWERS, team.anna)
    assert (deadline.done, deadline.overdue) == (True, False)


def test_the_next_deadline_is_the_first_not_met_and_a_contact_sees_only_the_answers(team):
    _plan(team, answers_due=iso(4), scores_due=iso(20), publish_due=iso(40))
    assert plans.next_deadline(team.evaluation, team.anna).kind == plans.ANSWERS
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.anna)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.anna)
    assert plans.next_deadline(team.refresh(), team.anna).kind == plans.SCORES
    assert plans.next_deadline(team.evaluation, team.contact) is None  # the answers are in; scores are not theirs


def _cell(team, user):
    request = RequestFactory().get("/arbete/")
    request.user = user
    return render_to_string("workspace/_deadlines_cell.html", {"e": team.refresh()}, request=request)


def test_the_dashboard_cell_marks_an_overdue_deadline_in_words(team):
    assert "–" in _cell(team, team.anna)  # no plan yet
    _plan(team, answers_due=iso(-2), scores_due=iso(20))
    cell = _cell(team, team.contact)
    assert "Kommunens svar" in cell and plans.day_text(day(-2)) in cell
    assert "Försenad sedan 2 dagar" in cell and "deadline-overdue" in cell
    assert "poäng" not in _cell(team, team.contact).lower()


# --- the pages --------------------------------------------------------------------------


def test_the_overview_shows_the_plan_and_the_lead_a_form_to_change_it(team):
    _plan(team, visit_start=iso(20), visit_end=iso(21), answers_due=iso(3), scores_due=iso(30))
    page = _client(team.anna).get(f"/arbete/{team.evaluation.pk}/").content.decode()
    assert "Plan och tidsfrister" in page
    assert f"{plans.day_text(day(20))} – {plans.day_text(day(21))}" in page
    assert f"{plans.day_text(day(3))} – <strong class=\"deadline-when\">om 3 dagar</strong>" in page
    assert "0 av 2 har lämnat in" in page
    assert f'action="/arbete/{team.evaluation.pk}/plan/"' in page and f'value="{iso(3)}"' in page
    # an evaluator who is not the lead sees the plan, not the form
    page = _client(team.bo).get(f"/arbete/{team.evaluation.pk}/").content.decode()
    assert "om 3 dagar" in page and "/plan/" not in page


def test_the_scoring_and_previsit_pages_say_when_the_step_is_due(team):
    _plan(team, answers_due=iso(3), scores_due=iso(30))
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    page = _client(team.bo).get(f"/arbete/{team.evaluation.pk}/poang/").content.decode()
    assert f"Lämna in senast {plans.day_text(day(30))} – <strong>om 30 dagar</strong>" in page
    page = _client(team.contact).get(f"/arbete/{team.evaluation.pk}/forfragan/").content.decode()
    assert f"Svara senast {plans.day_text(day(3))} – <strong>om 3 dagar</strong>" in page
    assert "Lämna in" not in page
    page = _client(team.bo).get(f"/arbete/{team.evaluation.pk}/forfragan/").content.decode()
    assert f"Kommunen svarar senast {plans.day_text(day(3))}" in page


def test_the_form_saves_and_returns_to_the_overview(team):
    response = _client(team.admin).post(
        f"/arbete/{team.evaluation.pk}/plan/", {"answers_due": iso(5), "scores_due": iso(20), "visit_start": "", "visit_end": "", "publish_due": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/arbete/{team.evaluation.pk}/#plan")
    assert Schedule.objects.get().scores_due == day(20)


def test_a_refused_plan_comes_back_with_the_problem_beside_its_field_and_the_typed_dates(team):
    response = _client(team.anna).post(f"/arbete/{team.evaluation.pk}/plan/", {"answers_due": iso(25), "scores_due": iso(20), "publish_due": "tolv"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det finns ett problem" in page
    assert 'href="#plan-answers_due"' in page and 'href="#plan-publish_due"' in page
    assert 'id="plan-answers_due-error"' in page
    assert f'value="{iso(25)}"' in page and 'value="tolv"' in page
    assert page.count('aria-invalid="true"') == 2  # only the fields that are wrong
    assert not Schedule.objects.exists()


def test_a_day_already_passed_is_saved_and_the_page_says_so(team):
    response = _client(team.anna).post(f"/arbete/{team.evaluation.pk}/plan/", {"answers_due": iso(-1), "scores_due": iso(10)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidsplanen är sparad" in page and "har redan passerat" in page
    assert Schedule.objects.get().answers_due == day(-1)


def test_the_plan_page_is_not_there_for_those_who_may_not_change_it(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    for user in (team.bo, team.contact, team.carl):
        assert _client(user).get(f"/arbete/{team.evaluation.pk}/plan/").status_code == 404
        assert _client(user).post(f"/arbete/{team.evaluation.pk}/plan/", {"answers_due": iso(3)}).status_code == 404
    assert not Schedule.objects.exists()
