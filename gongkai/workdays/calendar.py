"""Counting Chinese working days (工作日).

Sources, per year, in order: a schedule an administrator loaded (YearSchedule), else the
chinese-calendar package (statutory holidays and 调休 make-up days; it has data through 2026),
else weekends only, in which case every result touching that year carries a warning.

Convention for `add_workdays(start, n)`: the start day itself is not counted; day 1 is the first
working day after `start` ("within 5 working days of the decision" on a Friday ends the next
Friday). n = 0 gives `start` itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from gongkai.workdays.models import CalendarState, ScheduleDay, YearSchedule

MAX_DAYS = 3650
SOURCE_ADMIN = "admin"
SOURCE_PACKAGE = "package"
SOURCE_NONE = "weekends_only"

# The package names holidays in English; the UI speaks Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class YearData:
    year: int
    source: str
    # date -> (is_workday, holiday name): weekdays off, weekend days worked, and the weekend
    # days that fall inside a holiday (off anyway, listed for their name).
    exceptions: dict[date, tuple[bool, str]]


@dataclass(frozen=True)
class Step:
    day: date
    counted: bool
    reason: str


@dataclass
class Result:
    start: date
    n: int
    due: date
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def explanation(self) -> list[str]:
        lines = [_("起算日 %(start)s（不计入），向后数 %(n)d 个工作日：")
                 % {"start": self.start.isoformat(), "n": self.n}]
        counted = 0
        for step in self.steps:
            if step.counted:
                counted += 1
                lines.append(_("%(day)s 第%(k)d个工作日（%(why)s）")
                             % {"day": step.day.isoformat(), "k": counted, "why": step.reason})
            else:
                lines.append(_("%(day)s 跳过（%(why)s）")
                             % {"day": step.day.isoformat(), "why": step.reason})
        lines.append(_("截止日：%(due)s") % {"due": self.due.isoformat()})
        lines.extend(self.warnings)
        return lines


_cache: dict[int, YearData] = {}
_cache_version: int | None = None
_lock = threading.Lock()


def current_version() -> int:
    state = CalendarState.objects.filter(id=1).values_list("version", flat=True).first()
    return state or 0


def _load_year(year: int) -> YearData:
    schedule = YearSchedule.objects.filter(year=year).first()
    if schedule is not None:
        return YearData(year, SOURCE_ADMIN, {
            d.date: (d.kind == "workday", d.name)
            for d in ScheduleDay.objects.filter(schedule=schedule)
        })
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return YearData(year, SOURCE_NONE, {})
    exceptions: dict[date, tuple[bool, str]] = {}
    # Weekend days inside a holiday are kept too, so explanations name the holiday.
    for day, name in chinese_calendar.holidays.items():
        if day.year == year:
            exceptions[day] = (False, HOLIDAY_NAMES.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            exceptions[day] = (True, HOLIDAY_NAMES.get(name, name))
    return YearData(year, SOURCE_PACKAGE, exceptions)


def year_data(year: int, *, version: int | None = None) -> YearData:
    """The year's data, from an in-process cache that is dropped whenever the stored calendar
    version moves (another process loaded a schedule)."""
    global _cache_version
    version = current_version() if version is None else version
    with _lock:
        if _cache_version != version:
            _cache.clear()
            _cache_version = version
        if year not in _cache:
            _cache[year] = _load_year(year)
        return _cache[year]


def missing_year_warning(year: int) -> str:
    return _("%(year)d年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确") % {"year": year}


def day_reason(day: date, data: YearData) -> tuple[bool, str]:
    """Is `day` a working day, and why (in Chinese)."""
    if day in data.exceptions:
        workday, name = data.exceptions[day]
        if workday:
            return True, _("调休上班：%(name)s") % {"name": name} if name else _("调休上班")
        return False, _("法定节假日：%(name)s") % {"name": name} if name else _("放假")
    if day.weekday() >= 5:
        return False, _("周末")
    return True, _("工作日")


def is_workday(day: date) -> bool:
    return day_reason(day, year_data(day.year))[0]


def add_workdays(start: date, n: int) -> Result:
    """The date `n` working days after `start`, with each day looked at and why."""
    if n < 0 or n > MAX_DAYS:
        raise ValueError(_("工作日数须在 0 到 %(max)d 之间") % {"max": MAX_DAYS})
    version = current_version()
    result = Result(start=start, n=n, due=start)
    years = {start.year}
    day = start
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        years.add(day.year)
        workday, reason = day_reason(day, year_data(day.year, version=version))
        result.steps.append(Step(day, workday, reason))
        if workday:
            counted += 1
    result.due = day
    result.warnings = [missing_year_warning(y) for y in sorted(years)
                       if year_data(y, version=version).source == SOURCE_NONE]
    return result


def exceptions_for(year: int) -> list[tuple[date, bool, str]]:
    data = year_data(year)
    return sorted((d, w, name) for d, (w, name) in data.exceptions.items())


def clear_cache() -> None:
    global _cache_version
    with _lock:
        _cache.clear()
        _cache_version = None
