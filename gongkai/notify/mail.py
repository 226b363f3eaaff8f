"""E-mailing notifications: one at a time for people who chose "immediate", one digest a day
for those who chose "daily digest". Called by the jobs in tasks.py and by `gongkai notify digest`.

Each notification is e-mailed at most once. It is claimed (emailed_at set) in a short
transaction before the mail goes out, so a job run twice, or by two workers at once, sends it
once; if the mail server refuses, the claim is released and the job's retry sends it later."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gongkai.notify.models import DEFAULT_EMAIL_MODE, EmailMode, Notification

logger = logging.getLogger(__name__)

# A digest lists this many; the rest are counted and waiting on the notification page.
DIGEST_MAX_ITEMS = 50
# What a mail server or its connection raises when a message cannot be handed over.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def absolute_url(path: str) -> str:
    """A link for an e-mail. Without GONGKAI_SITE_URL the reader sees the path on the site."""
    return f"{settings.SITE_URL}{path}" if path and settings.SITE_URL else path


def _one_line(text: str) -> str:
    # A line break in a Subject header is refused by Django (header injection).
    return " ".join(text.split())


def _mode_is(mode: str) -> Q:
    """Recipients whose e-mail mode is `mode`, counting those who never chose as the default."""
    chosen = Q(recipient__notify_preference__email_mode=mode)
    if mode == DEFAULT_EMAIL_MODE:
        chosen |= Q(recipient__notify_preference__isnull=True)
    return chosen


def _deliverable() -> QuerySet[Notification]:
    """Unread, not yet e-mailed, to an active person with an e-mail address."""
    return (Notification.objects
            .filter(read_at__isnull=True, emailed_at__isnull=True, recipient__is_active=True)
            .exclude(recipient__email=""))


def _release(ids: list[int], claimed_at: datetime) -> None:
    Notification.objects.filter(pk__in=ids, emailed_at=claimed_at).update(emailed_at=None)


def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to a person who chose "immediate". True if a mail went out; False
    when there is nothing to do: the notification is gone, read, already e-mailed, or its
    recipient has since chosen otherwise, been deactivated or has no address."""
    now = timezone.now()
    with transaction.atomic():
        notification = (_deliverable().filter(_mode_is(EmailMode.IMMEDIATE), pk=notification_id)
                        .select_for_update(of=("self",)).select_related("recipient").first())
        if notification is None:
            return False
        notification.emailed_at = now
        notification.save(update_fields=["emailed_at"])
    recipient: Any = notification.recipient
    body = render_to_string("notify/email/single.txt", {
        "notification": notification, "link": absolute_url(notification.url),
        "person": recipient, "SITE_NAME": settings.SITE_NAME,
        "notifications_link": absolute_url(reverse("notify:list")),
    })
    try:
        send_mail(_one_line(f"[{settings.SITE_NAME}] {notification.subject}"), body, None,
                  [recipient.email])
    except MAIL_ERRORS:
        _release([notification.pk], now)
        raise
    return True


@dataclass
class DigestReport:
    people: int = 0
    notifications: int = 0
    failed: list[str] = field(default_factory=list)  # usernames whose digest could not be sent


def send_digests(now: datetime | None = None) -> DigestReport:
    """One e-mail per "daily digest" person listing their unread, not yet e-mailed
    notifications created up to `now`. Run daily by the worker (07:30) or by hand; running it
    again sends only what arrived since."""
    now = now or timezone.now()
    pending = _deliverable().filter(_mode_is(EmailMode.DIGEST), created_at__lte=now)
    people = list(pending.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))
    users = get_user_model()._default_manager.in_bulk(people)
    report = DigestReport()
    for person_id in people:
        person: Any = users.get(person_id)
        if person is None:
            continue
        try:
            sent = _send_digest(person, pending.filter(recipient_id=person_id), now)
        except MAIL_ERRORS:
            logger.exception("digest for %s could not be sent", person.username)
            report.failed.append(person.username)
            continue
        if sent:
            report.people += 1
            report.notifications += sent
    return report


def _send_digest(person: Any, pending: QuerySet[Notification], now: datetime) -> int:
    claimed_at = timezone.now()
    with transaction.atomic():
        # Locked, then claimed: a second run waiting on these rows finds them e-mailed.
        rows = list(pending.select_for_update(of=("self",)).order_by("created_at", "id"))
        if not rows:
            return 0
        ids = [n.pk for n in rows]
        Notification.objects.filter(pk__in=ids).update(emailed_at=claimed_at)
    body = render_to_string("notify/email/digest.txt", {
        "person": person, "items": [(n, absolute_url(n.url)) for n in rows[:DIGEST_MAX_ITEMS]],
        "more": max(0, len(rows) - DIGEST_MAX_ITEMS), "total": len(rows),
        "date": timezone.localdate(now), "SITE_NAME": settings.SITE_NAME,
        "notifications_link": absolute_url(reverse("notify:list")),
    })
    subject = f"[{settings.SITE_NAME}] 通知汇总：{len(rows)} 条未读（{timezone.localdate(now):%Y-%m-%d}）"
    try:
        send_mail(_one_line(subject), body, None, [person.email])
    except MAIL_ERRORS:
        _release(ids, claimed_at)
        raise
    return len(rows)
