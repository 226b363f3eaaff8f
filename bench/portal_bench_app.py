"""What the load test adds to the served application (through bench/portal_settings.py only).

- `ServerTiming`, the outermost middleware: the time from the request entering Django's
  middleware to the finished response (every query and the template included; the socket,
  gunicorn and the WSGI handler's few microseconds not), sent as a `Server-Timing: app;dur=<ms>`
  header and, for requests labelled with `X-Bench-Page: <label>`, appended as
  "<label>\\t<ms>" to a file per process under $BENCH_TIMING_DIR (one O_APPEND write per line, so
  the threads of a worker never interleave a line).
- Two reference pages serving the bytes of one captured item page ($BENCH_ITEM_FILE):
  `/__bench/static-item`, a trivial view behind the full middleware stack (session,
  authentication, CSRF, locale …), and `/__bench/raw-item`, answered by `ServerTiming` itself
  before any other middleware. The item page's requests per second over theirs is what the
  page's own work (queries and template) costs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gongkai.urls import urlpatterns as application_patterns

RAW_ITEM = "/__bench/raw-item"


@cache
def captured_item() -> bytes:
    with open(os.environ["BENCH_ITEM_FILE"], "rb") as handle:
        return handle.read()


def item_bytes() -> HttpResponse:
    return HttpResponse(captured_item(), content_type="text/html; charset=utf-8")


def static_item(request: HttpRequest) -> HttpResponse:
    return item_bytes()


class ServerTiming:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        directory = os.environ.get("BENCH_TIMING_DIR")
        self.log = None
        if directory:
            self.log = os.open(
                os.path.join(directory, f"timing-{os.getpid()}.tsv"),
                os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                0o644,
            )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = item_bytes() if request.path == RAW_ITEM else self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.2f}"
        label = request.headers.get("X-Bench-Page")
        if label and self.log is not None:
            os.write(self.log, f"{label}\t{elapsed:.3f}\t{response.status_code}\n".encode())
        return response


urlpatterns = [path("__bench/static-item", static_item), *application_patterns]
