"""Writes the demo county (gongkai.demo.plan) into the database in one transaction, with
bulk inserts, and leaves one audit event `demo.load` with the counts.

Idempotent by design: the county is written all at once or not at all, so if its code already
exists the demo has been loaded and nothing is touched (not even a password someone changed)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.demo.plan import COUNTY_CODE, DEMO_PASSWORD, Plan, build_plan
from gongkai.orgs.models import Affiliation, Org, OrgKind, RoleGrant, build_path, depth_of
from gongkai.people.models import User

BATCH = 500
T = TypeVar("T")


class DemoError(Exception):
    """The demo cannot be loaded into this database (a seed org kind is missing)."""


@dataclass
class LoadResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _chunks(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _kinds(codes: Iterable[str]) -> dict[str, OrgKind]:
    wanted = set(codes)
    kinds = {k.code: k for k in OrgKind.objects.filter(code__in=wanted)}
    missing = wanted - set(kinds)
    if missing:
        raise DemoError(_("缺少组织类型：%(codes)s（请先执行 gongkai migrate）")
                        % {"codes": "、".join(sorted(missing))})
    return kinds


def _write_orgs(plan: Plan) -> dict[str, Org]:
    kinds = _kinds(o.kind for o in plan.orgs)
    written: dict[str, Org] = {}
    # Parents come before their children in the plan; writing depth by depth lets each level
    # refer to the ids of the one above, which a re-read supplies on every database.
    paths: dict[str, str] = {}
    for spec in plan.orgs:
        paths[spec.code] = build_path(paths[spec.parent] if spec.parent else None, spec.code)
    for depth in sorted({depth_of(p) for p in paths.values()}):
        level = [s for s in plan.orgs if depth_of(paths[s.code]) == depth]
        Org.objects.bulk_create([
            Org(code=s.code, name=s.name, short_name=s.short_name, kind=kinds[s.kind],
                parent=written[s.parent] if s.parent else None, path=paths[s.code], depth=depth,
                address=s.address, phone=s.phone, office_hours=s.office_hours,
                sort_order=s.sort_order)
            for s in level
        ], batch_size=BATCH)
        for org in Org.objects.filter(code__in=[s.code for s in level]):
            written[org.code] = org
    return written


def _write_people(plan: Plan, password: str) -> dict[str, int]:
    # Hashing is deliberately slow (PBKDF2); the demo accounts share one hash, computed once.
    shared_hash = make_password(password)
    users = []
    for spec in plan.people:
        user = User(username=spec.username, real_name=spec.real_name, email=spec.email,
                    is_superuser=spec.superuser, is_staff=spec.superuser)
        if spec.demo:
            user.password = shared_hash
        else:
            user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    ids: dict[str, int] = {}
    for chunk in _chunks([spec.username for spec in plan.people]):
        ids.update(User.objects.filter(username__in=chunk).values_list("username", "id"))
    return ids


def load_demo(*, password: str = DEMO_PASSWORD) -> LoadResult:
    """Load the demo county unless it is already there. Returns what was written."""
    started = time.monotonic()
    plan = build_plan()
    with transaction.atomic():
        if Org.objects.filter(code=COUNTY_CODE).exists():
            return LoadResult(created=False, seconds=time.monotonic() - started)
        orgs = _write_orgs(plan)
        people = _write_people(plan, password)
        Affiliation.objects.bulk_create([
            Affiliation(person_id=people[u], org=orgs[o], kind=k) for u, o, k in plan.affiliations
        ], batch_size=BATCH)
        RoleGrant.objects.bulk_create([
            RoleGrant(person_id=people[u], org=orgs[o], role=r) for u, o, r in plan.grants
        ], batch_size=BATCH)
        counts = {"orgs": len(plan.orgs), "people": len(plan.people),
                  "affiliations": len(plan.affiliations), "role_grants": len(plan.grants)}
        county = orgs[COUNTY_CODE]
        record(actor=None, action="demo.load", obj=county, org=county, new=counts,
               reason="加载演示数据")
    return LoadResult(created=True, counts=counts, seconds=time.monotonic() - started)
