"""Rules of the hierarchy: codes, sibling names, moves, deactivation, and who may do each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.orgs import actions
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import PermissionDenied
from gongkai.testing import kind


def test_officer_creates_a_branch_under_their_org(world):
    org = actions.org_create(actor=world.officer, parent=world.town, code="b1", name="第一支部",
                             kind=kind(), phone="0791-1234567")
    assert org.path == "/county/town/b1/" and org.depth == 2
    assert AuditEvent.objects.get(action="org.create").new["code"] == "b1"


def test_officer_of_superior_creates_under_a_subordinate(world):
    org = actions.org_create(actor=world.officer, parent=world.village, code="b2", name="小组",
                             kind=kind())
    assert org.parent == world.village


@pytest.mark.parametrize("persona", ["reviewer", "secrecy", "leader", "member", "outsider"])
def test_others_may_not_create_under_the_town(world, persona):
    with pytest.raises(PermissionDenied):
        actions.org_create(actor=getattr(world, persona), parent=world.town, code="x",
                           name="x", kind=kind())
    assert not Org.objects.filter(code="x").exists()


def test_only_superuser_creates_a_root(world):
    with pytest.raises(PermissionDenied):
        actions.org_create(actor=world.admin, parent=None, code="r2", name="另一县", kind=kind())
    root = actions.org_create(actor=world.superuser, parent=None, code="r2", name="另一县",
                              kind=kind())
    assert root.path == "/r2/" and root.depth == 0


@pytest.mark.parametrize("code", ["", "有中文", "a b", "-lead", "x" * 41, "a/b"])
def test_bad_codes_are_refused(world, code):
    with pytest.raises(ValidationError) as excinfo:
        actions.org_create(actor=world.admin, parent=world.county, code=code, name="某组织",
                           kind=kind())
    assert "code" in excinfo.value.message_dict


def test_duplicate_code_is_refused(world):
    with pytest.raises(ValidationError, match="组织代码已存在"):
        actions.org_create(actor=world.admin, parent=world.county, code="village", name="另一个",
                           kind=kind())


def test_names_are_unique_among_siblings_only(world):
    with pytest.raises(ValidationError, match="同名"):
        actions.org_create(actor=world.officer, parent=world.town, code="dup",
                           name=world.village.name, kind=kind())
    # The same name under another parent is fine.
    actions.org_create(actor=world.admin, parent=world.bureau, code="dup",
                       name=world.village.name, kind=kind())


def test_malformed_phone_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        actions.org_update(actor=world.officer, org=world.village, phone="12345")
    assert "phone" in excinfo.value.message_dict
    world.village.refresh_from_db()
    assert world.village.phone == ""


def test_update_records_only_changed_fields(world):
    actions.org_update(actor=world.officer, org=world.village, name="新村党支部",
                       address="幸福路1号", phone="")
    event = AuditEvent.objects.get(action="org.update")
    assert event.old == {"name": "某某村党支部", "address": ""}
    assert event.new == {"name": "新村党支部", "address": "幸福路1号"}


def test_update_with_no_change_writes_no_event(world):
    actions.org_update(actor=world.officer, org=world.village, name=world.village.name)
    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_update_refused_for_a_reviewer(world):
    with pytest.raises(PermissionDenied):
        actions.org_update(actor=world.reviewer, org=world.town, name="改名")


def test_move_rewrites_the_whole_subtree(world):
    actions.org_create(actor=world.admin, parent=world.village, code="deep", name="小组",
                       kind=kind())
    actions.org_move(actor=world.admin, org=world.village, new_parent=world.bureau, reason="调整")
    paths = dict(Org.objects.values_list("code", "path"))
    assert paths["village"] == "/county/bureau/village/"
    assert paths["deep"] == "/county/bureau/village/deep/"
    assert Org.objects.get(code="deep").depth == 3
    event = AuditEvent.objects.get(action="org.move")
    assert event.old["parent"] == "town" and event.new["parent"] == "bureau"


def test_move_into_own_subtree_is_a_cycle(world):
    with pytest.raises(ValidationError, match="自己或它的下级"):
        actions.org_move(actor=world.admin, org=world.town, new_parent=world.village)
    with pytest.raises(ValidationError):
        actions.org_move(actor=world.admin, org=world.town, new_parent=world.town)


def test_officer_may_move_within_their_subtree_but_not_their_own_org(world):
    actions.org_move(actor=world.officer, org=world.village2, new_parent=world.village)
    with pytest.raises(PermissionDenied):
        actions.org_move(actor=world.officer, org=world.town, new_parent=world.bureau)


def test_officer_may_not_move_into_another_subtree(world):
    with pytest.raises(PermissionDenied):
        actions.org_move(actor=world.officer, org=world.village, new_parent=world.bureau)
    assert Org.objects.get(code="village").parent == world.town


def test_deactivate_needs_a_reason_and_no_active_children(world):
    with pytest.raises(ValidationError, match="原因"):
        actions.org_set_active(actor=world.admin, org=world.village, active=False, reason="")
    with pytest.raises(ValidationError, match="下级组织"):
        actions.org_set_active(actor=world.admin, org=world.town, active=False, reason="合并")
    actions.org_set_active(actor=world.admin, org=world.village, active=False, reason="合并")
    org = Org.objects.get(code="village")
    assert not org.is_active
    # History is kept: the row, its people and its audit events remain.
    assert org.affiliations.exists()
    assert AuditEvent.objects.filter(action="org.deactivate", org_id=org.pk).exists()


def test_no_new_children_under_a_deactivated_org(world):
    actions.org_set_active(actor=world.admin, org=world.village, active=False, reason="合并")
    with pytest.raises(ValidationError, match="已撤销"):
        actions.org_create(actor=world.admin, parent=Org.objects.get(code="village"),
                           code="n1", name="新", kind=kind())


def test_officer_may_not_deactivate_their_own_org(world):
    with pytest.raises(PermissionDenied):
        actions.org_set_active(actor=world.officer, org=world.town, active=False, reason="x")


def test_kinds_are_data_and_admin_can_add(world):
    new_kind = actions.kind_create(actor=world.admin, code="nonpublic", name="非公企业党组织")
    assert new_kind.pk
    with pytest.raises(PermissionDenied):
        actions.kind_create(actor=world.officer, code="k2", name="另一类型")
    with pytest.raises(ValidationError):
        actions.kind_create(actor=world.admin, code="k3", name="非公企业党组织")


def test_seeded_kinds_include_the_seed_documents_kinds(db):
    from gongkai.orgs.models import OrgKind

    names = set(OrgKind.objects.values_list("name", flat=True))
    assert {"县(区)委 / 党工委", "纪委 / 纪工委", "村党组织", "党支部", "国有企业党委"} <= names
    assert len(names) == 12


def test_inactive_kind_cannot_be_chosen(world):
    from gongkai.orgs.models import OrgKind

    OrgKind.objects.filter(code="branch").update(is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        actions.org_create(actor=world.admin, parent=world.county, code="nb", name="新支部",
                           kind=kind())
    with pytest.raises(ValidationError, match="已停用"):
        actions.org_update(actor=world.admin, org=world.bureau, kind=kind())
