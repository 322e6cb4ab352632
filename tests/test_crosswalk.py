"""Crosswalks: an owner declares which areas and sub-questions of two versions correspond;
`kompass compare` across them answers with the pairs, marked as not fully comparable.
Without a crosswalk the refusal stands."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kompass.catalogue.definitions import CatalogueError
from kompass.catalogue.parsing import crosswalk_problems, parse_framework

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"
CROSSWALK = {"to": "2010", "note": "Område 1 och 3 motsvarar varandra i stort.",
             "areas": {"1": [1], "3": [3, 4]}, "questions": {"1.1": ["1.2", "1.3"]}}


@pytest.fixture(autouse=True)
def fresh_catalogue_cache():
    from kompass.catalogue import registry

    registry.clear()
    yield
    registry.clear()


def _version(tmp_path: Path, crosswalks, version="2099") -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["id"] = version
    data["crosswalks"] = crosswalks
    path = tmp_path / f"{version}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_crosswalk_must_refer_to_its_own_areas_and_questions(tmp_path):
    data = yaml.safe_load(_version(tmp_path, [{"to": "2010", "areas": {"9": [1]}, "questions": {"1.9": ["1.1"]}}]).read_text())
    with pytest.raises(CatalogueError) as error:
        parse_framework(data, "x.yaml")
    assert "område 9 finns inte i version 2099" in str(error.value)
    assert "delfråga 1.9 finns inte i version 2099" in str(error.value)


def test_what_a_crosswalk_refers_to_in_the_other_version_must_exist(tmp_path):
    from kompass.catalogue import definitions

    data = yaml.safe_load(_version(tmp_path, [{"to": "2010", "areas": {"1": [9]}, "questions": {"1.1": ["1.7"]}},
                                              {"to": "2077", "areas": {"1": [1]}}]).read_text())
    framework = parse_framework(data, "x.yaml")
    problems = crosswalk_problems(framework, definitions.shipped(), "x.yaml")
    assert len(problems) == 3
    assert "område 1 → 9: version 2010 har inget område 9" in problems[0]
    assert "delfråga 1.1 → 1.7: version 2010 har ingen delfråga 1.7" in problems[1]
    assert "version 2077 finns inte i katalogen; läs in den först" in problems[2]


@pytest.mark.django_db
def test_a_crosswalk_to_a_version_not_loaded_is_refused_and_loads_nothing(run_cli, tmp_path):
    from kompass.catalogue.models import Crosswalk, Framework

    before = (list(Framework.objects.values_list("code", "revision")), Crosswalk.objects.count())
    code, out, err = run_cli("catalogue", "load", _version(tmp_path, [{"to": "2077", "areas": {"1": [1]}}]))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "crosswalks → 2077: version 2077 finns inte i katalogen; läs in den först" in err
    assert (list(Framework.objects.values_list("code", "revision")), Crosswalk.objects.count()) == before


@pytest.mark.django_db
def test_a_crosswalk_is_stored_shown_and_exported(run_cli, tmp_path):
    assert run_cli("catalogue", "load", _version(tmp_path, [CROSSWALK]))[0] == 0
    shown = json.loads(run_cli("catalogue", "show", "2099", "--json")[1])
    assert shown["crosswalks"] == [{"to": "2010", "note": CROSSWALK["note"], "areas": {"1": [1], "3": [3, 4]},
                                    "questions": {"1.1": ["1.2", "1.3"]}}]
    assert "Korsreferens till version 2010 (inte fullt jämförbara)" in run_cli("catalogue", "show", "2099")[1]
    for fmt in ("yaml", "xlsx"):
        path = tmp_path / f"out.{fmt}"
        assert run_cli("catalogue", "export", "2099", "--format", fmt, "--output", path)[0] == 0
        assert run_cli("catalogue", "load", path, "--as", f"2099-{fmt}")[0] == 0
        copy = json.loads(run_cli("catalogue", "show", f"2099-{fmt}", "--json")[1])
        assert copy["crosswalks"] == shown["crosswalks"]


def _evaluate(code: str, year: int, questions: dict[str, int]):
    """A published evaluation of Örebro on version ``code`` with these sub-question scores."""
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality
    from kompass.scoring import Scoresheet

    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code=code),
        facts=services.Facts(year=year, status="published"),
    )
    services.scores_set(evaluation=evaluation, sheet=Scoresheet(questions={k: Decimal(v) for k, v in questions.items()}))
    return evaluation


def _scores_2099() -> dict[str, int]:
    from kompass.catalogue import definitions

    # Every sub-question at two thirds of its maximum, rounded down: known, unequal numbers.
    return {q.id: int(q.max_points * 2 / 3) for q in definitions.get("2099").questions}


@pytest.mark.parametrize("years", [("2015", "2019"), ("2019", "2015")], ids=["declared-by-later", "declared-by-earlier"])
def test_compare_across_a_crosswalk_answers_the_pairs_marked(demo, run_cli, tmp_path, years):
    assert run_cli("catalogue", "load", _version(tmp_path, [CROSSWALK]))[0] == 0
    _evaluate("2099", 2019, _scores_2099())
    shown = {y: json.loads(run_cli("show", "1880", y, "--json")[1]) for y in ("2015", "2019")}

    def area(year, number):
        return next(a for a in shown[year]["areas"] if a["number"] == number)["score"]

    def question(year, qid):
        return next(q for a in shown[year]["areas"] for q in a["questions"] if q["id"] == qid)["score"]

    earlier, later = years
    code, out, err = run_cli("compare", "1880", earlier, later, "--json")
    assert code == 0, err
    document = json.loads(out)
    assert (document["comparable"], document["crosswalk"], document["mark"]) == (False, True, "inte fullt jämförbara")
    assert document["declared_by"] == "2099"
    pairs = [(p["kind"], p["earlier"]["id"], p["later"]["id"]) for p in document["pairs"]]
    forward = [("area", "1", "1"), ("area", "3", "3"), ("area", "3", "4"), ("question", "1.1", "1.2"), ("question", "1.1", "1.3")]
    expected = forward if earlier == "2019" else [(k, b, a) for k, a, b in forward]
    assert sorted(pairs) == sorted(expected)
    for pair in document["pairs"]:
        lookup = area if pair["kind"] == "area" else question
        key = int if pair["kind"] == "area" else str
        a, b = lookup(earlier, key(pair["earlier"]["id"])), lookup(later, key(pair["later"]["id"]))
        assert (pair["earlier"]["score"], pair["later"]["score"]) == (a, b)
        assert pair["difference"] == (None if a is None or b is None else str(Decimal(b) - Decimal(a)))
    assert document["total"] == {"earlier": shown[earlier]["total"]["score"], "later": shown[later]["total"]["score"]}

    code, text, _err = run_cli("compare", "1880", earlier, later)
    assert "inte fullt jämförbara" in text and "Samhällsutveckling" not in text  # area 2 has no pair


def test_without_a_crosswalk_the_refusal_across_versions_stands(demo, run_cli, tmp_path):
    assert run_cli("catalogue", "load", _version(tmp_path, []))[0] == 0
    _evaluate("2099", 2019, _scores_2099())
    code, out, err = run_cli("compare", "1880", "2015", "2019", "--json")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "version 2010 och version 2099 har olika poängskalor" in err


def test_a_crosswalk_between_other_versions_does_not_open_this_comparison(demo, run_cli, tmp_path):
    assert run_cli("catalogue", "load", _version(tmp_path, [{"to": "2020", "areas": {"1": [1]}}]))[0] == 0
    _evaluate("2099", 2019, _scores_2099())
    code, _out, err = run_cli("compare", "1880", "2015", "2019")
    assert code == 1 and "har olika poängskalor" in err


def test_the_municipality_page_shows_the_pairs_marked_where_a_crosswalk_exists(demo, run_cli, tmp_path, client):
    from django.urls import reverse

    assert run_cli("catalogue", "load", _version(tmp_path, [CROSSWALK]))[0] == 0
    _evaluate("2099", 2019, _scores_2099())
    page = client.get(reverse("web:municipality", args=["se", "1880"])).content.decode()
    assert "version 2010 ↔ 2099: motsvarande områden (inte fullt jämförbara)" in page
    assert "4 ↔ 3. Styrning och kontroll" in page  # a pair: area 4 of 2010 to area 3 of 2099


def test_the_municipality_page_has_no_such_chart_without_a_crosswalk(demo, run_cli, tmp_path, client):
    from django.urls import reverse

    assert run_cli("catalogue", "load", _version(tmp_path, []))[0] == 0
    _evaluate("2099", 2019, _scores_2099())
    page = client.get(reverse("web:municipality", args=["se", "1880"])).content.decode()
    assert "Utvärderingar enligt version 2099" in page
    assert "motsvarande områden" not in page
