"""Area-level versions in the workspace (issue 12, part 2): 2016 and 2020 have no public
sub-questions, so each evaluator scores each area; consensus, agreement, publish checks,
pre-visit answers, self-assessment and gaps go per area. Also: only active versions can
be chosen, and the scoring guidance of a version shows beside each unit.

Expected numbers are computed here from the scores the test gives (agreement against the
``krippendorff`` package), never copied from the code under test."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import krippendorff
import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import write_report_facts
from kompass.catalogue.models import Framework
from kompass.evaluations.models import AreaAssessment, Evaluation, QuestionAssessment
from kompass.evaluations.selectors import evaluation_result
from kompass.municipalities.models import Municipality
from kompass.workspace import services
from kompass.workspace.gaps import evaluation_gaps
from kompass.workspace.models import AuditEntry, IndependentScore, PrevisitAnswer
from kompass.workspace.selectors import evaluation_agreement

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"

# Each evaluator's score of each area of version 2020 (every area's max is 100).
# Area 3: 15 apart (divergent: more than 10 % of 100); area 5: exactly 10 apart (not
# divergent); area 7: 2.5 apart; the rest the same.
ANNA = {1: "60", 2: "55,5", 3: "70", 4: "40", 5: "50", 6: "65", 7: "72,5", 8: "30"}
BO = {1: "60", 2: "55.5", 3: "55", 4: "40", 5: "60", 6: "65", 7: "75", 8: "30"}


# The fingerprints of empty forms, as the pages carry them (a form's "base").
EMPTY_SCORE = services.fingerprint({"score": None, "justification": ""})
EMPTY_AGREED = services.fingerprint({"score": None, "rationale": ""})
EMPTY_SELF = services.fingerprint({"score": None, "comment": ""})


def number(typed: str) -> Decimal:
    return Decimal(typed.replace(",", "."))


def snapshot(evaluation) -> dict:
    """Everything an area-level write could change, row by row."""
    evaluation.refresh_from_db()
    return {
        "evaluation": list(Evaluation.objects.filter(pk=evaluation.pk).values()),
        "scores": list(IndependentScore.objects.order_by("pk").values()),
        "areas": list(AreaAssessment.objects.order_by("pk").values()),
        "questions": list(QuestionAssessment.objects.order_by("pk").values()),
        "answers": list(PrevisitAnswer.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values_list("field", "old", "new")),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def area_team(team):
    """Örebro 2021 by version 2020 (area level), with Anna and Bo as its evaluators."""
    evaluation = services.evaluation_new(
        municipality=Municipality.objects.get(country="SE", code="1880"), framework=Framework.objects.get(code="2020"),
        year=2021, evaluators=[team.anna, team.bo], by=team.admin,
    )
    return SimpleNamespace(**{**vars(team), "evaluation": evaluation})


def to_scoring(t) -> None:
    services.status_set(evaluation=t.evaluation, status="collecting", by=t.admin)
    services.status_set(evaluation=t.evaluation, status="scoring", by=t.admin)


def score_areas(t, user, scores: dict[int, str]) -> None:
    """Through the pages, as the evaluator would: one form per area."""
    client = client_for(user)
    for area, typed in scores.items():
        response = client.post(
            f"/arbete/{t.evaluation.pk}/poang/{area}/", {"score": typed, "note": f"{user.username}: skäl för område {area}.", "base": EMPTY_SCORE},
            HTTP_HX_REQUEST="true",
        )
        assert "Sparat." in response.content.decode(), response.content.decode()


def to_consensus(t) -> None:
    to_scoring(t)
    score_areas(t, t.anna, ANNA)
    score_areas(t, t.bo, BO)
    services.scoring_submit(evaluation=t.evaluation, user=t.anna)
    services.scoring_submit(evaluation=t.evaluation, user=t.bo)
    services.status_set(evaluation=t.evaluation, status="consensus", by=t.admin)


def write_texts(t) -> None:
    for area in t.evaluation.framework.definition.areas:
        services.area_text_set(evaluation=t.evaluation, by=t.anna, area_number=area.number, field="general", text=f"Allmänt om område {area.number}.")
    write_report_facts(t.evaluation, t.anna)


# --- active versions only --------------------------------------------------------------------


@pytest.mark.parametrize("version, year", [("2020", 2021), ("2016", 2017)])
def test_evaluation_new_on_the_command_line_for_an_area_level_version(team, run_cli, version, year):
    code, out, err = run_cli("evaluation", "new", "1880", year, "--framework", version, "--evaluator", "anna", "--evaluator", "bo", "--json")
    assert code == 0, err
    created = json.loads(out)
    evaluation = Evaluation.objects.get(pk=created["id"])
    assert (evaluation.framework.code, evaluation.year, evaluation.status) == (version, year, "planned")
    assert [a.user.username for a in evaluation.assignments.order_by("id")] == ["anna", "bo"]


def test_a_retired_version_is_refused_and_nothing_is_created(team, run_cli):
    before = list(Evaluation.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.evaluation_new(
            municipality=team.evaluation.municipality, framework=Framework.objects.get(code="2002"), year=2024,
            evaluators=[team.anna], by=team.admin,
        )
    assert refused.value.messages == ["version 2002 är avvecklad och kan inte väljas för nya utvärderingar"]
    code, _out, err = run_cli("evaluation", "new", "1880", "2024", "--framework", "2002", "--evaluator", "anna")
    assert code == 1 and "version 2002 är avvecklad" in err
    assert list(Evaluation.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_a_draft_version_is_refused_and_the_form_offers_active_versions_only(team, tmp_path):
    from kompass.catalogue.services import catalogue_load

    draft = tmp_path / "draft.yaml"
    draft.write_text(EXAMPLE.read_text(encoding="utf-8").replace("status: active", "status: draft", 1), encoding="utf-8")
    catalogue_load(path=draft, as_id="2098")
    assert Framework.objects.get(code="2098").status == "draft"
    before = list(Evaluation.objects.order_by("pk").values_list("pk", flat=True))
    admin = client_for(team.admin)
    response = admin.post("/arbete/ny/", {"municipality": "1880", "framework": "2098", "year": "2024", "evaluators": [team.anna.pk]})
    assert response.status_code == 400
    assert "version 2098 är ett utkast och kan inte väljas för nya utvärderingar" in response.content.decode().lower()
    assert list(Evaluation.objects.order_by("pk").values_list("pk", flat=True)) == before
    dashboard = admin.get("/arbete/").content.decode()
    offered = dashboard[dashboard.index('name="framework"'): dashboard.index("</select>", dashboard.index('name="framework"'))]
    for code in ("2010", "2016", "2020"):
        assert f'value="{code}"' in offered
    for code in ("2002", "2098"):
        assert f'value="{code}"' not in offered


# --- scoring, consensus, agreement, publishing --------------------------------------------------


def test_two_evaluators_score_agree_and_publish_an_area_level_evaluation(area_team):
    t = area_team
    to_scoring(t)
    anna, bo = client_for(t.anna), client_for(t.bo)
    page = anna.get(f"/arbete/{t.evaluation.pk}/poang/").content.decode()
    assert page.count('class="question whole-area"') == 8 and "Min poäng (0–100)" in page
    assert "Bedömningsstöd" not in page  # version 2020 carries no guidance: no empty heading

    # Hand-in needs every area.
    score_areas(t, t.anna, {n: s for n, s in ANNA.items() if n != 8})
    before = snapshot(t.evaluation)
    with pytest.raises(ValidationError) as refused:
        services.scoring_submit(evaluation=t.evaluation, user=t.anna)
    assert refused.value.messages == ["poäng saknas för område 8"]
    assert snapshot(t.evaluation) == before
    score_areas(t, t.anna, {8: ANNA[8]})
    score_areas(t, t.bo, BO)

    # Nobody sees another's scores before consensus.
    for path in ("poang/", "konsensus/", "historik/"):
        assert "bo: skäl för område 3." not in anna.get(f"/arbete/{t.evaluation.pk}/{path}").content.decode(), path
    assert anna.get(f"/arbete/{t.evaluation.pk}/konsensus.csv").status_code == 404

    services.scoring_submit(evaluation=t.evaluation, user=t.anna)
    services.scoring_submit(evaluation=t.evaluation, user=t.bo)
    services.status_set(evaluation=t.evaluation, status="consensus", by=t.admin)

    # The consensus page: both scores side by side, the one divergence marked.
    page = anna.get(f"/arbete/{t.evaluation.pk}/konsensus/").content.decode()
    divergent = [n for n in ANNA if abs(number(ANNA[n]) - number(BO[n])) > Decimal(10)]
    assert divergent == [3]
    assert page.count('divergent"') == len(divergent)
    block = page[page.index('id="qh-3"'): page.index('id="qh-4"')]
    assert "avvikelse" in block and ">70<" in block and ">55<" in block and "bo: skäl för område 3." in block
    assert "Områden med minst två poäng" in page

    # Agreement over the eight areas, against the krippendorff package and a plain mean.
    measures = evaluation_agreement(t.evaluation)
    data = np.array([[float(number(ANNA[n])) for n in range(1, 9)], [float(number(BO[n])) for n in range(1, 9)]])
    oracle = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    mad = sum(abs(Fraction(number(ANNA[n])) - Fraction(number(BO[n]))) for n in range(1, 9)) / 8
    assert measures.units == 8
    assert abs(float(measures.alpha) - oracle) <= 0.00005
    assert measures.mean_absolute_difference == Decimal(float(mad)).quantize(Decimal("0.01"))
    assert f"<dd>{str(measures.alpha).replace('.', ',')}</dd>" in page
    csv = anna.get(f"/arbete/{t.evaluation.pk}/konsensus.csv").content.decode()
    lines = csv.splitlines()
    assert lines[0] == "område;max;Anna Berg;Bo Ek;avvikelse;konsensus"
    assert "3;100;70,00;55,00;ja;" in lines and "5;100;50,00;60,00;nej;" in lines
    assert "områden med minst två poäng;8" in lines
    assert f"Krippendorffs alfa (intervall);{str(measures.alpha).replace('.', ',')}" in lines

    # Accept the unanimous areas; the others are agreed one by one with a rationale.
    same = [n for n in ANNA if number(ANNA[n]) == number(BO[n])]
    assert services.consensus_accept_unanimous(evaluation=t.evaluation, by=t.anna) == len(same)
    assert {a.area.number: a.score for a in AreaAssessment.objects.filter(evaluation=t.evaluation, score__isnull=False)} == {
        n: number(ANNA[n]) for n in same
    }
    write_texts(t)
    before = snapshot(t.evaluation)
    with pytest.raises(ValidationError) as refused:
        services.publish(evaluation=t.evaluation, by=t.admin)
    assert sorted(refused.value.messages) == sorted(f"område {n}: konsensuspoäng saknas för området" for n in ANNA if n not in same)
    assert snapshot(t.evaluation) == before
    agreed = {3: "62,5", 5: "55", 7: "74"}
    for area, typed in agreed.items():
        response = anna.post(
            f"/arbete/{t.evaluation.pk}/konsensus/{area}/", {"score": typed, "note": f"Vi enades om område {area}.", "base": EMPTY_AGREED},
            HTTP_HX_REQUEST="true",
        )
        assert "Sparat." in response.content.decode()
    assessment = AreaAssessment.objects.get(evaluation=t.evaluation, area__number=3)
    assert (assessment.score, assessment.rationale) == (Decimal("62.50"), "Vi enades om område 3.")
    assert AuditEntry.objects.filter(evaluation=t.evaluation, field="område 3 · konsensuspoäng", new="62.50").count() == 1
    assert services.publish_problems(t.evaluation) == []
    services.publish(evaluation=t.evaluation, by=t.admin)

    evaluation = Evaluation.objects.get(pk=t.evaluation.pk)
    assert evaluation.status == "published"
    expected = {n: number(agreed.get(n, ANNA[n])) for n in range(1, 9)}
    result = evaluation_result(evaluation)
    assert {a.area.number: a.score.score for a in result.areas} == expected
    assert result.total.score == sum(expected.values())

    # A correction of an area's score is a new revision, through the correction page.
    admin = client_for(t.admin)
    assert 'name="s-3"' in admin.get(f"/arbete/{t.evaluation.pk}/rattelse/").content.decode()
    response = admin.post(f"/arbete/{t.evaluation.pk}/rattelse/", {"reason": "Räknefel i område 3", "s-3": "63"})
    assert response.status_code == 302
    assert AreaAssessment.objects.get(evaluation=t.evaluation, area__number=3).score == Decimal(63)
    assert [(r.number, r.reason) for r in evaluation.revisions.order_by("number")] == [(1, "Publicering"), (2, "Räknefel i område 3")]
    assert AuditEntry.objects.filter(evaluation=t.evaluation, field="område 3 · poäng", old="62.50", new="63.00").count() == 1


def test_an_area_score_out_of_range_or_not_a_number_is_refused_and_changes_nothing(area_team):
    t = area_team
    to_scoring(t)
    client = client_for(t.anna)
    before = snapshot(t.evaluation)
    for typed, message in (("100,5", "Poängen kan vara högst 100"), ("-1", "lägre än 0"), ("sjuttio", "Skriv poängen som ett tal")):
        html = client.post(f"/arbete/{t.evaluation.pk}/poang/2/", {"score": typed, "note": "x", "base": ""}, HTTP_HX_REQUEST="true").content.decode()
        assert message in html and 'id="q-2-score"' in html and 'aria-invalid="true"' in html and 'role="alert"' in html, typed
    assert snapshot(t.evaluation) == before
    with pytest.raises(ValidationError, match="område 9 finns inte i version 2020"):
        services.independent_score_set(evaluation=t.evaluation, user=t.anna, area_number=9, score="5", justification="x")
    assert client.post(f"/arbete/{t.evaluation.pk}/poang/9/", {"score": "5", "note": "x", "base": ""}).status_code == 404
    assert snapshot(t.evaluation) == before


def test_an_area_of_a_version_with_sub_questions_is_not_scored_as_a_whole(team):
    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    before = snapshot(team.evaluation)
    with pytest.raises(ValidationError, match="område 1 poängsätts per delfråga i version 2010"):
        services.independent_score_set(evaluation=team.evaluation, user=team.anna, area_number=1, score="50", justification="x")
    assert client_for(team.anna).post(f"/arbete/{team.evaluation.pk}/poang/1/", {"score": "50", "note": "x"}).status_code == 404
    assert snapshot(team.evaluation) == before


def test_a_score_row_holds_a_question_or_an_area_never_both(area_team, team):
    from django.db import IntegrityError, transaction

    assignment = area_team.evaluation.assignments.first()
    area = area_team.evaluation.framework.areas.get(number=1)
    question = team.evaluation.framework.areas.get(number=1).questions.first()
    for fields in ({}, {"area": area, "question": question}):
        with pytest.raises(IntegrityError), transaction.atomic():
            IndependentScore.objects.create(assignment=assignment, score=1, **fields)


def test_evidence_is_linked_to_an_area_and_shows_where_the_area_is_scored(area_team):
    t = area_team
    services.status_set(evaluation=t.evaluation, status="collecting", by=t.admin)
    client = client_for(t.anna)
    form = client.get(f"/arbete/{t.evaluation.pk}/underlag/").content.decode()
    assert "Områden som underlaget belyser" in form and 'type="checkbox" name="questions" value="3"' in form
    response = client.post(
        f"/arbete/{t.evaluation.pk}/underlag/",
        {"kind": "interview", "date": "2021-10-01", "interviewee": "ekonomichefen", "questions": ["3"]},
    )
    assert response.status_code == 302
    page = client.get(f"/arbete/{t.evaluation.pk}/poang/").content.decode()
    assert "ekonomichefen" in page[page.index('id="qh-3"'): page.index('id="qh-4"')]
    assert "ekonomichefen" not in page[page.index('id="qh-2"'): page.index('id="qh-3"')]
    before = snapshot(t.evaluation)
    refused = client.post(
        f"/arbete/{t.evaluation.pk}/underlag/", {"kind": "interview", "date": "2021-10-01", "interviewee": "revisorerna", "questions": ["9"]}
    )
    assert refused.status_code == 400 and "område 9 finns inte i version 2020" in refused.content.decode().lower()
    assert snapshot(t.evaluation) == before


# --- the municipality's answers and self-assessment per area -------------------------------------


def test_the_municipality_answers_and_self_assesses_per_area_and_sees_the_gaps(area_team):
    t = area_team
    services.share_set(evaluation=t.evaluation, shared=True, by=t.admin)
    contact = client_for(t.contact)
    page = contact.get(f"/arbete/{t.evaluation.pk}/forfragan/").content.decode()
    assert page.count('class="question whole-area"') == 8 and "Kommunens självskattning (0–100)" in page
    own = {1: "70", 2: "40,5", 4: "35"}
    for area, typed in own.items():
        answered = contact.post(f"/arbete/{t.evaluation.pk}/forfragan/{area}/", {"text": f"Så arbetar vi i område {area}.", "base": services.fingerprint("")}, HTTP_HX_REQUEST="true")
        assert "Sparat." in answered.content.decode()
        saved = contact.post(
            f"/arbete/{t.evaluation.pk}/forfragan/{area}/sjalvskattning/", {"score": typed, "comment": f"Kommentar {area}", "base": EMPTY_SELF},
            HTTP_HX_REQUEST="true",
        )
        assert "Sparat." in saved.content.decode()
    before = snapshot(t.evaluation)
    refused = contact.post(f"/arbete/{t.evaluation.pk}/forfragan/3/sjalvskattning/", {"score": "101", "comment": "", "base": ""}, HTTP_HX_REQUEST="true")
    assert "Poängen kan vara högst 100" in refused.content.decode() and 'aria-describedby="s-3-score-msg"' in refused.content.decode()
    assert snapshot(t.evaluation) == before
    assert {a.area.number: a.self_score for a in PrevisitAnswer.objects.filter(evaluation=t.evaluation)} == {n: number(s) for n, s in own.items()}

    # The evaluators see the answer beside the area they score.
    to_consensus(t)
    scoring = client_for(t.anna).get(f"/arbete/{t.evaluation.pk}/konsensus/").content.decode()
    assert "Så arbetar vi i område 1." in scoring[scoring.index('id="qh-1"'): scoring.index('id="qh-2"')]
    services.consensus_accept_unanimous(evaluation=t.evaluation, by=t.anna)
    for area in (3, 5, 7):
        services.consensus_set(evaluation=t.evaluation, by=t.anna, area_number=area, score=BO[area], rationale="Enade.")
    write_texts(t)
    services.publish(evaluation=t.evaluation, by=t.admin)

    gaps = evaluation_gaps(t.evaluation)
    agreed = {n: number(BO[n]) for n in range(1, 9)}
    assert {q.code: q.gap for q in gaps.questions} == {str(n): number(own[n]) - agreed[n] for n in own}
    assert [a.number for a in gaps.areas] == sorted(own, key=lambda n: -abs(number(own[n]) - agreed[n]))
    assert gaps.not_self_scored == tuple(str(n) for n in range(1, 9) if n not in own)
    page = contact.get(f"/arbete/{t.evaluation.pk}/sjalvvardering/").content.decode()
    assert "för 3 av 8 områden" in page and "Per delfråga" not in page and "Kommentar 4" in page


# --- guidance -------------------------------------------------------------------------------------------


def test_the_guidance_shows_beside_each_sub_question_while_scoring_in_consensus_and_to_the_municipality(team):
    from kompass.catalogue import definitions
    from kompass.catalogue.services import catalogue_load

    catalogue_load(path=EXAMPLE)
    example = definitions.get("2099")
    question = example.question("1.2")
    assert question.guidance is not None and question.subarea == "Dialog"
    evaluation = services.evaluation_new(
        municipality=team.evaluation.municipality, framework=Framework.objects.get(code="2099"), year=2025,
        evaluators=[team.anna, team.bo], by=team.admin,
    )
    services.share_set(evaluation=evaluation, shared=True, by=team.admin)
    services.status_set(evaluation=evaluation, status="collecting", by=team.admin)

    def article(html: str, code: str) -> str:
        start = html.index(f'id="qh-{code}"')
        return html[start: html.index("</article>", start)]

    from django.utils.html import escape

    pages = {
        "scoring": client_for(team.anna).get(f"/arbete/{evaluation.pk}/poang/").content.decode(),
        "previsit": client_for(team.contact).get(f"/arbete/{evaluation.pk}/forfragan/").content.decode(),
    }
    for name, html in pages.items():
        block = article(html, "1.2")
        assert "Bedömningsstöd" in block, name
        for text in (question.guidance.looked_for, question.guidance.full, question.guidance.partial, question.guidance.none):
            assert escape(text) in block, (name, text)
        assert "intervju, dokument" in block, name
        # Sub-areas as sub-headings, each once where it begins.
        assert html.count(f'<h4 class="subarea">{escape("Dialog")}</h4>') == 1 and '<h4 class="subarea">Information</h4>' in html, name
    for status in ("scoring",):
        services.status_set(evaluation=evaluation, status=status, by=team.admin)
    for user in (team.anna, team.bo):
        for q in example.questions:
            services.independent_score_set(evaluation=evaluation, user=user, question_code=q.id, score=str(q.max_points / 2), justification="Skäl.")
        services.scoring_submit(evaluation=evaluation, user=user)
    services.status_set(evaluation=evaluation, status="consensus", by=team.admin)
    block = article(client_for(team.anna).get(f"/arbete/{evaluation.pk}/konsensus/").content.decode(), "1.2")
    assert "Bedömningsstöd" in block and escape(question.guidance.looked_for) in block


def test_the_guidance_of_an_area_shows_where_the_area_is_scored_as_a_whole(team, tmp_path):
    """A version without sub-questions whose areas carry guidance (area 1 only): the
    guidance beside area 1, nothing beside area 2."""
    import yaml

    from kompass.catalogue.services import catalogue_load

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for area in data["areas"]:
        area.pop("questions", None)
    data["areas"][0]["guidance"] = {
        "looked_for": "En antagen plan för medborgardialog.", "full": "Planen följs och redovisas.",
        "partial": "Planen finns men följs inte upp.", "none": "Ingen plan.", "sources": ["document", "website"],
    }
    path = tmp_path / "area-level.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalogue_load(path=path, as_id="2097")
    evaluation = services.evaluation_new(
        municipality=team.evaluation.municipality, framework=Framework.objects.get(code="2097"), year=2024,
        evaluators=[team.anna, team.bo], by=team.admin,
    )
    services.status_set(evaluation=evaluation, status="collecting", by=team.admin)
    page = client_for(team.anna).get(f"/arbete/{evaluation.pk}/poang/").content.decode()
    first, second = page[page.index('id="qh-1"'): page.index('id="qh-2"')], page[page.index('id="qh-2"'): page.index('id="qh-3"')]
    assert "Bedömningsstöd" in first and "En antagen plan för medborgardialog." in first and "Ingen plan." in first
    assert "dokument, webbplats" in first
    assert "Bedömningsstöd" not in second and page.count("Bedömningsstöd") == 1
