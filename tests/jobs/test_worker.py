"""`gongkai worker` and `gongkai serve --with-worker`: a job queued in the embedded SQLite queue
is really run by a separate worker process, which stops with the site."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.ops.management.commands.serve import Command as ServeCommand
from gongkai.ops.management.commands.worker import Command as WorkerCommand


def test_worker_defaults():
    options = WorkerCommand().create_parser("gongkai", "worker").parse_args([])
    assert (options.workers, options.worker_type, options.no_periodic) == (2, "thread", False)


@pytest.mark.parametrize("args", [["--workers", "0"], ["--workers", "65"], ["--workers", "many"]])
def test_bad_worker_arguments_are_refused_in_chinese(args):
    with pytest.raises(CommandError, match="之间的整数"):
        call_command("worker", *args)


def test_no_worker_when_jobs_run_inline():
    # The tests run with JOBS_IMMEDIATE: a worker would consume an empty in-memory queue.
    with pytest.raises(CommandError, match="GONGKAI_JOBS_IMMEDIATE"):
        call_command("worker")


def test_serve_learns_with_worker():
    parser = ServeCommand().create_parser("gongkai", "serve")
    assert parser.parse_args(["--with-worker"]).with_worker is True
    assert parser.parse_args([]).with_worker is False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


QUEUE_A_NOTIFICATION = """
from django.db import transaction
from gongkai.notify import actions
from gongkai.people.models import User
person = User.objects.create(username="e2e", real_name="端到端", email="e2e@example.org")
actions.set_email_mode(actor=person, mode="immediate")
with transaction.atomic():
    actions.notify([person], kind="test", subject="端到端测试通知", dedup_key="e2e")
"""


def _emailed_at(var_dir) -> str | None:
    with sqlite3.connect(var_dir / "gongkai.sqlite3") as db:
        row = db.execute("SELECT emailed_at FROM notify_notification").fetchone()
    return row[0] if row else None


def test_serve_with_worker_runs_queued_jobs_and_stops_the_worker(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"GONGKAI_DATABASE_URL", "GONGKAI_REDIS_URL", "GONGKAI_EMAIL_URL",
                        "GONGKAI_JOBS_IMMEDIATE"}}
    env.update(GONGKAI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings")
    cli = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*cli, "migrate", "--no-input"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([*cli, "shell", "-c", QUEUE_A_NOTIFICATION], env=env, check=True, capture_output=True,
                   timeout=60)
    assert _emailed_at(tmp_path) is None  # queued in var/jobs.sqlite3, nobody has run it yet
    assert (tmp_path / "jobs.sqlite3").exists()

    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1", "--with-worker"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and server.poll() is None and _emailed_at(tmp_path) is None:
            time.sleep(0.3)
        output = log.read_text()
        assert _emailed_at(tmp_path) is not None, output
        assert "To: e2e@example.org" in output  # the console mail backend, in the worker's output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
        worker_pid = int(re.search(r"后台任务进程已启动（进程号 (\d+)）", output).group(1))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # stopped and reaped with the site
