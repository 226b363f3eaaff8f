from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Affiliation, RoleGrant
from gongkai.orgs.permissions import PermissionDenied
from gongkai.people import actions
from gongkai.people.models import User
from gongkai.people.queries import get_person_for, people_visible_to


def test_officer_creates_a_member_of_a_subordinate(world):
    person = actions.person_create(actor=world.officer, org=world.village, username="newbie",
                                   real_name="新党员", phone="13800138000")
    assert not person.has_usable_password()
    assert Affiliation.objects.filter(person=person, org=world.village, kind="member").exists()
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).exists()


@pytest.mark.parametrize("persona", ["reviewer", "leader", "member", "outsider", "supervisor"])
def test_others_may_not_create_people(world, persona):
    with pytest.raises(PermissionDenied):
        actions.person_create(actor=getattr(world, persona), org=world.village, username="nb",
                              real_name="某人")
    assert not User.objects.filter(username="nb").exists()


@pytest.mark.parametrize(("field", "value"), [
    ("phone", "12345"), ("email", "not-an-email"), ("username", "has space"), ("real_name", ""),
])
def test_bad_person_input_is_refused_and_nothing_written(world, field, value):
    data = {"username": "nb", "real_name": "某人", "phone": "", "email": ""}
    data[field] = value
    with pytest.raises(ValidationError):
        actions.person_create(actor=world.officer, org=world.village, **data)
    assert not User.objects.filter(real_name="某人").exists()
    assert not AuditEvent.objects.exists()


def test_weak_password_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        actions.person_create(actor=world.officer, org=world.village, username="nb",
                              real_name="某人", password="abcdefghijk")
    assert "password" in excinfo.value.message_dict


def test_grant_and_revoke_a_role(world):
    grant = actions.role_grant(actor=world.officer, person=world.member, org=world.village,
                               role="reviewer", reason="任命")
    again = actions.role_grant(actor=world.officer, person=world.member, org=world.village,
                               role="reviewer")
    assert grant.pk == again.pk
    assert AuditEvent.objects.filter(action="role.grant").count() == 1
    actions.role_revoke(actor=world.officer, grant=grant, reason="调离")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.get(action="role.revoke").reason == "调离"


def test_officer_may_not_grant_admin_nor_grant_outside_their_reach(world):
    with pytest.raises(PermissionDenied):
        actions.role_grant(actor=world.officer, person=world.member, org=world.village,
                           role="admin")
    with pytest.raises(PermissionDenied):
        actions.role_grant(actor=world.officer, person=world.member, org=world.bureau,
                           role="officer")
    with pytest.raises(ValidationError):
        actions.role_grant(actor=world.officer, person=world.member, org=world.village,
                           role="king")


def test_people_visible_to_follows_org_reach(world):
    officer_sees = set(people_visible_to(world.officer).values_list("username", flat=True))
    assert {"member", "officer", "reviewer", "leader"} <= officer_sees
    assert "outsider" not in officer_sees and "supervisor" not in officer_sees
    assert not people_visible_to(world.member).exists()
    reviewers = people_visible_to(world.admin, org=world.town, role="reviewer")
    assert list(reviewers.values_list("username", flat=True)) == ["reviewer"]
    members = people_visible_to(world.admin, org=world.town, subtree=True, affiliation="member")
    assert list(members.values_list("username", flat=True)) == ["member"]


def test_person_outside_reach_looks_missing(world):
    from django.http import Http404

    with pytest.raises(Http404):
        get_person_for(world.officer, pk=world.outsider.pk)
    assert get_person_for(world.member, pk=world.member.pk) == world.member


def test_tokens_are_stored_hashed_and_authenticate(world):
    token, raw = actions.token_create(actor=world.officer, person=world.officer, name="脚本")
    assert raw.startswith("gk_") and raw not in token.token_hash
    assert actions.authenticate_token(raw) == world.officer
    assert actions.authenticate_token(raw + "x") is None
    actions.token_revoke(actor=world.officer, token=token)
    assert actions.authenticate_token(raw) is None
    with pytest.raises(PermissionDenied):
        actions.token_create(actor=world.officer, person=world.member, name="x")


def test_password_needs_three_character_classes(db):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError, match="至少包含"):
        validate_password("zhangsanfeng2026")
    validate_password("Zhangsan-feng2026")


def test_short_password_message_is_chinese(db):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError, match="密码太短"):
        validate_password("Ab1-x")
