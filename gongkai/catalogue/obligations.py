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

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.audit.chain import record
from gongkai.bulk import batched, insert_rows
from gongkai.catalogue.deadlines import FIRST, Slot, first_publication, slots
from gongkai.catalogue.models import CatalogueVersion, Entry, Obligation, Status
from gongkai.catalogue.timing import TimingRule
from gongkai.workdays import calendar

VERSION_BATCH = 1000
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


class _Rules:
    """Parsed timing rules by their stored dict, and their slots per year: a county has a few
    dozen distinct rules across a hundred thousand entries."""

    def __init__(self, years: list[int]) -> None:
        self.years = years
        self._slots: dict[tuple[Any, ...], tuple[TimingRule | None, list[Slot]]] = {}

    def get(self, timing: Any) -> tuple[TimingRule | None, list[Slot]]:
        key = tuple(sorted(timing.items())) if isinstance(timing, dict) else (repr(timing),)
        found = self._slots.get(key)
        if found is None:
            try:
                rule: TimingRule | None = TimingRule.parse(timing)
            except ValidationError:  # a stored rule that no longer parses owes nothing
                rule = None
            periods = [s for y in self.years for s in slots(rule, y)] if rule else []
            found = self._slots[key] = (rule, periods)
        return found


class _Dues:
    def __init__(self) -> None:
        self.calendar = calendar.snapshot()
        self._cache: dict[tuple[date, int], date] = {}

    def __call__(self, anchor: date, workdays: int) -> date:
        key = (anchor, workdays)
        due = self._cache.get(key)
        if due is None:
            due = self._cache[key] = self.calendar.due(anchor, workdays)
        return due


def _in_force_versions(org_ids: Iterable[int] | None) -> Iterator[list[tuple[int, int, date]]]:
    qs = CatalogueVersion.objects.filter(status=Status.IN_FORCE)
    if org_ids is not None:
        qs = qs.filter(catalogue__org_id__in=list(org_ids))
    rows = qs.order_by("id").values_list("id", "catalogue__org_id", "acknowledged_at")
    for chunk in batched(rows.iterator(chunk_size=VERSION_BATCH), VERSION_BATCH):
        yield [(vid, org_id, in_force_on(at)) for vid, org_id, at in chunk]


def derive(*, years: Iterable[int] | None = None, org_ids: Iterable[int] | None = None) -> DeriveReport:
    """Bring the obligations of `years` (default: `default_years()`) in line with the
    catalogues in force of `org_ids` (default: every org). Runs in one transaction."""
    year_list = sorted(set(years or default_years()))
    report = DeriveReport(years=year_list)
    rules, dues = _Rules(year_list), _Dues()
    first_day, last_day = date(year_list[0], 1, 1), date(year_list[-1], 12, 31)
    with transaction.atomic():
        for versions in _in_force_versions(org_ids):
            report.versions += len(versions)
            _derive_batch(versions, rules, dues, year_list, first_day, last_day, report)
    return report


def _derive_batch(versions: list[tuple[int, int, date]], rules: _Rules, dues: _Dues, years: list[int],
                  first_day: date, last_day: date, report: DeriveReport) -> None:
    org_of = {vid: (org_id, since) for vid, org_id, since in versions}
    since_of = {org_id: since for _vid, org_id, since in versions}
    # (org, key, period) -> (entry id, slot)
    desired: dict[tuple[int, str, str], tuple[int, Slot]] = {}
    first_keys: set[tuple[int, str]] = set()
    entries = (Entry.objects.filter(version_id__in=list(org_of))
               .values_list("id", "version_id", "template_row_number", "number", "timing"))
    for entry_id, version_id, row_number, number, timing in entries.iterator(chunk_size=5000):
        org_id, since = org_of[version_id]
        key = entry_key(row_number, number)
        rule, periods = rules.get(timing)
        for slot in periods:
            if slot.end >= since:
                desired[(org_id, key, slot.period)] = (entry_id, slot)
        if rule is not None:
            first = first_publication(rule, since)
            if first is not None:
                first_keys.add((org_id, key))
                if since.year in years:
                    desired[(org_id, key, FIRST)] = (entry_id, first)

    existing = (Obligation.objects.filter(org_id__in=list(since_of))
                .filter(Q(period_end__range=(first_day, last_day)) | Q(period=FIRST))
                .values_list("id", "org_id", "entry_key", "period", "entry_id", "anchor", "workdays",
                             "due_date", "fulfilled_at", "period_end"))
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
        new_entry, slot = wanted
        new_due = dues(slot.anchor, slot.workdays)
        if (new_entry, slot.anchor, slot.workdays, new_due) != (entry_id, anchor, workdays, due):
            changes[(new_entry, slot.anchor, slot.workdays, new_due)].append(oid)
    for ids in batched(stale, 5000):
        report.removed += Obligation.objects.filter(id__in=ids).delete()[0]
    for (new_entry, anchor, workdays, due), ids in changes.items():
        report.updated += Obligation.objects.filter(id__in=ids).update(
            entry_id=new_entry, anchor=anchor, workdays=workdays, due_date=due)
    report.created += insert_rows(Obligation, INSERT_COLUMNS, (
        (org_id, entry_id, key, slot.kind, slot.period, slot.start, slot.end, slot.anchor, slot.workdays,
         dues(slot.anchor, slot.workdays), "")
        for (org_id, key, _period), (entry_id, slot) in desired.items()))


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
    combos = open_ones.values_list("anchor", "workdays", "due_date").distinct()
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
