"""Reads: a person's own notifications and e-mail preference. Nobody reads another person's
notifications, administrators included: they may name what someone was told about."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.notify.models import DEFAULT_EMAIL_MODE, Notification, NotifyPreference


def notifications_for(user: Any, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first; `unread=True` only unread, False only read."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.order_by("-created_at", "-id")


def get_notification_for(user: Any, pk: int) -> Notification:
    """One of the user's notifications; someone else's raises Http404 like a missing one."""
    notification = notifications_for(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(user: Any) -> int:
    return notifications_for(user, unread=True).count()


def email_mode_for(user: Any) -> str:
    mode = NotifyPreference.objects.filter(user_id=user.pk).values_list("email_mode", flat=True).first()
    return str(mode or DEFAULT_EMAIL_MODE)
