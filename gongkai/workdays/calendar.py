"""Counting Chinese working days (工作日).

Sources, per year, in order: a schedule an administrator loaded (YearSchedule), else the
chinese-calendar package (statutory holidays and 调休 make-up days; it has data through 2026),
else weekends only, in which case every result touching that year carries a warning.

Convention for `add_workdays(start, n)`: the start day itself is never counted, whatever it is;
day 1 is the first working day after `start` ("within 5 working days of the decision" taken on a
Friday ends the next Friday). n = 0 gives `start` itself. 0 <= n <= MAX_DAYS.

Per-year data is cached in memory under the calendar version stored in the database
(CalendarState), so every process drops its copy when any process changes a schedule.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from gongkai.workdays.models import CalendarState, ScheduleDay, YearSchedule

MAX_DAYS = 3650
# Beyond these the answer means nothing and date arithmetic would overflow near 9999.
MIN_YEAR, MAX_YEAR = 1900, 2200
SOURCE_ADMIN = "admin"
SOURCE_PACKAGE = "package"
SOURCE_NONE = "weekends_only"

# Step kinds, for machines; `reason` is the Chinese sentence for people.
WORKDAY, MAKEUP, WEEKEND, HOLIDAY = "workday", "makeup", "weekend", "holiday"

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


class CalendarInputError(ValueError):
    """A start date or day count the calendar refuses; the message is Chinese."""


@dataclass(frozen=True)
class YearData:
    year: int
    source: str
    # date -> (is_workday, holiday name): weekdays off, weekend days worked, and the weekend
    # days that fall inside a holiday (off anyway, listed for their name).
    exceptions: dict[date, tuple[bool, str]]
    # Ordinals of the year's working days, ascending: add_workdays becomes a bisect.
    workdays: tuple[int, ...] = ()

    def classify(self, day: date) -> tuple[str, str]:
        """(step kind, Chinese reason) for one day of this year."""
        if day in self.exceptions:
            workday, name = self.exceptions[day]
            if workday:
                return MAKEUP, (_("调休上班：%(name)s") % {"name": name} if name else _("调休上班"))
            return HOLIDAY, (_("法定节假日：%(name)s") % {"name": name} if name else _("放假"))
        if day.weekday() >= 5:
            return WEEKEND, _("周末")
        return WORKDAY, _("工作日")


@dataclass(frozen=True)
class Step:
    day: date
    counted: bool
    kind: str
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


def missing_year_warning(year: int) -> str:
    return _("%(year)d年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确") % {"year": year}


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarInputError(_("年份须在 %(a)d 到 %(b)d 之间") % {"a": MIN_YEAR, "b": MAX_YEAR})


def check_input(start: date, n: int) -> None:
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise CalendarInputError(_("起算日须在 %(a)d 年到 %(b)d 年之间")
                                 % {"a": MIN_YEAR, "b": MAX_YEAR})
    if not 0 <= n <= MAX_DAYS:
        raise CalendarInputError(_("工作日数须在 0 到 %(max)d 之间") % {"max": MAX_DAYS})


# --- per-year data and its cache -----------------------------------------------------------

_cache: dict[tuple[int, int], YearData] = {}
_lock = threading.Lock()


def current_version() -> int:
    state = CalendarState.objects.filter(id=1).values_list("version", flat=True).first()
    return state or 0


def _with_workdays(year: int, source: str, exceptions: dict[date, tuple[bool, str]]) -> YearData:
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    days = []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        if day in exceptions:
            if exceptions[day][0]:
                days.append(ordinal)
        elif day.weekday() < 5:
            days.append(ordinal)
    return YearData(year, source, exceptions, tuple(days))


def package_exceptions(year: int) -> dict[date, tuple[bool, str]] | None:
    """The chinese-calendar package's exceptions for `year`, or None when it has no data."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return None
    exceptions: dict[date, tuple[bool, str]] = {}
    # Weekend days inside a holiday are kept too, so explanations name the holiday.
    for day, name in chinese_calendar.holidays.items():
        if day.year == year:
            exceptions[day] = (False, HOLIDAY_NAMES.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            exceptions[day] = (True, HOLIDAY_NAMES.get(name, name))
    return exceptions


def _load_year(year: int) -> YearData:
    schedule = YearSchedule.objects.filter(year=year).first()
    if schedule is not None:
        return _with_workdays(year, SOURCE_ADMIN, {
            d.date: (d.kind == "workday", d.name)
            for d in ScheduleDay.objects.filter(schedule=schedule)
        })
    exceptions = package_exceptions(year)
    if exceptions is None:
        return _with_workdays(year, SOURCE_NONE, {})
    return _with_workdays(year, SOURCE_PACKAGE, exceptions)


def _year_data(year: int, version: int) -> YearData:
    key = (version, year)
    with _lock:
        data = _cache.get(key)
    if data is None:
        data = _load_year(year)
        with _lock:
            # A newer version makes every older entry useless.
            for stale in [k for k in _cache if k[0] != version]:
                del _cache[stale]
            _cache[key] = data
    return data


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# --- computing --------------------------------------------------------------------------------

class Calendar:
    """The calendar as of one version: any number of computations for one query. Use
    `snapshot()` for a batch (recomputing many deadlines); the module functions take one each."""

    def __init__(self, version: int) -> None:
        self.version = version

    def year(self, year: int) -> YearData:
        return _year_data(year, self.version)

    def is_workday(self, day: date) -> bool:
        return self.year(day.year).classify(day)[0] in (WORKDAY, MAKEUP)

    def due(self, start: date, n: int) -> date:
        """Only the date of add_workdays(start, n): a bisect per year crossed, no steps."""
        check_input(start, n)
        if n == 0:
            return start
        remaining, year, after = n, start.year, start.toordinal()
        while True:
            days = self.year(year).workdays
            index = bisect_right(days, after)
            if index + remaining <= len(days):
                return date.fromordinal(days[index + remaining - 1])
            remaining -= len(days) - index
            year += 1

    def add_workdays(self, start: date, n: int) -> Result:
        """The date `n` working days after `start`, with each day looked at and why."""
        check_input(start, n)
        result = Result(start=start, n=n, due=start)
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            kind, reason = self.year(day.year).classify(day)
            workday = kind in (WORKDAY, MAKEUP)
            result.steps.append(Step(day, workday, kind, reason))
            counted += workday
        result.due = day
        result.warnings = self.warnings_for([start, day])
        return result

    def warnings_for(self, dates: Iterable[date]) -> list[str]:
        """One warning per year without official data between the earliest and latest date:
        a deadline computed across such a year may be wrong and must say so."""
        years = sorted({d.year for d in dates})
        if not years:
            return []
        return [missing_year_warning(y) for y in range(years[0], years[-1] + 1)
                if self.year(y).source == SOURCE_NONE]

    def exceptions(self, year: int) -> list[tuple[date, bool, str]]:
        return sorted((d, w, name) for d, (w, name) in self.year(year).exceptions.items())


def snapshot() -> Calendar:
    return Calendar(current_version())


def year_data(year: int) -> YearData:
    return snapshot().year(year)


def is_workday(day: date) -> bool:
    return snapshot().is_workday(day)


def add_workdays(start: date, n: int) -> Result:
    return snapshot().add_workdays(start, n)


def due(start: date, n: int) -> date:
    return snapshot().due(start, n)


def explain(start: date, n: int) -> list[Step]:
    """Every day after `start` up to the due date: counted or skipped, and why."""
    return snapshot().add_workdays(start, n).steps


def warnings_for(dates: Iterable[date]) -> list[str]:
    return snapshot().warnings_for(dates)


def exceptions_for(year: int) -> list[tuple[date, bool, str]]:
    return snapshot().exceptions(year)
