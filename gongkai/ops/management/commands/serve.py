from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from gongkai.ops.server import ALL_INTERFACES, GongkaiServer, port_is_free, server_options, site_url

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def _ranged(name: str, low: int, high: int) -> Any:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(
                _("%(name)s 须为 %(low)s 到 %(high)s 之间的整数：%(v)s")
                % {"name": name, "low": low, "high": high, "v": value})
        return number

    return parse


class Command(BaseCommand):
    help = ("以生产方式启动网站（gunicorn，静态文件由 whitenoise 提供）："
            "gongkai serve [--host 127.0.0.1] [--port 8000] [--workers N] [--with-worker]")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1",
                            help="监听地址；0.0.0.0 表示所有网卡（还须设置 GONGKAI_ALLOWED_HOSTS）")
        parser.add_argument("--port", type=_ranged("--port", 1, 65535), default=8000,
                            help="端口，默认 8000")
        parser.add_argument("--workers", type=_ranged("--workers", 1, 64), default=DEFAULT_WORKERS,
                            help=f"工作进程数，默认 {DEFAULT_WORKERS}")
        parser.add_argument("--threads", type=_ranged("--threads", 1, 64), default=DEFAULT_THREADS,
                            help=f"每个工作进程的线程数，默认 {DEFAULT_THREADS}")
        parser.add_argument("--with-worker", action="store_true",
                            help="同时启动后台任务进程（gongkai worker），随网站一起停止；"
                                 "单机部署和 make demo 使用")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        try:
            free = port_is_free(host, port)
        except (OSError, UnicodeError):
            raise CommandError(_("无法使用监听地址：%(h)s") % {"h": host}) from None
        if not free:
            raise CommandError(_("端口 %(p)s 已被占用：请用 --port 换一个端口"
                                 "（make demo 时：PORT=8001 make demo）") % {"p": port})
        try:
            self.check_migrations()
        except DatabaseError as error:
            self.stderr.write(_("警告：无法连接数据库（%(e)s）；/healthz 将返回 503") % {"e": error})
        # Workers are forked from this process: they must not share its database connection.
        connections.close_all()
        url = site_url(host, port)

        def ready(_arbiter: Any) -> None:
            self.stdout.write(self.style.SUCCESS(
                _("党务公开平台已启动：%(url)s （按 Ctrl+C 停止）") % {"url": url}))
            if host in ALL_INTERFACES:
                self.stdout.write(_("正在监听所有网卡；用其他地址访问时，请把该地址加入 "
                                    "GONGKAI_ALLOWED_HOSTS（当前：%(h)s）")
                                  % {"h": ", ".join(settings.ALLOWED_HOSTS)})
            self.stdout.flush()

        server = GongkaiServer(server_options(host=host, port=port, workers=options["workers"],
                                              threads=options["threads"], when_ready=ready))
        worker = self._start_worker() if options["with_worker"] else None
        try:
            server.run()
        finally:
            if worker is not None:
                _stop(worker)

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        if settings.JOBS_IMMEDIATE:
            self.stdout.write(_("GONGKAI_JOBS_IMMEDIATE=true：后台任务在网站进程中直接执行，不另启动 worker"))
            return None
        # A process of its own (same environment, same settings), not a thread of this one:
        # gunicorn forks this process and owns its signals. It sits in the same process group,
        # so Ctrl+C in the terminal reaches it too; on any other exit it is stopped below.
        worker = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "worker"])
        self.stdout.write(_("后台任务进程已启动（进程号 %(pid)s）") % {"pid": worker.pid})
        self.stdout.flush()
        return worker


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()  # SIGTERM: running jobs may finish (gongkai worker waits 30 s at most)
        try:
            worker.wait(timeout=35)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

