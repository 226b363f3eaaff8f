"""What a timing rule owes in a year: the periods (期次) and, for each, the day counting starts
(anchor) and how many working days it allows. Pure date arithmetic, no database: the calendar
turns (anchor, workdays) into a due date.

- periodic: each month / quarter / half-year / year; due `within_workdays` working days after
  the period's last day (the start day itself is never counted, see workdays.calendar).
- standing with a refresh cycle (长期公开, 每半年更新一次 …): the content must be brought up to
  date once in each cycle, by the cycle's last day (0 working days after it).
- standing without a cycle: published once, within FIRST_PUBLICATION_WORKDAYS working days of
  the catalogue coming into force.
- prompt and phased: owed per event (a decision, a stage of work); the disclosure items create
  those, so no period is derived here.

Periods are named so that they sort and read well: "2026-03", "2026-Q1", "2026-H1", "2026"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from gongkai.catalogue.models import ObligationKind
from gongkai.catalogue.timing import TimingRule
from gongkai.catalogue.vocab import Period, Refresh, TimingKind

# No seed gives a number for "publish the standing content": 5 working days, the same as the
# common "及时公开" default (002: a week after the decision), keeps it comparable.
FIRST_PUBLICATION_WORKDAYS = 5
FIRST = "first"

# Months per period, for both periodic rules and standing refresh cycles.
MONTHS: dict[str, int] = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.HALF_YEARLY: 6, Period.YEARLY: 12,
          Refresh.QUARTERLY: 3, Refresh.HALF_YEARLY: 6, Refresh.YEARLY: 12}


@dataclass(frozen=True)
class Slot:
    kind: str
    period: str
    start: date
    end: date
    anchor: date
    workdays: int


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def _name(year: int, months: int, index: int) -> str:
    if months == 1:
        return f"{year}-{index + 1:02d}"
    if months == 3:
        return f"{year}-Q{index + 1}"
    if months == 6:
        return f"{year}-H{index + 1}"
    return str(year)


def _periods(year: int, months: int) -> list[tuple[str, date, date]]:
    return [(_name(year, months, i), date(year, i * months + 1, 1), _month_end(year, (i + 1) * months))
             for i in range(12 // months)]


def slots(rule: TimingRule, year: int) -> list[Slot]:
    """Every period of `year` the rule owes, in order (the first publication is not one of
    them: see `first_publication`)."""
    if rule.kind == TimingKind.PERIODIC and rule.period:
        return [Slot(ObligationKind.PERIODIC, name, start, end, end, rule.within_workdays or 0)
                for name, start, end in _periods(year, MONTHS[rule.period])]
    if rule.kind == TimingKind.STANDING and rule.refresh and rule.refresh != Refresh.NONE:
        return [Slot(ObligationKind.REFRESH, name, start, end, end, 0)
                for name, start, end in _periods(year, MONTHS[rule.refresh])]
    return []


def first_publication(rule: TimingRule, in_force_on: date) -> Slot | None:
    """A standing entry without a refresh cycle is owed once, when the catalogue takes force."""
    if rule.kind == TimingKind.STANDING and (rule.refresh in (None, Refresh.NONE)):
        return Slot(ObligationKind.FIRST, FIRST, in_force_on, in_force_on, in_force_on,
                    FIRST_PUBLICATION_WORKDAYS)
    return None


def period_label(period: str) -> str:
    """"2026-Q1" -> "2026年第一季度", for pages and exports."""
    if period == FIRST:
        return _("首次公开")
    year, _sep, part = period.partition("-")
    if not part:
        return _("%(y)s年度") % {"y": year}
    if part.startswith("Q"):
        return _("%(y)s年第%(q)s季度") % {"y": year, "q": "一二三四"[int(part[1]) - 1]}
    if part.startswith("H"):
        return _("%(y)s年上半年") % {"y": year} if part == "H1" else _("%(y)s年下半年") % {"y": year}
    return _("%(y)s年%(m)s月") % {"y": year, "m": int(part)}
