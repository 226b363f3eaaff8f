"""`gongkai demo` loads a realistic county, deterministically and only once."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.demo.plan import COUNTY_CODE, DEMO_ACCOUNTS, DEMO_PASSWORD, build_plan
from gongkai.orgs.models import Affiliation, AffiliationKind, Org, Role, RoleGrant, build_path
from gongkai.people.models import User
from gongkai.validators import phone_validator

FOUR_ROLES = {Role.OFFICER, Role.REVIEWER, Role.SECRECY_REVIEWER, Role.LEADER}


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {"orgs": Org.objects.count(), "people": User.objects.count(),
            "affiliations": Affiliation.objects.count(), "grants": RoleGrant.objects.count(),
            "events": AuditEvent.objects.count()}


@pytest.fixture
def county(db) -> Org:
    _demo()
    return Org.objects.get(code=COUNTY_CODE)


def test_running_demo_twice_changes_nothing(db):
    first_output = _demo()
    first = _counts()
    second_output = _demo()
    assert _counts() == first
    assert "已加载演示数据" in first_output
    assert "未做任何更改" in second_output
    assert verify().ok


def test_no_duplicates(county):
    assert User.objects.values("username").distinct().count() == User.objects.count()
    duplicated_grants = (RoleGrant.objects.values("person", "org", "role")
                         .annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicated_grants.exists()
    # Names unique among siblings (the constraint the plan must respect).
    names = Counter(Org.objects.values_list("parent_id", "name"))
    assert max(names.values()) == 1


def test_one_audit_event_with_the_counts(county):
    # Besides the standard catalogue templates it loads (audited by their own loader), the
    # catalogues' and disclosure items' own events and the showcase items' real actions
    # (tests/demo/test_demo_catalogues.py, test_demo_disclosures.py), the demo writes exactly
    # one event for everything it creates.
    events = list(AuditEvent.objects.exclude(action__startswith="catalogue_template.")
                  .exclude(action__in=["demo.catalogues", "demo.disclosures"])
                  .exclude(action__startswith="disclosure.").exclude(action__startswith="register."))
    assert [e.action for e in events] == ["demo.load"]
    counts = events[0].new
    assert counts == {"orgs": Org.objects.count(), "people": User.objects.count(),
                      "affiliations": Affiliation.objects.count(),
                      "role_grants": RoleGrant.objects.count()}
    assert events[0].org_path == county.path
    assert verify().ok


def test_counts_in_expected_ranges(county):
    assert 250 <= Org.objects.count() <= 350
    assert 2500 <= User.objects.count() <= 3500
    towns = Org.objects.filter(parent=county, kind__code="town_committee")
    assert 8 <= towns.count() <= 12
    for town in towns:
        grassroots = town.children.filter(kind__code__in=["village", "community"]).count()
        assert 12 <= grassroots <= 18, town.name
    departments = Org.objects.filter(parent__code="jggw").exclude(kind__code="branch")
    assert 18 <= departments.count() <= 22
    assert set(departments.values_list("kind__code", flat=True)) <= {"organ_party_group",
                                                                     "party_committee"}
    for department in departments:
        assert 1 <= department.children.filter(kind__code="branch").count() <= 3


def test_county_has_discipline_commission_and_working_organs(county):
    children = set(county.children.values_list("name", flat=True))
    for organ in ["县委办公室", "县委组织部", "县委宣传部", "县委统战部", "县委政法委员会"]:
        assert organ in children
    assert county.children.filter(kind__code="discipline").count() == 1
    assert county.children.filter(kind__code="organs_work_committee").count() == 1


def test_every_org_has_officer_reviewer_secrecy_reviewer_and_leader(county):
    roles: dict[int, set[str]] = defaultdict(set)
    for org_id, role in RoleGrant.objects.values_list("org_id", "role"):
        roles[org_id].add(role)
    for org in Org.objects.all():
        assert roles[org.pk] >= FOUR_ROLES, org.name


def test_county_has_supervisors(county):
    assert RoleGrant.objects.filter(org=county, role=Role.SUPERVISOR).count() >= 2


def test_people_are_members_of_branches_and_staff_of_bureaus(county):
    member_orgs = set(Affiliation.objects.filter(kind=AffiliationKind.MEMBER)
                      .values_list("org__kind__code", flat=True))
    assert member_orgs <= {"branch", "village", "community"}
    staff_orgs = set(Affiliation.objects.filter(kind=AffiliationKind.STAFF)
                     .values_list("org__kind__code", flat=True))
    assert "organ_party_group" in staff_orgs
    # Every person belongs somewhere; nobody floats free of the hierarchy.
    assert not User.objects.filter(affiliations__isnull=True).exists()


def test_paths_and_contact_details_are_valid(county):
    by_id = {o.pk: o for o in Org.objects.all()}
    for org in by_id.values():
        parent = by_id.get(org.parent_id) if org.parent_id else None
        assert org.path == build_path(parent.path if parent else None, org.code)
        assert org.depth == org.path.strip("/").count("/")
        assert org.address and org.office_hours
        phone_validator(org.phone)
        assert org.phone.startswith("0791-")
        org.full_clean(exclude=["parent", "kind", "path"], validate_unique=False)


def test_demo_accounts_sign_in_with_the_demo_password(county, client):
    for account in DEMO_ACCOUNTS:
        response = client.post("/accounts/login/",
                               {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.session.get("_auth_user_id") == str(User.objects.get(
            username=account.username).pk)
        client.logout()


def test_other_people_cannot_sign_in(county):
    demo_names = {a.username for a in DEMO_ACCOUNTS}
    others = User.objects.exclude(username__in=demo_names)
    assert others.exists()
    assert not any(u.has_usable_password() for u in others[:200])
    assert not others.filter(is_superuser=True).exists()
    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == ["admin"]


def test_demo_accounts_hold_their_roles(county):
    for account in DEMO_ACCOUNTS:
        held = set(RoleGrant.objects.filter(person__username=account.username)
                   .values_list("org__code", "role"))
        assert held == {(account.org_code, role) for role in account.roles}
    member = User.objects.get(username="member")
    assert member.affiliations.get().org.kind.code in {"village", "community", "branch"}


def test_command_prints_the_url_and_every_account(db):
    output = _demo("--port", "8001")
    assert "http://127.0.0.1:8001/" in output
    assert DEMO_PASSWORD in output
    for account in DEMO_ACCOUNTS:
        assert account.username in output


def test_plan_is_deterministic():
    assert build_plan() == build_plan()
    assert build_plan(seed=1) != build_plan()


def test_conflict_with_existing_data_changes_nothing(db):
    # A username the demo would generate is already taken: the whole load is refused.
    taken = next(p.username for p in build_plan().people if not p.demo)
    User.objects.create_user(taken, real_name="已有用户")
    before = _counts()
    with pytest.raises(CommandError, match="冲突"):
        _demo()
    assert _counts() == before
