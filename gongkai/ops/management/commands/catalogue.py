from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.catalogue.templates import TEMPLATE_DIR, TemplateError, load_templates


class Command(BaseCommand):
    help = ("党务公开目录：`gongkai catalogue load-templates [--dir DIR]` 从 YAML 文件加载目录模板"
            "（有任何错误则不加载；内容未变的模板不产生新版本，可重复执行）。")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("load-templates", help="从 YAML 文件加载目录模板")
        load.add_argument("--dir", default=str(TEMPLATE_DIR),
                          help="模板文件所在目录（默认为随程序发布的 template_data）")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"])
        if not directory.is_dir():
            raise CommandError(_("目录不存在：%(p)s") % {"p": directory})
        self.stdout.write(load_templates_message(directory))


def load_templates_message(directory: Path = TEMPLATE_DIR) -> str:
    """Load and describe the result in one line; CommandError lists every problem."""
    try:
        report = load_templates(directory=directory)
    except TemplateError as error:
        raise CommandError(_("目录模板有错误，未加载任何模板：\n%(e)s") % {"e": "\n".join(error.messages)}) \
            from None
    return _("目录模板：新增 %(c)s，更新 %(u)s，未变 %(s)s") % {
        "c": len(report.created), "u": len(report.updated), "s": len(report.unchanged)}
