from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.workdays import actions, calendar


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式不正确：{text}（应为 YYYY-MM-DD）") from None


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise CommandError(f"工作日数须为整数：{text}") from None
    if not 0 <= n <= calendar.MAX_DAYS:
        raise CommandError(f"工作日数须在 0 到 {calendar.MAX_DAYS} 之间")
    return n


class Command(BaseCommand):
    help = "工作日历：add DATE N | explain DATE N | load FILE --year Y | show YEAR | clear YEAR"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        for name, text in (("add", "打印 DATE 之后第 N 个工作日"),
                           ("explain", "逐日说明如何数出第 N 个工作日")):
            p = sub.add_parser(name, help=text)
            p.add_argument("date")
            p.add_argument("n")
        load = sub.add_parser("load", help="录入一年的节假日安排（覆盖内置数据）")
        load.add_argument("file")
        load.add_argument("--year", type=int, required=True)
        load.add_argument("--note", default="")
        show = sub.add_parser("show", help="列出一年的放假与调休上班日及其来源")
        show.add_argument("year", type=int)
        clear = sub.add_parser("clear", help="删除录入的安排，回到内置数据")
        clear.add_argument("year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["sub"]
        if sub in {"add", "explain"}:
            result = calendar.add_workdays(_date(options["date"]), _count(options["n"]))
            if sub == "add":
                self.stdout.write(result.due.isoformat())
                for warning in result.warnings:
                    self.stderr.write(warning)
            else:
                self.stdout.write("\n".join(result.explanation()))
        elif sub == "load":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"找不到文件：{path}")
            days, errors = actions.parse_schedule_file(path.read_bytes(), path.name)
            if errors:
                for e in errors:
                    self.stderr.write(f"第 {e.row} 行 [{e.column}] {e.message}")
                raise CommandError(f"共 {len(errors)} 处错误，未录入任何数据")
            try:
                actions.schedule_load(actor=None, year=options["year"], days=days,
                                      note=options["note"])
            except ValidationError as error:
                raise CommandError("；".join(error.messages)) from None
            self.stdout.write(f"已录入 {options['year']} 年节假日安排：{len(days)} 天")
        elif sub == "show":
            data = calendar.year_data(options["year"])
            self.stdout.write(f"{options['year']} 年，来源：{data.source}")
            for day, workday, name in calendar.exceptions_for(options["year"]):
                self.stdout.write(f"{day.isoformat()} {'调休上班' if workday else '放假'} {name}")
            if data.source == calendar.SOURCE_NONE:
                self.stdout.write(calendar.missing_year_warning(options["year"]))
        elif sub == "clear":
            actions.schedule_clear(actor=None, year=options["year"])
            self.stdout.write(f"已删除 {options['year']} 年录入的安排")
