"""The municipality's self-assessment (tracker issue 7, part 5): a self-score and a comment
per sub-question beside the pre-visit answer; after publication the gap against the
evaluators' scores per sub-question and area; and, on the public benchmark page, the
self-assessments against the evaluations across municipalities, aggregated only.

Every expected number is computed here from the stored values, independently of
``kompass.workspace.gaps`` and ``kompass.benchmark.selectors``; no database id is
written into a test."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD, write_report_facts
from kompass.catalogue.models import Framework, Question
from kompass.evaluations.models import Evaluation, QuestionAssessment
from kompass.municipalities.models import Municipality
from kompass.workspace import services
from kompass.workspace.models import AuditEntry, PrevisitAnswer

# No module-wide django_db mark: the Chromium test at the end must not set up a test
# database from inside Playwright's event loop; every other test asks for it through
# its fixtures (``team``, ``demo``) or its own mark.

CODE = "1.1"  # max 15


# --- helpers ---------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything a self-assessment write could touch, row by row."""
    return {
        "answers": list(PrevisitAnswer.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values()),
        "agreed": list(QuestionAssessment.objects.order_by("pk").values()),
        "evaluations": list(Evaluation.objects.order_by("pk").values()),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def questions(evaluation):
    return list(Question.objects.filter(area__framework=evaluation.framework).select_related("area").order_by("area__number", "position"))


def agreed_score(index: int, question) -> Decimal:
    """The evaluators' (unanimous, so agreed) score: spread over 0 … max."""
    return (question.max_points * ((index * 7) % 21) / 20).quantize(Decimal("0.01"))


def self_score(index: int, question) -> Decimal:
    """The municipality's own score: mostly higher, sometimes lower, in 0 … max."""
    return (question.max_points * ((index * 11 + 5) % 21) / 20).quantize(Decimal("0.01"))


def self_assess(evaluation, contact, *, skip=lambda q: False, comment=lambda q: f"Vi bedömer {q.code} så."):
    """Self-scores for every sub-question but the skipped ones, through the service."""
    for index, question in enumerate(questions(evaluation)):
        if not skip(question):
            services.self_assessment_set(
                evaluation=evaluation, by=contact, question_code=question.code, score=str(self_score(index, question)), comment=comment(question)
            )


def publish(evaluation, admin, evaluators, *, score=agreed_score):
    """Through the lifecycle to published, both evaluators giving the same scores."""
    for status in ("collecting", "scoring"):
        services.status_set(evaluation=evaluation, status=status, by=admin)
    rows = questions(evaluation)
    for user in evaluators:
        for index, question in enumerate(rows):
            services.independent_score_set(
                evaluation=evaluation, user=user, question_code=question.code, score=str(score(index, question)), justification="Motivering."
            )
        services.scoring_submit(evaluation=evaluation, user=user)
    services.status_set(evaluation=evaluation, status="consensus", by=admin)
    assert services.consensus_accept_unanimous(evaluation=evaluation, by=admin) == len(rows)
    for area in evaluation.framework.definition.areas:
        for field in ("general", "changes"):
            services.area_text_set(evaluation=evaluation, by=admin, area_number=area.number, field=field, text=f"Text {area.number}.")
    write_report_facts(evaluation, admin)
    services.status_set(evaluation=evaluation, status="published", by=admin)
    evaluation.refresh_from_db()
    return evaluation


def in_area_8(question) -> bool:
    return question.area.number == 8


def partly_area_7(question) -> bool:
    """Area 7 only partly self-assessed (7.1 and 7.2), area 8 not at all."""
    return question.area.number == 8 or question.code in ("7.3", "7.4", "7.5")


@pytest.fixture
def shared(team):
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    team.refresh()
    return team


@pytest.fixture
def published(shared):
    """Örebro 2026 self-assessed (area 7 partly, area 8 not at all) and published."""
    self_assess(shared.evaluation, shared.contact, skip=partly_area_7)
    publish(shared.evaluation, shared.admin, [shared.anna, shared.bo])
    return shared


# --- the service ------------------------------------------------------------------------------


def test_a_self_score_and_comment_are_saved_with_their_audit_entries(shared):
    e = shared.evaluation
    row = services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="7,5", comment="  Vi har en plan.  ")
    assert row.self_score == Decimal("7.50") and row.self_comment == "Vi har en plan."
    stored = PrevisitAnswer.objects.get(evaluation=e, question__code=CODE)
    assert stored.self_score == Decimal("7.50") and stored.text == ""  # the answer itself is untouched
    audit = list(AuditEntry.objects.filter(evaluation=e, field__startswith="självskattning").values_list("field", "old", "new", "username"))
    assert audit == [
        ("självskattning, delfråga 1.1", "", "7.50", "kontakt"),
        ("självskattning, delfråga 1.1 · kommentar", "", "Vi har en plan.", "kontakt"),
    ]
    # The whole range, both ends included, in the status after planned too.
    services.status_set(evaluation=e, status="collecting", by=shared.admin)
    assert services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="15", comment="").self_score == Decimal("15.00")
    assert services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="0", comment="").self_score == Decimal(0)
    # Empty clears it; the answer's row stays.
    assert services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="  ", comment="").self_score is None
    assert PrevisitAnswer.objects.get(evaluation=e, question__code=CODE).self_score is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "självskattning, delfråga 1.1: poängen kan inte vara lägre än 0"),
        ("15.01", "självskattning, delfråga 1.1: poängen kan vara högst 15"),
        ("abc", "självskattning, delfråga 1.1: skriv poängen som ett tal, till exempel 12 eller 12,5"),
        ("7.555", "självskattning, delfråga 1.1: poängen kan ha högst två decimaler, till exempel 12,25"),
        ("NaN", "självskattning, delfråga 1.1: skriv poängen som ett tal, till exempel 12 eller 12,5"),
    ],
)
def test_a_self_score_outside_0_to_max_is_refused_and_nothing_changes(shared, typed, message):
    services.self_assessment_set(evaluation=shared.evaluation, by=shared.contact, question_code=CODE, score="5", comment="Före.")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_set(evaluation=shared.evaluation, by=shared.contact, question_code=CODE, score=typed, comment="Efter.")
    assert refused.value.messages == [message]
    assert snapshot() == before


def test_an_unknown_sub_question_and_a_too_long_comment_are_refused(shared):
    before = snapshot()
    with pytest.raises(ValidationError, match="delfråga 9.9 finns inte i version 2010"):
        services.self_assessment_set(evaluation=shared.evaluation, by=shared.contact, question_code="9.9", score="1", comment="")
    with pytest.raises(ValidationError, match="kommentar: texten är längre än 20000 tecken"):
        services.self_assessment_set(evaluation=shared.evaluation, by=shared.contact, question_code=CODE, score="1", comment="x" * 20_001)
    assert snapshot() == before


def test_the_self_assessment_closes_with_the_pre_visit_answers(shared):
    e = shared.evaluation
    services.status_set(evaluation=e, status="collecting", by=shared.admin)
    services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="5", comment="")
    assert services.PREVISIT_OPEN == ["planned", "collecting"]
    services.status_set(evaluation=e, status="scoring", by=shared.admin)
    before = snapshot()
    with pytest.raises(ValidationError, match="att göra självskattningen går inte när utvärderingen har status ”poängsättning”"):
        services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="6", comment="")
    with pytest.raises(ValidationError):
        services.self_assessment_set(evaluation=e, by=shared.contact, question_code="1.2", score="6", comment="")  # no row yet: none made
    assert snapshot() == before


def test_a_published_evaluation_refuses_a_self_score(published):
    before = snapshot()
    with pytest.raises(ValidationError, match="är publicerad och kan inte ändras"):
        services.self_assessment_set(evaluation=published.evaluation, by=published.contact, question_code="8.1", score="6", comment="")
    assert snapshot() == before


def test_a_save_based_on_a_changed_self_score_is_a_conflict_and_changes_nothing(shared):
    e = shared.evaluation
    shown = services.fingerprint({"score": None, "comment": ""})
    services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="5", comment="Först.", base=shown)
    before = snapshot()
    with pytest.raises(services.Conflict) as conflict:
        services.self_assessment_set(evaluation=e, by=shared.contact, question_code=CODE, score="9", comment="Sen.", base=shown)
    assert conflict.value.current == {"score": "5.00", "comment": "Först."}
    assert snapshot() == before


# --- the pages and who may use them ----------------------------------------------------------------


def test_the_contact_saves_a_self_score_in_place_and_without_javascript(shared):
    e, contact = shared.evaluation, client_for(shared.contact)
    page = contact.get(f"/arbete/{e.pk}/forfragan/").content.decode()
    base = services.fingerprint({"score": None, "comment": ""})
    assert f'id="s-{CODE}"' in page and f'value="{base}"' in page and "Kommunens självskattning (0–15)" in page
    url = f"/arbete/{e.pk}/forfragan/{CODE}/sjalvskattning/"
    fragment = contact.post(url, {"score": "12,5", "comment": "Ny plan 2025.", "base": base}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Sparat." in fragment.content.decode() and 'value="12,5"' in fragment.content.decode()
    saved = PrevisitAnswer.objects.get(evaluation=e, question__code=CODE)
    assert (saved.self_score, saved.self_comment) == (Decimal("12.50"), "Ny plan 2025.")
    # Without JavaScript: back to the page at the form.
    plain = contact.post(url, {"score": "13", "comment": "Ny plan 2025.", "base": services.fingerprint({"score": "12.50", "comment": "Ny plan 2025."})})
    assert plain.status_code == 302 and plain["Location"].endswith(f"/arbete/{e.pk}/forfragan/#s-{CODE}")
    assert PrevisitAnswer.objects.get(evaluation=e, question__code=CODE).self_score == Decimal(13)
    # Refused: the reason beside what was typed, nothing changed.
    before = snapshot()
    current = services.fingerprint({"score": "13.00", "comment": "Ny plan 2025."})
    bad = contact.post(url, {"score": "16", "comment": "För högt", "base": current})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Poängen kan vara högst 15" in body and 'value="16"' in body and 'aria-invalid="true"' in body
    stale = contact.post(url, {"score": "1", "comment": "Gammal", "base": base}, HTTP_HX_REQUEST="true").content.decode()
    assert "Någon annan har sparat en ny självskattning" in stale and "poäng 13." in stale
    assert snapshot() == before
    # The evaluators read it beside the answer.
    shown = client_for(shared.anna).get(f"/arbete/{e.pk}/forfragan/").content.decode()
    assert "Kommunens självskattning: 13 av 15." in shown and "Ny plan 2025." in shown and f'id="s-{CODE}"' not in shown


@pytest.mark.parametrize("who", ["stranger", "carl", "anna", "admin", "anonymous", "unshared"])
def test_nobody_but_the_contact_may_save_a_self_score(team, who):
    """Another municipality's contact, an unassigned evaluator, even the assigned
    evaluators and the administrator (they never answer for the municipality): 404;
    anonymous: to the login page. Nothing changes."""
    if who != "unshared":
        services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    user = {"stranger": team.stranger, "carl": team.carl, "anna": team.anna, "admin": team.admin, "unshared": team.contact}.get(who)
    url = f"/arbete/{team.evaluation.pk}/forfragan/{CODE}/sjalvskattning/"
    before = snapshot()
    response = client_for(user).post(url, {"score": "5", "comment": "zqintrusion"})
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert snapshot() == before
    assert b"zqintrusion" not in response.content


@pytest.mark.parametrize("who", ["stranger", "carl", "anonymous", "unshared"])
def test_the_gap_page_is_404_to_everyone_else(published, who):
    if who == "unshared":
        services.share_set(evaluation=published.evaluation, shared=False, by=published.admin)
    user = {"stranger": published.stranger, "carl": published.carl, "unshared": published.contact}.get(who)
    response = client_for(user).get(f"/arbete/{published.evaluation.pk}/sjalvvardering/")
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
        assert b"Vi bed\xc3\xb6mer" not in response.content


def test_before_publication_the_gap_page_says_when_it_will_be_shown(shared):
    self_assess(shared.evaluation, shared.contact)
    for user in (shared.contact, shared.anna, shared.admin):
        response = client_for(user).get(f"/arbete/{shared.evaluation.pk}/sjalvvardering/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Jämförelsen visas när utvärderingen är publicerad." in body
        assert "<svg" not in body and "Per delfråga" not in body
    overview = client_for(shared.contact).get(f"/arbete/{shared.evaluation.pk}/").content.decode()
    assert f"/arbete/{shared.evaluation.pk}/sjalvvardering/" not in overview


# --- the gap ----------------------------------------------------------------------------------


def expected_gaps(evaluation):
    """The gaps, computed here from the stored values: per sub-question with both values
    the gap and its share; per area the sums; both sorted by the largest absolute gap,
    then the larger absolute share, then catalogue order."""
    own = {a.question.code: a.self_score for a in PrevisitAnswer.objects.filter(evaluation=evaluation).select_related("question")}
    agreed = {a.question.code: a.score for a in QuestionAssessment.objects.filter(evaluation=evaluation).select_related("question")}
    order = questions(evaluation)
    rows = []
    for position, q in enumerate(order):
        if own.get(q.code) is not None and agreed.get(q.code) is not None:
            gap = own[q.code] - agreed[q.code]
            rows.append((q.code, q.area.number, own[q.code], agreed[q.code], gap, Fraction(gap) / Fraction(q.max_points), q.max_points, position))
    by_gap = sorted(rows, key=lambda r: (-abs(r[4]), -abs(r[5]), r[7]))
    areas = {}
    for code, area, mine, theirs, gap, _share, maximum, _p in rows:
        s = areas.setdefault(area, {"count": 0, "self": Decimal(0), "evaluators": Decimal(0), "max": Decimal(0)})
        s["count"] += 1
        s["self"] += mine
        s["evaluators"] += theirs
        s["max"] += maximum
    area_rows = [
        (number, s["count"], s["self"], s["evaluators"], s["self"] - s["evaluators"], Fraction(s["self"] - s["evaluators"]) / Fraction(s["max"]))
        for number, s in areas.items()
    ]
    area_rows.sort(key=lambda r: (-abs(r[4]), -abs(r[5]), r[0]))
    return by_gap, area_rows


def test_the_gaps_are_the_differences_of_the_stored_scores_largest_first(published):
    from kompass.workspace.gaps import evaluation_gaps

    e = published.evaluation
    by_gap, area_rows = expected_gaps(e)
    result = evaluation_gaps(e)
    assert len(by_gap) == 45 - 6 - 3  # area 8 and three of area 7 have no self-score
    assert [(q.code, q.self_score, q.evaluators, q.gap) for q in result.questions] == [(r[0], r[2], r[3], r[4]) for r in by_gap]
    for q, r in zip(result.questions, by_gap, strict=True):
        assert abs(Fraction(q.share) - r[5]) < Fraction(1, 10**20)  # a Decimal quotient, exact to 28 digits
    assert [(a.number, a.count, a.self_sum, a.evaluators_sum, a.gap) for a in result.areas] == [r[:5] for r in area_rows]
    assert [a.number for a in result.areas if a.count < a.of] == [7]
    assert 8 not in [a.number for a in result.areas] and [a.number for a in result.uncompared_areas] == [8]
    # The largest gap really is first: the order is not just the catalogue's.
    assert abs(result.questions[0].gap) == max(abs(r[4]) for r in by_gap)
    assert [q.code for q in result.questions] != sorted(q.code for q in result.questions)
    assert result.not_self_scored == ("7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6")
    # Sub-questions with only one of the two values do not count anywhere.
    assert result.self_sum == sum((r[2] for r in by_gap), Decimal(0)) and result.gap == sum((r[4] for r in by_gap), Decimal(0))


def test_a_sub_question_without_the_evaluators_score_is_left_out():  # plain Python, no database
    from kompass.catalogue import definitions
    from kompass.gaps import gaps

    framework = definitions.get("2010")
    result = gaps(framework, {"1.1": Decimal(10), "1.2": Decimal(5), "2.1": Decimal(3)}, {"1.1": Decimal("7.5"), "2.1": None, "3.1": Decimal(4)})
    assert [(q.code, q.gap) for q in result.questions] == [("1.1", Decimal("2.5"))]
    assert result.self_only == ("1.2", "2.1") and [a.number for a in result.areas] == [1]
    assert result.areas[0].count == 1 and result.areas[0].of == 5 and result.areas[0].share == Decimal("2.5") / 15
    assert result.questions[0].share_text == "+16,7 %"


def test_the_gap_page_shows_the_chart_and_the_sorted_tables(published):
    e = published.evaluation
    by_gap, area_rows = expected_gaps(e)
    for user in (published.contact, published.anna, published.admin):
        response = client_for(user).get(f"/arbete/{e.pk}/sjalvvardering/")
        assert response.status_code == 200
        body = response.content.decode()
        svg = body[body.index("<svg") : body.index("</svg>")]
        assert 'role="img"' in svg and "<title>Självskattning och utvärderarnas poäng per område</title>" in svg and "<desc>" in svg
        # The chart's areas, and the sub-question table's rows, in order of the largest gap.
        tables = re.findall(r"<tbody>(.*?)</tbody>", body, re.DOTALL)
        area_table = next(t for t in tables if "av 5" in t or "av 6" in t)
        assert [int(n) for n in re.findall(r'<th scope="row">(\d)\. ', area_table)] == [r[0] for r in area_rows]
        codes = re.findall(r'<tr id="q-(\d\.\d)">', body)
        assert codes == [r[0] for r in by_gap]
        first = by_gap[0]
        row = re.search(rf'<tr id="q-{re.escape(first[0])}">(.*?)</tr>', body, re.DOTALL)[1]
        sign = "+" if first[4] > 0 else "−"
        assert f"{sign}{abs(first[4]):.2f}".replace(".", ",") in row
        assert "Vi bedömer" in body  # the municipality's comments beside its scores
        assert "Motivering." not in body  # never the evaluators' justifications
    overview = client_for(published.contact).get(f"/arbete/{e.pk}/").content.decode()
    assert f'href="/arbete/{e.pk}/sjalvvardering/"' in overview
    admin_overview = client_for(published.admin).get(f"/arbete/{e.pk}/").content.decode()
    assert f'href="/arbete/{e.pk}/sjalvvardering/"' in admin_overview


def test_a_published_evaluation_without_self_scores_says_there_is_nothing_to_compare(shared):
    publish(shared.evaluation, shared.admin, [shared.anna, shared.bo])
    body = client_for(shared.contact).get(f"/arbete/{shared.evaluation.pk}/sjalvvardering/").content.decode()
    assert "Ingen delfråga har både kommunens självskattning och utvärderarnas poäng" in body and "<svg" not in body


# --- the benchmark -------------------------------------------------------------------------------


def half_up(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def three(published):
    """Örebro 2026 (published, above), Stockholm 2026 (published, self-assessed apart
    from area 8 and with other scores) and Göteborg 2026 (self-assessed, not published)."""
    from kompass.workspace.models import Profile

    team = published
    framework = Framework.objects.get(code="2010")
    made = []
    for code, name, publish_it in (("0180", "stockholm", True), ("1480", "goteborg", False)):
        municipality = Municipality.objects.get(country="SE", code=code)
        contact = team.stranger if code == "0180" else services.user_add(
            username=name, role="municipality", password=PASSWORD, full_name="Gun Borg", municipality=municipality
        )
        assert Profile.objects.get(user=contact).municipality == municipality
        evaluation = services.evaluation_new(municipality=municipality, framework=framework, year=2026, evaluators=[team.anna, team.bo], by=team.admin)
        services.share_set(evaluation=evaluation, shared=True, by=team.admin)
        self_assess(evaluation, contact, skip=in_area_8, comment=lambda q, name=name: f"zq{name}comment")
        if publish_it:
            publish(evaluation, team.admin, [team.anna, team.bo], score=lambda i, q: (q.max_points * ((i * 3) % 21) / 20).quantize(Decimal("0.01")))
        else:
            services.status_set(evaluation=evaluation, status="collecting", by=team.admin)
        made.append(evaluation)
    return SimpleNamespace(team=team, orebro=team.evaluation, stockholm=made[0], goteborg=made[1])


def expected_benchmark():
    """Per sub-question, per area and in total, over the published evaluations with
    self-scores: the sums, the count of evaluations and the exact means."""
    published = Evaluation.objects.filter(framework__code="2010", status="published")
    pairs = {}
    for answer in PrevisitAnswer.objects.filter(evaluation__in=published, self_score__isnull=False).select_related("question__area"):
        agreed = QuestionAssessment.objects.filter(evaluation=answer.evaluation, question=answer.question, score__isnull=False).first()
        if agreed is not None:
            pairs.setdefault(answer.evaluation_id, []).append((answer.question.code, answer.question.area.number, answer.self_score, agreed.score))

    def means(groups):
        out = {}
        for key, values in groups.items():  # values: (evaluation id, self, evaluators)
            n = len({v[0] for v in values})
            own, theirs = sum((v[1] for v in values), Decimal(0)), sum((v[2] for v in values), Decimal(0))
            out[key] = (n, own, theirs, half_up(Fraction(own) / n), half_up(Fraction(theirs) / n), half_up(Fraction(own - theirs) / n))
        return out

    by_question, by_area, total = {}, {}, {}
    for evaluation_id, rows in pairs.items():
        for code, area, own, theirs in rows:
            by_question.setdefault(code, []).append((evaluation_id, own, theirs))
            by_area.setdefault(area, []).append((evaluation_id, own, theirs))
            total.setdefault("total", []).append((evaluation_id, own, theirs))
    return means(by_question), means(by_area), means(total), len(pairs)


def shown(mean):
    return (mean.count, mean.self_sum, mean.evaluators_sum, mean.self_shown, mean.evaluators_shown, mean.gap_shown)


def test_the_benchmark_aggregates_the_published_self_assessments_only(three):
    from kompass.workspace.self_assessment_benchmark import self_assessment_compute

    questions_expected, areas_expected, total_expected, count = expected_benchmark()
    assert count == 2  # Örebro and Stockholm 2026; Göteborg is not published, the demo's evaluations have no self-scores
    result = self_assessment_compute(framework="2010")
    assert result.count == 2 and shown(result.total) == total_expected["total"]
    for number in range(1, 9):
        if number in areas_expected:
            assert shown(result.areas[number]) == areas_expected[number], number
        else:
            assert result.areas[number].count == 0 and result.areas[number].self_shown is None
    assert {code: shown(m) for code, m in result.questions.items() if m.count} == questions_expected
    assert result.areas[7].count == 2 and result.areas[7].pairs == 2 + 5 and result.questions["7.3"].count == 1
    # The means are exact: rounding is for display only.
    m = result.areas[1]
    assert m.self_mean * m.count == m.self_sum and m.gap_mean == (m.self_sum - m.evaluators_sum) / m.count
    # Göteborg's self-scores count as soon as it is published, not before: the filters apply.
    assert self_assessment_compute(framework="2010", country="NO").count == 0


def test_the_benchmark_page_shows_the_aggregate_with_counts_never_a_municipality(three, settings):
    settings.KOMPASS_SELF_ASSESSMENT_MIN_COUNT = 2  # the two published evaluations of the fixture
    _questions, areas_expected, _total, _count = expected_benchmark()
    body = Client().get("/jamforelse/2010/").content.decode()
    section = body[body.index('<section aria-labelledby="self-assessment">') : body.index("</section>", body.index('id="self-assessment"'))]
    assert "Självvärdering jämfört med utvärderarna" in section and "2 publicerade utvärderingar" in section
    n, _own, _theirs, own_mean, theirs_mean, gap_mean = areas_expected[1]
    row = re.search(r'<th scope="row">1\. [^<]*</th>(.*?)</tr>', section, re.DOTALL)[1]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    sign = "+" if gap_mean > 0 else ("−" if gap_mean < 0 else "±")
    assert cells[:4] == [f"{own_mean:.2f}".replace(".", ","), f"{theirs_mean:.2f}".replace(".", ","), f"{sign}{abs(gap_mean):.2f}".replace(".", ","), str(n)]
    for name in ("stockholm", "goteborg", "orebro"):
        assert f"zq{name}comment" not in body
    assert "Stockholm" not in section and "Örebro" not in section and "Vi bedömer" not in body


def test_the_benchmark_page_hides_means_over_fewer_evaluations_than_the_minimum(three):
    _questions, areas_expected, _total, _count = expected_benchmark()
    body = Client().get("/jamforelse/2010/").content.decode()
    section = body[body.index('<section aria-labelledby="self-assessment">') : body.index("</section>", body.index('id="self-assessment"'))]
    assert "färre än 3 utvärderingar visas inte" in section and "Sammanlagt per utvärdering" not in section
    row = re.search(r'<th scope="row">1\. [^<]*</th>(.*?)</tr>', section, re.DOTALL)[1]
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[:4] == ["–", "–", "–", str(areas_expected[1][0])]


def test_the_benchmark_page_has_no_self_assessment_section_without_one(demo):
    body = Client().get("/jamforelse/2010/").content.decode()
    assert "Självvärdering jämfört med utvärderarna" not in body


# --- in Chromium: the save in place, the gap page and the benchmark section, with axe-core -------------

SETUP = """
from decimal import Decimal
from django.contrib.auth import get_user_model
from kompass.catalogue.models import Question
from kompass.evaluations.models import Evaluation
from kompass.workspace import services
U = get_user_model().objects
admin, anna, bo, contact = (U.get(username=n) for n in ("admin", "anna", "bo", "kontakt"))
e = Evaluation.objects.get(pk={pk})
services.share_set(evaluation=e, shared=True, by=admin)
rows = list(Question.objects.filter(area__framework=e.framework).order_by("area__number", "position"))
for i, q in enumerate(rows):
    if q.area.number != 8:
        services.self_assessment_set(evaluation=e, by=contact, question_code=q.code, score=str((q.max_points * ((i * 11 + 5) % 21) / 20).quantize(Decimal("0.01"))), comment="Enligt vår plan." if i % 4 == 0 else "")
for s in ("collecting", "scoring"):
    services.status_set(evaluation=e, status=s, by=admin)
for u in (anna, bo):
    for i, q in enumerate(rows):
        services.independent_score_set(evaluation=e, user=u, question_code=q.code, score=str((q.max_points * ((i * 7) % 21) / 20).quantize(Decimal("0.01"))), justification="Motivering.")
    services.scoring_submit(evaluation=e, user=u)
services.status_set(evaluation=e, status="consensus", by=admin)
services.consensus_accept_unanimous(evaluation=e, by=admin)
for a in e.framework.definition.areas:
    for f in ("general", "changes"):
        services.area_text_set(evaluation=e, by=admin, area_number=a.number, field=f, text="Text.")
import dataclasses
from kompass.workspace import facts
facts.report_facts_set(evaluation=e, by=admin, facts=dataclasses.replace(facts.report_facts_initial(e), month=10))
facts.summary_text_set(evaluation=e, by=admin, text="Sammanfattning.")
services.status_set(evaluation=e, status="published", by=admin)
"""


def test_in_chromium_the_gap_page_and_the_benchmark_section(site, contexts):
    from browsing import axe_violations, login, saved
    from playwright.sync_api import expect

    # The contact saves a self-score in place (htmx) on an evaluation still open.
    open_pk = site.evaluation_new(2017)
    site.django(
        "from kompass.evaluations.models import Evaluation; from kompass.workspace import services; "
        "from django.contrib.auth import get_user_model; "
        f"services.share_set(evaluation=Evaluation.objects.get(pk={open_pk}), shared=True, by=get_user_model().objects.get(username='admin'))"
    )
    page = login(contexts, site, "kontakt")
    page.goto(f"{site.base}/arbete/{open_pk}/forfragan/")
    form = page.locator(f'form[id="s-{CODE}"]')
    fresh = saved(page, form, [(form.get_by_label("Kommunens självskattning (0–15)"), "12,5"), (form.get_by_label("Kommentar till självskattningen"), "Planen antogs 2025.")],
                  button="Spara självskattningen")
    expect(fresh.get_by_label("Kommunens självskattning (0–15)")).to_have_value("12,5")
    form = page.locator('form[id="s-1.2"]')
    form.get_by_label("Kommunens självskattning (0–20)").fill("21")
    form.get_by_role("button", name="Spara självskattningen").click()
    expect(page.locator('form[id="s-1.2"]').get_by_role("alert")).to_contain_text("Poängen kan vara högst 20")
    assert not axe_violations(page)

    # A published evaluation with self-scores: the gap page, from the overview's link.
    pk = site.evaluation_new(2016)
    site.django(SETUP.replace("{pk}", str(pk)))
    page.goto(f"{site.base}/arbete/{pk}/")
    page.get_by_role("link", name="Självvärdering jämfört med utvärderarna").click()
    expect(page.get_by_role("heading", name="Självvärdering jämfört med utvärderarnas poäng")).to_be_visible()
    expect(page.get_by_role("img", name="Självskattning och utvärderarnas poäng per område")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.locator("main").evaluate("m => m.scrollWidth <= m.clientWidth"), "the gap page is wider than the page"
    page.screenshot(path="/tmp/self-assessment-gaps.png", full_page=True)
    found = axe_violations(page)
    assert not found, found

    anonymous = contexts().new_page()
    anonymous.goto(f"{site.base}/jamforelse/2010/")
    section = anonymous.locator('section[aria-labelledby="self-assessment"]')
    expect(section.get_by_role("heading", name="Självvärdering jämfört med utvärderarna")).to_be_visible()
    expect(section).to_contain_text("1 publicerad utvärdering")
    section.locator("summary").click()
    assert section.evaluate("s => s.scrollWidth <= s.clientWidth"), "the section's tables are wider than the page"
    section.screenshot(path="/tmp/self-assessment-benchmark.png")
    found = axe_violations(anonymous)
    assert not found, found
