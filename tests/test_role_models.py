"""Role models: computed from other published evaluations of the same version."""

from decimal import Decimal

import pytest

from kompass.benchmark.role_models import RoleModelFinder, role_model_sentence
from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation, Finding
from kompass.municipalities.models import Municipality
from kompass.scoring import Scoresheet

pytestmark = pytest.mark.django_db


def _evaluation(code, year, *, version="2010", status="published", areas=None, questions=None):
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(code=code),
        framework=Framework.objects.get(code=version),
        facts=services.Facts(year=year, status=status),
    )
    services.scores_set(evaluation=evaluation, sheet=Scoresheet(questions=questions or {}, areas=areas or {}))
    return evaluation


@pytest.fixture
def orebro(demo):
    return Evaluation.objects.get(municipality__code="1880", year=2015)


def _improvement(evaluation, area=1):
    return Finding.objects.filter(evaluation=evaluation, area__number=area, kind="improvement").first()


def test_up_to_three_municipalities_scoring_higher_on_the_area(orebro):
    _evaluation("2080", 2013, areas={1: Decimal("80")})  # Falun
    _evaluation("0180", 2014, areas={1: Decimal("90")})  # Stockholm
    _evaluation("1480", 2012, areas={1: Decimal("76")})  # Göteborg
    _evaluation("1280", 2014, areas={1: Decimal("78")})  # Malmö
    _evaluation("0380", 2014, areas={1: Decimal("74")})  # Uppsala: lower than Örebro's 74.10
    models = RoleModelFinder(orebro).for_finding(_improvement(orebro))
    assert [(m.municipality, m.rounded) for m in models] == [
        ("Stockholms kommun", 90), ("Faluns kommun", 80), ("Malmö kommun", 78),
    ]
    assert models[0].scope == "område 1"
    assert role_model_sentence(models) == (
        "Förebilder (område 1): Stockholms kommun 2014 (90 poäng), Faluns kommun 2013 (80 poäng), Malmö kommun 2014 (78 poäng)"
    )


def test_drafts_other_versions_and_earlier_evaluations_do_not_count(orebro):
    _evaluation("0180", 2014, status="planned", areas={1: Decimal("95")})
    _evaluation("2080", 2016, version="2016", areas={1: Decimal("95")})
    _evaluation("1480", 2011, areas={1: Decimal("99")})
    _evaluation("1480", 2014, areas={1: Decimal("70")})  # Göteborg's latest is lower
    assert RoleModelFinder(orebro).for_finding(_improvement(orebro)) == []


def test_the_matching_sub_question_is_compared_where_the_finding_names_one(orebro):
    from kompass.catalogue.models import Question

    finding = _improvement(orebro)
    finding.question = Question.objects.get(area__framework__code="2010", code="1.4")  # Örebro: 19.50 of 30
    finding.save()
    _evaluation("0180", 2014, questions={"1.4": Decimal("25")}, areas={1: Decimal("60")})
    _evaluation("1480", 2014, areas={1: Decimal("99")})  # no sub-question scores: not comparable on 1.4
    _evaluation("1280", 2014, questions={"1.4": Decimal("19")})
    models = RoleModelFinder(orebro).for_finding(finding)
    assert [(m.municipality, m.rounded, m.scope) for m in models] == [("Stockholms kommun", 25, "delfråga 1.4")]


def test_role_models_appear_beside_the_improvement_in_the_report(orebro):
    from kompass.reports.context import report_context

    _evaluation("0180", 2014, areas={1: Decimal("90")})
    chapter = report_context(orebro).chapters[0]
    assert chapter.improvements[0].role_models[0].municipality == "Stockholms kommun"
    assert chapter.improvements[0].text == "Tillgång till handlingar på hemsidan"


def test_role_models_link_from_the_evaluation_page(orebro, client):
    other = _evaluation("0180", 2014, areas={1: Decimal("90")})
    page = client.get(f"/utvardering/{orebro.pk}/").content.decode()
    assert f'<a href="/utvardering/{other.pk}/">Stockholms kommun 2014</a> (90 poäng, område 1)' in page
