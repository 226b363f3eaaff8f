from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.chain import verify


class Command(BaseCommand):
    help = "审计日志：`gongkai audit verify` 校验哈希链 (walks the hash chain of audit events)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验审计日志哈希链是否完整、未被篡改")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            result = verify()
            if result.ok:
                self.stdout.write(f"OK {result.count} events")
                return
            # CommandError exits with status 1 and prints to stderr.
            raise CommandError(
                f"BROKEN at event #{result.broken_seq}: {result.problem} "
                f"(checked {result.count} events)"
            )
