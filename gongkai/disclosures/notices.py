"""The last day of a notice's period (公示期), stored on the item so that "notices open now"
is one indexed range query at any scale, not a working-day count per candidate row.

The period runs `notice_workdays` working days from the day the item goes live (that day not
counted, as every deadline here). It is set when an item is published or amended, and
recomputed when a year's holiday schedule changes (the calendar calls `recompute`)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.workdays import calendar


def end_of(item: Disclosure, cal: calendar.Calendar | None = None) -> date | None:
    revision = item.published_revision
    if item.go_live_at is None or revision is None or not revision.notice_workdays:
        return None
    try:
        return (cal or calendar.snapshot()).due(timezone.localdate(item.go_live_at), revision.notice_workdays)
    except calendar.CalendarInputError:  # a date outside the calendar: no period to count
        return None


def set_end(item: Disclosure) -> None:
    """Store the period's end on `item` (the caller saves it)."""
    item.notice_ends_on = end_of(item)


def recompute(years: set[int]) -> int:
    """After a holiday-schedule change: every published notice that went live in or after the
    earliest changed year (a period can run into the next year) gets its end again."""
    if not years:
        return 0
    return recompute_since(timezone.make_aware(datetime(min(years) - 1, 12, 1)))


def recompute_since(since: datetime | None = None) -> int:
    """Store the end of every published notice that went live since `since` (all when None):
    after a schedule change, and after items were written in bulk (demo, benchmarks)."""
    cal = calendar.snapshot()
    changed = []
    published = Disclosure.objects.filter(status=ItemStatus.PUBLISHED)
    if since is not None:
        published = published.filter(go_live_at__gte=since)
    rows = (
        published
        .filter(~Q(published_revision__notice_workdays=None))
        .select_related("published_revision")
        .only("pk", "go_live_at", "notice_ends_on", "published_revision__notice_workdays")
    )
    for item in rows.iterator(chunk_size=2000):
        end = end_of(item, cal)
        if end != item.notice_ends_on:
            item.notice_ends_on = end
            changed.append(item)
    Disclosure.objects.bulk_update(changed, ["notice_ends_on"], batch_size=2000)
    return len(changed)
