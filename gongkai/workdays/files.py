"""Reading a year's schedule from a file: CSV (UTF-8 or GBK) or XLSX, one row per exception day,
columns `date,kind,name` or `日期,类型,节日`. Every bad row is reported with its row number; the
caller stores nothing unless there are none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gongkai.tabular import Column, RowError, TableError, map_columns, read_table
from gongkai.workdays.models import DayKind

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
MAX_NAME = 64
# 2027-10-01, 2027/10/1, 2027.10.01, 2027年10月1日; an XLSX date cell arrives as
# 2027-10-01T00:00:00.
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ]00:00(?::00)?)?")
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


@dataclass(frozen=True)
class DaySpec:
    """One exception to "Monday to Friday are worked": a weekday off or a weekend day worked."""

    date: date
    kind: str
    name: str = ""


def parse_date(text: str) -> date | None:
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def day_problems(year: int, spec: DaySpec) -> list[str]:
    """Chinese messages for what is wrong with one day of `year`'s schedule."""
    problems: list[str] = []
    shown = spec.date.isoformat()
    if spec.date.year != year:
        problems.append(_("%(d)s 不在 %(y)d 年内") % {"d": shown, "y": year})
    if spec.kind not in DayKind.values:
        problems.append(_("%(d)s 的类型须为 holiday（放假）或 workday（调休上班）") % {"d": shown})
    elif spec.kind == DayKind.WORKDAY and spec.date.weekday() < 5:
        problems.append(_("%(d)s 是周一至周五，本来就上班，不能标为调休上班") % {"d": shown})
    if len(spec.name) > MAX_NAME:
        problems.append(_("%(d)s 的节日名称不能超过 %(n)d 个字") % {"d": shown, "n": MAX_NAME})
    if _UNSTORABLE.search(spec.name):
        problems.append(_("%(d)s 的节日名称含有不可见的控制字符") % {"d": shown})
    return problems


def validate_days(year: int, days: list[DaySpec]) -> list[str]:
    """Chinese messages for every problem of a whole year's list; empty when it can be stored."""
    problems: list[str] = []
    seen: set[date] = set()
    for spec in days:
        problems.extend(day_problems(year, spec))
        if spec.date in seen:
            problems.append(_("%(d)s 重复出现") % {"d": spec.date.isoformat()})
        seen.add(spec.date)
    return problems


def parse_schedule_file(data: bytes, file_name: str,
                        year: int | None = None) -> tuple[int | None, list[DaySpec], list[RowError]]:
    """(year, days, row errors). Without `year`, the year is the one of the first valid date and
    every row must share it."""
    try:
        table = read_table(data, file_name)
    except TableError as error:
        return year, [], [RowError(0, "", error.message)]
    columns = map_columns(table.headers, COLUMNS)
    if columns.errors:
        return year, [], columns.errors
    days: list[DaySpec] = []
    errors: list[RowError] = []
    first_row: dict[date, int] = {}
    for number, cells in table.rows:
        values = columns.values(cells)
        day = parse_date(values["date"])
        if day is None:
            errors.append(RowError(number, columns.label("date"),
                                   _("日期格式不正确：%(v)s（应为 2027-10-01）") % {"v": values["date"]}))
            continue
        kind = KIND_WORDS.get(values["kind"].strip().lower())
        if kind is None:
            errors.append(RowError(number, columns.label("kind"),
                                   _("类型须为 holiday/放假 或 workday/调休上班：%(v)s")
                                   % {"v": values["kind"]}))
            continue
        year = day.year if year is None else year
        spec = DaySpec(day, kind, values.get("name", "").strip())
        for problem in day_problems(year, spec):
            errors.append(RowError(number, columns.label("date"), problem))
        if day in first_row:
            errors.append(RowError(number, columns.label("date"),
                                   _("%(d)s 与第 %(r)d 行重复") % {"d": day.isoformat(),
                                                                  "r": first_row[day]}))
        first_row.setdefault(day, number)
        days.append(spec)
    return year, days, errors
