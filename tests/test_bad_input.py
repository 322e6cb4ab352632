"""Each bad input gets a message naming what and where, and changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kompass.catalogue.models import Framework
from kompass.evaluations import services
from kompass.dump.export import dumps, export_document
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality
from kompass.scoring import Scoresheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(demo):
    """The whole database as a dump: compared before and after a refused write."""
    return lambda: dumps(export_document())


def _orebro_2015():
    return Evaluation.objects.get(municipality__code="1880", year=2015)


def _sheet_with(**changes):
    from kompass.evaluations.selectors import evaluation_scoresheet

    sheet = evaluation_scoresheet(_orebro_2015())
    questions = {**sheet.questions, **changes.get("questions", {})}
    areas = {**sheet.areas, **changes.get("areas", {})}
    return Scoresheet(questions, areas, changes.get("total", sheet.total))


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"questions": {"1.1": Decimal("15.5")}}, "delfråga 1.1: poängen kan vara högst 15"),
        ({"questions": {"4.3": Decimal("-1")}}, "delfråga 4.3: poängen kan inte vara lägre än 0"),
        ({"questions": {"1.9": Decimal("1")}}, "delfråga 1.9: finns inte i version 2010"),
        ({"areas": {1: Decimal("75")}}, "område 1: poängen 75 motsäger delfrågornas summa 74,1"),
        ({"total": Decimal("651")}, "totalpoäng: poängen 651 motsäger områdenas summa 649,95"),
    ],
)
def test_refused_scores_change_nothing(snapshot, changes, expected):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.scores_set(evaluation=_orebro_2015(), sheet=_sheet_with(**changes))
    assert any("Örebro kommun 2015 (version 2010): " + expected in m for m in error.value.messages), error.value.messages
    assert snapshot() == before


def test_a_score_with_three_decimals_is_refused(snapshot):
    before = snapshot()
    with pytest.raises(ValidationError, match="högst två decimaler"):
        services.scores_set(evaluation=_orebro_2015(), sheet=_sheet_with(questions={"1.1": Decimal("10.505")}))
    assert snapshot() == before


def test_a_consistent_change_is_saved_and_derived_totals_follow(demo):
    evaluation = _orebro_2015()
    result = services.scores_set(evaluation=evaluation, sheet=_sheet_with(questions={"1.1": Decimal("11.40")}))
    assert result.area(1).score.score == Decimal("75.00")
    assert result.total.score == Decimal("650.85")
    evaluation.refresh_from_db()
    assert evaluation.total_score is None  # derived, so not stored
    assert not evaluation.area_assessments.filter(score__isnull=False).exists()


def test_recorded_area_score_equal_to_the_derived_one_is_not_stored_twice(demo):
    evaluation = _orebro_2015()
    services.scores_set(evaluation=evaluation, sheet=_sheet_with(areas={1: Decimal("74.10")}, total=Decimal("649.95")))
    evaluation.refresh_from_db()
    assert evaluation.total_score is None
    assert not evaluation.area_assessments.filter(score__isnull=False).exists()


def _facts(**overrides):
    return services.Facts(**{"year": 2014, **overrides})


def test_a_year_in_the_future_is_refused(demo):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError, match=f"år: {next_year} ligger i framtiden"):
        services.evaluation_create(
            municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code="2010"),
            facts=_facts(year=next_year),
        )
    assert Evaluation.objects.count() == 3


def test_a_second_evaluation_for_the_same_municipality_year_and_version_is_refused(demo):
    with pytest.raises(ValidationError, match="Örebro kommun har redan en utvärdering 2015 enligt version 2010"):
        services.evaluation_create(
            municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code="2010"),
            facts=_facts(year=2015),
        )
    assert Evaluation.objects.count() == 3


def test_the_same_year_on_another_version_is_allowed(demo):
    services.evaluation_create(
        municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code="2016"), facts=_facts(year=2015)
    )
    assert Evaluation.objects.filter(municipality__code="1880", year=2015).count() == 2


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({"month": 13}, "månad: 13 ska vara 1–12"),
        ({"ordinal": 0}, "ordningsnummer: 0 är inget giltigt antal"),
        ({"sources": ("intervjuer",)}, "källor: okänd källa intervjuer"),
        ({"status": "klar"}, "status: okänd status 'klar'"),
        ({"year": 1990}, "år: 1990 är före 1995"),
    ],
)
def test_bad_facts_are_named(demo, overrides, expected):
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(
            municipality=Municipality.objects.get(code="0114"), framework=Framework.objects.get(code="2010"), facts=_facts(**overrides)
        )
    assert any(m.startswith(expected) for m in error.value.messages), error.value.messages
    assert not Evaluation.objects.filter(municipality__code="0114").exists()


def test_unknown_municipality_code(demo, run_cli):
    code, out, err = run_cli("show", "9999", "2015")
    assert (code, out) == (1, "")
    assert err == "kompass: Okänd kommunkod 9999\n"


def test_unknown_evaluation(demo, run_cli):
    code, _out, err = run_cli("show", "1880", "2011")
    assert code == 1
    assert err == "kompass: Örebro kommun har ingen utvärdering 2011\n"


def test_finding_with_a_question_of_another_area_is_refused(demo):
    with pytest.raises(ValidationError, match="delfråga 2.1 finns inte i område 1"):
        services.findings_set(evaluation=_orebro_2015(), area_number=1, kind="strength", items=[("Text", "2.1")])
    assert _orebro_2015().findings.filter(area__number=1, kind="strength").count() == 9


def test_municipality_codes_keep_their_zero_and_nordic_ones_can_be_added(db):
    from kompass.municipalities.services import municipality_add

    assert Municipality.objects.get(code="0114").name == "Upplands Väsby kommun"
    assert Municipality.objects.filter(country="SE").count() == 290
    from kompass.municipalities.models import County

    assert County.objects.filter(country="SE").count() == 21
    oslo = municipality_add(country="NO", code="0101", name="Halden kommune")
    assert oslo.code == "0101"
    with pytest.raises(ValidationError, match="fyra siffror"):
        municipality_add(country="DK", code="101", name="København")
    with pytest.raises(ValidationError, match="land"):
        municipality_add(country="FI", code="0091", name="Helsinki")
    assert not Municipality.objects.filter(name__in=["København", "Helsinki"]).exists()
