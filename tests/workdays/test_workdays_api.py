"""GET /api/v1/workdays/add and /workdays/years/{year}; every response is also checked against
the OpenAPI document by the root conftest."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.workdays import actions
from gongkai.workdays.actions import DaySpec

pytestmark = pytest.mark.django_db


def test_add_over_national_day(world, client):
    client.force_login(world.member)
    response = client.get("/api/v1/workdays/add", {"date": "2026-09-30", "n": 3})
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["n"], body["due"], body["warnings"]) == ("2026-09-30", 3, "2026-10-10", [])
    assert body["steps"][0] == {"date": "2026-10-01", "counted": False, "kind": "holiday",
                                "reason": "法定节假日：国庆节"}
    assert body["steps"][-1] == {"date": "2026-10-10", "counted": True, "kind": "makeup",
                                 "reason": "调休上班：国庆节"}
    assert body["explanation"][-1] == "截止日：2026-10-10"


def test_add_into_a_year_without_data_carries_the_warning(world, client):
    client.force_login(world.officer)
    body = client.get("/api/v1/workdays/add", {"date": "2026-12-30", "n": 5}).json()
    assert body["due"] == "2027-01-06"
    assert body["warnings"] == ["2027年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确"]


@pytest.mark.parametrize("params", [
    {"date": "2026-09-30", "n": -2}, {"date": "2026-09-30", "n": 3651}, {"date": "nope", "n": 1},
    {"date": "2026-02-30", "n": 1}, {"date": "9999-12-31", "n": 5}, {"n": 1}, {"date": "2026-09-30"},
])
def test_bad_input_is_a_chinese_422(world, client, params):
    client.force_login(world.member)
    response = client.get("/api/v1/workdays/add", params)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("请求参数不正确")


def test_a_token_or_session_is_required(client):
    assert client.get("/api/v1/workdays/add", {"date": "2026-09-30", "n": 3}).status_code == 401


def test_year_shows_source_and_days(world, client):
    client.force_login(world.member)
    body = client.get("/api/v1/workdays/years/2026").json()
    assert body["source"] == "package" and body["warning"] == "" and body["loaded_at"] is None
    assert {"date": "2026-09-20", "kind": "workday", "name": "国庆节"} in body["days"]
    body = client.get("/api/v1/workdays/years/2027").json()
    assert (body["source"], body["days"]) == ("weekends_only", [])
    assert body["warning"].startswith("2027年的法定节假日安排尚未录入")
    actions.schedule_load(actor=world.admin, year=2027, note="通知",
                          days=[DaySpec(date(2027, 1, 1), "holiday", "元旦")])
    body = client.get("/api/v1/workdays/years/2027").json()
    assert (body["source"], body["note"], body["warning"]) == ("admin", "通知", "")
    assert body["days"] == [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]
    assert client.get("/api/v1/workdays/years/99999").status_code == 422
