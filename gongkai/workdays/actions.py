"""Changing the calendar: loading or clearing a year's schedule. Audited, and followed (in the
same transaction) by the registered recompute hooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.tabular import Column, RowError, TableError, map_columns, read_table
from gongkai.workdays import calendar, hooks
from gongkai.workdays.models import CalendarState, DayKind, ScheduleDay, YearSchedule

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "班": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY, "补班": DayKind.WORKDAY,
}
COLUMNS = [
    Column("date", ("日期",), required=True),
    Column("kind", ("类型",), required=True),
    Column("name", ("节日", "名称"), required=False),
]


@dataclass(frozen=True)
class DaySpec:
    date: date
    kind: str
    name: str


def _describe(days: list[tuple[date, bool, str]]) -> dict[str, str]:
    return {d.isoformat(): ("workday" if w else "holiday") + (f":{n}" if n else "")
            for d, w, n in days}


def validate_days(year: int, days: list[DaySpec]) -> list[str]:
    """Chinese messages for every problem; empty when the schedule can be stored."""
    problems: list[str] = []
    seen: set[date] = set()
    for spec in days:
        if spec.date.year != year:
            problems.append(_("%(d)s 不在 %(y)d 年内") % {"d": spec.date.isoformat(), "y": year})
        if spec.date in seen:
            problems.append(_("%(d)s 重复出现") % {"d": spec.date.isoformat()})
        seen.add(spec.date)
        if spec.kind not in DayKind.values:
            problems.append(_("%(d)s 的类型须为 holiday（放假）或 workday（调休上班）")
                            % {"d": spec.date.isoformat()})
        elif spec.kind == DayKind.WORKDAY and spec.date.weekday() < 5:
            problems.append(_("%(d)s 是周一至周五，本来就上班，不能标为调休上班")
                            % {"d": spec.date.isoformat()})
    return problems


@transaction.atomic
def schedule_load(*, actor: Any, year: int, days: list[DaySpec], note: str = "") -> YearSchedule:
    """Store `year`'s official schedule (replacing any earlier one for that year)."""
    if not hooks.may_edit_calendar(actor):
        raise PermissionDenied(_("只有县级管理员可以修改节假日安排"))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份须在 2000 到 2100 之间")})
    problems = validate_days(year, days)
    if problems:
        raise ValidationError(problems)
    before = calendar.exceptions_for(year)
    schedule, _created = YearSchedule.objects.update_or_create(
        year=year, defaults={"note": note.strip()[:255],
                             "loaded_by": getattr(actor, "username", "") or "system"})
    ScheduleDay.objects.filter(schedule=schedule).delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, date=s.date, kind=s.kind, name=s.name.strip()[:64])
        for s in days)
    _bump_version()
    after = [(s.date, s.kind == DayKind.WORKDAY, s.name.strip())
             for s in sorted(days, key=lambda s: s.date)]
    record(actor=actor, action="workdays.load", object_type="workdays.yearschedule",
           object_id=year, object_repr=_("%(y)d年节假日安排") % {"y": year},
           old=_describe(before), new=_describe(after), reason=note)
    hooks.schedule_changed({year})
    return schedule


@transaction.atomic
def schedule_clear(*, actor: Any, year: int, reason: str = "") -> None:
    """Drop an administrator's schedule: the year falls back to the package (or weekends only)."""
    if not hooks.may_edit_calendar(actor):
        raise PermissionDenied(_("只有县级管理员可以修改节假日安排"))
    schedule = YearSchedule.objects.filter(year=year).first()
    if schedule is None:
        return
    before = calendar.exceptions_for(year)
    schedule.delete()
    _bump_version()
    record(actor=actor, action="workdays.clear", object_type="workdays.yearschedule",
           object_id=year, object_repr=_("%(y)d年节假日安排") % {"y": year},
           old=_describe(before), new=_describe(calendar.exceptions_for(year)), reason=reason)
    hooks.schedule_changed({year})


def _bump_version() -> None:
    CalendarState.objects.select_for_update().get_or_create(id=1)
    CalendarState.objects.filter(id=1).update(version=F("version") + 1)
    # This process must not keep answering from its old copy inside the same request.
    calendar.clear_cache()


def parse_schedule_file(data: bytes, file_name: str) -> tuple[list[DaySpec], list[RowError]]:
    """Rows `date,kind,name` (CSV or XLSX; English or Chinese headers: 日期,类型,节日)."""
    try:
        table = read_table(data, file_name)
    except TableError as error:
        return [], [RowError(0, "", error.message)]
    columns = map_columns(table.headers, COLUMNS)
    if columns.errors:
        return [], columns.errors
    days: list[DaySpec] = []
    errors: list[RowError] = []
    for number, cells in table.rows:
        values = columns.values(cells)
        try:
            day = date.fromisoformat(values["date"])
        except ValueError:
            errors.append(RowError(number, columns.label("date"),
                                   _("日期格式不正确：%(v)s（应为 2027-10-01）") % {"v": values["date"]}))
            continue
        kind = KIND_WORDS.get(values["kind"].strip().lower())
        if kind is None:
            errors.append(RowError(number, columns.label("kind"),
                                   _("类型须为 holiday/放假 或 workday/调休上班：%(v)s")
                                   % {"v": values["kind"]}))
            continue
        days.append(DaySpec(day, kind, values.get("name", "")))
    return days, errors
