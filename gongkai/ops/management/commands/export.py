from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.ops.management.commands._actor import actor_for
from gongkai.orgs.importing import export_orgs
from gongkai.people.importing import export_people

EXPORTERS = {"orgs": export_orgs, "people": export_people}


class Command(BaseCommand):
    help = ("导出组织或人员为 XLSX（文件名以 .csv 结尾时导出为 UTF-8 CSV），列与导入相同："
            "`gongkai export orgs|people FILE.xlsx [--as USERNAME]`")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(EXPORTERS), help="orgs（组织）或 people（人员）")
        parser.add_argument("file", help="输出文件：.xlsx 或 .csv")
        parser.add_argument("--as", dest="as_user", default="",
                            help="只导出该用户可查看的组织或人员（默认导出全部）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            raise CommandError(_("输出文件名须以 .xlsx 或 .csv 结尾"))
        if not path.parent.is_dir():
            raise CommandError(_("目录不存在：%(p)s") % {"p": path.parent})
        count = EXPORTERS[options["what"]](actor=actor_for(options["as_user"]), target=path)
        self.stdout.write(_("已导出 %(n)s 行到 %(p)s") % {"n": count, "p": path})
