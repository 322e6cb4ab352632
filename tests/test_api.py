"""The open data API: its documented examples, its refusals, and Schemathesis against
its OpenAPI schema (no 5xx, every answer as the schema says)."""

import csv
import io
import json
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from django.core.wsgi import get_wsgi_application

from kompass.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _begins_with(actual, example, where="$"):
    """The example is the answer's beginning: its keys with equal values, its lists a prefix."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        for key, value in example.items():
            assert key in actual, f"{where}.{key} missing"
            _begins_with(actual[key], value, f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list) and len(actual) >= len(example), where
        for index, value in enumerate(example):
            _begins_with(actual[index], value, f"{where}[{index}]")
    else:
        assert actual == example, f"{where}: {actual!r} != {example!r}"


@pytest.mark.django_db(transaction=True, reset_sequences=True)  # the examples show the demo data's ids
def test_every_documented_example_is_what_the_api_answers(demo, client):
    document = client.get("/api/openapi.json").json()
    examples = 0
    for path, operations in document["paths"].items():
        operation = operations["get"]
        url = operation["x-example"]
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        response = client.get(url)
        assert response.status_code == 200, url
        _begins_with(response.json(), example, url)
        examples += 1
    assert examples == len(document["paths"]) >= 4


def test_drafts_never_appear(demo, client):
    draft = Evaluation.objects.get(year=2012)
    Evaluation.objects.filter(pk=draft.pk).update(status="planned")
    assert client.get(f"/api/evaluations/{draft.pk}").status_code == 404
    listed = client.get("/api/evaluations?municipality=1880").json()
    assert [e["year"] for e in listed["results"]] == [2010, 2015]
    benchmark = client.get("/api/benchmark?framework=2010").json()
    assert benchmark["total"]["count"] == 2
    assert "2012" not in client.get("/api/evaluations?municipality=1880&format=csv").content.decode()
    municipality = next(m for m in client.get("/api/municipalities?country=SE").json()["results"] if m["code"] == "1880")
    assert municipality["evaluations"] == 2


def test_benchmark_means_medians_and_counts_computed_independently(demo, client):
    """Each area's statistics over the evaluations that have the area, recomputed here
    from `show --json` of every published evaluation."""
    answer = client.get("/api/benchmark?framework=2010").json()
    documents = [client.get(f"/api/evaluations/{e.pk}").json() for e in Evaluation.objects.filter(status="published")]
    for area in answer["areas"]:
        values = sorted(
            Decimal(a["score"]) for d in documents for a in d["areas"] if a["number"] == area["number"] and a["score"] is not None
        )
        assert area["count"] == len(values)
        if values:
            mean = (sum(values) / len(values)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
            middle = len(values) // 2
            median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
            assert Decimal(area["mean"]) == mean
            assert Decimal(area["median"]) == median.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    totals = [Decimal(d["total"]["score"]) for d in documents if d["total"]["score"] is not None]
    assert answer["total"]["count"] == len(totals) == 3
    question = next(q for q in answer["questions"] if q["id"] == "1.1")
    assert question["count"] == 1 and question["mean"] == "10.50"  # only 2015 has sub-question scores


def test_csv_with_swedish_locale_uses_semicolons_and_decimal_commas(demo, client):
    text = client.get("/api/benchmark?framework=2010&format=csv&locale=sv").content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["level", "id", "title", "mean"]
    assert rows[1][0] == "total" and rows[1][3] == "593,32"
    plain = list(csv.reader(io.StringIO(client.get("/api/benchmark?framework=2010&format=csv").content.decode())))
    assert plain[1][3] == "593.32"


@pytest.mark.parametrize(
    "url, status, parameter",
    [
        ("/api/benchmark", 400, "framework"),
        ("/api/benchmark?framework=1999", 400, "framework"),
        ("/api/benchmark?framework=2010&from_year=2015&to_year=2010", 400, "from_year"),
        ("/api/benchmark?framework=2010&group=ingen-grupp", 400, "group"),
        ("/api/evaluations?municipality=18800", 400, "municipality"),
        ("/api/evaluations?municipality=9999", 404, "municipality"),
        ("/api/evaluations?page=0", 400, "page"),
        ("/api/evaluations?page_size=1000", 400, "page_size"),
        ("/api/evaluations?year=tjugo", 400, "year"),
        ("/api/municipalities?country=FI", 400, "country"),
        ("/api/evaluations/99999999", 404, None),
        ("/api/evaluations/99999999999999999999999", 404, None),
        ("/api/finns-inte", 404, None),
        ("/api/search", 400, "q"),
        ("/api/search?q=dialog%00", 400, "q"),
        ("/api/search?q=dialog&municipality=18%0080", 400, "municipality"),
        ("/api/search?q=%22%22%22", 400, "q"),
        ("/api/search?q=dialog&min_score=hundra", 400, "min_score"),
    ],
)
def test_bad_requests_are_named(demo, client, url, status, parameter):
    response = client.get(url)
    assert response.status_code == status
    body = json.loads(response.content)
    assert body["error"]
    assert body.get("parameter") == parameter


@pytest.fixture
def open_connection():
    """Schemathesis calls the WSGI application directly, whose start and end of request close the
    database connection (and with it the test's transaction on PostgreSQL); Django's own
    test client switches that off in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, derandomize=True)
def test_the_api_keeps_its_schema(case, demo, open_connection):
    """No 5xx and every answer as the schema says. The demo data is read-only here, so
    sharing it between generated requests is safe. A request the schema allows may still
    be refused with 400 when its parameters contradict each other or name an unknown
    group (the answer names the parameter), so that one check is left out."""
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
