"""Counting working days over the 2026 statutory holidays and their 调休 make-up days, as the
chinesecalendar 1.11.0 package has them (checked against its data, not guessed):
National Day 10-01..10-07 off, make-up Sunday 09-20 and Saturday 10-10; Spring Festival
02-15..02-23 off, make-up Saturdays 02-14 and 02-28."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.workdays import calendar
from gongkai.workdays.models import CalendarState, ScheduleDay, YearSchedule

pytestmark = pytest.mark.django_db


def test_package_data_for_2026_is_what_the_tests_assume():
    data = calendar.year_data(2026)
    assert data.source == calendar.SOURCE_PACKAGE
    assert {d for d, (w, _n) in data.exceptions.items() if w} == {
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
        date(2026, 9, 20), date(2026, 10, 10)}
    national = sorted(d for d, (w, n) in data.exceptions.items() if not w and n == "国庆节")
    assert national == [date(2026, 10, d) for d in range(1, 8)]


def test_national_day_2026_is_skipped_and_make_up_saturday_counts():
    result = calendar.add_workdays(date(2026, 9, 30), 3)
    # 10-01..10-07 off (10-03/04 weekend inside the holiday); 10-08, 10-09 work; 10-10 (Sat) is
    # the 调休 make-up day.
    assert result.due == date(2026, 10, 10)
    skipped = [s.day for s in result.steps if not s.counted]
    assert skipped == [date(2026, 10, d) for d in range(1, 8)]
    assert result.steps[-1].kind == calendar.MAKEUP
    assert result.steps[-1].reason == "调休上班：国庆节"
    assert result.warnings == []


def test_make_up_sunday_before_national_day_counts():
    # 2026-09-20 is a Sunday worked in lieu of the National Day holiday; 09-19 (Sat) is not.
    assert calendar.add_workdays(date(2026, 9, 18), 1).due == date(2026, 9, 20)
    assert calendar.is_workday(date(2026, 9, 20))
    assert not calendar.is_workday(date(2026, 9, 19))


def test_spring_festival_2026():
    assert calendar.add_workdays(date(2026, 2, 13), 1).due == date(2026, 2, 14)
    result = calendar.add_workdays(date(2026, 2, 14), 1)
    assert result.due == date(2026, 2, 24)
    assert [s.reason for s in result.steps[:-1]] == ["法定节假日：春节"] * 9
    assert calendar.add_workdays(date(2026, 2, 27), 1).due == date(2026, 2, 28)
    # Ten working days from the Friday before the festival: 02-14 (Sat), 02-24..27, 02-28 (Sat),
    # 03-02..05.
    assert calendar.add_workdays(date(2026, 2, 13), 10).due == date(2026, 3, 5)


def test_start_day_is_not_counted_and_zero_days_is_the_start():
    # A Friday decision, "within 5 working days": the next Friday.
    assert calendar.add_workdays(date(2026, 11, 20), 5).due == date(2026, 11, 27)
    assert calendar.add_workdays(date(2026, 11, 20), 1).due == date(2026, 11, 23)
    # A start on a holiday is not counted either.
    assert calendar.add_workdays(date(2026, 10, 3), 1).due == date(2026, 10, 8)
    zero = calendar.add_workdays(date(2026, 10, 3), 0)
    assert zero.due == date(2026, 10, 3) and zero.steps == []


def test_explain_lists_every_day_with_its_reason():
    steps = calendar.explain(date(2026, 9, 30), 3)
    assert [(s.day.isoformat(), s.counted, s.reason) for s in steps] == [
        ("2026-10-01", False, "法定节假日：国庆节"),
        ("2026-10-02", False, "法定节假日：国庆节"),
        ("2026-10-03", False, "法定节假日：国庆节"),
        ("2026-10-04", False, "法定节假日：国庆节"),
        ("2026-10-05", False, "法定节假日：国庆节"),
        ("2026-10-06", False, "法定节假日：国庆节"),
        ("2026-10-07", False, "法定节假日：国庆节"),
        ("2026-10-08", True, "工作日"),
        ("2026-10-09", True, "工作日"),
        ("2026-10-10", True, "调休上班：国庆节"),
    ]
    lines = calendar.add_workdays(date(2026, 11, 20), 1).explanation()
    assert lines == ["起算日 2026-11-20（不计入），向后数 1 个工作日：",
                     "2026-11-21 跳过（周末）", "2026-11-22 跳过（周末）",
                     "2026-11-23 第1个工作日（工作日）", "截止日：2026-11-23"]


def test_crossing_into_a_year_without_data_warns():
    result = calendar.add_workdays(date(2026, 12, 30), 5)
    # 2027 is counted by weekends only: 12-31, 01-01 (no holiday known!), 01-04, 05, 06.
    assert result.due == date(2027, 1, 6)
    assert result.warnings == ["2027年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确"]
    assert result.explanation()[-1] == result.warnings[0]
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    # Wholly inside 2026: no warning; wholly inside 2027: the warning still shows.
    assert calendar.add_workdays(date(2026, 12, 1), 5).warnings == []
    assert calendar.add_workdays(date(2027, 3, 1), 5).warnings != []


def test_warnings_for_names_every_year_without_data_in_the_span():
    assert calendar.warnings_for([date(2026, 5, 1)]) == []
    assert calendar.warnings_for([]) == []
    warned = calendar.warnings_for([date(2029, 1, 1), date(2026, 1, 1)])
    assert [w[:5] for w in warned] == ["2027年", "2028年", "2029年"]


@pytest.mark.parametrize(("start", "n"), [
    (date(2026, 1, 1), -1), (date(2026, 1, 1), 3651), (date(9999, 12, 30), 5),
    (date(1, 1, 1), 1),
])
def test_out_of_range_input_is_refused_in_chinese(start, n):
    with pytest.raises(calendar.CalendarInputError, match="须在"):
        calendar.add_workdays(start, n)
    with pytest.raises(calendar.CalendarInputError):
        calendar.due(start, n)


def test_the_largest_count_does_not_overflow():
    result = calendar.add_workdays(date(2200, 12, 31), calendar.MAX_DAYS)
    assert result.due.year == 2214 and result.warnings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(date(2025, 1, 1), date(2027, 12, 31)), n=st.integers(0, 400))
def test_fast_due_agrees_with_the_day_by_day_count(start, n):
    result = calendar.add_workdays(start, n)
    assert calendar.due(start, n) == result.due
    assert sum(s.counted for s in result.steps) == n
    if n:
        assert calendar.is_workday(result.due)
    days = (result.due - start).days
    assert [s.day for s in result.steps] == [start + timedelta(days=i) for i in range(1, days + 1)]


def test_a_batch_costs_one_query_per_year_and_one_for_the_version(django_assert_max_num_queries):
    calendar.clear_cache()
    with django_assert_max_num_queries(1 + 2 * 3):
        snap = calendar.snapshot()
        for offset in range(1000):
            snap.due(date(2026, 1, 1) + timedelta(days=offset % 700), 10)


def test_cache_follows_the_version_another_process_writes():
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    # Another process stores a schedule: until the version moves, this one answers from memory.
    schedule = YearSchedule.objects.create(year=2027)
    ScheduleDay.objects.create(schedule=schedule, date=date(2027, 1, 1), kind="holiday", name="元旦")
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    CalendarState.objects.update_or_create(id=1, defaults={"version": 10**15})
    assert calendar.year_data(2027).source == calendar.SOURCE_ADMIN
    assert not calendar.is_workday(date(2027, 1, 1))
