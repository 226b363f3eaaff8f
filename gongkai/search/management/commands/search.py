"""gongkai search reindex [--kind K] | query TEXT [--kind K] [--limit N] | stats

`reindex` rebuilds the index from the providers the apps registered (published disclosure
items); `query` shows what a search finds in the index, for an operator checking it (no
visibility gate: the console operator sees the index itself, as with the database)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from gongkai.search import hooks, indexing, queries
from gongkai.search.models import SearchDocument
from gongkai.search.text import QueryError


class Command(BaseCommand):
    help = "全文检索：reindex [--kind K] | query TEXT [--kind K] [--limit N] | stats"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        reindex = sub.add_parser("reindex", help="由各应用登记的来源重建索引（已发布的公开事项）")
        reindex.add_argument("--kind", action="append", help="只重建这一类（可重复），如 disclosure")
        query = sub.add_parser("query", help="在索引中检索，列出命中的编号和标题（不经可见性闸门）")
        query.add_argument("text")
        query.add_argument("--kind", default="disclosure")
        query.add_argument("--limit", type=int, default=20)
        sub.add_parser("stats", help="各类文档的数量")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['sub']}")(options)

    def do_reindex(self, options: dict[str, Any]) -> None:
        kinds = options["kind"]
        unknown = sorted(set(kinds or []) - set(hooks.providers()))
        if unknown:
            raise CommandError(
                f"未知的类别：{'、'.join(unknown)}（可选：{'、'.join(sorted(hooks.providers())) or '无'}）"
            )
        started = time.monotonic()
        counts = indexing.reindex(kinds)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒")

    def do_query(self, options: dict[str, Any]) -> None:
        try:
            docs = queries.matching(options["kind"], options["text"])
        except QueryError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"共 {docs.count()} 条")
        for object_id, title in docs.values_list("object_id", "title")[: max(options["limit"], 0)]:
            self.stdout.write(f"{object_id}\t{title}")

    def do_stats(self, options: dict[str, Any]) -> None:
        rows = SearchDocument.objects.order_by("kind").values("kind").annotate(n=Count("id"))
        for row in rows:
            self.stdout.write(f"{row['kind']}: {row['n']}")
