"""The demo county's catalogues (党务公开目录) and their obligations (应公开事项), with a past.

Every active organisation gets a catalogue from its kind's template, in a mix of states decided
by its code (a generator seeded with the code, never a draw at run time): about three in four in
force since the first quarter (some revised since, so diffs and histories have something to
show), one in ten filed and waiting for the superior, a few returned with comments, a few
approved or still drafts, a few never made. Then the obligations of the year are derived and a
realistic share of what is already due is marked done (gongkai.demo.history).

Written directly, not through gongkai.catalogue.actions, on purpose:
- the actions stamp each step with now(); the demo needs catalogues in force since the spring
  and filings that have waited for days, and backdating afterwards would leave ~1,000 audit
  events whose dates contradict the versions they describe;
- acknowledging derives the org's obligations from today, which would have to be thrown away;
- calling them for 300 organisations took 8.5 s on SQLite, twice the rest of the demo.
The rows are the ones the actions write (the template's rows; the org's own officer and leader
and the superior's officer in the *_by columns), and one audit event `demo.catalogues` says what
was written and that the history was written directly."""

from __future__ import annotations

import json
import random
import time as time_module
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.bulk import insert_rows
from gongkai.catalogue import obligations
from gongkai.catalogue.models import (
    Catalogue,
    CatalogueTemplate,
    CatalogueVersion,
    Entry,
    Obligation,
    Status,
    TemplateVersion,
)
from gongkai.catalogue.rows import ROW_FIELDS
from gongkai.demo import history
from gongkai.demo.paperwork import (
    ACKNOWLEDGE_OPINIONS,
    APPROVAL_OPINIONS,
    RETURN_COMMENTS,
    REVISION_OPINION,
    revise,
)
from gongkai.demo.plan import COUNTY_CODE, DEMO_TOWN, DEMO_VILLAGE
from gongkai.orgs.models import Org, Role, RoleGrant
from gongkai.workdays import calendar

SEED = "gongkai-demo-catalogues"

# What becomes of an organisation's catalogue (REVISED: in force at version 2).
NONE, DRAFT, APPROVED, RETURNED, FILED, IN_FORCE, REVISED = (
    "none", "draft", "approved", "returned", "filed", "in_force", "revised")
# Shares of the states drawn by code; what is left over (69 %) is in force at version 1.
SHARES = ((NONE, 0.05), (DRAFT, 0.025), (APPROVED, 0.025), (RETURNED, 0.05), (FILED, 0.10),
          (REVISED, 0.06))
# The demo accounts' organisations get states that give each account something to do: the
# town officer (城关镇) has filings to acknowledge and one returned; the county officer one
# filing from a street office; the member's village has a catalogue in force.
OVERRIDES = {COUNTY_CODE: IN_FORCE, DEMO_TOWN: REVISED, DEMO_VILLAGE: IN_FORCE,
             "cgz-02": FILED, "cgz-03": FILED, "cgz-04": RETURNED, "cgz-05": APPROVED,
             "dhjd": FILED, "sqz": RETURNED}


def _rng(*parts: str) -> random.Random:
    # A string seed is hashed with SHA-512: the same on every machine and every run.
    return random.Random(":".join((SEED, *parts)))  # noqa: S311 -- demo data, not secrets


def catalogue_state(code: str, *, has_superior: bool = True) -> str:
    """What the demo makes of the catalogue of the organisation with this code."""
    state = OVERRIDES.get(code)
    if state is None:
        draw = _rng("state", code).random()
        state = IN_FORCE
        for candidate, share in SHARES:
            if draw < share:
                state = candidate
                break
            draw -= share
    if not has_superior and state in (FILED, RETURNED):
        return IN_FORCE  # a top organisation's filing puts its catalogue in force at once
    return state


def in_force_year(today: date) -> int:
    """The year whose first quarter the catalogues came into force: this one once the quarter
    is well past, otherwise the last (so nothing is dated in the future)."""
    return today.year if today >= date(today.year, 4, 15) else today.year - 1


class Clock:
    """Turns days into office-hour datetimes on working days, strictly after the one before."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.zone = timezone.get_current_timezone()
        self.calendar = calendar.snapshot()
        self._workdays: dict[date, date] = {}

    def workday(self, day: date) -> date:
        """The day itself if it is a working day, else the last working day before it."""
        found = self._workdays.get(day)
        if found is None:
            found = day
            for _ in range(10):  # the longest holiday (Spring Festival) is 8-9 days
                if self.calendar.is_workday(found):
                    break
                found -= timedelta(days=1)
            self._workdays[day] = found
        return found

    def at(self, rng: random.Random, day: date, after: datetime | None = None) -> datetime:
        minutes = rng.randint(8 * 60 + 30, 17 * 60 + 30)
        moment = timezone.make_aware(
            datetime.combine(self.workday(day), time(minutes // 60, minutes % 60)), self.zone)
        if after is not None and moment <= after:
            moment = after + timedelta(minutes=rng.randint(20, 180))
        return moment

    def steps(self, rng: random.Random, days: list[date]) -> list[datetime]:
        moments: list[datetime] = []
        for day in days:
            moments.append(self.at(rng, day, moments[-1] if moments else None))
        return moments

    def ago(self, rng: random.Random, low: int, high: int) -> date:
        return self.today - timedelta(days=rng.randint(low, high))


@dataclass
class _Version:
    org: Org
    number: int
    status: str
    based_on: int
    rows: list[dict[str, Any]]
    created: tuple[datetime, int | None]
    approved: tuple[datetime | None, int | None] = (None, None)
    filed: tuple[datetime | None, int | None] = (None, None)
    acknowledged: tuple[datetime | None, int | None] = (None, None)
    returned: tuple[datetime | None, int | None] = (None, None)
    approval_opinion: str = ""
    acknowledge_opinion: str = ""
    return_comment: str = ""
    change_explanation: str = ""
    superseded_at: datetime | None = None

    @property
    def updated(self) -> datetime:
        moments = [self.created[0], self.approved[0], self.filed[0], self.acknowledged[0],
                   self.returned[0], self.superseded_at]
        return max(m for m in moments if m is not None)


VERSION_COLUMNS = ("catalogue_id", "number", "status", "based_on_id", "change_explanation",
                   "created_at", "created_by_id", "updated_at", "approved_at", "approved_by_id",
                   "approval_opinion", "filed_at", "filed_by_id", "acknowledged_at",
                   "acknowledged_by_id", "acknowledge_opinion", "returned_at", "returned_by_id",
                   "return_comment", "superseded_at")
ENTRY_COLUMNS = ("version_id", "position", *ROW_FIELDS, "wider_scope_reason", "template_row_number")


@dataclass
class CatalogueReport:
    created: bool
    states: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    obligations: int = 0
    fulfilled: int = 0
    overdue: int = 0
    year: int = 0
    seconds: float = 0.0


class _Writer:
    def __init__(self, county: Org, today: date) -> None:
        self.county = county
        self.clock = Clock(today)
        self.year = in_force_year(today)
        self.orgs = list(Org.objects.filter(path__startswith=county.path, is_active=True)
                         .select_related("kind").order_by("path"))
        # The first holder of each role (demo accounts were granted first): who acts.
        self.holders: dict[tuple[int, str], int] = {}
        for org_id, role, person_id in (RoleGrant.objects
                                        .filter(org__in=self.orgs, role__in=[Role.OFFICER, Role.LEADER])
                                        .order_by("id").values_list("org_id", "role", "person_id")):
            self.holders.setdefault((org_id, role), person_id)
        self.templates = self._templates_by_kind()

    def _templates_by_kind(self) -> dict[int, TemplateVersion | None]:
        """A kind's template version, or None when the kind has none or several (the actions
        refuse to choose for an organisation too)."""
        found: dict[int, list[int]] = {}
        for kind_id, template_id in CatalogueTemplate.kinds.through.objects.values_list(
                "orgkind_id", "cataloguetemplate_id"):
            found.setdefault(kind_id, []).append(template_id)
        latest: dict[int, TemplateVersion] = {}
        for version in TemplateVersion.objects.order_by("template_id", "version"):
            latest[version.template_id] = version
        return {kind: latest.get(ids[0]) if len(ids) == 1 else None for kind, ids in found.items()}

    def person(self, org: Org | None, role: str) -> int | None:
        return self.holders.get((org.pk, role)) if org is not None else None

    # -- one organisation ------------------------------------------------------------------

    def versions_of(self, org: Org, parent: Org | None, template: TemplateVersion,
                    state: str) -> list[_Version]:
        rng = _rng("history", org.code)
        officer, leader = self.person(org, Role.OFFICER), self.person(org, Role.LEADER)
        superior = self.person(parent, Role.OFFICER)
        rows = [dict(r) for r in template.rows]
        clock = self.clock

        def version(status: str, days: list[date], number: int = 1) -> _Version:
            moments = clock.steps(rng, days)
            v = _Version(org, number, status, template.pk, rows, (moments[0], officer))
            if len(moments) > 1:
                v.approved = (moments[1], leader)
                v.approval_opinion = rng.choice(APPROVAL_OPINIONS)
            if len(moments) > 2:
                v.filed = (moments[2], officer)
            if len(moments) > 3:
                if status == RETURNED:
                    v.returned = (moments[3], superior)
                    v.return_comment = rng.choice(RETURN_COMMENTS)
                else:
                    v.acknowledged = (moments[3], superior)
                    v.acknowledge_opinion = rng.choice(ACKNOWLEDGE_OPINIONS) if superior else ""
            return v

        if state == DRAFT:
            return [version(Status.DRAFT, [clock.ago(rng, 1, 30)])]
        if state == APPROVED:
            approved = clock.ago(rng, 1, 15)
            return [version(Status.APPROVED, [approved - timedelta(days=rng.randint(5, 30)), approved])]
        if state in (FILED, RETURNED):
            filed = clock.ago(rng, 1, 20) if state == FILED else clock.ago(rng, 8, 40)
            approved = filed - timedelta(days=rng.randint(1, 4))
            days = [approved - timedelta(days=rng.randint(7, 30)), approved, filed]
            if state == RETURNED:
                days.append(min(filed + timedelta(days=rng.randint(2, 10)), self.clock.ago(rng, 1, 3)))
            return [version(Status(state), days)]
        # In force since the first quarter; revised catalogues early enough to revise later.
        last = date(self.year, 2, 28) if state == REVISED else date(self.year, 3, 31)
        start = date(self.year, 1, 6)
        acknowledged = start + timedelta(days=rng.randint(0, (last - start).days))
        approved = acknowledged - timedelta(days=rng.randint(4, 9))
        filed = approved + timedelta(days=rng.randint(1, 2))
        days = [approved - timedelta(days=rng.randint(7, 25)), approved, filed]
        if parent is not None:
            days.append(acknowledged)
        first = version(Status.IN_FORCE, days)
        if parent is None:  # filing was putting it in force (gongkai.catalogue.actions.version_file)
            first.acknowledged = (first.filed[0], None)
        if state != REVISED:
            return [first]
        assert first.acknowledged[0] is not None
        in_force = timezone.localdate(first.acknowledged[0])
        second_ack = min(in_force + timedelta(days=rng.randint(60, 200)), clock.today - timedelta(days=10))
        if second_ack < in_force + timedelta(days=45):
            return [first]  # too early in the year for a revision to have happened
        approved = second_ack - timedelta(days=rng.randint(4, 8))
        days = [approved - timedelta(days=rng.randint(7, 20)), approved,
                approved + timedelta(days=rng.randint(1, 2))]
        if parent is not None:
            days.append(second_ack)
        second = version(Status.IN_FORCE, days, number=2)
        if parent is None:
            second.acknowledged = (second.filed[0], None)
        second.rows, second.change_explanation = revise(rows, rng)
        second.approval_opinion = REVISION_OPINION
        first.superseded_at = second.acknowledged[0]
        return [first, second]

    # -- writing ---------------------------------------------------------------------------

    def write_versions(self, versions: list[_Version]) -> None:
        ids = dict(Catalogue.objects.filter(org__in=[v.org for v in versions])
                   .values_list("org_id", "id"))
        insert_rows(CatalogueVersion, VERSION_COLUMNS, [
            (ids[v.org.pk], v.number, v.status, v.based_on, v.change_explanation, v.created[0],
             v.created[1], v.updated, *v.approved, v.approval_opinion, *v.filed, *v.acknowledged,
             v.acknowledge_opinion, *v.returned, v.return_comment, v.superseded_at)
            for v in versions])
        version_ids = {(c, n): pk for c, n, pk in CatalogueVersion.objects.filter(
            catalogue_id__in=ids.values()).values_list("catalogue_id", "number", "id")}
        insert_rows(Entry, ENTRY_COLUMNS, [
            (version_ids[(ids[v.org.pk], v.number)], position,
             *[json.dumps(row[f]) if f in ("timing", "channels") else row[f] for f in ROW_FIELDS],
             row.get("wider_scope_reason", ""), row.get("template_row_number", row["number"]))
            for v in versions for position, row in enumerate(v.rows, start=1)])

    def run(self) -> CatalogueReport:
        report = CatalogueReport(created=True, year=self.year)
        by_id = {o.pk: o for o in self.orgs}
        firsts: list[_Version] = []
        seconds: list[_Version] = []
        for org in self.orgs:
            template = self.templates.get(org.kind_id)
            if template is None:
                report.skipped.append(org.code)
                continue
            parent = by_id.get(org.parent_id) if org.parent_id else None
            state = catalogue_state(org.code, has_superior=parent is not None)
            report.states[state] = report.states.get(state, 0) + 1
            if state == NONE:
                continue
            versions = self.versions_of(org, parent, template, state)
            firsts.append(versions[0])
            seconds.extend(versions[1:])
        insert_rows(Catalogue, ("org_id", "created_at", "created_by_id"),
                    [(v.org.pk, v.created[0], v.created[1]) for v in firsts])
        # As time went: first every version 1 in force and its obligations kept (some done
        # before the revision); then the revisions supersede them and the open obligations
        # follow the revised entries, as acknowledging a revision does.
        revised_at = {v.org.pk: v.superseded_at for v in firsts if v.superseded_at is not None}
        for v in firsts:
            v.superseded_at = None
        self.write_versions(firsts)
        years = sorted({*range(self.year, self.clock.today.year + 1), *obligations.default_years()})
        codes = {o.pk: o.code for o in self.orgs}
        report.obligations = obligations.derive(years=years, org_ids=list(codes)).created
        officers = {o.pk: self.person(o, Role.OFFICER) for o in self.orgs}
        report.fulfilled = history.fulfil(self.clock, codes, officers, before=revised_at)
        if seconds:
            for org_id, moment in revised_at.items():
                CatalogueVersion.objects.filter(catalogue__org_id=org_id, number=1).update(
                    status=Status.SUPERSEDED, superseded_at=moment, updated_at=moment)
            self.write_versions(seconds)
            derived = obligations.derive(years=years, org_ids=list(revised_at))
            report.obligations += derived.created - derived.removed
            report.fulfilled += history.fulfil(self.clock, codes, officers, org_ids=list(revised_at))
        report.overdue = Obligation.objects.filter(
            org_id__in=list(codes), fulfilled_at__isnull=True, due_date__lt=self.clock.today).count()
        # "in force" counts every catalogue in force, "revised" those of them at version 2.
        report.states[IN_FORCE] = report.states.get(IN_FORCE, 0) + report.states.pop(REVISED, 0)
        report.states[REVISED] = len(seconds)
        return report


def load_catalogues(today: date | None = None) -> CatalogueReport:
    """Give the demo county its catalogues and obligations, unless it has catalogues already
    (then nothing is touched). One transaction, one audit event."""
    started = time_module.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        county = Org.objects.filter(code=COUNTY_CODE).first()
        if county is None or Catalogue.objects.filter(org__path__startswith=county.path).exists():
            return CatalogueReport(created=False)
        report = _Writer(county, today).run()
        record(actor=None, action="demo.catalogues", obj=county, org=county, new={
            "states": report.states, "skipped": report.skipped, "in_force_year": report.year,
            "obligations": report.obligations, "fulfilled": report.fulfilled,
            "overdue": report.overdue},
            reason="加载演示数据：各组织的党务公开目录和应公开事项。演示数据直接写入带日期的历史"
                   "（审批、报备、备案、完成），未逐条记录审计事件")
    report.seconds = time_module.monotonic() - started
    return report


def summary(report: CatalogueReport) -> list[tuple[str, int]]:
    """The states' counts with their Chinese names, for the command's output."""
    labels = ((IN_FORCE, _("生效中")), (REVISED, _("其中已调整为第2版")), (FILED, _("已报备待备案")),
              (RETURNED, _("已退回")), (APPROVED, _("已审批未报备")), (DRAFT, _("草稿")),
              (NONE, _("未编制")))
    return [(label, report.states.get(state, 0)) for state, label in labels]
