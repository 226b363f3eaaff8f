"""Jobs of the notification platform. They take ids and call mail.py; running one twice sends
nothing twice (see mail.py)."""

from __future__ import annotations

from django.utils import timezone

from gongkai import jobs
from gongkai.notify import mail

DIGEST_HOUR, DIGEST_MINUTE = 7, 30


# A mail server that is down for a while: try again for about an hour before giving up.
@jobs.task(retries=6, retry_delay=600)
def send_email(notification_id: int) -> None:
    mail.send_notification_email(notification_id)


class DigestIncomplete(Exception):
    """Some digests could not be sent; the job's retry sends those (and only those)."""


@jobs.periodic_task(jobs.daily_at(DIGEST_HOUR, DIGEST_MINUTE), retries=3, retry_delay=900)
def daily_digest() -> None:
    report = mail.send_digests(timezone.now())
    if report.failed:
        raise DigestIncomplete(f"{len(report.failed)} digests not sent: {', '.join(report.failed[:20])}")
