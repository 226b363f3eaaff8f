"""Working days over the 2026 statutory holidays and their 调休 make-up days, admin overrides,
years without data, and the audited, hooked schedule changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEvent
from gongkai.workdays import actions, calendar, hooks
from gongkai.workdays.actions import DaySpec

pytestmark = pytest.mark.django_db


def test_national_day_2026_is_skipped_and_make_up_saturday_counts():
    result = calendar.add_workdays(date(2026, 9, 30), 3)
    # 10-01..10-07 off (10-03/04 weekend inside the holiday); 10-08, 10-09 work; 10-10 (Sat) is
    # the 调休 make-up day.
    assert result.due == date(2026, 10, 10)
    skipped = [s.day for s in result.steps if not s.counted]
    assert skipped == [date(2026, 10, d) for d in range(1, 8)]
    assert "调休上班：国庆节" in result.steps[-1].reason
    assert result.warnings == []


def test_make_up_sunday_before_national_day_counts():
    # 2026-09-20 is a Sunday worked in lieu of the National Day holiday.
    assert calendar.add_workdays(date(2026, 9, 19), 1).due == date(2026, 9, 20)


def test_spring_festival_2026():
    # Off 02-15 (Sun) .. 02-23 (Mon); 02-14 (Sat) and 02-28 (Sat) are worked.
    assert calendar.add_workdays(date(2026, 2, 13), 1).due == date(2026, 2, 14)
    result = calendar.add_workdays(date(2026, 2, 14), 1)
    assert result.due == date(2026, 2, 24)
    assert all("春节" in s.reason for s in result.steps[:-1])
    assert calendar.add_workdays(date(2026, 2, 27), 1).due == date(2026, 2, 28)


def test_ordinary_weekend_and_zero_days():
    assert calendar.add_workdays(date(2026, 11, 20), 1).due == date(2026, 11, 23)
    assert calendar.add_workdays(date(2026, 11, 20), 0).due == date(2026, 11, 20)
    with pytest.raises(ValueError):
        calendar.add_workdays(date(2026, 11, 20), -1)


def test_year_without_data_counts_weekends_only_with_a_warning():
    result = calendar.add_workdays(date(2026, 12, 30), 5)
    assert result.due == date(2027, 1, 6)
    assert result.warnings and "2027年" in result.warnings[0]
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE


def test_admin_schedule_overrides_the_package_and_is_audited(world):
    changed: list[set[int]] = []
    callback = hooks.on_schedule_changed(changed.append)
    try:
        actions.schedule_load(actor=world.admin, year=2027, days=[
            DaySpec(date(2027, 1, 1), "holiday", "元旦"),
        ], note="国务院办公厅通知")
    finally:
        hooks.remove(callback)
    assert changed == [{2027}]
    result = calendar.add_workdays(date(2026, 12, 30), 5)
    assert result.due == date(2027, 1, 7)
    assert result.warnings == []
    event = AuditEvent.objects.get(action="workdays.load")
    assert event.new == {"2027-01-01": "holiday:元旦"} and event.reason == "国务院办公厅通知"
    # An override of a year the package knows replaces the package's data entirely.
    actions.schedule_load(actor=world.admin, year=2026, days=[])
    assert calendar.add_workdays(date(2026, 9, 30), 1).due == date(2026, 10, 1)
    actions.schedule_clear(actor=world.admin, year=2026)
    assert calendar.add_workdays(date(2026, 9, 30), 1).due == date(2026, 10, 8)


def test_only_county_administrators_edit_the_calendar(world):
    for persona in (world.officer, world.leader, world.member):
        with pytest.raises(PermissionDenied):
            actions.schedule_load(actor=persona, year=2027, days=[])
    assert not AuditEvent.objects.filter(action="workdays.load").exists()


@pytest.mark.parametrize("spec", [
    DaySpec(date(2028, 1, 1), "holiday", "元旦"),       # wrong year
    DaySpec(date(2027, 1, 4), "workday", "元旦"),       # a Monday is a working day anyway
    DaySpec(date(2027, 1, 2), "nap", ""),
])
def test_bad_days_are_refused_and_nothing_changes(world, spec):
    with pytest.raises(ValidationError):
        actions.schedule_load(actor=world.admin, year=2027, days=[spec])
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE


def test_cli_add_explain_and_load(tmp_path, capsys):
    call_command("workdays", "add", "2026-09-30", "3")
    assert capsys.readouterr().out.strip() == "2026-10-10"
    call_command("workdays", "explain", "2026-09-30", "3")
    out = capsys.readouterr().out
    assert "2026-10-01 跳过（法定节假日：国庆节）" in out and "截止日：2026-10-10" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未录入"):
        call_command("workdays", "load", str(bad), "--year", "2027")
    assert "第 3 行" in capsys.readouterr().err
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    good = tmp_path / "2027.csv"
    good.write_text("日期,类型,节日\n2027-01-01,放假,元旦\n2027-02-20,调休上班,春节\n", encoding="gbk")
    call_command("workdays", "load", str(good), "--year", "2027")
    assert calendar.add_workdays(date(2027, 2, 19), 1).due == date(2027, 2, 20)
    with pytest.raises(CommandError):
        call_command("workdays", "add", "2026-02-30", "3")
    with pytest.raises(CommandError):
        call_command("workdays", "add", "2026-02-03", "-1")


def test_api_workdays_add(world, client):
    client.force_login(world.member)
    response = client.get("/api/v1/workdays/add", {"date": "2026-09-30", "n": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-10-10" and body["warnings"] == []
    assert body["steps"][0] == {"date": "2026-10-01", "counted": False, "reason": "法定节假日：国庆节"}
    assert client.get("/api/v1/workdays/add", {"date": "2026-09-30", "n": -2}).status_code == 422
    assert client.get("/api/v1/workdays/add", {"date": "nope", "n": 1}).status_code == 422
