"""Writes of the notification platform: notify people, mark notifications read, choose how
notifications are e-mailed.

`notify` is for domain actions and their jobs, which decide who should hear of an event (and
must pass only people allowed to see what the notification names: its subject and body are
shown as they are). It is idempotent by `dedup_key`, so a job that reports the same event twice
notifies nobody twice."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.jobs import enqueue_on_commit
from gongkai.notify import tasks
from gongkai.notify.mail import send_digests
from gongkai.notify.models import DEFAULT_EMAIL_MODE, EmailMode, Notification, NotifyPreference
from gongkai.notify.queries import email_mode_for

__all__ = ["mark_read", "notify", "send_digests", "set_email_mode"]

KIND_PATTERN = re.compile(r"[a-z][a-z0-9_.]{0,31}")
SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200
MARK_READ_MAX = 500


# Recipients are handled this many at a time: SQLite limits the variables of one statement.
CHUNK = 500


def _active(ids: list[int]) -> list[int]:
    # Inactive accounts cannot sign in to read anything.
    active = get_user_model()._default_manager.filter(pk__in=ids, is_active=True)
    return sorted(active.values_list("pk", flat=True))


def _check(kind: str, subject: str, url: str, dedup_key: str) -> str:
    # Mistakes of the calling code, not of a user: fail loudly.
    if not KIND_PATTERN.fullmatch(kind):
        raise ValueError(f"kind must be a short lowercase code: {kind!r}")
    if not dedup_key or len(dedup_key) > 200:
        raise ValueError("dedup_key must name the event in 1-200 characters")
    if url and (not url.startswith("/") or url.startswith("//")):
        # A notification links into this site only, never to an outside address.
        raise ValueError(f"url must be a path on this site: {url!r}")
    subject = " ".join(subject.split())
    if not subject:
        raise ValueError("a notification needs a subject")
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


@transaction.atomic
def notify(recipients: Iterable[Any], *, kind: str, subject: str, body: str = "", url: str = "",
           dedup_key: str) -> list[Notification]:
    """Tell each recipient (users or user ids) about one event. A recipient already told about
    `dedup_key` is not told again. Those who chose immediate e-mail get one, queued when the
    caller's transaction commits. Returns the recipients' notifications for this event."""
    subject = _check(kind, subject, url, dedup_key)
    everyone = sorted({int(getattr(r, "pk", r)) for r in recipients})
    now = timezone.now()
    notifications: list[Notification] = []
    for start in range(0, len(everyone), CHUNK):
        ids = _active(everyone[start:start + CHUNK])
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, created_at=now, kind=kind, subject=subject, body=body,
                          url=url, dedup_key=dedup_key) for pk in ids],
            ignore_conflicts=True,  # the unique (recipient, dedup_key): told once
        )
        told = list(Notification.objects.filter(recipient_id__in=ids, dedup_key=dedup_key))
        immediate = _with_mode(ids, EmailMode.IMMEDIATE)
        for notification in told:
            if notification.recipient_id in immediate and notification.emailed_at is None:
                # Queued again when notify runs again: harmless, the job sends at most once.
                enqueue_on_commit(tasks.send_email, notification.pk)
        notifications.extend(told)
    return notifications


def _with_mode(ids: list[int], mode: str) -> set[int]:
    chosen = dict(NotifyPreference.objects.filter(user_id__in=ids).values_list("user_id", "email_mode"))
    return {pk for pk in ids if chosen.get(pk, DEFAULT_EMAIL_MODE) == mode}


def mark_read(user: Any, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own notifications read: the listed ones, or all. Someone else's id (or a
    missing one) refuses the whole request and marks nothing. Returns how many were unread."""
    now = timezone.now()
    mine = Notification.objects.filter(recipient_id=user.pk)
    if ids == "all":
        return mine.filter(read_at__isnull=True).update(read_at=now)
    wanted = set(ids)
    if len(wanted) > MARK_READ_MAX:
        raise ValidationError({"ids": _("一次最多标记 %(n)s 条通知") % {"n": MARK_READ_MAX}})
    with transaction.atomic():
        found = set(mine.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = sorted(wanted - found)
        if missing:
            raise ValidationError({"ids": _("没有这些通知：%(ids)s")
                                   % {"ids": "、".join(str(pk) for pk in missing[:20])}})
        return mine.filter(pk__in=found, read_at__isnull=True).update(read_at=now)


@transaction.atomic
def set_email_mode(*, actor: Any, mode: str) -> str:
    """The actor chooses how their own notifications are e-mailed."""
    if mode not in EmailMode.values:
        raise ValidationError({"email_mode": _("邮件提醒须为：立即发送、每日汇总或不发送邮件")})
    old = email_mode_for(actor)
    if old != mode:
        NotifyPreference.objects.update_or_create(user_id=actor.pk, defaults={"email_mode": mode})
        record(actor=actor, action="notify.preference", obj=actor, old={"email_mode": old},
               new={"email_mode": mode})
    return mode
