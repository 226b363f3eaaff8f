"""Factories and personas shared by every app's tests (healthchecks' hc/test.py habit)."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from factory.django import DjangoModelFactory

from gongkai.orgs.kinds import ensure_seed_kinds
from gongkai.orgs.models import (
    Affiliation,
    AffiliationKind,
    Org,
    OrgKind,
    Role,
    RoleGrant,
    build_path,
    depth_of,
)
from gongkai.people.models import User

PASSWORD = "Gk-test-Passw0rd!"


def kind(code: str = "branch") -> OrgKind:
    # A transactional test flushes every table, seed kinds included: put them back if gone.
    ensure_seed_kinds(OrgKind)
    return OrgKind.objects.get(code=code)


def make_org(code: str, name: str | None = None, parent: Org | None = None,
             kind_code: str = "branch", **extra: object) -> Org:
    """Create an org directly (bypassing actions: a fixture, not an operation under test)."""
    path = build_path(parent.path if parent else None, code)
    return Org.objects.create(code=code, name=name or f"组织{code}", parent=parent,
                              kind=kind(kind_code), path=path, depth=depth_of(path), **extra)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


def grant(person: User, org: Org, role: str) -> RoleGrant:
    return RoleGrant.objects.create(person=person, org=org, role=role)


def affiliate(person: User, org: Org, kind: str = AffiliationKind.MEMBER) -> Affiliation:
    return Affiliation.objects.create(person=person, org=org, kind=kind)


@dataclass
class World:
    """A small hierarchy with one persona per role:

        county (县委)
        ├── town (镇党委)
        │   ├── village (村党组织)
        │   └── village2
        └── bureau (工作机关党组)
    """

    county: Org
    town: Org
    village: Org
    village2: Org
    bureau: Org
    admin: User       # admin at the county
    officer: User     # officer at the town (oversees its villages)
    reviewer: User    # reviewer at the town
    secrecy: User     # secrecy reviewer at the town
    leader: User      # leader at the town
    supervisor: User  # supervisor at the county
    member: User      # party member of the village, no role
    outsider: User    # officer of the bureau: a role, but elsewhere
    superuser: User


def build_world() -> World:
    county = make_org("county", "某某县委", kind_code="county_committee")
    town = make_org("town", "某某镇党委", county, kind_code="town_committee")
    village = make_org("village", "某某村党支部", town, kind_code="village")
    village2 = make_org("village2", "另一村党支部", town, kind_code="village")
    bureau = make_org("bureau", "县教育局党组", county, kind_code="organ_party_group")

    def person(username: str, real_name: str) -> User:
        user: User = UserFactory.create(username=username, real_name=real_name)
        return user

    admin = person("admin", "管理员")
    grant(admin, county, Role.ADMIN)
    officer = person("officer", "王专员")
    grant(officer, town, Role.OFFICER)
    affiliate(officer, town, AffiliationKind.STAFF)
    reviewer = person("reviewer", "李审核")
    grant(reviewer, town, Role.REVIEWER)
    secrecy = person("secrecy", "赵保密")
    grant(secrecy, town, Role.SECRECY_REVIEWER)
    leader = person("leader", "张书记")
    grant(leader, town, Role.LEADER)
    supervisor = person("supervisor", "刘监督")
    grant(supervisor, county, Role.SUPERVISOR)
    member = person("member", "陈党员")
    affiliate(member, village)
    outsider = person("outsider", "周外人")
    grant(outsider, bureau, Role.OFFICER)
    superuser = User.objects.create_superuser("root", password=PASSWORD, real_name="超级管理员")
    return World(county, town, village, village2, bureau, admin, officer, reviewer, secrecy,
                 leader, supervisor, member, outsider, superuser)
