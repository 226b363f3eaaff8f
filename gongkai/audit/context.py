"""Who is acting, from where: set once per request (or CLI command) and read by the audit log,
so actions need not thread the request through every call."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    channel: str  # "web", "api", "cli", "job"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "gongkai_request_context", default=None
)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, ip=None, channel="internal")
    return ctx


@contextmanager
def bind(*, ip: str | None, channel: str, request_id: str | None = None) -> Iterator[RequestContext]:
    ctx = RequestContext(request_id=request_id or uuid.uuid4().hex, ip=ip, channel=channel)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
