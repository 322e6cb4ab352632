"""Ids no database column can hold answer 404 or a named refusal, never 500 (issue 13,
finding 8): an id of 19 digits or more overflowed SQLite's integers and PostgreSQL's
bigint."""

from __future__ import annotations

import pytest
from django.test import Client

HUGE = "9" * 23

PUBLIC = [
    f"/utvardering/{HUGE}/",
    f"/utvardering/{HUGE}/rapport.pdf",
    f"/utvardering/1/revision/{HUGE}/",
    f"/api/evaluations/{HUGE}",
]
SIGNED_IN = [
    f"/arbete/{HUGE}/",
    f"/arbete/{HUGE}/poang/",
    f"/arbete/1/underlag/{HUGE}/fil",
    f"/arbete/handlingsplan/SE/1880/atgard/{HUGE}/",
    f"/arbete/handlingsplan/SE/1880/forbattringsomrade/{HUGE}/ny/",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_addresses(demo, path):
    assert Client().get(path).status_code in (400, 404)


def test_compare_ignores_them(demo):
    response = Client().get(f"/jamfor/?id={HUGE}&id={HUGE}")
    assert response.status_code == 200 and "Välj två till fyra" in response.content.decode()


@pytest.mark.parametrize("path", SIGNED_IN)
def test_workspace_addresses(team, path):
    client = Client()
    client.force_login(team.admin)
    assert client.get(path).status_code in (400, 404)
    assert client.post(path, {"title": "x"}).status_code in (400, 404, 405)
