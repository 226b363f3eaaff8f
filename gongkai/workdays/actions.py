"""Changing the calendar: loading, editing or clearing a year's schedule (节假日安排).

Each action checks the right (hooks.may_edit_calendar: the orgs app registers "county
administrator"; the console operator, actor None, may), changes the rows, bumps the stored
calendar version, writes its audit event (old -> new exception days) and calls the registered
recompute hooks with the changed years, all in one transaction: a failing hook undoes it all."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.workdays import calendar, hooks
from gongkai.workdays.files import DaySpec, day_problems, validate_days
from gongkai.workdays.models import CalendarState, DayKind, ScheduleDay, YearSchedule

MIN_YEAR, MAX_YEAR = 2000, 2100
SOURCE_COPIED = "由内置数据复制"

__all__ = ["DaySpec", "schedule_clear", "schedule_day_remove", "schedule_day_set",
           "schedule_load"]


def _check(actor: Any) -> None:
    if not hooks.may_edit_calendar(actor):
        raise PermissionDenied(_("只有县级管理员可以修改节假日安排"))


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年份须在 %(a)d 到 %(b)d 之间") % {"a": MIN_YEAR, "b": MAX_YEAR}})


def _who(actor: Any) -> str:
    return getattr(actor, "username", "") or "system"


def _word(workday: bool, name: str) -> str:
    return ("workday" if workday else "holiday") + (f":{name}" if name else "")


def _describe(days: list[tuple[date, bool, str]]) -> dict[str, str]:
    return {d.isoformat(): _word(w, n) for d, w, n in days}


def _repr(year: int) -> str:
    return _("%(y)d年节假日安排") % {"y": year}


def _bump_version() -> None:
    state, _created = CalendarState.objects.select_for_update().get_or_create(id=1)
    # Never reused (see CalendarState): every process drops its cached years on its next read.
    state.version = max(state.version + 1, time.time_ns() // 1000)
    state.save(update_fields=["version"])


def _changed(year: int) -> None:
    _bump_version()
    hooks.schedule_changed({year})


@transaction.atomic
def schedule_load(*, actor: Any, year: int, days: list[DaySpec], note: str = "",
                  source: str = "") -> YearSchedule:
    """Store `year`'s official schedule, replacing the package's data and any earlier schedule
    for that year. `days` lists every exception; `source` says where they came from."""
    _check(actor)
    _check_year(year)
    days = [DaySpec(d.date, d.kind, d.name.strip()) for d in days]
    problems = validate_days(year, days)
    if problems:
        raise ValidationError(problems)
    before = calendar.exceptions_for(year)
    old_source = calendar.year_data(year).source
    schedule, _created = YearSchedule.objects.update_or_create(
        year=year, defaults={"note": note.strip()[:255], "source": source.strip()[:255],
                             "loaded_by": _who(actor)})
    ScheduleDay.objects.filter(schedule=schedule).delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, date=s.date, kind=s.kind, name=s.name) for s in days)
    after = [(s.date, s.kind == DayKind.WORKDAY, s.name) for s in sorted(days, key=lambda s: s.date)]
    record(actor=actor, action="workdays.load", object_type="workdays.yearschedule",
           object_id=year, object_repr=_repr(year),
           old={"source": old_source, "days": _describe(before)},
           new={"source": calendar.SOURCE_ADMIN, "days": _describe(after)}, reason=note)
    _changed(year)
    return schedule


def _editable_schedule(actor: Any, year: int) -> tuple[YearSchedule, str]:
    """The year's admin schedule, made from the data in use when there is none yet, so that
    editing one day of a year the package knows keeps the package's other days."""
    schedule = YearSchedule.objects.select_for_update().filter(year=year).first()
    if schedule is not None:
        schedule.loaded_by = _who(actor)
        schedule.save(update_fields=["loaded_by", "loaded_at"])
        return schedule, calendar.SOURCE_ADMIN
    before = calendar.year_data(year).source
    schedule = YearSchedule.objects.create(year=year, loaded_by=_who(actor),
                                           source=SOURCE_COPIED if before == calendar.SOURCE_PACKAGE else "")
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, date=d, kind=DayKind.WORKDAY if w else DayKind.HOLIDAY, name=n)
        for d, w, n in calendar.exceptions_for(year))
    return schedule, before


@transaction.atomic
def schedule_day_set(*, actor: Any, day: date, kind: str, name: str = "",
                     reason: str = "") -> ScheduleDay:
    """Mark one day as off (放假, on a weekday, or on a weekend to name its holiday) or as a
    weekend day worked (调休上班)."""
    _check(actor)
    _check_year(day.year)
    spec = DaySpec(day, kind, name.strip())
    problems = day_problems(day.year, spec)
    if problems:
        raise ValidationError(problems)
    old_days = {d: (w, n) for d, w, n in calendar.exceptions_for(day.year)}
    schedule, old_source = _editable_schedule(actor, day.year)
    row, _created = ScheduleDay.objects.update_or_create(
        date=day, defaults={"schedule": schedule, "kind": spec.kind, "name": spec.name})
    old = {day.isoformat(): _word(*old_days[day])} if day in old_days else {}
    record(actor=actor, action="workdays.day_set", object_type="workdays.yearschedule",
           object_id=day.year, object_repr=_repr(day.year),
           old={"source": old_source, "days": old},
           new={"source": calendar.SOURCE_ADMIN,
                "days": {day.isoformat(): _word(spec.kind == DayKind.WORKDAY, spec.name)}},
           reason=reason)
    _changed(day.year)
    return row


@transaction.atomic
def schedule_day_remove(*, actor: Any, day: date, reason: str = "") -> None:
    """Make one day ordinary again: worked on a weekday, off on a weekend."""
    _check(actor)
    _check_year(day.year)
    old_days = {d: (w, n) for d, w, n in calendar.exceptions_for(day.year)}
    if day not in old_days:
        raise ValidationError({"date": _("%(d)s 不是放假或调休上班日，无需删除") % {"d": day.isoformat()}})
    _schedule, old_source = _editable_schedule(actor, day.year)
    ScheduleDay.objects.filter(date=day).delete()
    record(actor=actor, action="workdays.day_remove", object_type="workdays.yearschedule",
           object_id=day.year, object_repr=_repr(day.year),
           old={"source": old_source, "days": {day.isoformat(): _word(*old_days[day])}},
           new={"source": calendar.SOURCE_ADMIN, "days": {}}, reason=reason)
    _changed(day.year)


@transaction.atomic
def schedule_clear(*, actor: Any, year: int, reason: str = "") -> None:
    """Drop an administrator's schedule: the year falls back to the package (or weekends only)."""
    _check(actor)
    schedule = YearSchedule.objects.filter(year=year).first()
    if schedule is None:
        return
    before = calendar.exceptions_for(year)
    schedule.delete()
    _bump_version()
    after = calendar.year_data(year)
    record(actor=actor, action="workdays.clear", object_type="workdays.yearschedule",
           object_id=year, object_repr=_repr(year),
           old={"source": calendar.SOURCE_ADMIN, "days": _describe(before)},
           new={"source": after.source, "days": _describe(calendar.exceptions_for(year))},
           reason=reason)
    hooks.schedule_changed({year})
