"""The one permission module: how each role reaches orgs, for `can` and `orgs_where` alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from gongkai.orgs import permissions
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can, get_org_for, orgs_where
from gongkai.testing import World


def _codes(user, action) -> set[str]:
    return set(orgs_where(user, action).values_list("code", flat=True))


def test_officer_of_superior_oversees_subordinates(world: World):
    assert _codes(world.officer, Action.ORG_EDIT) == {"town", "village", "village2"}
    assert can(world.officer, Action.ORG_EDIT, world.village)
    assert not can(world.officer, Action.ORG_EDIT, world.county)
    assert not can(world.officer, Action.ORG_EDIT, world.bureau)


def test_reviewer_acts_on_own_org_only(world: World):
    assert _codes(world.reviewer, Action.ORG_VIEW) == {"town"}
    assert not can(world.reviewer, Action.ORG_VIEW, world.village)


def test_supervisor_sees_the_whole_county_but_changes_nothing(world: World):
    assert _codes(world.supervisor, Action.AUDIT_VIEW) == set(
        Org.objects.values_list("code", flat=True))
    assert not _codes(world.supervisor, Action.ORG_EDIT)
    assert not can(world.supervisor, Action.PEOPLE_MANAGE, world.village)


def test_member_without_roles_has_no_staff_rights(world: World):
    for action in Action:
        assert not _codes(world.member, action)


def test_anonymous_and_inactive_users_may_do_nothing(world: World):
    world.officer.is_active = False
    for user in (AnonymousUser(), world.officer):
        assert not can(user, Action.ORG_VIEW, world.town)
        assert not orgs_where(user, Action.ORG_VIEW).exists()


def test_moving_and_deactivating_need_a_grant_above_the_org(world: World):
    assert not can(world.officer, Action.ORG_MOVE, world.town)
    assert can(world.officer, Action.ORG_MOVE, world.village)
    assert _codes(world.officer, Action.ORG_DEACTIVATE) == {"village", "village2"}


def test_only_admins_grant_admin(world: World):
    assert can(world.admin, Action.ROLES_GRANT_ADMIN, world.village)
    assert not can(world.officer, Action.ROLES_GRANT_ADMIN, world.village)
    assert "admin" not in permissions.grantable_roles(world.officer, world.village)
    assert "officer" in permissions.grantable_roles(world.officer, world.village)
    assert permissions.grantable_roles(world.reviewer, world.town) == []


def test_grants_at_deactivated_orgs_confer_nothing(world: World):
    Org.objects.filter(pk=world.town.pk).update(is_active=False)
    permissions.clear_cache(world.officer)
    assert not can(world.officer, Action.ORG_VIEW, world.village)


def test_kinds_managed_by_root_admins_only(world: World):
    assert can(world.admin, Action.KINDS_MANAGE)
    assert not can(world.officer, Action.KINDS_MANAGE)
    assert can(world.superuser, Action.KINDS_MANAGE)


def test_forbidden_org_looks_missing(world: World):
    assert get_org_for(world.officer, Action.ORG_VIEW, code="village").code == "village"
    for code in ("bureau", "no-such-org"):
        with pytest.raises(Http404):
            get_org_for(world.officer, Action.ORG_VIEW, code=code)


@pytest.mark.parametrize("action", list(Action))
def test_can_and_orgs_where_agree_for_every_persona(world: World, action):
    personas = [world.admin, world.officer, world.reviewer, world.secrecy, world.leader,
                world.supervisor, world.member, world.outsider, world.superuser]
    orgs = list(Org.objects.all())
    for user in personas:
        where = _codes(user, action)
        assert where == {o.code for o in orgs if can(user, action, o)}, (user, action)
