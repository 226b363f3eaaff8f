from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.ops.management.commands._actor import actor_for
from gongkai.orgs.importing import import_orgs
from gongkai.orgs.permissions import PermissionDenied
from gongkai.people.importing import import_people
from gongkai.tabular import ImportReport

IMPORTERS = {"orgs": import_orgs, "people": import_people}
DETAIL_LABELS = {"moved": gettext_lazy("移动组织"), "moved_below": gettext_lazy("随之移动的下级组织"),
                 "affiliations_added": gettext_lazy("新增组织关系"), "roles_added": gettext_lazy("新增角色")}


class Command(BaseCommand):
    help = ("从 XLSX 或 CSV（UTF-8 或 GBK）导入组织或人员：`gongkai import orgs|people FILE "
            "[--dry-run] [--as USERNAME]`。有任何错误行则不导入任何数据，并列出所有错误行。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(IMPORTERS), help="orgs（组织）或 people（人员）")
        parser.add_argument("file", help="XLSX 或 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="仅检查，不导入")
        parser.add_argument("--as", dest="as_user", default="",
                            help="以该用户的权限导入（默认以系统身份、拥有全部权限）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(p)s") % {"p": path})
        actor = actor_for(options["as_user"])
        started = time.monotonic()
        try:
            report = IMPORTERS[options["what"]](actor=actor, data=path.read_bytes(),
                                                file_name=path.name, dry_run=options["dry_run"])
        except PermissionDenied as error:
            raise CommandError(error.message) from None
        self._print(report, time.monotonic() - started)

    def _print(self, report: ImportReport, seconds: float) -> None:
        if report.ignored_columns:
            self.stderr.write(_("以下列未识别，已忽略：%(c)s") % {"c": "、".join(report.ignored_columns)})
        if not report.ok:
            for error in report.errors:
                where = _("第 %(n)s 行") % {"n": error.row} if error.row else _("文件")
                column = f"[{error.column}] " if error.column else ""
                self.stderr.write(f"{where} {column}{error.message}")
            raise CommandError(_("共 %(n)s 处错误，未导入任何数据") % {"n": len(report.errors)})
        summary = _("新增 %(c)s，更新 %(u)s，未变 %(s)s（共 %(r)s 行，用时 %(t).1f 秒）") % {
            "c": report.created, "u": report.updated, "s": report.unchanged, "r": report.rows,
            "t": seconds}
        details = "".join(f"，{DETAIL_LABELS.get(k, k)} {v}" for k, v in report.details.items())
        prefix = _("检查通过，未导入（--dry-run）：") if report.dry_run else _("导入完成：")
        self.stdout.write(prefix + summary + details)
