"""gongkai workdays add DATE N | explain DATE N | load FILE [--year Y] [--note T] | show YEAR |
clear YEAR. `add` prints only the ISO date on stdout (warnings go to stderr) so scripts can use it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime

from gongkai.workdays import actions, calendar, queries
from gongkai.workdays.files import parse_date, parse_schedule_file

WEEKDAYS = "一二三四五六日"


def _date(text: str) -> date:
    day = parse_date(text)
    if day is None:
        raise CommandError(f"日期格式不正确：{text}（应为 YYYY-MM-DD，如 2026-09-30）")
    return day


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"{what}须为整数：{text}") from None


class Command(BaseCommand):
    help = "工作日历：add DATE N | explain DATE N | load FILE [--year Y] | show YEAR | clear YEAR"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        for name, text in (("add", "打印 DATE 之后第 N 个工作日（DATE 不计入）"),
                           ("explain", "逐日说明如何数出第 N 个工作日")):
            p = sub.add_parser(name, help=text)
            p.add_argument("date")
            p.add_argument("n")
        load = sub.add_parser("load", help="录入一年的节假日安排（覆盖内置数据），CSV 或 XLSX")
        load.add_argument("file")
        load.add_argument("--year", help="年份；不给时取文件中的日期所在年份")
        load.add_argument("--note", default="", help="依据，如通知文号")
        show = sub.add_parser("show", help="列出一年的放假与调休上班日及其来源")
        show.add_argument("year")
        clear = sub.add_parser("clear", help="删除录入的安排，回到内置数据")
        clear.add_argument("year")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['sub']}")(options)

    def _result(self, options: dict[str, Any]) -> calendar.Result:
        try:
            return calendar.add_workdays(_date(options["date"]), _int(options["n"], "工作日数"))
        except calendar.CalendarInputError as error:
            raise CommandError(str(error)) from None

    def do_add(self, options: dict[str, Any]) -> None:
        result = self._result(options)
        self.stdout.write(result.due.isoformat())
        for warning in result.warnings:
            self.stderr.write(warning)

    def do_explain(self, options: dict[str, Any]) -> None:
        self.stdout.write("\n".join(self._result(options).explanation()))

    def do_load(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        given = _int(options["year"], "年份") if options["year"] else None
        year, days, errors = parse_schedule_file(path.read_bytes(), path.name, given)
        if errors:
            for e in errors:
                where = f"第 {e.row} 行" if e.row else "文件"
                self.stderr.write(f"{where} [{e.column}] {e.message}" if e.column else f"{where} {e.message}")
            raise CommandError(f"共 {len(errors)} 处错误，未录入任何数据")
        if year is None:
            raise CommandError("文件中没有数据行，无法确定年份；要把一年设为只按周末计算，请用 --year 指定")
        try:
            actions.schedule_load(actor=None, year=year, days=days, note=options["note"],
                                  source=path.name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已录入 {year} 年节假日安排：{len(days)} 天")

    def do_show(self, options: dict[str, Any]) -> None:
        try:
            view = queries.year_view(_int(options["year"], "年份"))
        except calendar.CalendarInputError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{view.year} 年，来源：{view.source_label}")
        if view.schedule is not None:
            s = view.schedule
            self.stdout.write(f"录入：{s.loaded_by} {localtime(s.loaded_at):%Y-%m-%d %H:%M}"
                              + (f"，文件：{s.source}" if s.source else "")
                              + (f"，依据：{s.note}" if s.note else ""))
        for row in view.days:
            kind = "调休上班" if row.workday else "放假"
            line = f"{row.date.isoformat()} 周{WEEKDAYS[row.date.weekday()]} {kind} {row.name}"
            self.stdout.write(line.rstrip())
        if view.warning:
            self.stdout.write(view.warning)

    def do_clear(self, options: dict[str, Any]) -> None:
        year = _int(options["year"], "年份")
        actions.schedule_clear(actor=None, year=year)
        self.stdout.write(f"已删除 {year} 年录入的安排")
