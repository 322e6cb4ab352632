"""Errors people understand, numbers in Swedish (issue 16, part D): a refused field says
what to do in plain Swedish beside that field only, keeps what was typed, and without
JavaScript answers with a page that starts with an error summary linking to the field;
scores are typed and shown with a decimal comma."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import bring_to_consensus, write_all_texts
from kompass import scoring
from kompass.evaluations.models import QuestionAssessment
from kompass.workspace import services
from kompass.workspace.models import AuditEntry, IndependentScore, PrevisitAnswer
from kompass.workspace.views.common import ErrorItem, refusal_items

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _collecting(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    return team.evaluation


def _audit(evaluation):
    return list(AuditEntry.objects.filter(evaluation=evaluation).values_list("field", "old", "new"))


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    match = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


# --- messages, for forms, importers and the command line alike -------------------------------


@pytest.mark.parametrize(
    ("value", "maximum", "message"),
    [
        (Decimal("40"), Decimal("30.00"), "poängen kan vara högst 30"),
        (Decimal("13"), Decimal("12.50"), "poängen kan vara högst 12,5"),
        (Decimal("-1"), Decimal("30"), "poängen kan inte vara lägre än 0"),
        (Decimal("1.255"), Decimal("30"), "poängen kan ha högst två decimaler, till exempel 12,25"),
        ("tolv", Decimal("30"), "skriv poängen som ett tal, till exempel 12 eller 12,5"),
    ],
)
def test_score_messages_say_what_to_do_with_swedish_numbers(value, maximum, message):
    (problem,) = scoring.value_problems(value, maximum, "delfråga 1.1")
    assert problem.message == message and str(problem) == f"delfråga 1.1: {message}"
    assert "." not in problem.message.replace("t.ex.", "")


def test_a_refused_score_carries_the_message_without_its_place_and_the_unit(team):
    evaluation = _collecting(team)
    with pytest.raises(ValidationError) as refused:
        services.independent_score_set(evaluation=evaluation, user=team.anna, question_code="1.1", score="tolv", justification="x")
    # The command line and the importers read the whole message, with the place ...
    assert refused.value.messages == ["delfråga 1.1: skriv poängen som ett tal, till exempel 12 eller 12,5"]
    # ... a form shows it beside the field, and a summary links to the field.
    assert refused.value.code == "score" and refused.value.params["key"] == "1.1"
    assert refusal_items(refused.value) == [ErrorItem("Delfråga 1.1: skriv poängen som ett tal, till exempel 12 eller 12,5", "s-1.1")]


# --- a score field saved in place ---------------------------------------------------------------


def test_with_htmx_the_message_is_beside_the_score_and_only_the_score_is_marked(team):
    evaluation = _collecting(team)
    before = _audit(evaluation)
    html = _client(team.anna).post(
        f"/arbete/{evaluation.pk}/poang/1.1/", {"score": "40", "note": "Min motivering", "base": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    score, note = _tag(html, "q-1.1-score"), _tag(html, "q-1.1-note")
    assert 'aria-invalid="true"' in score and 'aria-describedby="q-1.1-score-msg"' in score and 'value="40"' in score
    assert "aria-invalid" not in note and ">Min motivering</textarea>" in html
    assert re.search(r'id="q-1.1-score-msg"[^>]*>.*Poängen kan vara högst 15</p>', html)
    assert "högre än max" not in html and "15.00" not in html and "15,00" not in html
    # Announced once: the message is an alert beside the field, the live region says only that nothing was saved.
    assert '<div id="live" hx-swap-oob="true" class="visually-hidden" role="status" aria-live="polite">Inte sparat.</div>' in html
    assert _audit(evaluation) == before and not IndependentScore.objects.filter(score__isnull=False).exists()


def test_without_javascript_a_refused_score_answers_with_the_error_summary_and_keeps_the_text(team):
    evaluation = _collecting(team)
    response = _client(team.anna).post(f"/arbete/{evaluation.pk}/poang/1.1/", {"score": "tolv", "note": "Så här", "base": ""})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('class="error-summary'):html.index("</div>", html.index('class="error-summary'))]
    assert "Det finns ett problem" in summary and 'tabindex="-1"' in html
    assert '<a href="#q-1.1-score">Skriv poängen som ett tal, till exempel 12 eller 12,5</a>' in summary
    assert 'value="tolv"' in _tag(html, "q-1.1-score") and ">Så här</textarea>" in html
    assert "error-summary.js" in html and "<title>Fel: Inte sparat" in html
    assert f'href="/arbete/{evaluation.pk}/poang/#q-1.1"' in html  # back to the question, not the top
    assert "'tolv'" not in html and "inget tal" not in html


def test_a_decimal_comma_is_accepted_and_shown_with_a_comma(team):
    evaluation = _collecting(team)
    client = _client(team.anna)
    html = client.post(f"/arbete/{evaluation.pk}/poang/1.1/", {"score": "12,5", "note": "Bra"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Sparat." in html and 'value="12,5"' in _tag(html, "q-1.1-score")
    assert IndependentScore.objects.get(assignment__user=team.anna, question__code="1.1").score == Decimal("12.50")
    client.post(f"/arbete/{evaluation.pk}/poang/1.2/", {"score": "12", "note": "Bra"}, HTTP_HX_REQUEST="true")
    page = client.get(f"/arbete/{evaluation.pk}/poang/").content.decode()
    assert 'value="12,5"' in _tag(page, "q-1.1-score") and 'value="12"' in _tag(page, "q-1.2-score")
    assert "Min poäng (0–15)" in page and "0–15,00" not in page and "0–15.00" not in page


def test_a_too_long_justification_is_said_for_the_form_not_the_score(team):
    evaluation = _collecting(team)
    html = _client(team.anna).post(
        f"/arbete/{evaluation.pk}/poang/1.1/", {"score": "5", "note": "x" * (services.MAX_TEXT + 1), "base": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "aria-invalid" not in _tag(html, "q-1.1-score") and 'id="q-1.1-msg"' in html and "Delfråga 1.1 · motivering: texten är längre" in html


def test_the_consensus_score_and_the_conflict_show_swedish_numbers(team):
    bring_to_consensus(team)
    evaluation = team.evaluation
    client = _client(team.anna)
    html = client.post(f"/arbete/{evaluation.pk}/konsensus/1.1/", {"score": "7,25", "note": "Enade"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Sparat." in html and 'value="7,25"' in html
    assert QuestionAssessment.objects.get(evaluation=evaluation, question__code="1.1").score == Decimal("7.25")
    stale = client.post(f"/arbete/{evaluation.pk}/konsensus/1.1/", {"score": "9", "note": "Annat", "base": "gammal"}, HTTP_HX_REQUEST="true").content.decode()
    assert "poäng 7,25." in stale and "7.25" not in stale


# --- the municipality's self-assessment ---------------------------------------------------------


def test_a_refused_self_score_marks_the_score_not_the_comment(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    evaluation = _collecting(team)
    client = _client(team.contact)
    url = f"/arbete/{evaluation.pk}/forfragan/1.1/sjalvskattning/"
    html = client.post(url, {"score": "16", "comment": "Vår kommentar", "base": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-invalid="true"' in _tag(html, "s-1.1-score") and "aria-invalid" not in _tag(html, "s-1.1-comment")
    assert "Poängen kan vara högst 15" in html and ">Vår kommentar</textarea>" in html
    page = client.post(url, {"score": "16", "comment": "Vår kommentar", "base": ""})
    assert page.status_code == 400 and '<a href="#s-1.1-score">Poängen kan vara högst 15</a>' in page.content.decode()
    saved = client.post(url, {"score": "7,5", "comment": "Vår kommentar"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="7,5"' in _tag(saved, "s-1.1-score")
    assert PrevisitAnswer.objects.get(evaluation=evaluation, question__code="1.1").self_score == Decimal("7.50")


# --- texts and lists ------------------------------------------------------------------------------


def test_a_refused_text_keeps_it_and_links_the_summary_to_the_text(team):
    evaluation = _collecting(team)
    client = _client(team.anna)
    response = client.post(f"/arbete/{evaluation.pk}/texter/omrade/1/general/", {"text": "Text\x00med nolltecken", "base": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#a1-general-text">' in html and 'aria-invalid="true"' in _tag(html, "a1-general-text")
    assert "nolltecken" in html and "Det finns ett problem" in html


# --- evidence: messages by field -----------------------------------------------------------------


def test_evidence_problems_are_by_field_in_plain_swedish(team):
    evaluation = _collecting(team)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(evaluation=evaluation, by=team.anna, kind="website", date=None, url="")
    fields = refused.value.message_dict
    assert fields["url"] == ["skriv en webbadress som börjar med https://, till exempel https://www.kommun.se/plan"]
    assert fields["date"][0].startswith("skriv datumet, till exempel ")
    assert "ingen webbadress" not in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(evaluation=evaluation, by=team.anna, kind="interview", date=None, interviewee="")
    assert "interviewee" in refused.value.message_dict


# --- the correction of a published evaluation -------------------------------------------------------


def test_a_refused_correction_keeps_what_was_typed_and_links_to_the_score(team):
    bring_to_consensus(team)
    write_all_texts(team)
    evaluation = team.evaluation
    services.consensus_accept_unanimous(evaluation=evaluation, by=team.anna)
    for code in ("1.1",):
        services.consensus_set(evaluation=evaluation, by=team.anna, question_code=code, score="7,5", rationale="Enade")
    services.publish(evaluation=evaluation, by=team.anna)
    client = _client(team.admin)
    page = client.get(f"/arbete/{evaluation.pk}/rattelse/").content.decode()
    assert 'value="7,5"' in _tag(page, "s-1.1")
    response = client.post(f"/arbete/{evaluation.pk}/rattelse/", {"reason": "Fel poäng", "s-1.1": "99", "t-1.1": "Ny text"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#s-1.1">Delfråga 1.1: poängen kan vara högst 15</a>' in html
    assert 'value="99"' in _tag(html, "s-1.1") and 'aria-invalid="true"' in _tag(html, "s-1.1") and ">Ny text</textarea>" in html
    assert "aria-invalid" not in _tag(html, "reason") and ">Fel poäng</textarea>" in html
