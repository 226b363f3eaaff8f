from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.utils.translation import gettext as _

from gongkai.demo.builder import DemoError, load_demo
from gongkai.demo.catalogues import load_catalogues, summary
from gongkai.demo.disclosures import load_disclosures
from gongkai.demo.disclosures import summary as disclosure_summary
from gongkai.demo.plan import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, build_plan
from gongkai.orgs.models import Org, Role


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    # Chinese characters take two columns in a terminal; str.ljust counts them as one.
    return text + " " * max(width - _width(text), 0)


def account_role_label(account: DemoAccount) -> str:
    labels = [str(Role(role).label) for role in account.roles] or [_("党员（无角色）")]
    if account.superuser:
        labels.insert(0, _("系统管理员（超级用户）"))
    return "、".join(labels)


class Command(BaseCommand):
    help = ("加载演示数据：虚构的青峰县，约300个党组织、3000名人员，每个组织都有公开专员、审核人、"
            "保密审查人和主要负责人；各组织的党务公开目录（多数已生效，部分待备案、已退回或未编制）"
            "和本年度的应公开事项。可重复执行：已加载时不做任何更改。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1",
                            help="打印登录地址时使用的主机名（与 gongkai serve --host 一致）")
        parser.add_argument("--port", type=int, default=8000,
                            help="打印登录地址时使用的端口（与 gongkai serve --port 一致）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from None
        except IntegrityError as error:
            raise CommandError(_("演示数据与数据库中已有的数据冲突（组织代码、同级组织名称或用户名重复），"
                                 "未做任何更改。请在空数据库上加载演示数据。详情：%(e)s")
                               % {"e": error}) from None
        if result.created:
            c = result.counts
            self.stdout.write(self.style.SUCCESS(
                _("已加载演示数据：%(orgs)s 个党组织、%(people)s 名人员、%(aff)s 条组织关系、"
                  "%(grants)s 项角色授权（用时 %(s).1f 秒）")
                % {"orgs": c["orgs"], "people": c["people"], "aff": c["affiliations"],
                   "grants": c["role_grants"], "s": result.seconds}))
        else:
            self.stdout.write(_("演示数据已经加载过，未做任何更改。"))
        # Idempotent: a template gets a new version only when its file changed.
        call_command("catalogue", "load-templates", stdout=self.stdout, stderr=self.stderr)
        self._load_catalogues()
        self._load_disclosures()
        self._print_accounts(options["host"], options["port"])

    def _load_catalogues(self) -> None:
        # After the templates: every catalogue starts from its kind's template.
        report = load_catalogues()
        if not report.created:
            return
        states = "、".join(f"{label} {n}" for label, n in summary(report))
        self.stdout.write(self.style.SUCCESS(
            _("已生成演示目录（%(states)s）和应公开事项 %(obligations)s 项（已完成 %(fulfilled)s 项、"
              "已逾期 %(overdue)s 项；用时 %(s).1f 秒）")
            % {"states": states, "obligations": report.obligations, "fulfilled": report.fulfilled,
               "overdue": report.overdue, "s": report.seconds}))
        if report.skipped:
            self.stdout.write(_("以下组织的类型没有唯一的目录模板，未生成目录：%(codes)s")
                              % {"codes": "、".join(report.skipped)})

    def _load_disclosures(self) -> None:
        # After the catalogues: items are made from their entries and fulfil their obligations.
        report = load_disclosures()
        if not report.created:
            return
        states = "、".join(f"{label} {n}" for label, n in disclosure_summary(report))
        self.stdout.write(self.style.SUCCESS(
            _("已生成演示公开事项 %(n)s 项（%(states)s；完成应公开事项 %(f)s 项；用时 %(s).1f 秒）")
            % {"n": sum(report.statuses.values()), "states": states,
               "f": report.fulfilled, "s": report.seconds}))

    def _print_accounts(self, host: str, port: int) -> None:
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write("")
        self.stdout.write(_("启动服务（make demo 会自动启动）后，在浏览器打开：http://%(h)s:%(p)s/")
                          % {"h": shown_host, "p": port})
        self.stdout.write(_("演示账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
        names = dict(Org.objects.filter(code__in=[a.org_code for a in DEMO_ACCOUNTS])
                     .values_list("code", "name"))
        if len(names) < len({a.org_code for a in DEMO_ACCOUNTS}):
            names = {o.code: o.name for o in build_plan().orgs}
        rows = [(_("用户名"), _("角色"), _("组织"))]
        rows += [(a.username, account_role_label(a), names.get(a.org_code, a.org_code))
                 for a in DEMO_ACCOUNTS]
        widths = [max(_width(row[i]) for row in rows) + 2 for i in range(2)]
        for username, role, org in rows:
            self.stdout.write(f"  {_pad(username, widths[0])}{_pad(role, widths[1])}{org}")
