"""In-app notifications (通知) and how each person wants them e-mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("立即发送")
    DIGEST = "digest", _("每日汇总")
    OFF = "off", _("不发送邮件")


# A person who never chose hears of pending work once a day: nobody is flooded, nobody misses it.
DEFAULT_EMAIL_MODE = EmailMode.DIGEST


class Notification(models.Model):
    """One message to one person: something happened that concerns them (a task assigned, an
    item opened to them). Stored first, shown in the notification list, then perhaps e-mailed.

    `dedup_key` names the event from the caller's side (e.g. `task:42:assigned`): the same
    event notifies a person once however often the job that reports it runs."""

    # Not indexed on its own: the unique (recipient, dedup_key) index starts with it.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", db_index=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类别"), max_length=32)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # A path on this site (/staff/...), never an outside address.
    url = models.CharField(_("链接"), max_length=500, blank=True)
    dedup_key = models.CharField(max_length=200)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="notify_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_recipient_newest"),
            # The header's unread count and the unread filter read only this small index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notify_unread"),
            # The daily digest scans what is still unread and not yet e-mailed.
            models.Index(fields=["created_at"], condition=Q(read_at__isnull=True, emailed_at__isnull=True),
                         name="notify_digest_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"


class NotifyPreference(models.Model):
    """How a person wants notifications e-mailed. No row means DEFAULT_EMAIL_MODE."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notify_preference")
    email_mode = models.CharField(_("邮件提醒"), max_length=16, choices=EmailMode.choices,
                                  default=DEFAULT_EMAIL_MODE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"
