"""`gongkai demo` gives every organisation of the demo county a catalogue in a realistic mix of
states, and a year of obligations of which most that are due are done and some are overdue."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.catalogue import queries
from gongkai.catalogue.diff import diff
from gongkai.catalogue.models import Catalogue, CatalogueVersion, Entry, Obligation, Status
from gongkai.catalogue.templates import load_templates
from gongkai.demo.builder import load_demo
from gongkai.demo.catalogues import catalogue_state, in_force_year, load_catalogues
from gongkai.demo.disclosures import POLICY_TITLE
from gongkai.demo.history import decide
from gongkai.demo.plan import COUNTY_CODE, DEMO_TOWN, DEMO_VILLAGE, build_plan
from gongkai.disclosures.models import Disclosure
from gongkai.orgs.models import Org, OrgKind, Role, RoleGrant, build_path, depth_of
from gongkai.people.models import User


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def county(db) -> Org:
    _demo()
    return Org.objects.get(code=COUNTY_CODE)


def _latest() -> dict[str, CatalogueVersion]:
    """Each org's newest version, by org code."""
    latest: dict[str, CatalogueVersion] = {}
    for version in (CatalogueVersion.objects.select_related("catalogue__org")
                    .order_by("catalogue_id", "number")):
        latest[version.catalogue.org.code] = version
    return latest


def _holder(org_id: int, role: str) -> set[int]:
    return set(RoleGrant.objects.filter(org_id=org_id, role=role).values_list("person_id", flat=True))


def _counts() -> dict[str, int]:
    return {"catalogues": Catalogue.objects.count(), "versions": CatalogueVersion.objects.count(),
            "entries": Entry.objects.count(), "obligations": Obligation.objects.count(),
            "fulfilled": Obligation.objects.filter(fulfilled_at__isnull=False).count(),
            "events": AuditEvent.objects.count()}


def test_states_are_in_the_expected_mix(county):
    orgs = Org.objects.count()
    states = Counter(v.status for v in _latest().values())
    never = orgs - Catalogue.objects.count()
    assert 0.68 * orgs <= states[Status.IN_FORCE] <= 0.82 * orgs
    assert 0.06 * orgs <= states[Status.FILED] <= 0.14 * orgs
    assert 0.02 * orgs <= states[Status.RETURNED] <= 0.08 * orgs
    assert 0.02 * orgs <= states[Status.APPROVED] + states[Status.DRAFT] <= 0.09 * orgs
    assert states[Status.APPROVED] and states[Status.DRAFT]
    assert 0.01 * orgs <= never <= 0.08 * orgs
    revised = CatalogueVersion.objects.filter(number=2, status=Status.IN_FORCE).count()
    assert 8 <= revised <= 30


def test_every_catalogue_starts_from_its_kinds_template(county):
    for version in CatalogueVersion.objects.filter(number=1).select_related(
            "catalogue__org", "based_on__template"):
        org = version.catalogue.org
        assert version.based_on.template.kinds.filter(pk=org.kind_id).exists(), org.code
        assert version.entries.count() == len(version.based_on.rows)
        assert set(version.entries.values_list("template_row_number", flat=True)) == {
            row["number"] for row in version.based_on.rows}


def test_in_force_catalogues_went_through_leader_filing_and_superior(county):
    year = in_force_year(timezone.localdate())
    first_quarter = (date(year, 1, 1), date(year, 3, 31))
    in_force = CatalogueVersion.objects.filter(number=1, status__in=[Status.IN_FORCE, Status.SUPERSEDED])
    assert in_force.exists()
    for version in in_force.select_related("catalogue__org"):
        org = version.catalogue.org
        acknowledged = timezone.localdate(version.acknowledged_at)
        assert first_quarter[0] <= acknowledged <= first_quarter[1], org.code
        assert version.created_at < version.approved_at < version.filed_at <= version.acknowledged_at
        assert version.filed_at >= version.acknowledged_at - timedelta(days=30)
        assert version.approved_by_id in _holder(org.pk, Role.LEADER)
        assert version.filed_by_id in _holder(org.pk, Role.OFFICER)
        if org.parent_id is None:
            assert version.acknowledged_by_id is None  # filing put the top org's catalogue in force
        else:
            assert version.acknowledged_by_id in _holder(org.parent_id, Role.OFFICER)
        assert version.catalogue.created_by_id == version.created_by_id


def test_filed_and_returned_wait_with_the_superior(county):
    now = timezone.now()
    filed = CatalogueVersion.objects.filter(status=Status.FILED).select_related("catalogue__org")
    for version in filed:
        assert version.acknowledged_at is None and version.returned_at is None
        assert now - timedelta(days=30) < version.filed_at < now
    returned = CatalogueVersion.objects.filter(status=Status.RETURNED).select_related("catalogue__org")
    assert returned.exists()
    for version in returned:
        assert version.filed_at < version.returned_at < now
        assert "重新报备" in version.return_comment
        assert version.returned_by_id in _holder(version.catalogue.org.parent_id, Role.OFFICER)
    assert not CatalogueVersion.objects.filter(status=Status.APPROVED, filed_at__isnull=False).exists()
    assert not CatalogueVersion.objects.filter(status=Status.DRAFT, approved_at__isnull=False).exists()


def test_revisions_have_an_explanation_and_a_difference(county):
    revisions = CatalogueVersion.objects.filter(number=2).select_related("catalogue__org")
    assert revisions.exists()
    for second in revisions:
        first = CatalogueVersion.objects.get(catalogue=second.catalogue, number=1)
        assert second.status == Status.IN_FORCE and first.status == Status.SUPERSEDED
        assert second.change_explanation
        assert first.superseded_at == second.acknowledged_at
        assert first.acknowledged_at < second.created_at < second.acknowledged_at < timezone.now()
        result = diff(first, second)
        assert len(result.added) + len(result.changed) == 1, second.catalogue.org.code


def test_every_in_force_catalogue_has_obligations(county):
    in_force = set(CatalogueVersion.objects.filter(status=Status.IN_FORCE)
                   .values_list("catalogue__org_id", flat=True))
    with_obligations = set(Obligation.objects.values_list("org_id", flat=True).distinct())
    assert in_force and in_force == with_obligations
    # Every obligation hangs on an entry of its own org's catalogue.
    assert not Obligation.objects.exclude(entry__version__catalogue__org_id=F("org_id")).exists()
    years = set(Obligation.objects.values_list("period_end__year", flat=True))
    assert timezone.localdate().year in years


def test_most_due_obligations_are_done_some_late_and_some_overdue(county):
    today = timezone.localdate()
    # Not the event obligations of the demo's disclosure items (tests/demo/test_demo_disclosures.py).
    due = Obligation.objects.filter(due_date__lt=today).exclude(period__startswith="item-")
    done = due.filter(fulfilled_at__isnull=False)
    assert 0.70 <= done.count() / due.count() <= 0.90
    overdue = due.filter(fulfilled_at__isnull=True)
    assert overdue.count() >= 50
    on_time = [o for o in done if timezone.localdate(o.fulfilled_at) <= o.due_date]
    assert len(on_time) >= 0.8 * done.count()
    assert len(on_time) < done.count()  # a few late ones
    assert not Obligation.objects.filter(fulfilled_at__gte=timezone.now()).exists()
    # Bulk history never fulfils a period that has not begun; the showcase policy published
    # today through the actions fulfils its entry's current period, as publishing does.
    showcase = Disclosure.objects.filter(title=POLICY_TITLE).values("pk")
    assert not Obligation.objects.filter(anchor__gte=today, fulfilled_at__isnull=False).exclude(
        item_id__in=showcase).exists()
    officers = set(RoleGrant.objects.filter(role=Role.OFFICER).values_list("org_id", "person_id"))
    for obligation in Obligation.objects.filter(fulfilled_at__isnull=False):
        # Those the demo's disclosure items fulfil name the item instead.
        prefix = "由公开事项" if obligation.item_id else "已于"
        assert obligation.fulfilment_note.startswith(prefix)
        assert (obligation.org_id, obligation.fulfilled_by_id) in officers
    notes = Counter(o.fulfilment_note[o.fulfilment_note.index("日") + 1:]
                    for o in done.filter(item_id__isnull=True))
    assert any("党务公开栏" in n for n in notes) and any("党员大会" in n for n in notes)


def test_obligations_done_before_a_revision_stay_with_the_old_entries(county):
    for second in CatalogueVersion.objects.filter(number=2):
        old = Obligation.objects.filter(entry__version__catalogue=second.catalogue,
                                        entry__version__number=1, fulfilled_at__isnull=False)
        # What was still open when the revision came into force followed the revised entries,
        # except periods that had ended before it: those were owed under version 1.
        since = timezone.localdate(second.acknowledged_at)
        assert not old.filter(fulfilled_at__gte=second.acknowledged_at, period_end__gte=since).exists()
        moved = Obligation.objects.filter(entry__version=second)
        assert not moved.filter(fulfilled_at__lt=second.acknowledged_at).exists()


def test_the_demo_accounts_have_something_to_do(county):
    town_officer = User.objects.get(username="town_officer")
    assert queries.incoming_filings(town_officer).count() >= 2
    county_officer = User.objects.get(username="county_officer")
    assert queries.incoming_filings(county_officer).filter(catalogue__org__code="dhjd").exists()
    latest = _latest()
    assert latest[DEMO_TOWN].number == 2 and latest[DEMO_TOWN].status == Status.IN_FORCE
    assert latest[DEMO_VILLAGE].status == Status.IN_FORCE
    town = Org.objects.get(code=DEMO_TOWN)
    subtree = Obligation.objects.filter(org__path__startswith=town.path, due_date__lt=timezone.localdate())
    assert subtree.filter(fulfilled_at__isnull=True).exists()
    assert subtree.filter(fulfilled_at__isnull=False).exists()


def test_one_audit_event_describes_it_and_the_chain_verifies(county):
    events = list(AuditEvent.objects.filter(action="demo.catalogues"))
    assert len(events) == 1
    new = events[0].new
    assert new["states"]["in_force"] == CatalogueVersion.objects.filter(status=Status.IN_FORCE).count()
    assert new["states"]["revised"] == CatalogueVersion.objects.filter(number=2).count()
    catalogue_obligations = Obligation.objects.exclude(period__startswith="item-")  # not items' own
    assert new["obligations"] == catalogue_obligations.count()
    # Less the one the showcase policy fulfils afterwards, published through the actions.
    showcase = Disclosure.objects.filter(title=POLICY_TITLE).values("pk")
    fulfilled = catalogue_obligations.filter(fulfilled_at__isnull=False).exclude(item_id__in=showcase)
    assert new["fulfilled"] == fulfilled.count()
    assert "直接写入" in events[0].reason
    # No per-version events: the history was written directly, and says so.
    assert not AuditEvent.objects.filter(action__startswith="catalogue.").exists()
    assert verify().ok


def test_running_the_demo_twice_changes_nothing(db):
    first_output = _demo()
    first = _counts()
    second_output = _demo()
    assert _counts() == first
    assert "已生成演示目录" in first_output
    assert "已生成演示目录" not in second_output
    assert verify().ok


def test_an_existing_catalogue_in_the_county_stops_it(db):
    # A county loaded before catalogues existed, in which someone has made one: left alone.
    load_demo()
    load_templates()
    village = Org.objects.get(code=DEMO_VILLAGE)
    Catalogue.objects.create(org=village)
    report = load_catalogues()
    assert not report.created
    assert Catalogue.objects.count() == 1


def test_an_org_whose_kind_has_no_template_is_skipped_and_named(db):
    load_demo()
    load_templates()
    county = Org.objects.get(code=COUNTY_CODE)
    kind = OrgKind.objects.create(code="demo_test_kind", name="无模板的类型")
    path = build_path(county.path, "xw-x")
    Org.objects.create(code="xw-x", name="无模板组织", kind=kind, parent=county, path=path,
                       depth=depth_of(path))
    report = load_catalogues()
    assert report.skipped == ["xw-x"]
    assert not Catalogue.objects.filter(org__code="xw-x").exists()


def test_states_are_decided_by_code_and_top_orgs_never_wait():
    codes = [o.code for o in build_plan().orgs]
    assert [catalogue_state(c) for c in codes] == [catalogue_state(c) for c in codes]
    assert catalogue_state("cgz-02") == "filed"
    assert catalogue_state("cgz-02", has_superior=False) == "in_force"


def test_catalogues_come_into_force_in_a_past_first_quarter():
    assert in_force_year(date(2026, 12, 1)) == 2026
    assert in_force_year(date(2026, 4, 15)) == 2026
    assert in_force_year(date(2026, 2, 10)) == 2025


def _snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    versions = list(CatalogueVersion.objects.order_by("catalogue__org__code", "number").values_list(
        "catalogue__org__code", "number", "status", "created_at", "approved_at", "filed_at",
        "acknowledged_at", "returned_at", "return_comment", "change_explanation"))
    done = list(Obligation.objects.filter(fulfilled_at__isnull=False)
                .order_by("org__code", "entry_key", "period")
                .values_list("org__code", "entry_key", "period", "fulfilled_at", "fulfilment_note"))
    return versions, done


class _Rollback(Exception):
    pass


def test_the_same_day_gives_the_same_county(db):
    load_demo()
    load_templates()
    snapshots = []
    for _ in range(2):
        try:
            with transaction.atomic():
                load_catalogues()
                snapshots.append(_snapshot())
                raise _Rollback
        except _Rollback:
            pass
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0] and snapshots[0][1]


def test_early_in_the_year_nothing_is_dated_after_today(db):
    load_demo()
    load_templates()
    today = date(timezone.localdate().year, 2, 10)
    load_catalogues(today=today)
    end_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time())) \
        + timedelta(days=1)
    for field in ("created_at", "approved_at", "filed_at", "acknowledged_at", "returned_at"):
        assert not CatalogueVersion.objects.filter(**{f"{field}__gte": end_of_today}).exists(), field
    assert not Obligation.objects.filter(fulfilled_at__gte=end_of_today).exists()
    assert Obligation.objects.filter(fulfilled_at__isnull=False).exists()


def test_a_fulfilment_is_never_before_its_window_opens():
    class Clock:  # the two things decide() asks of gongkai.demo.catalogues.Clock
        today = date(2026, 12, 2)

        def workday(self, day: date) -> date:
            return day

        def at(self, rng, day):
            return timezone.make_aware(datetime.combine(day, datetime.min.time()))

    clock = Clock()
    for n in range(300):
        anchor = date(2026, 6, 30)
        decided = decide(clock, f"org{n}", "t:1", "2026-H1", anchor, date(2026, 7, 14), ["meeting"])
        if decided is not None:
            assert timezone.localdate(decided[0]) >= anchor
            assert "党员大会" in decided[1]
    assert decide(clock, "org", "t:1", "2026-H2", date(2026, 12, 31), date(2027, 1, 15), []) is None
