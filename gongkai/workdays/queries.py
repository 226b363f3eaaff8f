"""Reads of the calendar for the surfaces. Holiday schedules are public knowledge: anyone signed
in may read them; only `may_edit` decides who sees the editing forms (the actions check again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from gongkai.workdays import calendar, hooks
from gongkai.workdays.models import YearSchedule


@dataclass(frozen=True)
class DayRow:
    date: date
    workday: bool
    name: str


@dataclass
class YearView:
    """A year as the staff page, the API and `gongkai workdays show` present it."""

    year: int
    source: str
    schedule: YearSchedule | None
    days: list[DayRow] = field(default_factory=list)
    warning: str = ""

    @property
    def source_label(self) -> str:
        return source_label(self.source)


def source_label(source: str) -> str:
    return {
        calendar.SOURCE_ADMIN: _("管理员录入的安排"),
        calendar.SOURCE_PACKAGE: _("内置国务院节假日安排（chinesecalendar）"),
    }.get(source, _("无（仅按周末计算）"))


def year_view(year: int) -> YearView:
    """Raises calendar.CalendarInputError for a year outside the calendar's range."""
    calendar.check_year(year)
    snap = calendar.snapshot()
    data = snap.year(year)
    schedule = YearSchedule.objects.filter(year=year).first() \
        if data.source == calendar.SOURCE_ADMIN else None
    return YearView(
        year=year, source=data.source, schedule=schedule,
        days=[DayRow(d, w, n) for d, w, n in snap.exceptions(year)],
        warning=calendar.missing_year_warning(year) if data.source == calendar.SOURCE_NONE else "",
    )


def loaded_years() -> list[int]:
    """Years an administrator has loaded or edited."""
    return list(YearSchedule.objects.order_by("year").values_list("year", flat=True))


def may_edit(user: Any) -> bool:
    """Whether to offer the editing forms to `user` (never None here: that is the console)."""
    return user is not None and hooks.may_edit_calendar(user)
