"""Changing a year's schedule: only calendar administrators (county administrators, via the
hook the orgs app registers), all or nothing, audited, and followed inside the same transaction
by the registered recompute hooks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.workdays import actions, calendar, hooks
from gongkai.workdays.actions import DaySpec
from gongkai.workdays.models import ScheduleDay, YearSchedule

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = [DaySpec(date(2027, 1, 1), "holiday", "元旦"),
                 DaySpec(date(2027, 2, 20), "workday", "春节")]


@pytest.fixture
def changed() -> Iterator[list[set[int]]]:
    seen: list[set[int]] = []
    callback = hooks.on_schedule_changed(seen.append)
    yield seen
    hooks.remove(callback)


def test_admin_schedule_overrides_weekends_only_and_is_audited(world, changed):
    actions.schedule_load(actor=world.admin, year=2027, days=NEW_YEAR_2027, note="国办发明电〔2026〕")
    assert changed == [{2027}]
    result = calendar.add_workdays(date(2026, 12, 30), 5)
    assert result.due == date(2027, 1, 7)
    assert result.warnings == []
    assert "2027-01-01 跳过（法定节假日：元旦）" in result.explanation()
    assert calendar.add_workdays(date(2027, 2, 19), 1).due == date(2027, 2, 20)
    event = AuditEvent.objects.get(action="workdays.load")
    assert event.actor == world.admin and event.reason == "国办发明电〔2026〕"
    assert event.old == {"source": "weekends_only", "days": {}}
    assert event.new == {"source": "admin", "days": {"2027-01-01": "holiday:元旦",
                                                      "2027-02-20": "workday:春节"}}
    assert YearSchedule.objects.get(year=2027).loaded_by == world.admin.username


def test_admin_schedule_beats_the_package(world):
    # An administrator's 2026 without the National Day holiday: 10-01 becomes an ordinary Thursday.
    actions.schedule_load(actor=world.admin, year=2026, days=[DaySpec(date(2026, 1, 1), "holiday", "元旦")])
    assert calendar.year_data(2026).source == calendar.SOURCE_ADMIN
    assert calendar.add_workdays(date(2026, 9, 30), 1).due == date(2026, 10, 1)
    assert not calendar.is_workday(date(2026, 9, 20))
    actions.schedule_clear(actor=world.admin, year=2026, reason="录错了")
    assert calendar.add_workdays(date(2026, 9, 30), 1).due == date(2026, 10, 8)
    cleared = AuditEvent.objects.get(action="workdays.clear")
    assert cleared.new["source"] == "package" and "2026-10-01" in cleared.new["days"]


def test_editing_one_day_of_a_package_year_keeps_the_other_days(world, changed):
    # Say the State Council adds 2026-12-31 as a day off: the rest of 2026 must stay as it was.
    actions.schedule_day_set(actor=world.admin, day=date(2026, 12, 31), kind="holiday", name="元旦",
                             reason="补充通知")
    assert changed == [{2026}]
    data = calendar.year_data(2026)
    assert data.source == calendar.SOURCE_ADMIN
    assert data.exceptions[date(2026, 10, 10)] == (True, "国庆节")
    assert data.exceptions[date(2026, 12, 31)] == (False, "元旦")
    assert YearSchedule.objects.get(year=2026).source == actions.SOURCE_COPIED
    event = AuditEvent.objects.get(action="workdays.day_set")
    assert event.old == {"source": "package", "days": {}}
    assert event.new == {"source": "admin", "days": {"2026-12-31": "holiday:元旦"}}
    # Removing the make-up Saturday: 10-10 is an ordinary Saturday again.
    actions.schedule_day_remove(actor=world.admin, day=date(2026, 10, 10), reason="更正")
    assert calendar.add_workdays(date(2026, 10, 9), 1).due == date(2026, 10, 12)
    removed = AuditEvent.objects.get(action="workdays.day_remove")
    assert removed.old["days"] == {"2026-10-10": "workday:国庆节"}
    assert changed == [{2026}, {2026}]
    assert verify().ok


def test_setting_a_day_again_changes_it_in_place(world):
    actions.schedule_day_set(actor=world.admin, day=date(2027, 1, 1), kind="holiday", name="")
    actions.schedule_day_set(actor=world.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    assert ScheduleDay.objects.filter(date=date(2027, 1, 1)).count() == 1
    assert calendar.year_data(2027).exceptions == {date(2027, 1, 1): (False, "元旦")}
    # A year the package does not know starts empty, not copied.
    assert YearSchedule.objects.get(year=2027).source == ""


@pytest.mark.parametrize("persona", ["officer", "leader", "reviewer", "supervisor", "member", "outsider"])
def test_only_calendar_administrators_change_the_calendar(world, changed, persona):
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        actions.schedule_load(actor=user, year=2027, days=NEW_YEAR_2027)
    with pytest.raises(PermissionDenied):
        actions.schedule_day_set(actor=user, day=date(2026, 12, 31), kind="holiday")
    with pytest.raises(PermissionDenied):
        actions.schedule_day_remove(actor=user, day=date(2026, 10, 1))
    actions.schedule_load(actor=world.admin, year=2028, days=[])
    with pytest.raises(PermissionDenied):
        actions.schedule_clear(actor=user, year=2028)
    assert calendar.year_data(2026).source == calendar.SOURCE_PACKAGE
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    assert calendar.year_data(2028).source == calendar.SOURCE_ADMIN
    assert AuditEvent.objects.filter(action__startswith="workdays.").count() == 1
    assert changed == [{2028}]


def test_superuser_and_console_may(world):
    actions.schedule_load(actor=world.superuser, year=2027, days=[])
    actions.schedule_load(actor=None, year=2028, days=[])
    assert AuditEvent.objects.get(action="workdays.load", object_id="2028").actor_name == "system"


@pytest.mark.parametrize(("days", "message"), [
    ([DaySpec(date(2028, 1, 1), "holiday", "元旦")], "不在 2027 年内"),
    ([DaySpec(date(2027, 1, 4), "workday", "元旦")], "本来就上班"),
    ([DaySpec(date(2027, 1, 2), "nap", "")], "类型须为"),
    ([DaySpec(date(2027, 1, 1), "holiday", "元旦"), DaySpec(date(2027, 1, 1), "holiday", "")], "重复"),
    ([DaySpec(date(2027, 1, 1), "holiday", "节" * 65)], "不能超过 64"),
    ([DaySpec(date(2027, 1, 1), "holiday", "元\x00旦")], "控制字符"),
])
def test_bad_days_are_refused_and_nothing_changes(world, changed, days, message):
    with pytest.raises(ValidationError) as error:
        actions.schedule_load(actor=world.admin, year=2027, days=[*NEW_YEAR_2027[1:], *days])
    assert message in "；".join(error.value.messages)
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    assert not YearSchedule.objects.exists() and not AuditEvent.objects.exists()
    assert changed == []


def test_bad_single_day_edits_are_refused(world):
    with pytest.raises(ValidationError, match="本来就上班"):
        actions.schedule_day_set(actor=world.admin, day=date(2026, 12, 30), kind="workday")
    with pytest.raises(ValidationError, match="无需删除"):
        actions.schedule_day_remove(actor=world.admin, day=date(2026, 12, 30))
    with pytest.raises(ValidationError, match="年份须在"):
        actions.schedule_day_set(actor=world.admin, day=date(1999, 12, 31), kind="holiday")
    with pytest.raises(ValidationError, match="年份须在"):
        actions.schedule_load(actor=world.admin, year=2101, days=[])
    assert not YearSchedule.objects.exists()
    assert calendar.year_data(2026).source == calendar.SOURCE_PACKAGE


def test_hooks_see_the_new_calendar_inside_the_transaction(world):
    seen: list[tuple[set[int], str, bool]] = []

    def recompute(years: set[int]) -> None:
        # What a recompute of open deadlines would read: the new schedule, before commit.
        seen.append((years, calendar.year_data(2027).source, calendar.is_workday(date(2027, 1, 1))))

    hooks.on_schedule_changed(recompute)
    try:
        actions.schedule_load(actor=world.admin, year=2027, days=NEW_YEAR_2027)
    finally:
        hooks.remove(recompute)
    assert seen == [({2027}, calendar.SOURCE_ADMIN, False)]


def test_a_failing_hook_undoes_the_whole_change(world):
    def broken(years: set[int]) -> None:
        raise RuntimeError("recompute failed")

    hooks.on_schedule_changed(broken)
    try:
        with pytest.raises(RuntimeError):
            actions.schedule_load(actor=world.admin, year=2027, days=NEW_YEAR_2027)
        with pytest.raises(RuntimeError):
            actions.schedule_day_set(actor=world.admin, day=date(2026, 12, 31), kind="holiday")
    finally:
        hooks.remove(broken)
    # Changed, audited and recomputed together, or not at all.
    assert not YearSchedule.objects.exists() and not AuditEvent.objects.exists()
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    assert calendar.year_data(2026).source == calendar.SOURCE_PACKAGE


def test_registering_a_hook_twice_runs_it_once(world, changed):
    hooks.on_schedule_changed(changed.append)
    actions.schedule_load(actor=world.admin, year=2027, days=[])
    assert changed == [{2027}]
