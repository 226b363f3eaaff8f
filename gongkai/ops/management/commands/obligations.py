"""gongkai obligations derive [--year Y ...] [--org CODE] | overdue [--org CODE] [--limit N].

`derive` is idempotent: run it once a year (early December) so next year's obligations exist
before January, or after restoring data; catalogues coming into force derive their own."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.catalogue import obligations
from gongkai.catalogue.deadlines import period_label
from gongkai.catalogue.models import Obligation
from gongkai.orgs.models import Org


def _org(code: str | None) -> Org | None:
    if code is None:
        return None
    org = Org.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"没有代码为 {code} 的组织")
    return org


class Command(BaseCommand):
    help = "应公开事项：derive [--year Y] [--org CODE] 按生效目录生成；overdue [--org CODE] 列出逾期事项"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        derive = sub.add_parser("derive", help="按生效中的目录生成（或校正）某些年份的应公开事项")
        derive.add_argument("--year", type=int, action="append", dest="years",
                            help="年份，可重复；默认为今年（12月起含明年）")
        derive.add_argument("--org", help="只处理该组织（代码）；默认全部组织")
        derive.add_argument("--workers", type=int, default=2,
                            help="PostgreSQL 上并行的数据库连接数（默认 2；1 为单个事务）")
        overdue = sub.add_parser("overdue", help="列出逾期未完成的应公开事项")
        overdue.add_argument("--org", help="该组织及其下级（代码）；默认全部")
        overdue.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        org = _org(options.get("org"))
        if options["sub"] == "derive":
            years = options["years"]
            if years and any(not 2000 <= y <= 2100 for y in years):
                raise CommandError("年份须在 2000 到 2100 之间")
            started = time.monotonic()
            if not 1 <= options["workers"] <= 16:
                raise CommandError("--workers 须在 1 到 16 之间")
            report = obligations.derive_recorded(actor=None, years=years,
                                                 org_ids=[org.pk] if org else None,
                                                 workers=options["workers"])
            self.stdout.write(
                f"应公开事项 {'、'.join(map(str, report.years))} 年：目录 {report.versions} 个，"
                f"新增 {report.created}，更新 {report.updated}，删除 {report.removed}"
                f"（{time.monotonic() - started:.1f} 秒）")
            return
        qs = Obligation.objects.filter(fulfilled_at__isnull=True, due_date__lt=timezone.localdate())
        if org is not None:
            qs = qs.filter(org__path__startswith=org.path)
        qs = qs.select_related("org", "entry").order_by("due_date", "org__path")
        total = qs.count()
        for ob in qs[: options["limit"]]:
            self.stdout.write(f"{ob.due_date.isoformat()}  {ob.org.code}  {ob.org.name}  "
                              f"{ob.entry.item}（{period_label(ob.period)}）")
        self.stdout.write(f"逾期 {total} 项")
