import json
from decimal import Decimal

import pytest

from kompass.comparison import NotComparable

pytestmark = pytest.mark.django_db


def test_deltas_2012_to_2015_per_area(demo, run_cli):
    code, out, err = run_cli("compare", "1880", "2012", "2015", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert [a["rounded"] for a in document["areas"]] == [6, 5, 3, 6, 2, 7, 3, 3]
    assert document["total"]["rounded"] == 35


def test_deltas_keep_unknown_areas_unknown(demo, run_cli):
    code, out, _err = run_cli("compare", "1880", "2010", "2012", "--json")
    document = json.loads(out)
    areas = {a["number"]: a for a in document["areas"]}
    assert areas[1]["delta"] is None and areas[1]["rounded"] is None
    assert areas[3]["rounded"] == 20  # 66 -> 86
    assert document["total"]["rounded"] == 100  # 515 -> 615


def _evaluation_on_2002_scale():
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality
    from kompass.scoring import Scoresheet

    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(code="1880"),
        framework=Framework.objects.get(code="2002"),
        facts=services.Facts(year=2008, status="published"),
    )
    services.scores_set(evaluation=evaluation, sheet=Scoresheet(total=Decimal(480)))
    return evaluation


def test_delta_across_versions_is_refused_with_the_reason(demo, run_cli):
    _evaluation_on_2002_scale()
    code, out, err = run_cli("compare", "1880", "2008:2002", "2010:2010")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "version 2002 och version 2010 har olika poängskalor" in err


def test_the_domain_refuses_too(demo):
    from kompass.evaluations.models import Evaluation
    from kompass.evaluations.selectors import evaluation_comparison

    old = _evaluation_on_2002_scale()
    with pytest.raises(NotComparable):
        evaluation_comparison(old, Evaluation.objects.get(year=2010, framework__code="2010"))


def test_benchmark_references_computed_with_count_and_published_with_source(demo, run_cli):
    from decimal import ROUND_HALF_UP

    from kompass.benchmark.selectors import benchmark_compute, published_references

    # Independently: the unweighted mean of what `show --json` prints, over those that have it.
    shown = [json.loads(run_cli("show", "1880", year, "--json")[1]) for year in (2010, 2012, 2015)]
    totals = [Decimal(d["total"]["score"]) for d in shown]
    area_1 = [Decimal(d["areas"][0]["score"]) for d in shown if d["areas"][0]["score"] is not None]
    cent = Decimal("0.01")

    benchmark = benchmark_compute(framework="2010")
    assert benchmark.total.count == 3
    assert benchmark.total.value == (sum(totals) / 3).quantize(cent, ROUND_HALF_UP) == Decimal("593.32")
    assert benchmark.areas[1].count == len(area_1) == 2  # 2010 has no score for area 1
    assert benchmark.areas[1].value == (sum(area_1) / 2).quantize(cent, ROUND_HALF_UP)
    assert benchmark_compute(framework="2010", from_year=2012).total.count == 2
    [reference] = published_references(framework="2010")
    assert (reference.value, reference.area, reference.from_year) == (Decimal(461), None, 2010)
    assert "Örebro kommun 2015" in reference.source


def test_drafts_do_not_count_in_benchmarks(demo):
    from kompass.benchmark.selectors import benchmark_compute
    from kompass.evaluations.models import Evaluation

    Evaluation.objects.filter(year=2010).update(status="planned")
    assert benchmark_compute(framework="2010").total.count == 2
