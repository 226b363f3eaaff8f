"""/api/v1/roles: granting and revoking roles, and who may."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import RoleGrant


def test_officer_grants_a_role_at_a_subordinate(world, as_user):
    client = as_user(world.officer)
    body = {"person": world.member.pk, "org": "village", "role": "reviewer", "reason": "新任"}
    first = client.post("roles", body)
    assert first.status == 201
    assert (first.data["username"], first.data["org"], first.data["role"]) == ("member", "village",
                                                                               "reviewer")
    again = client.post("roles", body)
    assert again.status == 200 and again.data["id"] == first.data["id"]
    assert AuditEvent.objects.filter(action="role.grant").count() == 1


@pytest.mark.parametrize(("persona", "body", "status"), [
    ("reviewer", {"org": "town", "role": "reviewer", "person": "leader"}, 403),
    ("leader", {"org": "village", "role": "officer"}, 403),
    ("officer", {"org": "village", "role": "admin"}, 403),   # only admins grant admin
    ("officer", {"org": "bureau", "role": "reviewer"}, 400),  # invisible org: like unknown
    ("officer", {"org": "village", "role": "emperor"}, 422),
    ("outsider", {"org": "village", "role": "reviewer"}, 400),  # person not visible either
])
def test_grant_refused_and_nothing_changes(world, as_user, persona, body, status):
    before = RoleGrant.objects.count()
    body = dict(body)
    person = getattr(world, body.pop("person", "member"))
    response = as_user(getattr(world, persona)).post("roles", {"person": person.pk, **body})
    assert response.status == status, response.data
    assert RoleGrant.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_admin_grants_admin(world, as_user):
    response = as_user(world.admin).post("roles", {"person": world.officer.pk, "org": "town",
                                                   "role": "admin"})
    assert response.status == 201


def test_revoke(world, as_user):
    grant = RoleGrant.objects.get(person=world.reviewer)
    response = as_user(world.officer).delete(f"roles/{grant.pk}", reason="调岗")
    assert response.status == 204
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="role.revoke")
    assert (event.old["role"], event.reason) == ("reviewer", "调岗")


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 403), ("leader", 403),
                                                  ("outsider", 404), ("member", 404)])
def test_revoke_refused(world, as_user, persona, status):
    grant = RoleGrant.objects.get(person=world.secrecy)
    response = as_user(getattr(world, persona)).delete(f"roles/{grant.pk}")
    assert response.status == status
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_roles_list_filters(world, as_user):
    client = as_user(world.admin)
    town = client.get("roles", org="town").data
    assert {g["username"] for g in town["items"]} == {"officer", "reviewer", "secrecy", "leader"}
    assert [g["role"] for g in client.get("roles", person=world.supervisor.pk).data["items"]] == [
        "supervisor"]
    assert client.get("roles", org="county", subtree="true", role="officer").data["count"] == 2
    assert {g["username"] for g in as_user(world.officer).get("roles").data["items"]} == {
        "officer", "reviewer", "secrecy", "leader"}
