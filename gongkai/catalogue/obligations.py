"""Obligations (应公开事项): what each organisation's catalogue in force makes due, and when.

`derive` brings the stored obligations of some years in line with the catalogues in force:
it creates what is missing, moves open ones to a revised entry (recomputing their due date when
the rule changed) and removes open ones the catalogue no longer asks for. It is idempotent and
is called when a catalogue comes into force (acknowledge / file of a top org), by
`gongkai obligations derive`, and by the demo; `recompute_due_dates` is the calendar's hook.

Obligations owed under an earlier version (periods that ended before the current version came
into force) and fulfilled ones are history: never changed here.

Scale: everything is done per batch of catalogue versions with a few queries, due dates are
computed once per distinct (anchor, working days), and new rows go in with COPY on PostgreSQL
(gongkai.bulk); see bench/obligations_bench.py."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gongkai.audit.chain import record
from gongkai.bulk import batched, copy_text, insert_rows
from gongkai.catalogue.deadlines import FIRST, Slot, first_publication, slots
from gongkai.catalogue.models import CatalogueVersion, Entry, Obligation, ObligationKind, Status
from gongkai.catalogue.timing import TimingRule
from gongkai.workdays import calendar

VERSION_BATCH = 2000
INSERT_COLUMNS = ("org_id", "entry_id", "entry_key", "kind", "period", "period_start", "period_end",
                  "anchor", "workdays", "due_date", "fulfilment_note")


@dataclass
class DeriveReport:
    versions: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    years: list[int] = field(default_factory=list)


def entry_key(template_row_number: str | None, number: str) -> str:
    return f"t:{template_row_number}" if template_row_number else f"n:{number}"


def in_force_on(acknowledged_at: datetime | None) -> date:
    return timezone.localdate(acknowledged_at) if acknowledged_at else timezone.localdate()


def default_years(today: date | None = None) -> list[int]:
    """The current year; from December on, the next one too, so that January's page is ready
    before January."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


@dataclass(frozen=True)
class _Planned:
    """One period an entry owes, with its due date, and the tail of its COPY line."""

    slot: Slot
    due: date
    tail: str


def _copy_text(value: str) -> str:
    # PostgreSQL COPY text format: these four would end a field or a line.
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _Planner:
    """What a stored timing rule owes in the years asked, from a given in-force date, with due
    dates: computed once per distinct (rule text, date). A county has a few dozen distinct
    rules and a handful of in-force dates across millions of entries, so the per-entry work
    is a dictionary lookup."""

    def __init__(self, years: list[int]) -> None:
        self.years = years
        self.calendar = calendar.snapshot()
        self._rules: dict[str, TimingRule | None] = {}
        self._plans: dict[tuple[str, date], tuple[list[_Planned], _Planned | None]] = {}
        self._dues: dict[tuple[date, int], date] = {}

    def due(self, anchor: date, workdays: int) -> date:
        key = (anchor, workdays)
        found = self._dues.get(key)
        if found is None:
            found = self._dues[key] = self.calendar.due(anchor, workdays)
        return found

    def _rule(self, timing: str) -> TimingRule | None:
        if timing not in self._rules:
            try:
                self._rules[timing] = TimingRule.parse(json.loads(timing))
            except (ValueError, ValidationError):  # a stored rule that no longer parses owes nothing
                self._rules[timing] = None
        return self._rules[timing]

    def _planned(self, slot: Slot) -> _Planned:
        due = self.due(slot.anchor, slot.workdays)
        return _Planned(slot, due, f"\t{slot.kind}\t{slot.period}\t{slot.start}\t{slot.end}\t{slot.anchor}"
                                   f"\t{slot.workdays}\t{due}\t\n")

    def plan(self, timing: str, since: date) -> tuple[list[_Planned], _Planned | None]:
        """(periods owed, ending on or after `since`; the first publication, if the rule has one)."""
        key = (timing, since)
        found = self._plans.get(key)
        if found is None:
            rule = self._rule(timing)
            periods = [self._planned(s) for y in self.years for s in slots(rule, y) if s.end >= since] \
                if rule else []
            first = first_publication(rule, since) if rule else None
            found = self._plans[key] = (periods, self._planned(first) if first else None)
        return found


def _in_force_versions(org_ids: Iterable[int] | None) -> Iterator[list[tuple[int, int, date]]]:
    qs = CatalogueVersion.objects.filter(status=Status.IN_FORCE)
    if org_ids is not None:
        qs = qs.filter(catalogue__org_id__in=list(org_ids))
    rows = qs.order_by("id").values_list("id", "catalogue__org_id", "acknowledged_at")
    for chunk in batched(rows.iterator(chunk_size=VERSION_BATCH), VERSION_BATCH):
        yield [(vid, org_id, in_force_on(at)) for vid, org_id, at in chunk]


def derive(*, years: Iterable[int] | None = None, org_ids: Iterable[int] | None = None,
           workers: int = 1) -> DeriveReport:
    """Bring the obligations of `years` (default: `default_years()`) in line with the
    catalogues in force of `org_ids` (default: every org).

    One transaction, unless `workers` > 1 on PostgreSQL outside any transaction (the county-wide
    `gongkai obligations derive`): then batches of VERSION_BATCH catalogues run on that many
    connections at once, each batch in its own transaction. The database's index work is what
    takes the time at that scale and a single connection keeps only one core busy; a batch
    that fails leaves the others done, and running derive again completes the job."""
    year_list = sorted(set(years or default_years()))
    report = DeriveReport(years=year_list)
    planner = _Planner(year_list)
    if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _derive_parallel(planner, org_ids, workers, report)
    with transaction.atomic():
        for versions in _in_force_versions(org_ids):
            report.versions += len(versions)
            _derive_batch(versions, planner, report)
    return report


def _derive_parallel(planner: _Planner, org_ids: Iterable[int] | None, workers: int,
                     report: DeriveReport) -> DeriveReport:
    lock = threading.Lock()

    def run(versions: list[tuple[int, int, date]]) -> None:
        part = DeriveReport()
        try:
            with transaction.atomic():
                _derive_batch(versions, planner, part)
        finally:
            connections.close_all()  # this thread's own connection
        with lock:
            report.versions += len(versions)
            report.created += part.created
            report.updated += part.updated
            report.removed += part.removed

    batches = list(_in_force_versions(org_ids))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(run, batch) for batch in batches]:
            future.result()  # re-raises a batch's error here
    return report


Wanted = tuple[int, _Planned]  # (entry id, what it owes)


def _derive_batch(versions: list[tuple[int, int, date]], planner: _Planner, report: DeriveReport) -> None:
    org_of = {vid: (org_id, since) for vid, org_id, since in versions}
    since_of = {org_id: since for _vid, org_id, since in versions}
    desired: dict[tuple[int, str, str], Wanted] = {}
    first_keys: set[tuple[int, str]] = set()
    years = planner.years
    # The rule as text: parsed once per distinct text instead of decoding JSON per entry.
    entries = (Entry.objects.filter(version_id__in=list(org_of))
               .order_by().values_list("id", "version_id", "template_row_number", "number",
                                       Cast("timing", TextField())))
    for entry_id, version_id, row_number, number, timing in entries:
        org_id, since = org_of[version_id]
        key = entry_key(row_number, number)
        periods, first = planner.plan(timing, since)
        for planned in periods:
            desired[(org_id, key, planned.slot.period)] = (entry_id, planned)
        if first is not None:
            first_keys.add((org_id, key))
            if since.year in years:
                desired[(org_id, key, FIRST)] = (entry_id, first)

    # Event obligations belong to their disclosure item, not to the catalogue's periods.
    existing = (Obligation.objects.filter(org_id__in=list(since_of)).exclude(kind=ObligationKind.EVENT)
                .filter(Q(period_end__range=(date(years[0], 1, 1), date(years[-1], 12, 31)))
                        | Q(period=FIRST))
                .order_by().values_list("id", "org_id", "entry_key", "period", "entry_id", "anchor",
                                        "workdays", "due_date", "fulfilled_at", "period_end"))
    stale: list[int] = []
    changes: dict[tuple[int, date, int, date], list[int]] = defaultdict(list)
    for oid, org_id, key, period, entry_id, anchor, workdays, due, fulfilled_at, period_end in existing:
        wanted = desired.pop((org_id, key, period), None)
        if fulfilled_at is not None:
            continue
        if period == FIRST:
            if (org_id, key) not in first_keys:
                stale.append(oid)
            elif wanted is not None and wanted[0] != entry_id:
                # Still owed once; it now follows the revised entry, from its first anchor.
                changes[(wanted[0], anchor, workdays, due)].append(oid)
            continue
        if wanted is None:
            if period_end >= since_of[org_id]:
                stale.append(oid)
            continue
        new_entry, planned = wanted
        slot = planned.slot
        if (new_entry, slot.anchor, slot.workdays, planned.due) != (entry_id, anchor, workdays, due):
            changes[(new_entry, slot.anchor, slot.workdays, planned.due)].append(oid)
    for ids in batched(stale, 5000):
        report.removed += Obligation.objects.filter(id__in=ids).delete()[0]
    for (new_entry, anchor, workdays, due), ids in changes.items():
        report.updated += Obligation.objects.filter(id__in=ids).update(
            entry_id=new_entry, anchor=anchor, workdays=workdays, due_date=due)
    report.created += _insert(desired)


def _insert(desired: dict[tuple[int, str, str], Wanted]) -> int:
    if not desired:
        return 0
    if connection.vendor == "postgresql":
        # Lines written as text with the planned tails: formatting each value through the
        # driver's adapters cost more than the database's own work at a county's scale.
        text = "".join(f"{org_id}\t{entry_id}\t{_copy_text(key)}{planned.tail}"
                       for (org_id, key, _p), (entry_id, planned) in desired.items())
        return copy_text(Obligation, INSERT_COLUMNS, text, len(desired))
    return insert_rows(Obligation, INSERT_COLUMNS, [
        (org_id, entry_id, key, p.slot.kind, p.slot.period, p.slot.start, p.slot.end, p.slot.anchor,
         p.slot.workdays, p.due, "")
        for (org_id, key, _period), (entry_id, p) in desired.items()])


def on_in_force(version: CatalogueVersion) -> DeriveReport:
    """A version came into force: its org's obligations follow it (in the caller's transaction)."""
    since = in_force_on(version.acknowledged_at)
    years = sorted({*range(since.year, timezone.localdate().year + 1), *default_years()})
    return derive(years=years, org_ids=[version.catalogue.org_id])


def recompute_due_dates(years: set[int]) -> int:
    """The calendar hook: a year's schedule changed, so every open obligation whose count may
    cross that year gets its due date again. Grouped by (anchor, working days): a few hundred
    UPDATEs at most, whatever the number of obligations. Audited when anything moved."""
    if not years:
        return 0
    low, high = date(min(years) - 1, 1, 1), date(max(years), 12, 31)
    open_ones = Obligation.objects.filter(fulfilled_at__isnull=True, anchor__range=(low, high))
    # order_by(): the model's default ordering would widen DISTINCT to every row.
    combos = open_ones.order_by().values_list("anchor", "workdays", "due_date").distinct()
    cal = calendar.snapshot()
    changed, moves = 0, []
    for anchor, workdays, due in list(combos):
        new_due = cal.due(anchor, workdays)
        if new_due != due:
            count = open_ones.filter(anchor=anchor, workdays=workdays, due_date=due).update(due_date=new_due)
            changed += count
            moves.append(f"{due.isoformat()}→{new_due.isoformat()}×{count}")
    if changed:
        record(actor=None, action="obligations.recompute", object_type="catalogue.obligation",
               object_id="", object_repr="应公开事项截止日期",
               old={"years": sorted(years)}, new={"changed": changed, "moves": moves[:50]},
               reason="节假日安排变更，重新计算未完成事项的截止日期")
    return changed


def derive_recorded(*, actor: Any, years: Iterable[int] | None = None,
                    org_ids: Iterable[int] | None = None, workers: int = 1) -> DeriveReport:
    """`derive` as an operator runs it (`gongkai obligations derive`, the demo), followed by one
    audit event with the counts (in the same transaction when derive runs in one)."""
    with transaction.atomic() if workers <= 1 else nullcontext():
        report = derive(years=years, org_ids=org_ids, workers=workers)
        with transaction.atomic():
            record(actor=actor, action="obligations.derive", object_type="catalogue.obligation",
                   object_id="", object_repr="应公开事项",
                   new={"years": report.years, "versions": report.versions, "created": report.created,
                        "updated": report.updated, "removed": report.removed})
    return report
