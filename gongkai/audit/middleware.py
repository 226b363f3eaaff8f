from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongkai.audit import context


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and records the client address for
    the audit log. The address is REMOTE_ADDR: behind a proxy, configure the proxy to set it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with context.bind(ip=request.META.get("REMOTE_ADDR"), channel=channel) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response
