"""gongkai worker [--workers 2] [--worker-type thread|process] [--no-periodic]: the job consumer.

It runs the jobs queued by the site (gongkai/jobs.py) and, unless --no-periodic, the periodic
ones such as the 07:30 notification digest. SIGTERM stops it after the running jobs (30 s at
most), Ctrl+C at once; an interrupted job is safe to run again."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import autodiscover_modules
from huey.consumer_options import ConsumerConfig

from gongkai.ops.management.commands.serve import _ranged

DEFAULT_WORKERS = 2


class Command(BaseCommand):
    help = ("启动后台任务进程（huey）：发送通知邮件、每日汇总等。"
            "gongkai worker [--workers 2] [--worker-type thread|process] [--no-periodic]")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=_ranged("--workers", 1, 64), default=DEFAULT_WORKERS,
                            help=f"同时执行任务的线程（或进程）数，默认 {DEFAULT_WORKERS}")
        parser.add_argument("--worker-type", choices=["thread", "process"], default="thread",
                            help="thread（默认；任务多在等邮件服务器、数据库）或 process")
        parser.add_argument("--no-periodic", action="store_true",
                            help="不执行定时任务（如每日汇总）；多台机器时只让一台执行定时任务")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.JOBS_IMMEDIATE:
            raise CommandError("GONGKAI_JOBS_IMMEDIATE=true：任务在网站进程中直接执行，不需要 worker。"
                               "要使用 worker，请去掉该设置")
        from gongkai.jobs import huey

        # Every app's tasks.py registers its jobs; the queue names them, the worker must know them.
        autodiscover_modules("tasks")
        config = ConsumerConfig(workers=options["workers"], worker_type=options["worker_type"],
                                periodic=not options["no_periodic"], check_worker_health=True,
                                # SIGTERM (systemd, `gongkai serve --with-worker`) lets running
                                # jobs finish for up to 30 s; Ctrl+C stops at once.
                                graceful_signal="TERM", shutdown_timeout=30)
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers and not logging.getLogger().handlers:
            config.setup_logger(logger)
        storage = (f"Redis（{settings.JOBS_QUEUE_NAME}）" if settings.JOBS_REDIS_URL
                   else str(settings.JOBS_SQLITE_PATH))
        unit = "线程" if options["worker_type"] == "thread" else "进程"
        periodic = "不执行" if options["no_periodic"] else "执行"
        self.stdout.write(self.style.SUCCESS(
            f"后台任务进程已启动：{options['workers']} 个{unit}，队列 {storage}，"
            f"定时任务{periodic}（按 Ctrl+C 停止）"))
        self.stdout.flush()
        huey.create_consumer(**config.values).run()
