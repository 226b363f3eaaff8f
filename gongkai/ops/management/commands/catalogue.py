from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.catalogue.importing import catalogue_import, editable_version
from gongkai.catalogue.templates import TEMPLATE_DIR, TemplateError, load_templates
from gongkai.ops.management.commands._actor import actor_for
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import PermissionDenied
from gongkai.tabular import ImportReport


class Command(BaseCommand):
    help = ("党务公开目录：`gongkai catalogue load-templates [--dir DIR]` 从 YAML 文件加载目录模板"
            "（有任何错误则不加载；内容未变的模板不产生新版本，可重复执行）；"
            "`gongkai catalogue import ORG_CODE FILE [--dry-run] --as USERNAME` 从导出的 Excel 整体替换"
            "该组织草稿（或被退回）版本的全部事项（有任何错误则不导入）。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("load-templates", help="从 YAML 文件加载目录模板")
        load.add_argument("--dir", default=str(TEMPLATE_DIR),
                          help="模板文件所在目录（默认为随程序发布的 template_data）")
        upload = commands.add_parser("import", help="从 Excel（XLSX）或 CSV 导入组织的目录事项")
        upload.add_argument("org_code", help="组织代码")
        upload.add_argument("file", help="XLSX 或 CSV 文件（导出的列：序号、公开事项……备注）")
        upload.add_argument("--dry-run", action="store_true", help="只检查，不导入")
        upload.add_argument("--as", dest="as_user", default="",
                            help="以该用户的身份和权限导入（必填：目录的修改须由有权修改该组织目录的人完成）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "import":
            self._import(options)
            return
        directory = Path(options["dir"])
        if not directory.is_dir():
            raise CommandError(_("目录不存在：%(p)s") % {"p": directory})
        self.stdout.write(load_templates_message(directory))

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(p)s") % {"p": path})
        # Catalogue actions are done by a person with the right on the org (the audit names
        # them); there is no "system" editor of an organisation's catalogue.
        if not options["as_user"]:
            raise CommandError(_("请用 --as USERNAME 指定以哪位用户的身份导入（须有修改该组织目录的权限）"))
        actor = actor_for(options["as_user"])
        org = Org.objects.filter(code=options["org_code"]).first()
        if org is None:
            raise CommandError(_("没有代码为 %(c)s 的组织") % {"c": options["org_code"]})
        version = editable_version(org)
        if version is None:
            raise CommandError(_("组织 %(c)s 没有可修改的目录版本（草稿或被退回的版本）") % {"c": org.code})
        try:
            report = catalogue_import(actor=actor, version=version, data=path.read_bytes(),
                                      file_name=path.name, dry_run=options["dry_run"])
        except PermissionDenied:
            raise CommandError(_("用户 %(u)s 无权修改组织 %(c)s 的目录") % {
                "u": options["as_user"], "c": org.code}) from None
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self._print(report, version.number)

    def _print(self, report: ImportReport, number: int) -> None:
        if report.ignored_columns:
            self.stderr.write(_("以下列未识别，已忽略：%(c)s") % {"c": "、".join(report.ignored_columns)})
        if not report.ok:
            for error in report.errors:
                where = _("第 %(n)s 行") % {"n": error.row} if error.row else _("文件")
                column = f"[{error.column}] " if error.column else ""
                self.stderr.write(f"{where} {column}{error.message}")
            raise CommandError(_("共 %(n)s 处错误，未导入任何数据") % {"n": len(report.errors)})
        summary = _("第%(v)s版：新增 %(c)s，修改 %(u)s，未变 %(s)s，删除 %(r)s（共 %(n)s 行）") % {
            "v": number, "c": report.created, "u": report.updated, "s": report.unchanged,
            "r": report.details.get("removed", 0), "n": report.rows}
        if report.dry_run:
            prefix = _("检查通过，未导入（--dry-run）：")
        elif report.details.get("written"):
            prefix = _("导入完成：")
        else:
            prefix = _("内容与该版本完全相同，未做修改：")
        self.stdout.write(prefix + summary)


def load_templates_message(directory: Path = TEMPLATE_DIR) -> str:
    """Load and describe the result in one line; CommandError lists every problem."""
    try:
        report = load_templates(directory=directory)
    except TemplateError as error:
        raise CommandError(_("目录模板有错误，未加载任何模板：\n%(e)s") % {"e": "\n".join(error.messages)}) \
            from None
    return _("目录模板：新增 %(c)s，更新 %(u)s，未变 %(s)s") % {
        "c": len(report.created), "u": len(report.updated), "s": len(report.unchanged)}
