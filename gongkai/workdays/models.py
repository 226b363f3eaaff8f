"""Administrator-loaded holiday schedules (节假日安排) that override the chinese-calendar package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class YearSchedule(models.Model):
    """A year's official schedule as an administrator loaded it. When present it replaces the
    package's data for that year entirely: it lists every exception to "Monday-Friday work"."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    # Where the rows came from: a file name, "工作台", "命令行", or "由内置数据复制" when an
    # administrator edited one day of a year the package knows.
    source = models.CharField(_("来源"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("录入时间"), auto_now=True)
    loaded_by = models.CharField(_("录入人"), max_length=150, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度节假日安排")

    def __str__(self) -> str:
        return str(self.year)


class ScheduleDay(models.Model):
    """One exception: a weekday off (放假) or a weekend day worked (调休上班)."""

    schedule = models.ForeignKey(YearSchedule, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排日")

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.name}"


class CalendarState(models.Model):
    """A single row whose version changes with every schedule change, so every process can tell
    whether its in-memory copy of the calendar is current with one cheap query. The version is
    never reused (it is at least the change's time in microseconds): a rolled-back change, a
    restored backup or a flushed test database cannot make two calendars share a cache key."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("日历版本")

    def __str__(self) -> str:
        return f"v{self.version}"
