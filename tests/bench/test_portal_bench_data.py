"""The portal benchmark's data (bench/portal_data.py) is what the platform would hold: a
well-formed hierarchy, people with the usual roles, and items whose audience labels are exactly
what the visibility gate computes for them, read back from the database."""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from gongkai.bulk import insert_rows
from gongkai.catalogue.templates import read_templates
from gongkai.demo.plan import ORG_ROLES
from gongkai.disclosures import gate
from gongkai.disclosures.models import AudienceLabel, Disclosure, ItemStatus, Revision, Workflow
from gongkai.orgs.kinds import SEED_KINDS
from gongkai.orgs.models import CODE_PATTERN, Org, OrgKind

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import portal_items
import portal_world

SEED = 7


def test_hierarchy_is_well_formed_and_deterministic():
    orgs = portal_world.build_orgs(1500, SEED)
    assert len(orgs) == 1500
    assert [(o.code, o.name, o.path) for o in orgs] == [
        (o.code, o.name, o.path) for o in portal_world.build_orgs(1500, SEED)
    ]
    by_pk = {o.pk: o for o in orgs}
    assert len({o.code for o in orgs}) == len(orgs)
    assert all(re.match(CODE_PATTERN, o.code) for o in orgs)
    assert {o.kind for o in orgs} <= {code for code, _name, _description in SEED_KINDS}
    siblings = Counter((o.parent, o.name) for o in orgs)
    assert max(siblings.values()) == 1
    for org in orgs:
        if org.parent is None:
            assert org.depth == 0 and org.path == f"/{org.code}/"
        else:
            parent = by_pk[org.parent]
            assert org.path == f"{parent.path}{org.code}/" and org.depth == parent.depth + 1
    # Depth 3-5 at the leaves of complete counties (the last county is cut short).
    complete = {o.path for o in orgs if o.depth == 1}
    complete.discard(max(complete))
    leaves = [o for o in orgs if not o.children and any(o.path.startswith(p) for p in complete)]
    assert {o.depth for o in leaves} == {3, 4, 5}


def test_every_org_has_its_four_role_holders_and_members_fill_the_rest():
    orgs = portal_world.build_orgs(600, SEED)
    people = portal_world.plan_people(orgs, 6000, SEED)
    assert people.count == 6000
    grants = Counter((org, role) for _person, org, role in people.grants)
    assert all(grants[(o.pk, role)] == 1 for o in orgs for role in ORG_ROLES)
    assert len(set(people.affiliations)) == len(people.affiliations)
    assert len(people.members) > 6000 - 5 * len(orgs)


@pytest.mark.django_db
def test_items_carry_the_labels_the_gate_computes():
    orgs = portal_world.build_orgs(600, SEED)
    kinds = dict(OrgKind.objects.values_list("code", "id"))
    now = timezone.now()
    columns = (*portal_world.ORG_COLUMNS, "email", "is_active", "created_at", "updated_at")
    insert_rows(Org, columns, [(*row, "", True, now, now) for row in portal_world.org_rows(orgs, kinds)])
    people = portal_world.plan_people(orgs, 3000, SEED)
    people.officer, people.some = {}, {}  # no people written: items name nobody
    rows_by_kind = {}
    for template in read_templates():
        rows_by_kind.update(dict.fromkeys(template.kinds, template.rows))
        if template.code == "grassroots":
            rows_by_kind["*"] = template.rows
    maker = portal_items.ItemMaker(orgs, kinds, people, rows_by_kind, date(2026, 6, 15), SEED)
    chain = portal_items.ChainIds(orgs)
    with portal_items.labels_from_plan(chain):
        for chunk in maker.chunks(maker.skeleton(1500), 1, 500):
            insert_rows(Disclosure, portal_items.DISCLOSURE_COLUMNS, chunk.disclosures)
            insert_rows(Revision, portal_items.REVISION_COLUMNS, chunk.revisions)
            insert_rows(Workflow, portal_items.WORKFLOW_COLUMNS, chunk.workflows)
            insert_rows(AudienceLabel, portal_items.LABEL_COLUMNS, chunk.labels)
    assert gate._chain_ids is not chain
    items = list(Disclosure.objects.select_related("org", "current").prefetch_related("labels"))
    assert len(items) == 1500
    for item in items:
        assert item.current is not None and item.current_id == item.published_revision_id
        assert item.title == item.current.title and item.current.body.startswith("<p>")
        stored = {(label.label, label.starts_at) for label in item.labels.all()}
        assert stored == set(gate.item_labels(item, item.current)), item.index_number
    scopes = Counter(item.scope for item in items)
    assert 0.55 < scopes["public"] / len(items) < 0.75 and scopes["targeted"] > 0
    assert Counter(item.status for item in items)[ItemStatus.WITHDRAWN] > 0
    assert any(item.public_from for item in items) and any(item.current.notice_workdays for item in items)
