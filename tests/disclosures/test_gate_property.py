"""The visibility gate against a plain-Python oracle (issue 4 §4, DESIGN.md "The visibility gate").

Random forests of orgs (some inactive), people with random affiliations and roles (some
inactive, some superusers) and items with random scopes, targets, statuses and dates around a
fixed `NOW`. For every reader, anonymous included, the queryset (`gate.visible_to`), the object
check (`gate.can_view`) and `oracle` below must name the same items.

The oracle reads the generated description only (parent indices, not paths; role names, not
`REACHES_SUBORDINATES`; offsets in seconds, not datetimes), so a mistake in the labels cannot be
copied into it. Examples: GONGKAI_PROPERTY_EXAMPLES (500 by default; bench/gate_property_bench.sh
runs more)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalogue.vocab import Scope
from gongkai.disclosures import gate
from gongkai.disclosures.models import AudienceLabel, Disclosure, ItemStatus, Revision
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
from gongkai.testing import World, affiliate, grant

NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
EXAMPLES = int(os.environ.get("GONGKAI_PROPERTY_EXAMPLES", "500"))
MAX_DEPTH = 3  # four levels: county, town, village, a group under the village

# The oracle's own reading of the rules, spelled out rather than imported from the gate or the
# permission module: roles that oversee the org and its subordinates, and roles that see their
# own org's items only.
OVERSEEING_ROLES = {"officer", "leader", "supervisor", "admin"}
OWN_ORG_ROLES = {"reviewer", "secrecy_reviewer"}
SCOPES = ["public", "party", "unit", "targeted"]

# Offsets from NOW in seconds: far and near on both sides, and NOW itself for the boundaries
# (live from go_live_at inclusive, hidden from display_until inclusive, public from public_from).
OFFSETS = [-30 * 86400, -3600, -1, 0, 1, 3600]


@dataclass(frozen=True)
class OrgSpec:
    parent: int | None  # index of an earlier org; None for a root
    active: bool


@dataclass(frozen=True)
class PersonSpec:
    active: bool
    superuser: bool
    affiliations: frozenset[tuple[int, str]]  # (org index, "member" | "staff")
    grants: frozenset[tuple[int, str]]        # (org index, role)


@dataclass(frozen=True)
class ItemSpec:
    org: int
    scope: str
    status: str
    withdrawn: bool
    go_live: int | None        # seconds from NOW
    display_until: int | None
    public_from: int | None
    target_orgs: tuple[int, ...]
    target_people: tuple[int, ...]


@dataclass(frozen=True)
class Case:
    orgs: tuple[OrgSpec, ...]
    people: tuple[PersonSpec, ...]
    items: tuple[ItemSpec, ...]


# ---------------------------------------------------------------------------------------- oracle

def _self_and_superiors(case: Case, org: int) -> set[int]:
    chain: set[int] = set()
    node: int | None = org
    while node is not None:
        chain.add(node)
        node = case.orgs[node].parent
    return chain


def _is_live(item: ItemSpec) -> bool:
    return (
        item.status == "published"
        and not item.withdrawn
        and item.go_live is not None
        and item.go_live <= 0
        and (item.display_until is None or item.display_until > 0)
    )


def oracle(case: Case, reader: int | None) -> set[int]:
    """Indices of the items that person `reader` (None: anonymous) may see at NOW."""
    person = case.people[reader] if reader is not None else None
    if person is not None and not person.active:
        person = None  # a disabled account reads like a visitor
    # Ties to an inactive org count for nothing.
    affiliations = {(o, k) for o, k in person.affiliations if case.orgs[o].active} if person else set()
    grants = {(o, r) for o, r in person.grants if case.orgs[o].active} if person else set()
    visible: set[int] = set()
    for n, item in enumerate(case.items):
        if not _is_live(item):
            continue
        chain = _self_and_superiors(case, item.org)
        for_everyone = item.scope == "public" or (
            item.scope == "party" and item.public_from is not None and item.public_from <= 0
        )
        if person is None:
            if for_everyone:
                visible.add(n)
            continue
        by_scope = (
            (item.scope == "party" and any(
                k == "member" and item.org in _self_and_superiors(case, o) for o, k in affiliations))
            or (item.scope == "unit" and any(o == item.org for o, _k in affiliations))
            or (item.scope == "targeted" and (
                reader in item.target_people or any(o in item.target_orgs for o, _k in affiliations)))
        )
        by_role = any(r in OVERSEEING_ROLES and o in chain for o, r in grants) or any(
            r in OWN_ORG_ROLES and o == item.org for o, r in grants)
        if person.superuser or for_everyone or by_scope or by_role:
            visible.add(n)
    return visible


def test_the_oracle_knows_every_role_and_scope() -> None:
    # A new role or scope must be given a meaning here before the property test can speak for it.
    assert set(Role.values) == OVERSEEING_ROLES | OWN_ORG_ROLES
    assert not OVERSEEING_ROLES & OWN_ORG_ROLES
    assert set(Scope.values) == set(SCOPES)


# ------------------------------------------------------------------------------------ generation

def _mostly(value: Any, other: Any) -> st.SearchStrategy[Any]:
    # Three in four draws give `value`, and shrinking heads for it.
    return st.sampled_from([value, value, value, other])


@st.composite
def cases(draw: st.DrawFn) -> Case:
    orgs: list[OrgSpec] = [OrgSpec(None, draw(_mostly(True, False)))]
    depth = [0]
    for _ in range(draw(st.integers(0, 11))):
        parents = [i for i, d in enumerate(depth) if d < MAX_DEPTH]
        parent = draw(st.sampled_from([None, *parents]))
        orgs.append(OrgSpec(parent, draw(_mostly(True, False))))
        depth.append(0 if parent is None else depth[parent] + 1)
    org_index = st.integers(0, len(orgs) - 1)

    people = tuple(
        PersonSpec(
            active=draw(_mostly(True, False)),
            superuser=draw(st.sampled_from([False] * 7 + [True])),
            affiliations=draw(st.frozensets(
                st.tuples(org_index, st.sampled_from(["member", "member", "staff"])), max_size=3)),
            grants=draw(st.frozensets(
                st.tuples(org_index, st.sampled_from(sorted(Role.values))), max_size=2)),
        )
        for _ in range(draw(st.integers(0, 8)))
    )
    offset = st.none() | st.sampled_from(OFFSETS)
    items = tuple(
        ItemSpec(
            org=draw(org_index),
            scope=draw(st.sampled_from(SCOPES)),
            status=draw(_mostly("published", draw(st.sampled_from(sorted(ItemStatus.values))))),
            withdrawn=draw(_mostly(False, True)),
            go_live=draw(_mostly(-3600, draw(offset))),
            display_until=draw(offset),
            # Drawn for every scope: only a party item's public_from may open it to all.
            public_from=draw(offset),
            target_orgs=tuple(draw(st.lists(org_index, max_size=3, unique=True))),
            target_people=tuple(draw(st.lists(st.integers(0, len(people) - 1), max_size=3, unique=True)))
            if people else (),
        )
        for _ in range(draw(st.integers(0, 10)))
    )
    return Case(tuple(orgs), people, items)


def _at(seconds: int | None) -> datetime | None:
    return None if seconds is None else NOW + timedelta(seconds=seconds)


def _build(case: Case) -> tuple[list[int], list[int]]:
    """Write the case straight into the tables (no actions: the gate is what is under test).
    Returns the people's and the items' primary keys, by index."""
    branch = OrgKind.objects.get(code="branch")
    orgs: list[Org] = []
    for i, spec in enumerate(case.orgs):
        parent = orgs[spec.parent] if spec.parent is not None else None
        path = build_path(parent.path if parent else None, f"o{i}")
        orgs.append(Org(code=f"o{i}", name=f"组织{i}", parent=parent, kind=branch, path=path,
                        depth=depth_of(path), is_active=spec.active))
    # Level by level, so that each parent has its key before its children are written.
    for level in range(MAX_DEPTH + 1):
        Org.objects.bulk_create([o for o in orgs if o.depth == level])

    people = User.objects.bulk_create(
        User(username=f"p{i}", real_name=f"人员{i}", password="!", is_active=p.active,
             is_superuser=p.superuser, is_staff=p.superuser)
        for i, p in enumerate(case.people)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=people[i], org=orgs[o], kind=k)
        for i, p in enumerate(case.people) for o, k in p.affiliations
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(person=people[i], org=orgs[o], role=r)
        for i, p in enumerate(case.people) for o, r in p.grants
    )

    items = Disclosure.objects.bulk_create(
        Disclosure(org=orgs[s.org], index_number=f"T-{n}", title=f"事项{n}", scope=s.scope, status=s.status,
                   go_live_at=_at(s.go_live), published_at=_at(s.go_live), display_until=_at(s.display_until),
                   public_from=_at(s.public_from),
                   withdrawn_at=NOW - timedelta(days=1) if s.withdrawn else None)
        for n, s in enumerate(case.items)
    )
    revisions = Revision.objects.bulk_create(
        Revision(disclosure=item, number=1, title=item.title, scope=s.scope,
                 target_org_ids=[orgs[o].pk for o in s.target_orgs],
                 target_person_ids=[people[p].pk for p in s.target_people],
                 go_live_at=item.go_live_at, display_until=item.display_until, public_from=item.public_from,
                 content_hash="0" * 64)
        for item, s in zip(items, case.items, strict=True)
    )
    for item, revision in zip(items, revisions, strict=True):
        item.current = item.published_revision = revision
    Disclosure.objects.bulk_update(items, ["current", "published_revision"])
    # Labels for every item, drafts and withdrawn ones too: liveness alone must hide those.
    # `item_labels` is what `write_labels` stores; one insert for all items keeps examples fast
    # (the hand-written tests below go through `write_labels` itself).
    AudienceLabel.objects.bulk_create(
        AudienceLabel(disclosure=item, label=label, starts_at=starts)
        for item, revision in zip(items, revisions, strict=True)
        for label, starts in gate.item_labels(item, revision)
    )
    return [p.pk for p in people], [i.pk for i in items]


def _check(case: Case) -> None:
    person_pks, item_pks = _build(case)
    index_of = {pk: n for n, pk in enumerate(item_pks)}
    items = list(Disclosure.objects.filter(pk__in=item_pks).prefetch_related("labels"))
    # Fresh user objects: user_labels caches on the object it is given.
    fresh = {u.pk: u for u in User.objects.filter(pk__in=person_pks)}
    readers: list[tuple[str, Any, int | None]] = [
        ("None", None, None), ("AnonymousUser", AnonymousUser(), None)]
    readers += [(f"people[{i}]", fresh[pk], i) for i, pk in enumerate(person_pks)]
    for name, user, reader in readers:
        by_query = {index_of[pk] for pk in
                    gate.visible_to(user, NOW).filter(pk__in=item_pks).values_list("pk", flat=True)}
        by_object = {index_of[item.pk] for item in items if gate.can_view(user, item, NOW)}
        expected = oracle(case, reader)
        assert by_query == by_object == expected, (
            f"{name}: visible_to {sorted(by_query)}, can_view {sorted(by_object)}, oracle {sorted(expected)}")


@pytest.mark.django_db
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=cases())
def test_query_object_check_and_oracle_agree_for_every_reader(case: Case) -> None:
    # pytest-django wraps the whole test in one transaction; each example gets a savepoint of
    # its own and rolls it back, so examples never see each other's rows.
    with transaction.atomic():
        try:
            _check(case)
        finally:
            transaction.set_rollback(True)


# ------------------------------------------------------------------------- hand-written cases
# The same rules on the shared world (county > town > village, village2; county > bureau).

def _item(org: Org, scope: str, *, go_live: timedelta | None = timedelta(hours=-1),
          display_until: timedelta | None = None, public_from: timedelta | None = None,
          status: str = ItemStatus.PUBLISHED, withdrawn: bool = False,
          target_orgs: tuple[Org, ...] = (), target_people: tuple[User, ...] = ()) -> Disclosure:
    def at(delta: timedelta | None) -> datetime | None:
        return None if delta is None else NOW + delta

    item = Disclosure.objects.create(
        org=org, index_number=f"H-{Disclosure.objects.count()}", title="手写事项", scope=scope, status=status,
        go_live_at=at(go_live), display_until=at(display_until), public_from=at(public_from),
        withdrawn_at=NOW - timedelta(days=1) if withdrawn else None)
    revision = Revision.objects.create(
        disclosure=item, number=1, title=item.title, scope=scope, public_from=item.public_from,
        target_org_ids=[o.pk for o in target_orgs], target_person_ids=[p.pk for p in target_people],
        content_hash="0" * 64)
    gate.write_labels(item, revision)
    return item


def sees(user: Any, item: Disclosure, now: datetime = NOW) -> bool:
    """Both doors, asked separately with a fresh user object; they must agree."""
    fresh = User.objects.get(pk=user.pk) if user is not None else None
    by_query = gate.visible_to(fresh, now).filter(pk=item.pk).exists()
    fresh = User.objects.get(pk=user.pk) if user is not None else None
    by_object = gate.can_view(fresh, Disclosure.objects.get(pk=item.pk), now)
    assert by_query == by_object, f"visible_to says {by_query}, can_view says {by_object}"
    return by_object


def _person(username: str, org: Org, kind: str = AffiliationKind.MEMBER) -> User:
    user = User.objects.create_user(username, real_name=username)
    affiliate(user, org, kind)
    return user


@pytest.mark.django_db
def test_party_item_reaches_members_below_but_not_siblings_or_superiors(world: World) -> None:
    town_item = _item(world.town, Scope.PARTY)
    assert sees(world.member, town_item)  # a village member: the village is below the town
    assert not sees(_person("bureau_member", world.bureau), town_item)  # the town's sibling
    assert not sees(_person("county_member", world.county), town_item)  # a superior's member
    assert not sees(_person("town_staff", world.town, AffiliationKind.STAFF), town_item)  # staff
    village_item = _item(world.village, Scope.PARTY)
    assert not sees(_person("village2_member", world.village2), village_item)
    assert not sees(None, town_item)


@pytest.mark.django_db
def test_unit_item_reaches_its_own_org_only(world: World) -> None:
    item = _item(world.town, Scope.UNIT)
    assert sees(_person("town_staff", world.town, AffiliationKind.STAFF), item)
    assert sees(_person("town_member", world.town), item)
    assert not sees(world.member, item)  # member of the village below
    assert not sees(_person("county_staff", world.county, AffiliationKind.STAFF), item)


@pytest.mark.django_db
def test_targeted_item_reaches_named_people_and_everyone_at_named_orgs(world: World) -> None:
    named = User.objects.create_user("named", real_name="点名人员")
    item = _item(world.town, Scope.TARGETED, target_orgs=(world.village2,), target_people=(named,))
    assert sees(named, item)
    assert sees(_person("v2_staff", world.village2, AffiliationKind.STAFF), item)
    assert not sees(world.member, item)  # the other village
    assert not sees(_person("town_member", world.town), item)  # the item's own org is not named


@pytest.mark.django_db
def test_staged_release_opens_to_everyone_on_its_day(world: World) -> None:
    item = _item(world.town, Scope.PARTY, public_from=timedelta(days=1))
    assert not sees(None, item)
    assert sees(world.member, item)
    assert sees(None, item, NOW + timedelta(days=1))
    assert sees(_person("bureau_member", world.bureau), item, NOW + timedelta(days=2))
    # A public_from on any other scope opens nothing.
    unit_item = _item(world.town, Scope.UNIT, public_from=timedelta(days=-1))
    assert not sees(None, unit_item)


@pytest.mark.django_db
def test_items_not_live_are_hidden_from_everyone_including_superusers(world: World) -> None:
    hidden = [
        _item(world.town, Scope.PUBLIC, withdrawn=True, status=ItemStatus.WITHDRAWN),
        _item(world.town, Scope.PUBLIC, withdrawn=True),  # withdrawn_at alone is enough
        _item(world.town, Scope.PUBLIC, go_live=timedelta(seconds=1)),
        _item(world.town, Scope.PUBLIC, go_live=None),
        _item(world.town, Scope.PUBLIC, display_until=timedelta(0)),  # the end is exclusive
        _item(world.town, Scope.PUBLIC, status=ItemStatus.APPROVED),
    ]
    for item in hidden:
        for user in (None, world.superuser, world.officer, world.supervisor):
            assert not sees(user, item), (item.pk, user)
    on_the_second = _item(world.town, Scope.PUBLIC, go_live=timedelta(0), display_until=timedelta(seconds=1))
    assert sees(None, on_the_second)
    assert sees(world.superuser, _item(world.village, Scope.UNIT))


@pytest.mark.django_db
def test_roles_see_any_scope_by_their_reach(world: World) -> None:
    item = _item(world.village, Scope.UNIT)
    assert sees(world.supervisor, item)  # county supervisor oversees below
    assert sees(world.officer, item)     # town officer oversees its villages
    assert sees(world.leader, item)
    assert not sees(world.reviewer, item)  # town reviewer: own org only
    assert sees(world.reviewer, _item(world.town, Scope.UNIT))
    assert not sees(world.outsider, item)  # an officer of the bureau
    assert not sees(world.officer, _item(world.county, Scope.UNIT))  # not upwards


@pytest.mark.django_db
def test_inactive_orgs_and_people_count_for_nothing(world: World) -> None:
    item = _item(world.town, Scope.PARTY)
    unit_item = _item(world.town, Scope.UNIT)
    Org.objects.filter(pk=world.village.pk).update(is_active=False)
    assert not sees(world.member, item)  # member only of the now inactive village
    grant(world.outsider, world.town, Role.REVIEWER)
    Org.objects.filter(pk=world.town.pk).update(is_active=False)
    assert not sees(world.outsider, unit_item)  # reviewer at an inactive org
    assert sees(world.supervisor, unit_item)  # oversight from an active superior still holds
    User.objects.filter(pk=world.superuser.pk).update(is_active=False)
    assert not sees(world.superuser, unit_item)
    assert sees(world.superuser, _item(world.county, Scope.PUBLIC))
