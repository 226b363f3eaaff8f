"""The demo county's disclosure items (公开事项): about a thousand, made from the organisations'
catalogue entries, in every state a real county has.

- Most are published: one for a share of the obligations the catalogue history marked done
  (published when the obligation was done, which now names the item), and items of prompt or
  phased entries (及时公开) after their event, among them notices (公示) in and past their
  notice period. Most are public: public entries are published more often, and some party or
  unit entries were published more widely with the superior's approval (报批). Some party
  items open to the public later (先党内后党外), a few are scheduled for the coming days.
- In the last days: drafts, items waiting at each step (审核, 保密审查, 风险评估, 审批, 上级审批),
  returned ones with the reviewer's opinion, approved ones waiting to be published. The demo
  town (城关镇) always has one of each, so the demo accounts have work.

The bulk is written directly with past dates, for the reasons in gongkai.demo.catalogues (the
actions stamp now(), and a thousand audit events dated today would contradict the items they
describe); one audit event `demo.disclosures` says what was written. The register (登记簿) is
made of audit events, so these bulk items have no register entries; the showcase items below
have theirs. Rows are the ones the actions write: a revision with its content hash, the
workflow and tasks resolved to the org's (or superior's) role holders, the audience labels
from gate.item_labels, index numbers from the org's IndexSequence (written, so items created
later continue the series).

A handful of showcase items then go through the real actions (dated today, with their audit
and register entries): an amended item and a withdrawn one with their explanations, county
items reposted by branches, and items whose screening found personal data."""

from __future__ import annotations

import json
import random
import time as time_module
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.bulk import batched, insert_rows
from gongkai.catalogue.models import Entry, Obligation, ObligationKind, Status
from gongkai.catalogue.obligations import entry_key as catalogue_entry_key
from gongkai.catalogue.vocab import Scope
from gongkai.demo.catalogues import Clock, in_force_year
from gongkai.demo.plan import COUNTY_CODE, DEMO_TOWN
from gongkai.disclosures import actions, content, gate, notices, search_docs
from gongkai.disclosures.actions import STEP_WORKDAYS
from gongkai.disclosures.models import (
    AudienceLabel,
    Disclosure,
    IndexSequence,
    ItemStatus,
    Revision,
    Step,
    Task,
    TaskStatus,
    Workflow,
    WorkflowKind,
    WorkflowStatus,
)
from gongkai.orgs.models import Org, Role, RoleGrant
from gongkai.people.models import User
from gongkai.search import indexing

SEED = "gongkai-demo-disclosures"
# Of the obligations done, the share that became an item here, by the entry's scope.
PUBLISHED_SHARE = {Scope.PUBLIC: 0.36, Scope.PARTY: 0.07, Scope.UNIT: 0.07, Scope.TARGETED: 0.15}
# Of a party or unit entry's published items, the share published to all with approval (报批).
WIDENED_SHARE = 0.3
STAGED_SHARE = 0.35  # of party items: open to the public some days later
EVENT_SHARE = 0.08
# Organisations whose demo accounts look at items: every obligation done has its item.
SHOWN = (DEMO_TOWN, COUNTY_CODE)  # chance per prompt/phased entry and org of an item after an event
# In-flight states per org (drawn once per org and state), and the demo town's fixed set.
REVIEW, SECRECY, RISK, APPROVAL, SUPERIOR = "at_review", "at_secrecy", "at_risk", "at_approval", "at_superior"
DRAFT, RETURNED, APPROVED, SCHEDULED = "draft", "returned", "approved", "scheduled"
IN_FLIGHT_SHARES = ((DRAFT, 0.18), (REVIEW, 0.1), (SECRECY, 0.08), (RISK, 0.04), (APPROVAL, 0.08),
                    (SUPERIOR, 0.06), (RETURNED, 0.08), (APPROVED, 0.05), (SCHEDULED, 0.06))
TOWN_STATES = (DRAFT, REVIEW, SECRECY, RISK, APPROVAL, RETURNED, APPROVED, SCHEDULED)
WAITING_AT = {REVIEW: Step.REVIEW, SECRECY: Step.SECRECY, RISK: Step.RISK, APPROVAL: Step.APPROVAL,
              SUPERIOR: Step.SUPERIOR}
STEP_ROLE = {Step.REVIEW: Role.REVIEWER, Step.SECRECY: Role.SECRECY_REVIEWER, Step.RISK: Role.REVIEWER,
             Step.APPROVAL: Role.LEADER, Step.SUPERIOR: Role.LEADER}

OPINIONS = {
    Step.REVIEW: ("内容准确，同意提交保密审查。", "已核对，数据与台账一致。", "同意。"),
    Step.SECRECY: ("经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开。", "已审查，可以公开。"),
    Step.RISK: ("经评估，风险可控，同意公开。",),
    Step.APPROVAL: ("同意公开。", "同意，按目录规定的范围和方式公开。", "经支委会研究，同意公开。"),
    Step.SUPERIOR: ("同意扩大公开范围。", "经研究，同意向社会公开。"),
}
RETURN_OPINIONS = (
    "公开内容过于笼统，请补充具体数据和完成时限后重新提交。",
    "正文中涉及个人信息的内容请按规定脱敏后重新提交。",
    "与党务公开目录规定的公开方式不一致，请核对后修改。",
    "请补充决策依据和会议研究情况后重新提交。",
)
RISK_DETAILS = {"risk": {"legality": "符合党内法规和有关规定。", "reasonableness": "公开内容适当。",
                         "feasibility": "具备公开条件。", "controllability": "舆情风险可控。",
                         "public_opinion": "已制定舆情应对预案。"}}
WORK_SENTENCES = (
    "{org}坚持把党的政治建设摆在首位，认真落实上级党组织各项工作部署，各项工作有序推进。",
    "{org}严格落实“三会一课”、主题党日等制度，组织党员集中学习，党员队伍思想建设不断加强。",
    "在上级党组织的指导下，{org}结合实际细化工作措施，明确责任人和完成时限，逐项抓好落实。",
    "{org}注重听取党员群众意见，对收集到的意见建议逐条研究、及时反馈，群众满意度进一步提升。",
    "{org}班子成员带头履职尽责，定期研究部署重点工作，推动各项任务落地见效。",
    "围绕为民办实事，{org}聚焦党员群众关心关注的问题，切实解决了一批急难愁盼问题。",
)
ENDINGS = (
    "党员群众如有意见建议，请在公开之日起5个工作日内向{who}反映。",
    "欢迎广大党员群众监督。如有意见建议，可到{org}党务公开意见箱或{who}反映。",
    "特此公开。",
)
ORDINALS = {"1": "一", "2": "二", "3": "三", "4": "四"}


def _rng(*parts: str) -> random.Random:
    return random.Random(":".join((SEED, *parts)))  # noqa: S311 -- demo data, not secrets


def period_label(period: str) -> str:
    """"2026-Q3" → "2026年第三季度", "2026-H1" → "2026年上半年", "2026" → "2026年度"."""
    if period == "first" or period.startswith("item-"):
        return ""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"{year}年第{ORDINALS[quarter]}季度"
    if "-H" in period:
        year, half = period.split("-H")
        return f"{year}年{'上' if half == '1' else '下'}半年"
    if "-" in period:
        year, month = period.split("-")
        return f"{year}年{int(month)}月"
    return f"{period}年度"


def title_for(org_short: str, item: str, period: str, notice: bool) -> str:
    """A notice's or report's title from the entry: "柳溪村党支部2026年上半年党费收缴、使用和管理情况公开"."""
    suffix = "公示" if notice else ("公开" if item.endswith("情况") else "")
    if item.endswith(("公示", "公开", "通报", "公告")):
        suffix = ""
    return f"{org_short}{period}{item}{suffix}"[:200]


def body_for(rng: random.Random, org: Org, entry: dict[str, Any], period: str,
             notice: tuple[date, date] | None) -> str:
    """Two to four short paragraphs: why and what, what was done, and how to respond."""
    who = entry["responsible"] or f"{org.short_name or org.name}党组织办公室"
    what = (entry["content"] or entry["item"]).strip().rstrip("。")
    if len(what) > 120:
        what = what[:120].rstrip("，、；") + "等"
    paragraphs = [f"根据《中国共产党党务公开条例（试行）》和本组织党务公开目录，现将{period}"
                  f"{entry['item']}予以公开。本次公开的内容为：{what}。"]
    short = org.short_name or org.name
    paragraphs.append(rng.choice(WORK_SENTENCES).format(org=short))
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(WORK_SENTENCES).format(org=short))
    if notice is not None:
        start, end = notice
        paragraphs.append(f"公示期为{start.month}月{start.day}日至{end.month}月{end.day}日。公示期间，"
                          f"党员群众如有异议，请以书面形式向{who}反映，反映问题要实事求是。")
    else:
        paragraphs.append(rng.choice(ENDINGS).format(org=short, who=who))
    if org.address:
        paragraphs[-1] += f"地址：{org.address}。"
    return "".join(f"<p>{p}</p>" for p in dict.fromkeys(paragraphs))


@dataclass
class _Task:
    step: str
    org_id: int
    status: str
    activated_at: datetime | None = None
    due_date: date | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    opinion: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Item:
    org: Org
    entry: dict[str, Any]
    status: str
    created: datetime
    officer: int | None
    values: dict[str, Any]
    obligation_id: int | None = None
    published_at: datetime | None = None
    workflow_status: str | None = None
    finished_at: datetime | None = None
    escalation: str = ""
    tasks: list[_Task] = field(default_factory=list)
    index_number: str = ""
    note: str = ""
    pk: int = 0
    revision_pk: int = 0


@dataclass
class DisclosureReport:
    created: bool
    statuses: dict[str, int] = field(default_factory=dict)
    scopes: dict[str, int] = field(default_factory=dict)
    fulfilled: int = 0
    showcase: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Writer:
    def __init__(self, county: Org, today: date) -> None:
        self.clock = Clock(today)
        self.today = today
        self.now = timezone.now()
        self.year = in_force_year(today)
        self.orgs = {o.pk: o for o in Org.objects.filter(path__startswith=county.path, is_active=True)}
        self.holders: dict[tuple[int, str], int] = {}
        for org_id, role, person_id in RoleGrant.objects.filter(org_id__in=list(self.orgs)).order_by(
                "id").values_list("org_id", "role", "person_id"):
            self.holders.setdefault((org_id, role), person_id)
        self.entries: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.entry_by_id: dict[int, dict[str, Any]] = {}
        # Superseded entries too: an obligation done before a revision was done by an item of
        # the entry then in force.
        for row in Entry.objects.filter(version__status__in=[Status.IN_FORCE, Status.SUPERSEDED],
                                      version__catalogue__org_id__in=list(self.orgs)).order_by(
                "version__catalogue__org_id", "version__number", "position").values(
                "id", "number", "item", "content", "responsible", "scope", "timing", "channels",
                "notice_workdays", "category", "template_row_number", "version__catalogue__org_id",
                "version__acknowledged_at", "version__status"):
            e: dict[str, Any] = dict(row)
            e["key"] = catalogue_entry_key(e["template_row_number"], e["number"])
            if e["version__status"] == Status.IN_FORCE:
                self.entries[e["version__catalogue__org_id"]].append(e)
            self.entry_by_id[e["id"]] = e

    def person(self, org_id: int, role: str) -> int | None:
        return self.holders.get((org_id, role))

    # -- one item --------------------------------------------------------------------------

    def _values(self, rng: random.Random, org: Org, entry: dict[str, Any], scope: str, period: str,
                notice: tuple[date, date] | None, event: date | None) -> dict[str, Any]:
        targets: list[int] = []
        if scope == Scope.TARGETED:
            targets = [org.parent_id or org.pk]
        notice_days = entry["notice_workdays"] if notice is not None else None
        return {
            "title": title_for(org.short_name or org.name, entry["item"], period, notice is not None),
            "body": body_for(rng, org, entry, period, notice), "doc_number": "",
            "category": entry["category"] or "", "scope": scope, "target_org_ids": targets,
            "target_person_ids": [], "channels": list(entry["channels"] or ["bulletin_board"]),
            "go_live_at": None, "display_until": None, "public_from": None,
            "notice_workdays": notice_days, "risk_assessment": False, "event_date": event,
            "attachment_ids": []}

    def _steps(self, org: Org, risk: bool, escalation: str) -> list[tuple[str, int]]:
        steps: list[tuple[str, int]] = [(Step.REVIEW, org.pk), (Step.SECRECY, org.pk)]
        if risk:
            steps.append((Step.RISK, org.pk))
        steps.append((Step.APPROVAL, org.pk))
        if escalation and org.parent_id:
            steps.append((Step.SUPERIOR, org.parent_id))
        return steps

    def _procedure(self, rng: random.Random, item: _Item, moments: list[datetime],
                   stop: str | None, returned: bool) -> None:
        """Tasks decided at `moments[1:]` (moments[0] is the submission) up to `stop`, which
        is active (or returned); without `stop`, every step passed."""
        steps = self._steps(item.org, item.values["risk_assessment"], item.escalation)
        position = 0
        for position, (step, org_id) in enumerate(steps):
            activated = moments[position]
            task = _Task(step, org_id, TaskStatus.APPROVED, activated,
                         self.clock.calendar.due(timezone.localdate(activated), STEP_WORKDAYS[Step(step)]))
            if step == stop:
                if returned:
                    task.status, task.decided_at = TaskStatus.RETURNED, moments[position + 1]
                    task.decided_by = self.person(org_id, STEP_ROLE[Step(step)])
                    task.opinion = rng.choice(RETURN_OPINIONS)
                else:
                    task.status = TaskStatus.ACTIVE
                item.tasks.append(task)
                break
            task.decided_at = moments[position + 1]
            task.decided_by = self.person(org_id, STEP_ROLE[Step(step)])
            task.opinion = rng.choice(OPINIONS[Step(step)])
            if step == Step.RISK:
                task.details = RISK_DETAILS
            item.tasks.append(task)
        for step, org_id in steps[position + 1:] if stop is not None else []:
            item.tasks.append(_Task(step, org_id, TaskStatus.CANCELLED if returned else TaskStatus.WAITING))

    def published(self, org: Org, entry: dict[str, Any], period: str, moment: datetime,
                  obligation_id: int | None, event: date | None, rng: random.Random) -> _Item:
        """An item published at `moment` after the whole procedure in the days before."""
        scope = entry["scope"]
        escalation = ""
        if scope in (Scope.PARTY, Scope.UNIT) and org.parent_id and rng.random() < WIDENED_SHARE:
            scope, escalation = Scope.PUBLIC, _("公开范围宽于目录规定")
        notice = None
        if entry["notice_workdays"]:
            start = timezone.localdate(moment)
            notice = (start, self.clock.calendar.due(start, entry["notice_workdays"]))
        values = self._values(rng, org, entry, scope, period, notice, event)
        if scope == Scope.PARTY and rng.random() < STAGED_SHARE:
            values["public_from"] = timezone.make_aware(datetime.combine(
                timezone.localdate(moment) + timedelta(days=rng.randint(5, 30)), time(9)))
        n = 5 if escalation else 4
        day = timezone.localdate(moment)
        days = sorted(day - timedelta(days=rng.randint(1, 3) * i) for i in range(n, 0, -1))
        moments = [*self.clock.steps(rng, days)]
        moments.append(max(moment, moments[-1] + timedelta(minutes=30)))
        created = moments[0] - timedelta(hours=rng.randint(1, 30))
        item = _Item(org, entry, ItemStatus.PUBLISHED, created, self.person(org.pk, Role.OFFICER), values,
                     obligation_id, published_at=moments[-1], workflow_status=WorkflowStatus.APPROVED,
                     finished_at=moments[-2], escalation=escalation)
        self._procedure(rng, item, moments[:-1], None, False)
        return item

    def in_flight(self, org: Org, entry: dict[str, Any], period: str, state: str,
                  rng: random.Random) -> _Item:
        scope = entry["scope"]
        escalation = ""
        if state == SUPERIOR:
            scope, escalation = Scope.PUBLIC, _("公开范围宽于目录规定")
        values = self._values(rng, org, entry, scope, period, None, None)
        values["risk_assessment"] = state == RISK
        stop = WAITING_AT.get(state)
        if state == RETURNED:
            stop = rng.choice([Step.REVIEW, Step.SECRECY, Step.APPROVAL])
        order = [s for s, _o in self._steps(org, values["risk_assessment"], escalation)]
        count = (order.index(stop) + 1 if stop else len(order)) + (1 if state == RETURNED else 0)
        first = self.today - timedelta(days=rng.randint(count + 1, count + 6))
        days = [min(first + timedelta(days=i), self.today - timedelta(days=1)) for i in range(count + 1)]
        moments = self.clock.steps(rng, days)
        status = {DRAFT: ItemStatus.DRAFT, RETURNED: ItemStatus.RETURNED, APPROVED: ItemStatus.APPROVED,
                  SCHEDULED: ItemStatus.PUBLISHED}.get(state, ItemStatus.IN_REVIEW)
        item = _Item(org, entry, status, moments[0] - timedelta(hours=rng.randint(1, 20)),
                     self.person(org.pk, Role.OFFICER), values, escalation=escalation)
        if state == DRAFT:
            item.created = moments[-1]
            return item
        item.workflow_status = {RETURNED: WorkflowStatus.RETURNED, APPROVED: WorkflowStatus.APPROVED,
                                SCHEDULED: WorkflowStatus.APPROVED}.get(state, WorkflowStatus.RUNNING)
        self._procedure(rng, item, moments, stop, state == RETURNED)
        if item.workflow_status != WorkflowStatus.RUNNING:
            item.finished_at = max(t.decided_at for t in item.tasks if t.decided_at is not None)
        if state == SCHEDULED:
            item.published_at = moments[-1] + timedelta(minutes=rng.randint(10, 90))
            values["go_live_at"] = timezone.make_aware(datetime.combine(
                self.today + timedelta(days=rng.randint(2, 10)), time(9)))
        return item

    # -- the county ------------------------------------------------------------------------

    def plan(self) -> list[_Item]:
        items: list[_Item] = []
        done: dict[int, list[tuple[int, int, str, datetime]]] = defaultdict(list)
        open_ones: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pk, org_id, entry_id, period, fulfilled_at, anchor in Obligation.objects.filter(
                org_id__in=list(self.orgs)).exclude(period__startswith="item-").order_by("id").values_list(
                "id", "org_id", "entry_id", "period", "fulfilled_at", "anchor"):
            if entry_id not in self.entry_by_id:
                continue
            if fulfilled_at is not None:
                done[org_id].append((pk, entry_id, period, fulfilled_at))
            elif anchor <= self.today:
                open_ones[org_id].append((entry_id, period))
        for org_id in sorted(self.orgs, key=lambda i: self.orgs[i].path):
            org = self.orgs[org_id]
            if not self.entries.get(org_id):
                continue
            for pk, entry_id, period, moment in done[org_id]:
                entry = self.entry_by_id[entry_id]
                rng = _rng("published", org.code, entry["key"], period)
                share = 1.0 if org.code in SHOWN else PUBLISHED_SHARE[Scope(entry["scope"])]
                if rng.random() < share:
                    items.append(self.published(org, entry, period_label(period), moment, pk, None, rng))
            items += self.events(org)
            items += self.flights(org, open_ones[org_id])
        return items

    def events(self, org: Org) -> list[_Item]:
        """Items of prompt and phased entries (and every notice entry) after an event."""
        items = []
        for entry in self.entries[org.pk]:
            if entry["timing"].get("kind") not in ("prompt", "phased"):
                continue
            rng = _rng("event", org.code, entry["key"])
            # The demo town and the county get more: the accounts there have a history to look at.
            share = EVENT_SHARE * (2 if entry["notice_workdays"] else 1) * (4 if org.code in SHOWN else 1)
            if rng.random() >= share:
                continue
            since = entry["version__acknowledged_at"]
            start = timezone.localdate(since) if since else self.today - timedelta(days=120)
            span = (self.today - start).days - 2
            if span < 3:
                continue
            # Notices lean recent, so some are in their notice period today.
            back = rng.randint(1, min(span, 20)) if entry["notice_workdays"] and rng.random() < 0.5 \
                else rng.randint(1, span)
            event = self.clock.workday(self.today - timedelta(days=back))
            within = int(entry["timing"].get("within_workdays") or 5)
            publish_day = min(self.clock.calendar.due(event, rng.randint(1, within)),
                              self.today - timedelta(days=1))
            moment = self.clock.at(rng, publish_day)
            if moment >= self.now:
                continue
            item = self.published(org, entry, "", moment, None, event, rng)
            item.note = "event"
            items.append(item)
        return items

    def flights(self, org: Org, open_ones: list[tuple[int, str]]) -> list[_Item]:
        rng = _rng("in-flight", org.code)
        if org.code == DEMO_TOWN:
            states = list(TOWN_STATES)
        else:
            states = [s for s, share in IN_FLIGHT_SHARES if rng.random() < share]
        if SUPERIOR in states and org.parent_id is None:
            states.remove(SUPERIOR)
        # The periods due now first; an organisation that is up to date prepares an event's
        # item (no period) instead.
        candidates = list(open_ones)
        if len(candidates) < len(states):
            candidates += [(e["id"], "") for e in self.entries[org.pk]
                           if e["timing"].get("kind") in ("prompt", "phased")]
        picks = rng.sample(candidates, min(len(states), len(candidates)))
        items = []
        for state, (entry_id, period) in zip(states, picks, strict=False):
            entry = self.entry_by_id[entry_id]
            if state == SUPERIOR and entry["scope"] == Scope.PUBLIC:
                state = APPROVAL
            items.append(self.in_flight(org, entry, period_label(period), state,
                                        _rng("in-flight", org.code, state)))
        return items

    # -- writing ---------------------------------------------------------------------------

    def write(self, items: list[_Item]) -> dict[tuple[int, int], int]:
        sequences: dict[tuple[int, int], int] = defaultdict(int)
        for item in sorted(items, key=lambda i: (i.org.path, i.created)):
            year = timezone.localdate(item.created).year
            sequences[(item.org.pk, year)] += 1
            item.index_number = f"{item.org.code}-{year}-{sequences[(item.org.pk, year)]:05d}"
        insert_rows(IndexSequence, ("org_id", "year", "series", "last"),
                    [(org_id, year, "index", last) for (org_id, year), last in sorted(sequences.items())])

        now = timezone.now()

        def updated(i: _Item) -> datetime:
            return max(m for m in (i.created, i.finished_at, i.published_at) if m is not None)

        insert_rows(Disclosure, (
            "org_id", "entry_id", "entry_key", "off_catalogue_reason", "index_number", "status", "title",
            "scope", "go_live_at", "display_until", "public_from", "published_at", "published_by_id",
            "withdrawal_explanation", "created_by_id", "created_at", "updated_at",
            "public_opening_notified_at"), [
            (i.org.pk, i.entry["id"], i.entry["key"], "", i.index_number, i.status, i.values["title"],
             i.values["scope"], (i.values["go_live_at"] or i.published_at) if i.published_at else None,
             None, i.values["public_from"] if i.published_at else None, i.published_at,
             i.officer if i.published_at else None, "", i.officer, i.created, updated(i),
             # Openings already in the past were told when they happened (the job would
             # otherwise tell the officers of every old staged item on its first run).
             i.values["public_from"] if i.published_at and i.values["public_from"]
             and i.values["public_from"] <= now else None)
            for i in items])
        ids = dict(Disclosure.objects.filter(index_number__in=[i.index_number for i in items])
                   .values_list("index_number", "id"))
        for item in items:
            item.pk = ids[item.index_number]
        insert_rows(Revision, ("disclosure_id", "number", *content.FIELDS, "note", "content_hash",
                               "created_by_id", "created_at"), [
            (i.pk, 1, *[json_text(i.values[f]) if f in JSON_FIELDS else i.values[f] for f in content.FIELDS],
             "", _hash(i.values),
             i.officer, i.created) for i in items])
        revisions = dict(Revision.objects.filter(disclosure_id__in=list(ids.values()))
                         .values_list("disclosure_id", "id"))
        for item in items:
            item.revision_pk = revisions[item.pk]
        self._update(Disclosure, ("current_id", "published_revision_id"),
                     [(i.revision_pk, i.revision_pk if i.published_at else None, i.pk) for i in items])
        flowing = [i for i in items if i.workflow_status is not None]
        insert_rows(Workflow, ("disclosure_id", "kind", "status", "revision_id", "explanation", "escalated",
                               "escalation_reason", "started_by_id", "started_at", "finished_at"), [
            (i.pk, WorkflowKind.PUBLISH, i.workflow_status, i.revision_pk, "", bool(i.escalation),
             i.escalation, i.officer, i.tasks[0].activated_at, i.finished_at) for i in flowing])
        workflows = dict(Workflow.objects.filter(disclosure_id__in=[i.pk for i in flowing])
                         .values_list("disclosure_id", "id"))
        hashes = {i.pk: _hash(i.values) for i in flowing}
        insert_rows(Task, ("workflow_id", "position", "step", "org_id", "status", "activated_at", "due_date",
                           "decided_by_id", "decided_at", "opinion", "revision_hash", "details"), [
            (workflows[i.pk], position, t.step, t.org_id, t.status, t.activated_at, t.due_date,
             t.decided_by, t.decided_at, t.opinion,
             hashes[i.pk] if t.status == TaskStatus.APPROVED else "", json_text(t.details))
            for i in flowing for position, t in enumerate(i.tasks, start=1)])
        labels = []
        for i in items:
            if i.published_at is None:
                continue
            revision = Revision(scope=i.values["scope"], public_from=i.values["public_from"],
                                target_org_ids=i.values["target_org_ids"], target_person_ids=[])
            for label, starts in gate.item_labels(Disclosure(org=i.org), revision):
                labels.append((i.pk, label, starts))
        insert_rows(AudienceLabel, ("disclosure_id", "label", "starts_at"), labels)
        return dict(sequences)

    def fulfil(self, items: list[_Item]) -> int:
        """The obligations these items fulfil name them; event items get their own, done."""
        rows = []
        notes = dict(Obligation.objects.filter(pk__in=[i.obligation_id for i in items if i.obligation_id])
                     .values_list("id", "fulfilment_note"))
        for i in items:
            if i.obligation_id is None or i.published_at is None:
                continue
            late = "逾期" in notes.get(i.obligation_id, "")
            note = (_("由公开事项 %(n)s 逾期办结") if late else _("由公开事项 %(n)s 按时办结")) % {
                "n": i.index_number}
            rows.append((i.published_at, i.officer, note, i.pk, i.obligation_id))
        self._update(Obligation, ("fulfilled_at", "fulfilled_by_id", "fulfilment_note", "item_id"), rows)
        events = []
        for i in items:
            if i.note != "event" or i.values["event_date"] is None or i.published_at is None:
                continue
            event = i.values["event_date"]
            within = int(i.entry["timing"].get("within_workdays") or 0)
            due = self.clock.calendar.due(event, within)
            on_time = timezone.localdate(i.published_at) <= due
            events.append((i.org.pk, i.entry["id"], i.entry["key"], ObligationKind.EVENT, f"item-{i.pk}",
                           event, event, event, within, due, i.published_at, i.officer,
                           (_("由公开事项 %(n)s 按时办结") if on_time else _("由公开事项 %(n)s 逾期办结"))
                           % {"n": i.index_number}, i.pk))
        insert_rows(Obligation, ("org_id", "entry_id", "entry_key", "kind", "period", "period_start",
                                 "period_end", "anchor", "workdays", "due_date", "fulfilled_at",
                                 "fulfilled_by_id", "fulfilment_note", "item_id"), events)
        return len(rows) + len(events)

    @staticmethod
    def _update(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """UPDATE model SET columns… WHERE id = last value, executed as a batch."""
        quote = connection.ops.quote_name
        fields = {f.attname: f for f in model._meta.concrete_fields}
        sets = ", ".join(f"{quote(fields[c].column)} = %s" for c in columns)
        # Table and column names come from the model, quoted; values are parameters.
        sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"  # noqa: S608
        prepare = [fields[c] for c in columns]
        with connection.cursor() as cursor:
            for chunk in batched(rows, 2000):
                cursor.executemany(sql, [
                    [f.get_db_prep_save(v, connection) for f, v in zip(prepare, row[:-1], strict=True)]
                    + [row[-1]] for row in chunk])


def _hash(values: dict[str, Any]) -> str:
    """The content hash as the actions compute it on a revision read back (times in UTC), so an
    edit that changes nothing is recognised as such."""
    return content.content_hash({k: v.astimezone(UTC) if isinstance(v, datetime) else v
                                 for k, v in values.items()})


JSON_FIELDS = ("target_org_ids", "target_person_ids", "channels", "attachment_ids")


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- showcase items through the real actions ------------------------------------------------

def _user(org: Org, role: str) -> User:
    grant = RoleGrant.objects.filter(org=org, role=role).order_by("id").select_related("person").first()
    assert grant is not None, (org.code, role)
    return grant.person


def _run_through(item: Disclosure) -> Disclosure:
    """Every step of the running workflow approved, in turn, by the first holder of the step's
    role at the step's org (the item's, or its superior's when escalated)."""
    for _i in range(6):
        task = (Task.objects.filter(workflow__disclosure=item, workflow__status=WorkflowStatus.RUNNING,
                                    status=TaskStatus.ACTIVE).select_related("org").first())
        if task is None:
            break
        actor = _user(task.org, STEP_ROLE[Step(task.step)])
        item = actions.disclosure_approve(actor=actor, item=item, opinion=OPINIONS[Step(task.step)][0])
    return item


def showcase(county: Org) -> list[str]:
    """An amended item, a withdrawn one, reposts of county items by branches, and items with
    screening findings, through the actions (audit and register entries dated today)."""
    done: list[str] = []
    town = Org.objects.get(code=DEMO_TOWN)
    officer = _user(town, Role.OFFICER)
    mine = list(Disclosure.objects.filter(org=town, status=ItemStatus.PUBLISHED,
                                          go_live_at__lte=timezone.now(), reposted_from=None)
                .order_by("published_at", "id")[:2])
    if len(mine) == 2:
        amended, withdrawn = mine
        assert amended.current is not None
        item = actions.disclosure_amend(
            actor=officer, item=amended,
            data={"body": amended.current.body + "<p>（更正：第二段中的完成时间应为本季度末。）</p>"},
            explanation="原公开内容中工作完成时间表述有误，现予更正。")
        _run_through(item)
        item = actions.disclosure_withdraw(
            actor=officer, item=withdrawn,
            explanation="该事项与本组织另一公开事项内容重复，予以撤销，以后者为准。")
        _run_through(item)
        done += [amended.index_number, withdrawn.index_number]
    originals = list(Disclosure.objects.filter(
        org=county, status=ItemStatus.PUBLISHED, scope=Scope.PUBLIC, go_live_at__lte=timezone.now(),
    ).order_by("published_at", "id")[:3])
    branches = [town, *Org.objects.filter(parent=town, is_active=True).order_by("code")[:2]]
    for position, (original, branch) in enumerate(zip(originals, branches, strict=False)):
        repost = actions.disclosure_repost(actor=_user(branch, Role.OFFICER), original=original, org=branch)
        if position < 2:
            repost = actions.disclosure_submit(actor=_user(branch, Role.OFFICER), item=repost)
        if position == 0:
            repost = _run_through(repost)
            repost = actions.disclosure_publish(actor=_user(branch, Role.OFFICER), item=repost)
        done.append(repost.index_number)
    done += _policy_with_interpretation(county)
    findings = (
        ("关于困难党员慰问金发放情况的公示",
         "<p>经支部委员会研究，对困难党员王某某发放慰问金2000元。联系人手机：13912345678。</p>"),
        ("关于推荐入党积极分子人选的公示",
         "<p>拟推荐李某某（身份证号：110101199003074514）为入党积极分子，公示期5个工作日。</p>"),
    )
    entry = (Entry.objects.filter(version__catalogue__org=town, version__status=Status.IN_FORCE,
                                  scope=Scope.PARTY).order_by("position").first())
    for title, body in findings:
        item = actions.disclosure_create(
            actor=officer, org=town, entry_id=entry.pk if entry else None,
            off_catalogue_reason="" if entry else "演示：保密审查",
            data={"title": title, "body": body, "scope": Scope.PARTY, "channels": ["bulletin_board"]})
        item = actions.disclosure_submit(actor=officer, item=item)
        item = actions.disclosure_approve(actor=_user(town, Role.REVIEWER), item=item, opinion="同意。")
        done.append(item.index_number)
    return done


POLICY_TITLE = "关于进一步加强基层党务公开工作的实施意见"
POLICY_BODY = (
    "<p>为深入贯彻《中国共产党党务公开条例（试行）》，推动全县基层党务公开工作规范化、常态化，"
    "现提出如下实施意见。</p><h3>一、总体要求</h3><p>坚持依规依法、积极稳妥、注重实效，"
    "做到应公开尽公开。</p><h3>二、主要任务</h3><ol><li>编制并动态调整公开目录。</li>"
    "<li>严格落实提出、审核、审批、实施、归档的公开程序。</li><li>建好用好党务公开栏、电子屏和门户网站。</li>"
    "</ol><h3>三、保障措施</h3><p>各基层党组织要明确专人负责，县委组织部定期督促检查。</p>"
)
INTERPRETATION_BODY = (
    "<p>一、出台背景：落实党务公开条例，回应党员群众对基层党务公开的期待。</p>"
    "<p>二、主要内容：实施意见从总体要求、主要任务、保障措施三方面作出规定，重点是目录管理和公开程序。</p>"
    "<p>三、适用范围：全县各级党组织。</p><p>四、解读机关及联系方式：县委组织部。</p>"
)


def _policy_with_interpretation(county: Org) -> list[str]:
    """A county policy and its interpretation (政策解读), approved separately and published
    together by one action."""
    officer = _user(county, Role.OFFICER)
    entry = (Entry.objects.filter(version__catalogue__org=county, version__status=Status.IN_FORCE,
                                  scope=Scope.PUBLIC).order_by("position").first())
    entry_id, reason = (entry.pk, "") if entry else (None, "演示：政策文件及其解读")
    channels = ["portal", "bulletin_board"]
    policy = actions.disclosure_create(
        actor=officer, org=county, entry_id=entry_id, off_catalogue_reason=reason,
        data={"title": POLICY_TITLE, "body": POLICY_BODY, "scope": Scope.PUBLIC, "channels": channels,
              "doc_number": "青委发〔2026〕12号", "category": "党的建设"})
    interpretation = actions.disclosure_create(
        actor=officer, org=county, interprets_id=policy.pk, entry_id=entry_id,
        off_catalogue_reason=reason,
        data={"title": f"《{POLICY_TITLE}》政策解读", "body": INTERPRETATION_BODY, "scope": Scope.PUBLIC,
              "channels": channels, "category": "政策解读"})
    for item in (policy, interpretation):
        _run_through(actions.disclosure_submit(actor=officer, item=item))
    actions.disclosure_publish(actor=officer, item=policy)
    return [policy.index_number, interpretation.index_number]


def load_disclosures(today: date | None = None) -> DisclosureReport:
    """Give the demo county its disclosure items, unless it has some already (then nothing is
    touched). One transaction; one audit event for the bulk, the showcase's own events."""
    started = time_module.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        county = Org.objects.filter(code=COUNTY_CODE).first()
        if county is None or Disclosure.objects.filter(org__path__startswith=county.path).exists():
            return DisclosureReport(created=False)
        writer = _Writer(county, today)
        items = writer.plan()
        writer.write(items)
        notices.recompute_since()  # the ends of the bulk notices' periods, for the portal's query
        report = DisclosureReport(created=True)
        report.fulfilled = writer.fulfil(items)
        for i in items:
            report.statuses[i.status] = report.statuses.get(i.status, 0) + 1
            if i.published_at is not None:
                report.scopes[i.values["scope"]] = report.scopes.get(i.values["scope"], 0) + 1
        record(actor=None, action="demo.disclosures", obj=county, org=county, new={
            "statuses": report.statuses, "published_scopes": report.scopes,
            "obligations_fulfilled": report.fulfilled},
            reason="加载演示数据：各组织的公开事项。演示数据直接写入带日期的历史（提出、审核、审批、发布），"
                   "未逐条记录审计事件和公开登记")
        report.showcase = showcase(county)
        # The bulk items were written to the tables directly: search learns them in one pass.
        indexing.reindex([search_docs.KIND])
        # The command reports what there is now, the showcase items included.
        report.statuses = dict(Counter(Disclosure.objects.filter(org__path__startswith=county.path)
                                       .values_list("status", flat=True)))
    report.seconds = time_module.monotonic() - started
    return report


def summary(report: DisclosureReport) -> list[tuple[str, int]]:
    """The statuses' counts with their Chinese names, for the command's output."""
    return [(str(ItemStatus(s).label), report.statuses.get(s, 0)) for s in ItemStatus.values
            if report.statuses.get(s)]
