"""Telling people that a staged item (先党内后党外) has opened to the public.

A party item with a "public from" date is readable by everyone from that moment: the gate
decides it at read time from the `public` label's `starts_at`, so nothing here changes who
sees what (DESIGN.md "Jobs ... never decide what is visible"). What nobody would otherwise
notice is the moment itself; the people who answer for the item are told, so they can put it
on the bulletin board, the e-screen and the other channels that reach the public.

Who is told, and why not more:
- the officer who published it and the one who proposed it, and the org's own disclosure
  officers (公开专员): they run the org's channels and answer questions about the item;
- not the party members who were its first readers: they have read it already, the message
  asks nothing of them, and for a county-level item it would be one row (and one digest line)
  for each of thousands of members, for every staged item;
- not the superiors' officers: their `oversee:` label let them read it all along, and a
  county's officers would hear of every staged item of hundreds of organisations.

Exactly once: each item is claimed by a conditional UPDATE of `public_opening_notified_at`
in the transaction that notifies and audits, so two workers (or the job and the command) never
both tell anyone; the notifications' `dedup_key` would stop a duplicate too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.catalogue.vocab import Scope
from gongkai.disclosures import gate, links
from gongkai.disclosures.models import Disclosure
from gongkai.notify.actions import notify
from gongkai.orgs.models import Role, RoleGrant

# Items handled in one run: a run stays short, and the next one (minutes later) goes on.
BATCH = 500
KIND = "disclosure_public"


@dataclass
class OpeningsReport:
    items: int = 0  # staged items recorded as opened in this run
    people: int = 0  # notifications written (one person told about two items counts twice)


def due(now: datetime) -> QuerySet[Disclosure]:
    """Staged items whose public date has come, not yet handled. Live as the gate says (an item
    withdrawn or no longer displayed never opens); only party items open later to the public:
    on other scopes the date opens nothing (gate.item_labels)."""
    return Disclosure.objects.filter(
        gate.live_q(now),
        scope=Scope.PARTY,
        public_from__isnull=False,
        public_from__lte=now,
        public_opening_notified_at__isnull=True,
    )


def notify_openings(now: datetime | None = None, *, limit: int = BATCH) -> OpeningsReport:
    """Handle the staged items that opened by `now` (at most `limit` of them). Run twice, it
    tells nobody twice: the second run finds nothing left to claim."""
    now = now or timezone.now()
    report = OpeningsReport()
    ids = list(due(now).order_by("public_from", "pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        told = _open_one(pk, now)
        if told is not None:
            report.items += 1
            report.people += told
    return report


def _readers(item: Disclosure) -> set[int]:
    officers = RoleGrant.objects.filter(org_id=item.org_id, role=Role.OFFICER).values_list(
        "person_id", flat=True
    )
    people = {*officers, item.published_by_id, item.created_by_id}
    return {pk for pk in people if pk is not None}


@transaction.atomic
def _open_one(pk: int, now: datetime) -> int | None:
    """Claim, notify and audit one item in one transaction; None when another run (or a change
    since the list was read: a withdrawal, an amendment) got there first."""
    claimed = due(now).filter(pk=pk).update(public_opening_notified_at=now)
    if not claimed:
        return None
    item = Disclosure.objects.select_related("org").get(pk=pk)
    assert item.public_from is not None and item.go_live_at is not None
    # A date at or before go-live opened nothing later: the item was public from the start,
    # and its officer knew it when publishing.
    staged = item.public_from > item.go_live_at
    told = []
    if staged:
        # Everyone may read the item now (it is live and its `public` label has started), so
        # the notification names nothing its recipients could not see.
        when = timezone.localtime(item.public_from).strftime("%Y-%m-%d %H:%M")
        told = notify(
            _readers(item),
            kind=KIND,
            subject=_("已向社会公开：《%(title)s》") % {"title": item.title},
            body=_(
                "%(org)s的公开事项《%(title)s》（索引号 %(n)s）先在党内公开，已于 %(when)s 按计划向社会公开。"
                "需要在党务公开栏、电子屏等面向群众的渠道公开的，请及时安排。"
            )
            % {"org": item.org.name, "title": item.title, "n": item.index_number, "when": when},
            url=links.staff_url(item.pk),
            dedup_key=f"disclosure-public-{item.pk}-{int(item.public_from.timestamp())}",
        )
    record(
        actor=None,
        action="disclosure.public_opened",
        obj=item,
        object_repr=f"{item.index_number} {item.title}",
        org=item.org,
        old={"public_opening_notified_at": None},
        new={
            "public_from": item.public_from.isoformat(),
            "staged": staged,
            "notified": sorted(n.recipient_id for n in told),
        },
    )
    return len(told)
