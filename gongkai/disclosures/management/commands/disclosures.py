"""gongkai disclosures notify-openings: tell the officers of staged items (先党内后党外) whose
public date has come, now (the worker does it every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.disclosures.openings import notify_openings


class Command(BaseCommand):
    help = (
        "公开事项：notify-openings 立即通知“先党内后党外”已到向社会公开时间的事项的公开专员"
        "（worker 每 5 分钟自动执行；重复执行不会重复通知）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("notify-openings", help="处理已到向社会公开时间、尚未通知的事项")

    def handle(self, *args: Any, **options: Any) -> None:
        total_items = total_people = 0
        while True:  # the job handles a batch per run; the command finishes the backlog
            report = notify_openings()
            total_items += report.items
            total_people += report.people
            if report.items == 0:
                break
        self.stdout.write(f"已向社会公开的事项：处理 {total_items} 个，通知 {total_people} 人次")
