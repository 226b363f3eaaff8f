"""The benchmark's disclosure items as table rows (bench/portal_data.py copies them in): titles
and bodies from the demo's builders (gongkai.demo.disclosures.title_for / body_for) over the
rows of the catalogue templates, and audience labels from the gate itself
(gongkai.disclosures.gate.item_labels, called for every item).

The mix (shares of all items): about two thirds public, the rest party (a third of those staged:
open to the public 5-30 days after going live, 先党内后党外), unit and a few targeted (at the
superior org, or at named people of the org); notices (公示) with their notice period wherever the
org's template has notice rows; a few scheduled for the coming days, a few with a display end
(many already past), a few withdrawn. Items go live on working days over the last three years,
more of them recently; index numbers run per org and year in the order items were created.
Every item is published the way the actions leave it: current = published revision (number 1),
one approved publish workflow."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from portal_world import OrgPlan, People

from gongkai.catalogue.vocab import Scope
from gongkai.demo.catalogues import Clock
from gongkai.demo.disclosures import body_for, period_label, title_for
from gongkai.disclosures import content, gate
from gongkai.disclosures.models import Disclosure, ItemStatus, Revision, WorkflowKind, WorkflowStatus
from gongkai.orgs.models import Org
from gongkai.workdays.calendar import CalendarInputError

YEARS_BACK = 3
SCOPES = ((Scope.PUBLIC, 0.66), (Scope.PARTY, 0.17), (Scope.UNIT, 0.13), (Scope.TARGETED, 0.04))
NOTICE_SHARE = 0.06  # of items of an org whose template has notice rows
STAGED_SHARE = 0.35  # of party items (as in the demo)
SCHEDULED_SHARE = 0.003
DISPLAY_END_SHARE = 0.02
WITHDRAWN_SHARE = 0.005
DOC_NUMBER_SHARE = 0.25  # of items of leading bodies
# Items per org by kind, relative: leading bodies publish more than a branch.
KIND_WEIGHT = {
    "county_committee": 40,
    "discipline": 15,
    "organ_party_group": 15,
    "organs_work_committee": 12,
    "town_committee": 25,
    "party_committee": 10,
    "soe_committee": 10,
    "institution": 8,
    "village": 12,
    "community": 12,
    "general_branch": 6,
    "branch": 6,
}
ROOT_WEIGHT = 200
WITHDRAWAL = "该事项公开内容有误，予以撤销，更正后另行公开。"
OFF_CATALOGUE = "性能测试数据（bench/portal_data.py）"

DISCLOSURE_COLUMNS = (
    "id",
    "org_id",
    "entry_key",
    "off_catalogue_reason",
    "index_number",
    "status",
    "current_id",
    "title",
    "scope",
    "go_live_at",
    "display_until",
    "public_from",
    "published_at",
    "published_by_id",
    "published_revision_id",
    "withdrawn_at",
    "withdrawal_explanation",
    "public_opening_notified_at",
    "created_by_id",
    "created_at",
    "updated_at",
)
REVISION_COLUMNS = (
    "id",
    "disclosure_id",
    "number",
    *content.FIELDS,
    "note",
    "content_hash",
    "created_by_id",
    "created_at",
)
WORKFLOW_COLUMNS = (
    "id",
    "disclosure_id",
    "kind",
    "status",
    "revision_id",
    "explanation",
    "escalated",
    "escalation_reason",
    "started_by_id",
    "started_at",
    "finished_at",
)
LABEL_COLUMNS = ("disclosure_id", "label", "starts_at")
JSON_FIELDS = ("target_org_ids", "target_person_ids", "channels", "attachment_ids")


@dataclass
class Chunk:
    disclosures: list[tuple[Any, ...]] = field(default_factory=list)
    revisions: list[tuple[Any, ...]] = field(default_factory=list)
    workflows: list[tuple[Any, ...]] = field(default_factory=list)
    labels: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Tally:
    scopes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def previous_period(timing: dict[str, Any], day: date) -> str:
    """The period a periodic row's item published on `day` reports on: the one before."""
    if timing.get("kind") != "periodic":
        return ""
    period, year, month = timing.get("period"), day.year, day.month
    if period == "monthly":
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return f"{year}-{month:02d}"
    if period == "quarterly":
        quarter = (month - 1) // 3
        return f"{year}-Q{quarter}" if quarter else f"{year - 1}-Q4"
    if period == "half_yearly":
        return f"{year}-H1" if month > 6 else f"{year - 1}-H2"
    return str(year - 1)


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "[]"


class ChainIds:
    """The org and its superiors by id, as gate._chain_ids reads them from the database (root
    first: Org's ordering is by path, and an ancestor's path is a prefix of its descendants'),
    from the plan in memory. `check` proves the two agree on the orgs given."""

    def __init__(self, orgs: list[OrgPlan]) -> None:
        self.by_pk = {o.pk: o for o in orgs}
        self.cache: dict[int, list[int]] = {}

    def __call__(self, org: Org) -> list[int]:
        found = self.cache.get(org.pk)
        if found is None:
            plan: OrgPlan | None = self.by_pk[org.pk]
            found = []
            while plan is not None:
                found.append(plan.pk)
                plan = self.by_pk.get(plan.parent) if plan.parent else None
            found.reverse()
            self.cache[org.pk] = found
        return found


@contextmanager
def labels_from_plan(chain: ChainIds) -> Iterator[None]:
    """While items are made: gate.item_labels reads the org chain from memory instead of one
    query per item; everything else it computes is its own."""
    real = gate._chain_ids
    gate._chain_ids = chain
    try:
        yield
    finally:
        gate._chain_ids = real


class ItemMaker:
    def __init__(
        self,
        orgs: list[OrgPlan],
        kind_ids: dict[str, int],
        people: People,
        rows_by_kind: dict[str, list[dict[str, Any]]],
        today: date,
        seed: int,
    ) -> None:
        self.orgs, self.people, self.rows_by_kind = orgs, people, rows_by_kind
        self.today, self.seed = today, seed
        # "Now" for the data is the start of `today`, so one --today gives the same rows
        # whenever they are made: every item went live before it, scheduled ones go live after.
        self.now = timezone.make_aware(datetime.combine(today, time.min))
        self.clock = Clock(today)
        self.zone = timezone.get_current_timezone()
        self.org_objects = {
            o.pk: Org(
                pk=o.pk,
                code=o.code,
                name=o.name,
                short_name=o.short_name,
                kind_id=kind_ids[o.kind],
                parent_id=o.parent,
                path=o.path,
                depth=o.depth,
                address=o.address,
            )
            for o in orgs
        }
        # gate.item_labels reads item.org and the revision's scope, staging date and targets: one
        # unsaved item per org and one revision whose fields are set per item (building two model
        # instances per item cost more than everything else together).
        self.label_items: dict[int, Disclosure] = {}
        self.label_revision = Revision()
        self.rows_by_scope: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.notice_rows: dict[str, list[dict[str, Any]]] = {}
        self.sequences: dict[tuple[int, int], int] = defaultdict(int)
        self.doc_numbers: dict[tuple[int, int], int] = defaultdict(int)
        self.tally = Tally()

    # -- when and where ------------------------------------------------------------------

    def skeleton(self, count: int) -> list[tuple[float, float, int]]:
        """(created, goes live, org pk) of every item, in the order they were created."""
        rng = random.Random(f"{self.seed}:when")
        weights, total = [], 0.0
        for org in self.orgs:
            total += ROOT_WEIGHT if org.parent is None else KIND_WEIGHT.get(org.kind, 6)
            weights.append(total)
        chosen = rng.choices([o.pk for o in self.orgs], cum_weights=weights, k=count)
        span = YEARS_BACK * 365
        out = []
        for org_pk in chosen:
            # More items recently (the platform is used more every year).
            back = 1 + int((span - 1) * rng.random() ** 1.2)
            moment = self.clock.at(rng, self.today - timedelta(days=back))
            if moment >= self.now:
                moment = self.now - timedelta(hours=rng.randint(1, 12))
            created = moment - timedelta(hours=rng.randint(2, 240))
            out.append((created.timestamp(), moment.timestamp(), org_pk))
        out.sort()
        return out

    # -- what ------------------------------------------------------------------------------

    def _row(self, rng: random.Random, org: OrgPlan) -> tuple[dict[str, Any], str, bool]:
        rows = self.rows_by_kind.get(org.kind) or self.rows_by_kind["*"]
        notices = self.notice_rows.get(org.kind)
        if notices is None:
            notices = self.notice_rows[org.kind] = [r for r in rows if r.get("notice_workdays")]
        if notices and rng.random() < NOTICE_SHARE:
            row = rng.choice(notices)
            return row, row["scope"], True
        draw, scope = rng.random(), Scope.PUBLIC
        for candidate, share in SCOPES:
            if draw < share:
                scope = candidate
                break
            draw -= share
        fitting = self.rows_by_scope.get((org.kind, scope))
        if fitting is None:
            fitting = [r for r in rows if r["scope"] == scope and not r.get("notice_workdays")] or rows
            self.rows_by_scope[(org.kind, scope)] = fitting
        return rng.choice(fitting), scope, False

    def _at(self, day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)), self.zone)

    def chunks(self, skeleton: list[tuple[float, float, int]], first_id: int, size: int) -> Iterator[Chunk]:
        rng = random.Random(f"{self.seed}:items")
        chunk = Chunk()
        for offset, (created_ts, moment_ts, org_pk) in enumerate(skeleton):
            self.item(
                rng,
                first_id + offset,
                datetime.fromtimestamp(created_ts, UTC),
                datetime.fromtimestamp(moment_ts, UTC),
                self.orgs[org_pk - 1],
                chunk,
            )
            if len(chunk.disclosures) >= size:
                yield chunk
                chunk = Chunk()
        if chunk.disclosures:
            yield chunk

    def item(
        self, rng: random.Random, pk: int, created: datetime, moment: datetime, org: OrgPlan, chunk: Chunk
    ) -> None:
        row, scope, notice = self._row(rng, org)
        org_object = self.org_objects[org.pk]
        local = timezone.localtime(moment, self.zone)
        day = local.date()
        published_at, go_live_at, revision_go_live = moment, moment, None
        kind = "notice" if notice else scope
        if rng.random() < SCHEDULED_SHARE:
            kind = "scheduled"
            published_at = self.now - timedelta(hours=rng.randint(1, 48))
            created = published_at - timedelta(hours=rng.randint(2, 72))
            go_live_at = revision_go_live = self._at(self.today + timedelta(days=rng.randint(2, 10)), 9)
            day = self.today
        period = period_label(previous_period(row["timing"], day))
        notice_days = row["notice_workdays"] if notice else None
        notice_span = None
        if notice_days:
            try:
                notice_span = (day, self.clock.calendar.due(day, notice_days))
            except CalendarInputError:  # a year the calendar does not know: no dates in the body
                notice_span = (day, day + timedelta(days=notice_days * 7 // 5))
        targets_org: list[int] = []
        targets_person: list[int] = []
        if scope == Scope.TARGETED:
            named = self.people.some.get(org.pk, [])
            if named and rng.random() < 0.5:
                targets_person = sorted(rng.sample(named, min(len(named), rng.randint(1, 3))))
            else:
                targets_org = [org.parent or org.pk]
        public_from = None
        if scope == Scope.PARTY and rng.random() < STAGED_SHARE:
            public_from = self._at(
                timezone.localtime(go_live_at, self.zone).date() + timedelta(days=rng.randint(5, 30)), 9
            )
            kind = "staged"
        display_until = None
        if rng.random() < DISPLAY_END_SHARE:
            display_until = go_live_at + timedelta(days=rng.randint(30, 720))
            kind = "display_end"
        withdrawn_at = None
        if (
            kind != "scheduled"
            and rng.random() < WITHDRAWN_SHARE
            and go_live_at < self.now - timedelta(days=30)
        ):
            withdrawn_at = go_live_at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
            kind = "withdrawn"
        short = org.short_name or org.name
        doc_number = ""
        if (
            org.kind not in ("branch", "village", "community", "institution")
            and rng.random() < DOC_NUMBER_SHARE
        ):
            self.doc_numbers[(org.pk, day.year)] += 1
            doc_number = f"{short.removesuffix('委')}发〔{day.year}〕{self.doc_numbers[(org.pk, day.year)]}号"
        values: dict[str, Any] = {
            "title": title_for(short, row["item"], period, notice),
            "body": body_for(rng, org_object, row, period, notice_span),
            "doc_number": doc_number,
            "category": row["category"] or "",
            "scope": scope,
            "target_org_ids": targets_org,
            "target_person_ids": targets_person,
            "channels": list(row["channels"] or ["bulletin_board"]),
            "go_live_at": revision_go_live,
            "display_until": display_until,
            "public_from": public_from,
            "notice_workdays": notice_days,
            "risk_assessment": False,
            "event_date": None,
            "attachment_ids": [],
        }
        year = timezone.localtime(created, self.zone).year
        self.sequences[(org.pk, year)] += 1
        index_number = f"{org.code}-{year}-{self.sequences[(org.pk, year)]:05d}"
        officer = self.people.officer.get(org.pk)
        status = ItemStatus.WITHDRAWN if withdrawn_at else ItemStatus.PUBLISHED
        notified = public_from if public_from is not None and public_from <= self.now else None
        updated = withdrawn_at or published_at
        chunk.disclosures.append(
            (
                pk,
                org.pk,
                "",
                OFF_CATALOGUE,
                index_number,
                status,
                pk,
                values["title"],
                scope,
                go_live_at,
                display_until,
                public_from,
                published_at,
                officer,
                pk,
                withdrawn_at,
                WITHDRAWAL if withdrawn_at else "",
                notified,
                officer,
                created,
                updated,
            )
        )
        chunk.revisions.append(
            (
                pk,
                pk,
                1,
                *[json_text(values[f]) if f in JSON_FIELDS else values[f] for f in content.FIELDS],
                "",
                content.content_hash(values),
                officer,
                created,
            )
        )
        started = created + timedelta(minutes=rng.randint(10, 90))
        chunk.workflows.append(
            (
                pk,
                pk,
                WorkflowKind.PUBLISH,
                WorkflowStatus.APPROVED,
                pk,
                "",
                False,
                "",
                officer,
                started,
                max(started, published_at - timedelta(minutes=20)),
            )
        )
        label_item = self.label_items.get(org.pk)
        if label_item is None:
            label_item = self.label_items[org.pk] = Disclosure(org=org_object)
        revision = self.label_revision
        revision.scope, revision.public_from = scope, public_from
        revision.target_org_ids, revision.target_person_ids = targets_org, targets_person
        for label, starts in gate.item_labels(label_item, revision):
            chunk.labels.append((pk, label, starts))
        self.tally.scopes[scope] += 1
        self.tally.kinds[kind] += 1
