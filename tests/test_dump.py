"""Export, import-dump into an empty database, export again: identical documents; and a
dump that is bad anywhere saves nothing."""

import copy
import json

import pytest

from kompass.benchmark.models import PublishedReference
from kompass.dump.export import dumps, export_document
from kompass.dump.importing import dump_import
from kompass.dump.reading import DumpError, loads
from kompass.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def _empty_the_database():
    Evaluation.objects.all().delete()
    PublishedReference.objects.all().delete()


def test_round_trip_is_identical(demo):
    first = dumps(export_document())
    _empty_the_database()
    assert Evaluation.objects.count() == 0
    report = dump_import(loads(first))
    assert len(report.created) == 3
    assert dumps(export_document()) == first


def test_round_trip_of_a_norwegian_municipality(demo):
    from kompass.municipalities.services import municipality_add

    municipality_add(country="NO", code="0101", name="Halden kommune")
    document = export_document()
    evaluation = copy.deepcopy(document["evaluations"][1])  # area-level 2012
    evaluation["municipality"] = {"code": "0101", "name": "Halden kommune", "country": "NO"}
    document["evaluations"].insert(0, evaluation)  # the export's order: NO before SE
    document["municipalities"].insert(0, {"code": "0101", "name": "Halden kommune", "country": "NO", "short_name": "", "county": None})
    text = dumps(document)
    _empty_the_database()
    from kompass.municipalities.models import Municipality

    Municipality.objects.filter(country="NO").delete()
    report = dump_import(loads(text))
    assert report.municipalities_created == ["NO 0101"]
    assert dumps(export_document()) == text


def test_export_holds_everything(demo):
    document = export_document()
    assert document["format"] == "kompass-dump" and document["version"] == 1
    assert [m["code"] for m in document["municipalities"]] == ["1880"]
    assert document["benchmark_references"][0]["value"] == "461.00"
    e2015 = document["evaluations"][2]
    assert (e2015["year"], e2015["ordinal"], e2015["interviewees"]) == (2015, 5, 30)
    assert e2015["evaluators"][0] == {"name": "Lars Strid", "organisation": "SKL"}
    assert e2015["areas"][0]["strengths"][0] == {"text": "Teckenspråksinformation", "question": None}
    assert e2015["areas"][1]["good_examples"][0]["question"] == "2.2"
    e2012 = document["evaluations"][1]
    assert e2012["areas"][0]["texts"]["questions"]["1.1"].startswith("I den föregående utvärderingen 2010")


def _bad(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    "path,value,expected",
    [
        (("evaluations", 2, "areas", 7, "questions", 5, "score"), "20.5", "evaluations[2]: delfråga 8.6: poängen kan vara högst 20"),
        (("evaluations", 2, "areas", 0, "questions", 0, "id"), "1.9", "evaluations[2].areas[0].questions[0].id: delfråga '1.9' finns inte"),
        (("evaluations", 2, "areas", 0, "score"), "75.00", "evaluations[2]: område 1: poängen 75 motsäger delfrågornas summa 74,1"),
        (("evaluations", 2, "areas", 0, "rounded"), 75, "evaluations[2].areas[0].rounded: 75 stämmer inte"),
        (("evaluations", 2, "total", "score"), "651.00", "evaluations[2]: totalpoäng: poängen 651 motsäger områdenas summa 649,95"),
        (("evaluations", 2, "year"), 2099, "evaluations[2]: år: 2099 ligger i framtiden"),
        (("evaluations", 2, "framework"), "2011", "evaluations[2].framework: okänd version '2011'"),
        (("evaluations", 2, "municipality", "code"), "9999", "evaluations[2].municipality: okänd kommun SE 9999"),
        (("evaluations", 2, "areas", 0, "questions", 0, "score"), "tio", "evaluations[2].areas[0].questions[0].score: 'tio' är inget tal"),
        (("evaluations", 2, "areas", 0, "colour"), "red", "evaluations[2].areas[0].colour: okänd nyckel"),
        (("evaluations", 2, "visit_start"), "2015-13-01", "evaluations[2].visit_start: '2015-13-01' är inget datum"),
        (("benchmark_references", 0, "value"), "900", "benchmark_references[0].value: poängen kan vara högst 800"),
        (("municipalities", 0, "code"), "188", "municipalities[0].code: '188' är ingen kommunkod"),
        (("format",), "something-else", "format: ska vara 'kompass-dump'"),
    ],
)
def test_a_dump_bad_anywhere_saves_nothing(demo, path, value, expected):
    document = json.loads(dumps(export_document()))
    _empty_the_database()
    with pytest.raises(DumpError) as error:
        dump_import(_bad(document, path, value))
    assert any(p.startswith(expected) for p in error.value.problems), error.value.problems
    assert Evaluation.objects.count() == 0  # not even the valid evaluations before the bad one
    assert PublishedReference.objects.count() == 0


def test_a_duplicate_inside_the_dump_is_refused(demo):
    document = json.loads(dumps(export_document()))
    document["evaluations"].append(copy.deepcopy(document["evaluations"][0]))
    _empty_the_database()
    with pytest.raises(DumpError, match=r"evaluations\[3\]: samma kommun, år och version som evaluations\[0\]"):
        dump_import(document)
    assert Evaluation.objects.count() == 0


def test_importing_into_a_database_that_holds_the_evaluations_is_refused(demo):
    with pytest.raises(DumpError, match="utvärderingen 1880 2015 \\(2010\\) finns redan i databasen"):
        dump_import(export_document())
    assert Evaluation.objects.count() == 3


def test_a_truncated_dump_is_refused_with_line_and_column(demo):
    text = dumps(export_document())
    with pytest.raises(DumpError, match=r"rad \d+, kolumn \d+: ogiltig JSON"):
        loads(text[: len(text) // 2])


def test_the_demo_loads_once(demo):
    from kompass.demo import demo_load

    report = demo_load()
    assert report.created == [] and len(report.skipped) == 3
    assert Evaluation.objects.count() == 3
    assert PublishedReference.objects.count() == 1
