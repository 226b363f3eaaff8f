"""`gongkai serve` parses its arguments strictly and really serves the site under gunicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.ops.management.commands.serve import Command
from gongkai.ops.server import port_is_free, server_options, site_url


def _parse(*args: str):
    return Command().create_parser("gongkai", "serve").parse_args(list(args))


def test_defaults():
    options = _parse()
    assert (options.host, options.port, options.workers) == ("127.0.0.1", 8000, 2)


ALL_INTERFACES = "0.0.0.0"  # noqa: S104 -- parsed, never bound, in these tests


def test_host_port_and_workers_are_parsed():
    options = _parse("--host", ALL_INTERFACES, "--port", "8001", "--workers", "3")
    assert (options.host, options.port, options.workers) == (ALL_INTERFACES, 8001, 3)


@pytest.mark.parametrize("args", [
    ["--port", "0"], ["--port", "65536"], ["--port", "http"], ["--workers", "0"],
    ["--workers", "many"], ["--threads", "-1"],
])
def test_bad_arguments_are_refused_in_chinese(args):
    with pytest.raises(CommandError, match="之间的整数"):
        call_command("serve", *args)


def test_gunicorn_options():
    options = server_options(host="::1", port=8001, workers=3, threads=2)
    assert options["bind"] == ["[::1]:8001"]
    assert (options["workers"], options["threads"], options["worker_class"]) == (3, 2, "gthread")
    assert site_url(ALL_INTERFACES, 8001) == "http://127.0.0.1:8001/"
    assert site_url("::1", 8001) == "http://[::1]:8001/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_busy_port_is_refused_with_a_clear_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
        with pytest.raises(CommandError, match="已被占用"):
            call_command("serve", "--port", str(port))


def test_serves_healthz_and_prints_the_url(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"GONGKAI_DATABASE_URL", "GONGKAI_REDIS_URL"}}
    # A throw-away SQLite under tmp_path: /healthz only needs the database to answer.
    env.update(GONGKAI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings")
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body, deadline = None, time.monotonic() + 20
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = (r.status, r.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None and body[0] == 200, server.stderr.read() if server.poll() else ""
        assert b'"status": "ok"' in body[1]
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js", timeout=5) as r:
            assert r.status == 200  # static files come from whitenoise, no separate server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            stdout, _ = server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            stdout, _ = server.communicate()
    assert f"http://127.0.0.1:{port}/" in stdout
