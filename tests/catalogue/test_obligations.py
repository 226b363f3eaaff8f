"""Obligations derived from the catalogue in force: periods, working-day due dates over the 2026
Spring Festival and National Day (with their make-up working days), idempotence, revisions,
calendar changes, fulfilment and who sees what."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions, obligations, queries
from gongkai.catalogue.models import CatalogueVersion, Obligation
from gongkai.orgs.permissions import PermissionDenied
from gongkai.workdays import actions as workdays_actions
from tests.catalogue.helpers import CatalogueWorld, row, village_draft

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")

MONTHLY_12 = {"kind": "periodic", "period": "monthly", "within_workdays": 12}
QUARTERLY_10 = {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
ROWS = [
    row(number="1", item="党费收缴", timing=MONTHLY_12),
    row(number="2", item="季度工作", timing=QUARTERLY_10),
    row(number="3", item="组织设置", timing={"kind": "standing", "refresh": "none"}),
    row(number="4", item="领导分工", timing={"kind": "standing", "refresh": "half_yearly"}),
    row(number="5", item="重大决策", timing={"kind": "prompt", "within_workdays": 5}),
]


def _in_force(cw: CatalogueWorld, rows: list[dict[str, object]], since: date) -> CatalogueVersion:
    """The village's catalogue with `rows`, in force since `since`, obligations for 2026 derived
    afresh (the acknowledgement derived some for today's date already)."""
    version = village_draft(cw)
    actions.entries_replace(actor=cw.village_officer, version=version, rows=rows)
    return _through(cw, version, since)


def _through(cw: CatalogueWorld, version: CatalogueVersion, since: date) -> CatalogueVersion:
    actions.version_approve(actor=cw.village_leader, version=version, change_explanation="调整")
    actions.version_file(actor=cw.village_officer, version=version)
    actions.version_acknowledge(actor=cw.w.officer, version=version)
    CatalogueVersion.objects.filter(pk=version.pk).update(
        acknowledged_at=datetime(since.year, since.month, since.day, 9, tzinfo=SHANGHAI))
    return CatalogueVersion.objects.get(pk=version.pk)


def _ob(cw: CatalogueWorld, item: str, period: str) -> Obligation:
    return Obligation.objects.get(org=cw.w.village, entry__item=item, period=period)


def test_periods_and_due_dates_follow_the_2026_holidays(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 1, 10))
    Obligation.objects.all().delete()
    report = obligations.derive(years=[2026], org_ids=[cw.w.village.pk])

    mine = Obligation.objects.filter(org=cw.w.village)
    assert sorted(mine.filter(entry__item="党费收缴").values_list("period", flat=True)) == \
        [f"2026-{m:02d}" for m in range(1, 13)]
    assert sorted(mine.filter(entry__item="季度工作").values_list("period", flat=True)) == \
        ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    halves = mine.filter(entry__item="领导分工").values_list("period", flat=True)
    assert sorted(halves) == ["2026-H1", "2026-H2"]
    assert not mine.filter(entry__item="重大决策").exists()  # owed per event, by the items
    assert report.created == mine.count() == 12 + 4 + 1 + 2

    # January ends on Saturday 31st; 12 working days: Feb 2-6, 9-13 (10), Saturday Feb 14 is a
    # make-up working day (11), Feb 15-23 is the Spring Festival, so the 12th is Tuesday Feb 24.
    assert _ob(cw, "党费收缴", "2026-01").due_date == date(2026, 2, 24)
    # Q3 ends Wednesday Sep 30; Oct 1-7 National Day; Oct 8, 9 (2), Saturday Oct 10 make-up
    # (3), Oct 12-16 (8), Oct 19, 20 (10).
    assert _ob(cw, "季度工作", "2026-Q3").due_date == date(2026, 10, 20)
    # Standing content: published within 5 working days of taking force (Sat Jan 10 -> Jan 16),
    # refreshed by the last day of each half-year.
    first = _ob(cw, "组织设置", "first")
    assert (first.anchor, first.due_date) == (date(2026, 1, 10), date(2026, 1, 16))
    assert _ob(cw, "领导分工", "2026-H1").due_date == date(2026, 6, 30)

    explanation = "\n".join(queries.explain_obligation(_ob(cw, "季度工作", "2026-Q3")).explanation())
    assert "国庆节" in explanation and "调休上班" in explanation


def test_periods_ended_before_the_catalogue_took_force_are_not_owed(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 5, 15))
    Obligation.objects.all().delete()
    obligations.derive(years=[2026], org_ids=[cw.w.village.pk])
    months = (Obligation.objects.filter(org=cw.w.village, entry__item="党费收缴")
              .values_list("period", flat=True))
    assert sorted(months) == [f"2026-{m:02d}" for m in range(5, 13)]
    assert not Obligation.objects.filter(period="2026-Q1").exists()


def test_derive_is_idempotent(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 1, 10))
    first = obligations.derive(years=[2026])
    count = Obligation.objects.count()
    again = obligations.derive(years=[2026])
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert Obligation.objects.count() == count
    assert first.versions == again.versions == 1


def test_a_revision_moves_open_obligations_and_drops_removed_entries(cw: CatalogueWorld) -> None:
    v1 = _in_force(cw, ROWS, date(2026, 1, 10))
    obligations.derive(years=[2026])
    done = _ob(cw, "季度工作", "2026-Q3")
    actions.obligation_fulfil(actor=cw.village_officer, obligation=done, note="已在公开栏公开")
    old_june = _ob(cw, "党费收缴", "2026-06")

    draft = actions.version_revise(actor=cw.village_officer, version=v1, change_explanation="调整时限")
    revised = [dict(r) for r in ROWS if r["item"] != "季度工作"]
    revised[0] = {**revised[0], "timing": {"kind": "periodic", "period": "monthly", "within_workdays": 3}}
    actions.entries_replace(actor=cw.village_officer, version=draft, rows=revised)
    v2 = _through(cw, draft, date(2026, 7, 1))
    obligations.derive(years=[2026])

    # Periods ending before v2 took force stay as v1 left them.
    june = _ob(cw, "党费收缴", "2026-06")
    assert (june.pk, june.entry_id, june.due_date) == (old_june.pk, old_june.entry_id, old_june.due_date)
    # Open ones after it follow v2's entry and its new rule: July ends Friday 31st -> Aug 5.
    july = _ob(cw, "党费收缴", "2026-07")
    assert july.entry.version_id == v2.pk and july.due_date == date(2026, 8, 5)
    # The removed entry's open obligation goes; its fulfilled one and earlier ones stay.
    assert not Obligation.objects.filter(entry__item="季度工作", period="2026-Q4").exists()
    assert Obligation.objects.get(pk=done.pk).fulfilled_at is not None
    assert Obligation.objects.filter(entry__item="季度工作", period="2026-Q1").exists()
    # Never duplicated.
    assert Obligation.objects.filter(org=cw.w.village, entry_key="n:1", period="2026-07").count() == 1


def test_a_calendar_change_recomputes_open_deadlines_and_is_audited(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 1, 10))
    Obligation.objects.all().delete()
    obligations.derive(years=[2026])
    q3, q2 = _ob(cw, "季度工作", "2026-Q3"), _ob(cw, "季度工作", "2026-Q2")
    actions.obligation_fulfil(actor=cw.village_officer, obligation=q2, note="已公开")
    q2_due = Obligation.objects.get(pk=q2.pk).due_date

    # Thursday Oct 8 becomes a day off: Q3's deadline moves one working day later.
    workdays_actions.schedule_day_set(actor=None, day=date(2026, 10, 8), kind="holiday", name="测试假日")
    assert Obligation.objects.get(pk=q3.pk).due_date == date(2026, 10, 21)
    # July 1 becomes a day off: the fulfilled Q2 keeps its recorded deadline.
    workdays_actions.schedule_day_set(actor=None, day=date(2026, 7, 1), kind="holiday", name="测试假日")
    assert Obligation.objects.get(pk=q2.pk).due_date == q2_due
    event = AuditEvent.objects.filter(action="obligations.recompute").latest("seq")
    assert event.new["changed"] >= 1


def test_fulfil_and_reopen_rules_and_permissions(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 1, 10))
    obligations.derive(years=[2026])
    ob = _ob(cw, "党费收缴", "2026-03")
    for outsider in (cw.w.member, cw.w.outsider, cw.w.reviewer):
        with pytest.raises(PermissionDenied):
            actions.obligation_fulfil(actor=outsider, obligation=ob, note="x")
    with pytest.raises(ValidationError):
        actions.obligation_fulfil(actor=cw.village_officer, obligation=ob, note="  ")
    assert Obligation.objects.get(pk=ob.pk).fulfilled_at is None

    actions.obligation_fulfil(actor=cw.village_officer, obligation=ob, note="已于党员大会通报")
    ob.refresh_from_db()
    assert ob.fulfilled_by == cw.village_officer and ob.fulfilment_note == "已于党员大会通报"
    assert AuditEvent.objects.filter(action="obligation.fulfil", object_id=str(ob.pk)).exists()
    with pytest.raises(ValidationError):
        actions.obligation_fulfil(actor=cw.village_officer, obligation=ob, note="again")
    with pytest.raises(ValidationError):
        actions.obligation_reopen(actor=cw.village_officer, obligation=ob, reason="")
    actions.obligation_reopen(actor=cw.w.officer, obligation=ob, reason="误操作")  # the town above
    ob.refresh_from_db()
    assert ob.fulfilled_at is None and ob.fulfilment_note == ""


def test_states_are_decided_from_today_and_visibility_follows_the_hierarchy(cw: CatalogueWorld) -> None:
    _in_force(cw, ROWS, date(2026, 1, 10))
    obligations.derive(years=[2026])
    today = timezone.localdate()
    mine = Obligation.objects.filter(org=cw.w.village).order_by("id")
    late, soon, later, done = list(mine[:4])
    Obligation.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=1))
    Obligation.objects.filter(pk=soon.pk).update(due_date=today)
    Obligation.objects.filter(pk=later.pk).update(due_date=today + timedelta(days=60))
    Obligation.objects.filter(pk=done.pk).update(due_date=today - timedelta(days=3))
    actions.obligation_fulfil(actor=cw.village_officer, obligation=done, note="已公开")
    Obligation.objects.filter(org=cw.w.village).exclude(pk__in=[late.pk, soon.pk, later.pk, done.pk]).delete()

    def ids(user: object, state: str, **kw: object) -> set[int]:
        return set(queries.obligations_for(user, states=[state], **kw).values_list("pk", flat=True))

    assert ids(cw.village_officer, "overdue") == {late.pk}
    assert ids(cw.village_officer, "due_soon") == {soon.pk}
    assert ids(cw.village_officer, "upcoming") == {later.pk}
    assert ids(cw.village_officer, "fulfilled") == {done.pk}
    # The county's officer sees the village's overdue one through the subtree; the bureau's
    # officer and a member without a role see nothing.
    assert ids(cw.county_officer, "overdue", org=cw.w.county, subtree=True) == {late.pk}
    assert ids(cw.county_officer, "overdue", org=cw.w.county) == set()
    assert ids(cw.w.outsider, "overdue") == set()
    assert ids(cw.w.member, "overdue") == set()
    with pytest.raises(Http404):
        queries.get_obligation_for(cw.w.outsider, late.pk)


def test_the_command_derives_once_and_lists_overdue(cw: CatalogueWorld) -> None:
    from io import StringIO

    from django.core.management import call_command

    _in_force(cw, ROWS, date(2026, 1, 10))
    Obligation.objects.all().delete()
    out = StringIO()
    call_command("obligations", "derive", "--year", "2026", "--workers", "1", stdout=out)
    assert "新增 19" in out.getvalue()
    call_command("obligations", "derive", "--year", "2026", "--workers", "1", stdout=out)
    assert "新增 0，更新 0，删除 0" in out.getvalue()
    assert AuditEvent.objects.filter(action="obligations.derive").count() == 2
    late = _ob(cw, "党费收缴", "2026-03")
    Obligation.objects.exclude(pk=late.pk).update(due_date=date(2100, 1, 4))  # not due, whatever today is
    Obligation.objects.filter(pk=late.pk).update(due_date=date(2000, 1, 3))
    listing = StringIO()
    call_command("obligations", "overdue", "--org", "town", stdout=listing)
    assert "2000-01-03" in listing.getvalue() and "逾期 1 项" in listing.getvalue()


@pytest.mark.django_db(transaction=True)
def test_parallel_derive_gives_the_same_rows_as_one_transaction(cw: CatalogueWorld) -> None:
    """workers > 1 uses several connections on PostgreSQL (one transaction per batch) and one
    transaction elsewhere; the result must not depend on it."""
    _in_force(cw, ROWS, date(2026, 1, 10))

    def snapshot() -> list[tuple[object, ...]]:
        return sorted(Obligation.objects.values_list("org_id", "entry_key", "period", "due_date"))

    Obligation.objects.all().delete()
    obligations.derive(years=[2026])
    serial = snapshot()
    Obligation.objects.all().delete()
    report = obligations.derive(years=[2026], workers=2)
    assert report.created == len(serial) == 19
    assert snapshot() == serial
