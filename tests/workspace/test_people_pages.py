"""Staff pages for people: lists, the person page, creating people, roles, affiliations."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Affiliation, RoleGrant
from gongkai.people.models import User
from gongkai.testing import UserFactory, affiliate

pytestmark = pytest.mark.django_db


def _link(person: User) -> str:
    return f'href="/staff/people/{person.pk}/"'


def test_org_people_list_filters_by_role_affiliation_and_name(world, login):
    client = login(world.officer)
    page = client.get("/staff/orgs/town/people/").content.decode()
    assert _link(world.officer) in page and _link(world.reviewer) in page and "共 4 人" in page
    page = client.get("/staff/orgs/town/people/", {"role": "reviewer"}).content.decode()
    assert _link(world.reviewer) in page and _link(world.officer) not in page
    page = client.get("/staff/orgs/town/people/", {"affiliation": "staff"}).content.decode()
    assert _link(world.officer) in page and _link(world.reviewer) not in page
    page = client.get("/staff/orgs/town/people/", {"q": "赵"}).content.decode()
    assert _link(world.secrecy) in page and "共 1 人" in page


def test_people_list_with_a_bad_filter_is_a_message_not_an_error(world, login):
    response = login(world.officer).get("/staff/orgs/town/people/", {"role": "emperor"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_people_list_is_paginated(world, login):
    for i in range(55):
        affiliate(UserFactory.create(username=f"m{i:02d}"), world.village)
    client = login(world.officer)
    first = client.get("/staff/orgs/village/people/").content.decode()
    assert "第 1 页，共 2 页" in first and 'rel="next"' in first
    second = client.get("/staff/orgs/village/people/", {"page": 2}).content.decode()
    assert "m54" in second
    assert client.get("/staff/orgs/village/people/", {"page": "x"}).status_code == 200


def test_people_list_of_an_invisible_org_is_not_found(world, login):
    assert login(world.outsider).get("/staff/orgs/town/people/").status_code == 404


def test_all_people_list_shows_only_people_in_reach(world, login):
    page = login(world.officer).get("/staff/people/").content.decode()
    assert _link(world.member) in page  # member of a village below the town
    assert _link(world.outsider) not in page  # officer of the bureau


def test_person_page_shows_affiliations_and_roles(world, login):
    page = login(world.officer).get(f"/staff/people/{world.reviewer.pk}/").content.decode()
    assert "李审核" in page and "审核人" in page and 'id="grant-form"' in page


def test_person_out_of_reach_is_not_found(world, login):
    assert login(world.outsider).get(f"/staff/people/{world.member.pk}/").status_code == 404
    assert login(world.officer).get("/staff/people/999999/").status_code == 404


def test_reviewer_sees_people_but_no_management_forms(world, login):
    page = login(world.reviewer).get(f"/staff/people/{world.leader.pk}/").content.decode()
    assert "张书记" in page
    assert 'id="grant-form"' not in page and 'id="affiliation-form"' not in page
    assert "role-revoke-" not in page


# --- create ----------------------------------------------------------------------------------

def _person(**changes: str) -> dict[str, str]:
    data = {"username": "newbie", "real_name": "孙新人", "affiliation": "member", "phone": "",
            "email": "", "password": ""}
    data.update(changes)
    return data


def test_officer_creates_a_person_in_a_village(world, login):
    response = login(world.officer).post("/staff/orgs/village/people/new/", _person())
    person = User.objects.get(username="newbie")
    assert response.status_code == 302 and response["Location"] == f"/staff/people/{person.pk}/"
    assert Affiliation.objects.filter(person=person, org=world.village, kind="member").exists()
    assert not person.has_usable_password()


@pytest.mark.parametrize(("changes", "message"), [
    ({"username": "member"}, "该用户名已被使用：member"),
    ({"phone": "123"}, "电话号码格式不正确"),
    ({"password": "short"}, "密码须至少包含"),
    ({"real_name": ""}, "这个字段是必填项"),
    ({"username": "bad name!"}, "用户名"),
])
def test_create_person_with_bad_input_changes_nothing(world, login, changes, message):
    before = User.objects.count()
    response = login(world.officer).post("/staff/orgs/village/people/new/", _person(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_reviewer_may_not_create_people(world, login):
    client = login(world.reviewer)
    assert client.get("/staff/orgs/town/people/new/").status_code == 403
    assert client.post("/staff/orgs/town/people/new/", _person()).status_code == 403
    assert not User.objects.filter(username="newbie").exists()


# --- roles -----------------------------------------------------------------------------------

def test_officer_grants_and_revokes_a_role(world, login):
    client = login(world.officer)
    url = f"/staff/people/{world.member.pk}/roles/"
    response = client.post(url, {"org": "village", "role": "reviewer", "reason": "新任"})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(person=world.member, org=world.village, role="reviewer")
    assert AuditEvent.objects.filter(action="role.grant", reason="新任").exists()
    page = client.get(f"/staff/people/{world.member.pk}/").content.decode()
    assert f'id="role-revoke-{grant.pk}"' in page
    assert client.post(f"/staff/roles/{grant.pk}/revoke/", {"reason": "调离"}).status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_grant_form_offers_only_grantable_roles(world, login):
    officer_page = login(world.officer).get(f"/staff/people/{world.member.pk}/").content.decode()
    assert 'value="reviewer"' in officer_page and 'value="admin"' not in officer_page


def test_officer_may_not_grant_admin(world, login):
    response = login(world.officer).post(f"/staff/people/{world.member.pk}/roles/",
                                         {"org": "village", "role": "admin"})
    assert response.status_code == 200
    assert "您不能在该组织授予此角色" in response.content.decode()
    assert not RoleGrant.objects.filter(person=world.member, role="admin").exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"org": "nowhere", "role": "reviewer"}, "未找到组织：nowhere"),
    ({"org": "village", "role": "emperor"}, "选择一个有效的选项"),
    ({"org": "", "role": "reviewer"}, "这个字段是必填项"),
])
def test_grant_with_bad_input_changes_nothing(world, login, data, message):
    response = login(world.officer).post(f"/staff/people/{world.member.pk}/roles/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not RoleGrant.objects.filter(person=world.member).exists()


def test_reviewer_may_not_grant(world, login):
    response = login(world.reviewer).post(f"/staff/people/{world.officer.pk}/roles/",
                                          {"org": "town", "role": "leader"})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(person=world.officer, role="leader").exists()


def test_revoking_a_grant_out_of_reach_is_not_found(world, login):
    grant = RoleGrant.objects.get(person=world.outsider)
    assert login(world.officer).post(f"/staff/roles/{grant.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_reviewer_may_not_revoke(world, login):
    grant = RoleGrant.objects.get(person=world.leader)
    assert login(world.reviewer).post(f"/staff/roles/{grant.pk}/revoke/").status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


# --- affiliations ----------------------------------------------------------------------------

def test_officer_adds_and_removes_an_affiliation(world, login):
    client = login(world.officer)
    response = client.post(f"/staff/people/{world.member.pk}/affiliations/",
                           {"org": "village2", "kind": "staff"})
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person=world.member, org=world.village2, kind="staff")
    assert client.post(f"/staff/affiliations/{affiliation.pk}/remove/").status_code == 302
    assert not Affiliation.objects.filter(pk=affiliation.pk).exists()


def test_affiliation_to_an_invisible_org_is_refused_with_a_message(world, login):
    response = login(world.officer).post(f"/staff/people/{world.member.pk}/affiliations/",
                                         {"org": "bureau", "kind": "staff"})
    assert response.status_code == 200 and "未找到组织：bureau" in response.content.decode()
    assert not Affiliation.objects.filter(person=world.member, org=world.bureau).exists()


def test_reviewer_may_not_remove_affiliations(world, login):
    affiliation = Affiliation.objects.get(person=world.officer)
    assert login(world.reviewer).post(f"/staff/affiliations/{affiliation.pk}/remove/").status_code == 403
    assert Affiliation.objects.filter(pk=affiliation.pk).exists()
