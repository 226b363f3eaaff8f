"""The portal's one write: remembering that a signed-in reader opened an item.

Not audited: it records a reading, not a change to anything the platform publishes or decides,
and the audit log would otherwise grow with every page view."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.disclosures.models import Disclosure
from gongkai.portal.models import ReadMark


def mark_read(*, user: Any, item: Disclosure) -> None:
    """Mark `item` read for `user` (a signed-in reader who may see it: the caller has read it
    through the gate). One INSERT; a second opening keeps the first time."""
    if not getattr(user, "is_authenticated", False):
        return
    ReadMark.objects.bulk_create(
        [ReadMark(user_id=user.pk, disclosure=item, read_at=timezone.now())], ignore_conflicts=True
    )
