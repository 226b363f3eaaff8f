"""Reads for the portal: the public site and what a signed-in member sees besides.

Every item comes through the visibility gate (`gate.visible_to` for lists, `gate.can_view` for
one item); the revision a reader sees and the attachments that are theirs come from
`disclosures.queries` (`revision_for`, `attachment_for`), as in the API and the staff pages.
Lists show the published title and category, whoever reads them. A missing item and a hidden
one both raise Http404.

One thing is read here outside the gate, on purpose: the tombstone of a withdrawn item
(本信息已撤销 + the public explanation), for readers who could see the item when it was
withdrawn. It shows no body and no attachment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.catalogue.models import CatalogueVersion, Entry
from gongkai.catalogue.queries import catalogue_in_force, entries_of
from gongkai.disclosures import gate
from gongkai.disclosures import queries as disclosure_queries
from gongkai.disclosures.models import (
    AudienceLabel,
    Disclosure,
    ItemStatus,
    Revision,
    Workflow,
    WorkflowKind,
    WorkflowStatus,
)
from gongkai.orgs.models import Org
from gongkai.orgs.queries import ancestors, public_directory
from gongkai.portal.models import ReadMark
from gongkai.workdays import calendar

LATEST_ITEMS = 10
HOME_NOTICES = 10
DIRECTORY_SEARCH_LIMIT = 50
# Labels that address an item to a reader as a member, as staff of a unit or by name: what
# 我的公开 lists. `public` is everyone's, and `oversee:`/`staff:` are working access, not
# something addressed to the reader.
ADDRESSED_PREFIXES = ("party:", "unit:", "person:", "org:")


# --- items in lists -------------------------------------------------------------------------


def _listed(qs: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
    """What a list row shows: the published category and notice period, the org's name."""
    return qs.select_related("org").annotate(
        category=F("published_revision__category"),
        notice_workdays=F("published_revision__notice_workdays"),
    )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def visible_items(
    user: Any,
    *,
    org: Org | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Disclosure]:
    """Items the reader may see, newest first (by when they went live, i.e. when readers could
    first see them), narrowed to one org, one category and a range of go-live days."""
    qs = gate.visible_to(user, now)
    if org is not None:
        qs = qs.filter(org=org)
    if category is not None:
        qs = qs.filter(published_revision__category=category)
    if date_from is not None:
        qs = qs.filter(go_live_at__gte=day_start(date_from))
    if date_to is not None:
        qs = qs.filter(go_live_at__lt=day_start(date_to + timedelta(days=1)))
    return _listed(qs).order_by("-go_live_at", "-id")


def latest_items(user: Any, limit: int = LATEST_ITEMS, now: datetime | None = None) -> list[Disclosure]:
    return list(visible_items(user, now=now)[:limit])


def category_counts(
    user: Any,
    *,
    org: Org | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> list[tuple[str, int]]:
    """(category, number of items the reader may see), most items first; one GROUP BY."""
    qs = visible_items(user, org=org, date_from=date_from, date_to=date_to, now=now)
    rows = qs.order_by().values("published_revision__category").annotate(n=Count("id"))
    counted = [(row["published_revision__category"] or "", row["n"]) for row in rows]
    return sorted(counted, key=lambda pair: (-pair[1], pair[0]))


SITE_COUNTS_SECONDS = 60


def site_category_counts(now: datetime | None = None) -> list[tuple[str, int]]:
    """The categories of the public items across the whole site, with their counts: what the
    home page and the anonymous item list show. Counting every public item costs about a second
    at a million items, so the answer is kept for a minute, and sooner replaced when something
    new is published (the newest publication time is part of the key; an index answers it)."""
    newest = Disclosure.objects.filter(status=ItemStatus.PUBLISHED).aggregate(m=Max("published_at"))["m"]
    key = f"portal:site-categories:{newest.timestamp() if newest else 0}"
    counts = cache.get(key)
    if counts is None:
        counts = category_counts(AnonymousUser(), now=now)
        cache.set(key, counts, SITE_COUNTS_SECONDS)
    return list(counts)


# --- notices (公示) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeState:
    """Where a notice stands: its period counted in working days from the day it went live
    (that day not counted, as every deadline here), and how many working days are left,
    today included when it is one."""

    start: date
    end: date
    workdays: int
    remaining: int

    @property
    def open(self) -> bool:
        return self.remaining > 0


def notice_state(
    go_live_at: datetime | None,
    workdays: int | None,
    today: date | None = None,
    cal: calendar.Calendar | None = None,
) -> NoticeState | None:
    if go_live_at is None or not workdays:
        return None
    cal = cal or calendar.snapshot()
    today = today or timezone.localdate()
    start = timezone.localdate(go_live_at)
    try:
        end = cal.due(start, workdays)
    except calendar.CalendarInputError:  # a date outside the calendar: no countdown, no error
        return None
    day, remaining = max(today, start + timedelta(days=1)), 0
    while day <= end:
        remaining += cal.is_workday(day)
        day += timedelta(days=1)
    return NoticeState(start=start, end=end, workdays=workdays, remaining=remaining)


@dataclass
class Notice:
    item: Disclosure
    state: NoticeState


def open_notices(user: Any, limit: int = HOME_NOTICES, now: datetime | None = None) -> list[Notice]:
    """Notices the reader may see that are in their notice period now, closing soonest first."""
    now = now or timezone.now()
    return notices_open_in(visible_items(user, now=now), now, limit)


def notices_open_in(items: QuerySet[Disclosure], now: datetime, limit: int) -> list[Notice]:
    """Of `items` (a `visible_items` queryset), the notices whose period has not ended, closing
    soonest first: one range query on the stored end of the period (disclosures.notices), then
    the countdown for the few rows shown."""
    cal, today = calendar.snapshot(), timezone.localdate(now)
    notices = []
    for item in items.filter(notice_ends_on__gte=today).order_by("notice_ends_on", "-pk")[:limit]:
        state = notice_state(item.go_live_at, item.notice_workdays, today, cal)  # type: ignore[attr-defined]
        if state is not None and state.open:
            notices.append(Notice(item, state))
    return notices


# --- the directory ---------------------------------------------------------------------------


def directory() -> list[tuple[Org, list[Org]]]:
    """The top organisations, each with its direct subordinates (two levels; an org's page
    lists its own subordinates)."""
    tops: list[Org] = []
    children: dict[int, list[Org]] = {}
    for org in public_directory(max_depth=1):
        if org.parent_id is None:
            tops.append(org)
            children[org.pk] = []
        elif org.parent_id in children:
            children[org.parent_id].append(org)
    return [(org, children[org.pk]) for org in tops]


def search_directory(text: str, limit: int = DIRECTORY_SEARCH_LIMIT) -> list[Org]:
    """Active orgs whose name or short name contains `text`, highest first (names, kinds and
    contact details of organisations are public)."""
    text = text.strip()
    return list(
        Org.objects.filter(is_active=True)
        .filter(Q(name__icontains=text) | Q(short_name__icontains=text))
        .select_related("kind", "parent")
        .order_by("depth", "sort_order", "path")[:limit]
    )


def org_by_code(code: str) -> Org:
    """Any org by code, active or not (an org that was dissolved still has published items)."""
    org = Org.objects.select_related("kind", "parent").filter(code=code).first()
    if org is None:
        raise Http404
    return org


def org_ancestors(org: Org) -> list[Org]:
    return ancestors(org)


def subordinates(org: Org) -> list[Org]:
    return list(org.children.filter(is_active=True).select_related("kind").order_by("sort_order", "name"))


def catalogue_for(org: Org) -> tuple[CatalogueVersion | None, list[Entry]]:
    """The catalogue in force and its entries; drafts and filings are working papers, never
    read here."""
    version = catalogue_in_force(org)
    return version, list(entries_of(version)) if version is not None else []


# --- one item --------------------------------------------------------------------------------


def _item_base() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related(
        "org__kind", "current", "published_revision", "reposted_from__org", "interprets"
    ).prefetch_related("labels")


def could_see_when_withdrawn(user: Any, item: Disclosure) -> bool:
    """Whether the reader could see `item` the moment it was withdrawn: it had gone live, was
    still displayed, and its labels (kept as they were) met the reader's, as the gate decides
    for live items. Only such readers see its tombstone."""
    at = item.withdrawn_at
    if item.status != ItemStatus.WITHDRAWN or at is None or item.go_live_at is None:
        return False
    if item.go_live_at > at or (item.display_until is not None and item.display_until <= at):
        return False
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return True
    mine = gate.user_labels(user)
    return any(
        label.label in mine and (label.starts_at is None or label.starts_at <= at)
        for label in item.labels.all()
    )


@dataclass
class ItemPage:
    """Everything the item page shows, each part already through the gate."""

    item: Disclosure
    withdrawn: bool = False
    revision: Revision | None = None
    published: bool = True  # False: a staff reader sees a change not yet published
    attachments: list[Any] = field(default_factory=list)
    interpretations: list[Disclosure] = field(default_factory=list)
    interprets: Disclosure | None = None
    reposted_from: Disclosure | None = None
    written_on: date | None = None
    amendments: list[Workflow] = field(default_factory=list)
    notice: NoticeState | None = None


def get_item(user: Any, index_number: str, now: datetime | None = None) -> Disclosure:
    """The item if the reader may see it, or its tombstone if they could when it was withdrawn;
    Http404 otherwise, for a missing item and a hidden one alike."""
    item = _item_base().filter(index_number=index_number).first()
    if item is None:
        raise Http404
    if gate.can_view(user, item, now) or could_see_when_withdrawn(user, item):
        return item
    raise Http404


def item_page(user: Any, item: Disclosure, now: datetime | None = None) -> ItemPage:
    now = now or timezone.now()
    if item.status == ItemStatus.WITHDRAWN:
        return ItemPage(item=item, withdrawn=True)
    revision = disclosure_queries.revision_for(user, item)
    from gongkai.files.models import StoredFile

    files = {f.pk: f for f in StoredFile.objects.filter(pk__in=revision.attachment_ids).defer("text")}
    visible = gate.visible_to(user, now)
    approved = list(
        Workflow.objects.filter(
            disclosure=item,
            status=WorkflowStatus.APPROVED,
            kind__in=[WorkflowKind.PUBLISH, WorkflowKind.AMEND],
        ).order_by("-finished_at", "-id")
    )
    # 成文日期: the day the item was approved for publication. An amendment keeps it (its own
    # date is listed with its explanation), so the date never comes after the 发布日期.
    written = next((w.finished_at for w in reversed(approved) if w.kind == WorkflowKind.PUBLISH), None)
    return ItemPage(
        item=item,
        revision=revision,
        published=revision.pk == item.published_revision_id,
        attachments=[files[i] for i in revision.attachment_ids if i in files],
        interpretations=list(visible.filter(interprets=item).order_by("go_live_at", "id")),
        interprets=visible.filter(pk=item.interprets_id).first() if item.interprets_id else None,
        reposted_from=visible.filter(pk=item.reposted_from_id).first() if item.reposted_from_id else None,
        written_on=timezone.localdate(written) if written else None,
        amendments=[w for w in approved if w.kind == WorkflowKind.AMEND and w.explanation],
        notice=notice_state(item.go_live_at, revision.notice_workdays, timezone.localdate(now)),
    )


def attachment(user: Any, index_number: str, file_id: int) -> Any:
    """A file of an item the reader may see now (never of a tombstone); Http404 otherwise."""
    item = _item_base().filter(index_number=index_number).first()
    if item is None or not gate.can_view(user, item):
        raise Http404
    return disclosure_queries.attachment_for(user, item, file_id)


# --- 我的公开 ---------------------------------------------------------------------------------


def addressed_labels(user: Any) -> set[str]:
    return {label for label in gate.user_labels(user) if label.startswith(ADDRESSED_PREFIXES)}


def _addressed(user: Any, now: datetime | None = None) -> QuerySet[Disclosure]:
    """The items addressed to the reader, through the gate. The addressed labels name a few
    hundred items at most, so their ids are read first (one index range on the labels) and the
    gate then checks just those: left to one statement, PostgreSQL misjudges how many items such
    labels name and walks every live item newest first looking for them (seconds at a million)."""
    candidates = list(
        AudienceLabel.objects.filter(label__in=addressed_labels(user)).values_list("disclosure_id", flat=True)
    )
    return gate.visible_to(user, now or timezone.now()).filter(pk__in=candidates)


def _read_by(user: Any) -> Exists:
    return Exists(ReadMark.objects.filter(user_id=user.pk, disclosure=OuterRef("pk")))


def my_items(user: Any, now: datetime | None = None) -> QuerySet[Disclosure]:
    """Items addressed to the reader (to their party organisations, their units, or them by
    name or by org) that they may see now, newest first, each with `is_read`."""
    return _listed(_addressed(user, now)).annotate(is_read=_read_by(user)).order_by("-go_live_at", "-id")


def unread_count(user: Any, now: datetime | None = None) -> int:
    return _addressed(user, now).filter(~_read_by(user)).count()
