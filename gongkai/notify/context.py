"""The unread count in the staff header: one indexed COUNT, run only when a page draws it, once
per request however often the page asks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_count_for_request(request: HttpRequest) -> int:
    cached = getattr(request, "_notify_unread", None)
    if cached is None:
        from gongkai.notify.queries import unread_count

        user = getattr(request, "user", None)
        cached = unread_count(user) if user is not None and user.is_authenticated else 0
        request._notify_unread = cached  # type: ignore[attr-defined]
    return int(cached)


def unread(request: HttpRequest) -> dict[str, Any]:
    return {"notify_unread": SimpleLazyObject(lambda: unread_count_for_request(request))}
