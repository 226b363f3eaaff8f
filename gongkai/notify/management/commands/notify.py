"""gongkai notify digest: send the daily notification digests now (the worker does it at 07:30)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.notify.mail import send_digests


class Command(BaseCommand):
    help = "通知：digest 立即发送每日汇总邮件（worker 每天 7:30 自动发送；重复执行只发送之后新到的通知）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("digest", help="向选择“每日汇总”的人发送未读、尚未发过邮件的通知")

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_digests(timezone.now())
        self.stdout.write(f"每日汇总：发送 {report.people} 封邮件，含 {report.notifications} 条通知")
        if report.failed:
            raise CommandError(f"{len(report.failed)} 人的汇总邮件发送失败（下次执行时重发）："
                               f"{'、'.join(report.failed[:20])}")
