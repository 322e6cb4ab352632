"""Exports cannot carry formulas (issue 13, finding 4): text that anyone typed — an
action's title, a municipality's name from a result table — reaches a spreadsheet as
text, never as a formula it would calculate."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kompass.spreadsheets import csv_text

ATTACK = '=HYPERLINK("http://127.0.0.1:9/x","klicka")'
EDITOR = "/arbete/handlingsplan/SE/1880/"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value):
    assert csv_text(value) == "'" + value


@pytest.mark.parametrize("value", ["Kansliet", "1. Offentlighet", "", "a=b", "N00945"])
def test_other_text_is_untouched(value):
    assert csv_text(value) == value


@pytest.fixture
def attacked_plan(team):
    from kompass.actions import services
    from kompass.actions.selectors import plan_get
    from kompass.municipalities.models import Municipality

    improvement = plan_get(Municipality.objects.get(country="SE", code="1880")).improvements[0]
    return services.action_add(improvement_id=improvement.pk, title=ATTACK, owner="+46 19 21 10 00", description="@SUM(1)")


def test_plan_csv_neutralises_typed_text(team, attacked_plan):
    client = Client()
    client.force_login(team.admin)
    for query, delimiter in (("?locale=sv", ";"), ("", ",")):
        response = client.get(EDITOR + "plan.csv" + query)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=delimiter))
        row = next(r for r in rows if ATTACK in "".join(r))
        assert row[2] == "'" + ATTACK and row[3] == "'@SUM(1)" and row[4] == "'+46 19 21 10 00"
        assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_plan_xlsx_writes_text_cells(team, attacked_plan):
    client = Client()
    client.force_login(team.admin)
    book = load_workbook(io.BytesIO(client.get(EDITOR + "plan.xlsx").content))
    cells = [c for row in book["Åtgärder"].iter_rows() for c in row if c.value == ATTACK]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_api_csv_neutralises_names(db):
    from kompass.municipalities.services import municipality_add

    municipality_add(country="NO", code="9999", name=ATTACK)
    response = Client().get("/api/municipalities?country=NO&format=csv&locale=sv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
    assert any("'" + ATTACK in row for row in rows)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
