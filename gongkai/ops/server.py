"""Serving the site in production style: gunicorn (pre-forked workers with threads) running
gongkai.wsgi, static files from whitenoise. Started by `gongkai serve`, so operators need no
gunicorn command line or configuration file."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

ALL_INTERFACES = {"0.0.0.0", "::"}  # noqa: S104 -- recognised here, chosen only by the operator


class GongkaiServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from gongkai.wsgi import application

        return application


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def site_url(host: str, port: int) -> str:
    """The address to open in a browser on this machine."""
    if host in ALL_INTERFACES:
        host = "127.0.0.1"
    return f"http://{bind_address(host, port)}/"


def server_options(*, host: str, port: int, workers: int, threads: int,
                   when_ready: Callable[[Any], None] | None = None) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": [bind_address(host, port)],
        "workers": workers,
        # Threads let one worker wait on a slow phone connection without blocking the rest.
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "gongkai",
        # gunicorn's control socket sits at one fixed path per user, so a second server on the
        # same machine (another port, a test) would fight over it; nothing here uses it.
        "control_socket_disable": True,
    }
    if when_ready is not None:
        options["when_ready"] = when_ready
    return options


def port_is_free(host: str, port: int) -> bool:
    """Whether gunicorn will be able to bind; checked first so a busy port gets a clear message
    instead of five retries and an English error."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # gunicorn binds with SO_REUSEADDR too, so a port in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
