"""/api/v1/people and affiliations: visibility, filters, creation, updates, audit."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Affiliation
from gongkai.people.models import User
from gongkai.testing import affiliate

NEWBIE = {"username": "newbie", "real_name": "新党员", "org": "village", "affiliation": "member",
          "phone": "13800138000"}


def _usernames(response) -> list[str]:
    return [p["username"] for p in response.data["items"]]


def test_officer_sees_people_of_their_subtree_only(world, as_user):
    names = _usernames(as_user(world.officer).get("people"))
    assert "member" in names and "officer" in names
    assert "outsider" not in names and "admin" not in names


@pytest.mark.parametrize(("query", "expected"), [
    ({"org": "town"}, ["leader", "officer", "reviewer", "secrecy"]),
    ({"org": "town", "role": "reviewer"}, ["reviewer"]),
    ({"org": "town", "affiliation": "staff"}, ["officer"]),
    ({"org": "town", "subtree": "true", "affiliation": "member"}, ["member"]),
    ({"org": "county", "subtree": "true", "q": "张"}, ["leader"]),
    ({"q": "secrecy"}, ["secrecy"]),
    ({"org": "village2"}, []),
])
def test_people_filters(world, as_user, query, expected):
    assert _usernames(as_user(world.admin).get("people", **query)) == expected


@pytest.mark.parametrize("query", [{"role": "king"}, {"affiliation": "friend"}, {"subtree": "perhaps"}])
def test_bad_filters_are_422(world, as_user, query):
    response = as_user(world.admin).get("people", **query)
    assert response.status == 422
    assert "可选值" in response.error["message"] or "true" in response.error["message"]


def test_filter_by_an_invisible_org_looks_like_a_missing_one(world, as_user):
    client = as_user(world.outsider)
    hidden, missing = client.get("people", org="town"), client.get("people", org="nowhere")
    assert hidden.status == missing.status == 400
    assert hidden.error["code"] == missing.error["code"] == "invalid"
    assert set(hidden.error["details"]) == set(missing.error["details"]) == {"org"}


def test_nested_relations_show_only_visible_orgs(world, as_user):
    # The member is also staff of the bureau: the town officer must not learn that.
    affiliate(world.member, world.bureau, "staff")
    person = as_user(world.officer).get(f"people/{world.member.pk}").data
    assert [(a["org"], a["kind"]) for a in person["affiliations"]] == [("village", "member")]
    full = as_user(world.admin).get(f"people/{world.member.pk}").data
    assert {a["org"] for a in full["affiliations"]} == {"village", "bureau"}


@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_people_outside_reach_are_404_like_missing_ones(world, as_user, persona):
    client = as_user(getattr(world, persona))
    hidden, missing = client.get(f"people/{world.reviewer.pk}"), client.get("people/987654")
    assert hidden.status == missing.status == 404
    assert hidden.data == missing.data


def test_everyone_may_see_themselves(world, as_user):
    assert as_user(world.member).get(f"people/{world.member.pk}").data["username"] == "member"


def test_officer_creates_a_member_and_it_is_audited(world, as_user):
    response = as_user(world.officer).post("people", NEWBIE)
    assert response.status == 201
    assert response.data["affiliations"][0]["org"] == "village"
    person = User.objects.get(username="newbie")
    assert not person.has_usable_password()
    assert AuditEvent.objects.get(action="person.create").actor == world.officer


@pytest.mark.parametrize("persona", ["reviewer", "leader", "supervisor"])
def test_visible_org_but_no_right_to_manage_is_403(world, as_user, persona):
    response = as_user(getattr(world, persona)).post("people", {**NEWBIE, "org": "town"})
    assert response.status == 403
    assert not User.objects.filter(username="newbie").exists()


def test_invisible_org_is_reported_as_unknown(world, as_user):
    response = as_user(world.outsider).post("people", NEWBIE)
    assert response.status == 400 and "org" in response.error["details"]


@pytest.mark.parametrize(("change", "status"), [
    ({"username": "member"}, 400), ({"username": "has space"}, 400), ({"phone": "123"}, 400),
    ({"email": "nope"}, 400), ({"real_name": ""}, 400), ({"affiliation": "friend"}, 422),
    ({"password": "123"}, 400), ({"username": ""}, 422), ({"real_name": "名\x00"}, 422),
    ({"org": None}, 422), ({"is_superuser": True}, 422),
])
def test_bad_person_input_is_refused_and_nothing_written(world, as_user, change, status):
    before = User.objects.count()
    response = as_user(world.officer).post("people", {**NEWBIE, **change})
    assert response.status == status, response.data
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.error["message"])
    assert User.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_create_with_a_strong_password_lets_the_person_sign_in(world, as_user):
    response = as_user(world.officer).post("people", {**NEWBIE, "password": "Zx-9f!kq2Lm#"})
    assert response.status == 201
    assert User.objects.get(username="newbie").check_password("Zx-9f!kq2Lm#")


def test_update_person(world, as_user):
    response = as_user(world.officer).patch(f"people/{world.member.pk}",
                                            {"phone": "13900139000", "reason": "换号"})
    assert response.status == 200 and response.data["phone"] == "13900139000"
    event = AuditEvent.objects.get(action="person.update")
    assert (event.new, event.reason) == ({"phone": "13900139000"}, "换号")


@pytest.mark.parametrize(("persona", "target", "status"), [
    ("reviewer", "leader", 403),  # sees the town's people but may not manage them
    ("reviewer", "member", 404),  # a reviewer's view stays at their own org
    ("outsider", "member", 404),
])
def test_update_person_refused(world, as_user, persona, target, status):
    person = getattr(world, target)
    response = as_user(getattr(world, persona)).patch(f"people/{person.pk}", {"real_name": "改名"})
    assert response.status == status
    assert not User.objects.filter(real_name="改名").exists()


def test_update_refuses_bad_values(world, as_user):
    client = as_user(world.officer)
    assert client.patch(f"people/{world.member.pk}", {"email": "x"}).status == 400
    assert client.patch(f"people/{world.member.pk}", {"is_active": "perhaps"}).status == 422
    assert client.patch(f"people/{world.member.pk}", {"username": "renamed"}).status == 422
    assert not AuditEvent.objects.exists()


def test_affiliations_add_and_remove(world, as_user):
    client = as_user(world.officer)
    added = client.post(f"people/{world.member.pk}/affiliations", {"org": "village2", "kind": "staff"})
    assert added.status == 201
    removed = client.delete(f"affiliations/{added.data['id']}", reason="调离")
    assert removed.status == 204
    assert not Affiliation.objects.filter(pk=added.data["id"]).exists()
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["affiliation.add",
                                                                      "affiliation.remove"]


def test_affiliations_refused(world, as_user):
    own = Affiliation.objects.get(person=world.member)
    assert as_user(world.reviewer).delete(f"affiliations/{own.pk}").status == 404
    assert as_user(world.outsider).delete(f"affiliations/{own.pk}").status == 404
    assert as_user(world.leader).delete(f"affiliations/{own.pk}").status == 403
    response = as_user(world.leader).post(f"people/{world.member.pk}/affiliations",
                                          {"org": "village2", "kind": "staff"})
    assert response.status == 403
    assert Affiliation.objects.filter(person=world.member).count() == 1
