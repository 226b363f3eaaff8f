"""Property tests: over random trees and random sequences of moves, the materialized paths
always describe exactly the parent links, and no move can create a cycle."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from gongkai.orgs import actions
from gongkai.orgs.models import Org
from gongkai.people.models import User
from gongkai.testing import kind


def _check_invariants() -> None:
    orgs = {o.pk: o for o in Org.objects.all()}
    for org in orgs.values():
        # Walk the parent links to the root; a cycle would loop forever, so bound it.
        chain = []
        node: Org | None = org
        while node is not None:
            chain.append(node.code)
            assert len(chain) <= len(orgs), "cycle in parent links"
            node = orgs.get(node.parent_id) if node.parent_id else None
        expected = "/" + "/".join(reversed(chain)) + "/"
        assert org.path == expected
        assert org.depth == len(chain) - 1
    # Subtree by prefix equals subtree by parent links.
    for org in orgs.values():
        by_prefix = set(Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True))
        by_links = {org.pk}
        frontier = [org.pk]
        while frontier:
            children = [o.pk for o in orgs.values() if o.parent_id in frontier]
            by_links.update(children)
            frontier = children
        assert by_prefix == by_links


tree_and_moves = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        # parent index for node i is any earlier node (node 0 is the root)
        st.lists(st.integers(min_value=0), min_size=n - 1, max_size=n - 1),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=8),
    )
)


class TreeProperties(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tree_and_moves)
    def test_paths_follow_parents_through_random_moves(self, data):
        n, parent_choices, moves = data
        root_user = User.objects.create_superuser("root", password="x", real_name="超级管理员")
        nodes = [actions.org_create(actor=root_user, parent=None, code="n0", name="根",
                                    kind=kind())]
        for i in range(1, n):
            parent = nodes[parent_choices[i - 1] % i]
            nodes.append(actions.org_create(actor=root_user, parent=parent, code=f"n{i}",
                                            name=f"组织{i}", kind=kind()))
        _check_invariants()
        for org_index, parent_index in moves:
            org = Org.objects.get(code=f"n{org_index}")
            new_parent = Org.objects.get(code=f"n{parent_index}")
            creates_cycle = new_parent.path.startswith(org.path)
            try:
                actions.org_move(actor=root_user, org=org, new_parent=new_parent)
            except ValidationError:
                # Refused: a cycle or a no-op move (names are all distinct here, so a
                # sibling-name clash cannot be the reason).
                assert creates_cycle or org.parent_id == new_parent.pk
            else:
                assert not creates_cycle
            _check_invariants()
