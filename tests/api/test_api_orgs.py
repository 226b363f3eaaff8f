"""/api/v1/orgs and /api/v1/kinds: who may read and change what, bad input, audit events."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Org, OrgKind

NEW_VILLAGE = {"code": "v3", "name": "新建村党支部", "kind": "village", "parent": "town",
               "phone": "0791-12345678", "reason": "新设村"}


def test_officer_lists_only_their_subtree(world, as_user):
    data = as_user(world.officer).get("orgs").data
    assert [o["code"] for o in data["items"]] == ["town", "village", "village2"]
    assert data["count"] == 3


def test_member_without_a_role_sees_no_orgs(world, as_user):
    assert as_user(world.member).get("orgs").data == {"items": [], "count": 0, "next": None}


@pytest.mark.parametrize(("query", "codes"), [
    ({"parent": "county"}, ["bureau", "town"]),
    ({"under": "town"}, ["town", "village", "village2"]),
    ({"q": "另一"}, ["village2"]),
    ({"q": "VILLAGE"}, ["village"]),
    ({"kind": "village"}, ["village", "village2"]),
    ({"active": "false"}, []),
    ({"active": "true", "under": "county", "kind": "organ_party_group"}, ["bureau"]),
])
def test_list_filters(world, as_user, query, codes):
    data = as_user(world.admin).get("orgs", **query).data
    assert [o["code"] for o in data["items"]] == codes


def test_filter_by_an_org_the_caller_cannot_see_is_400_like_a_missing_one(world, as_user):
    client = as_user(world.officer)
    hidden = client.get("orgs", under="bureau")
    missing = client.get("orgs", under="no-such-org")
    assert hidden.status == missing.status == 400
    assert hidden.error["code"] == missing.error["code"] == "invalid"
    assert "未找到组织" in hidden.error["message"]


def test_get_shows_ancestors_and_what_the_caller_may_do(world, as_user):
    data = as_user(world.officer).get("orgs/village").data
    assert data["parent"] == "town"
    assert [a["code"] for a in data["ancestors"]] == ["county", "town"]
    assert "org.move" in data["allowed"]
    own = as_user(world.officer).get("orgs/town").data
    assert "org.edit" in own["allowed"] and "org.move" not in own["allowed"]
    assert as_user(world.reviewer).get("orgs/town").data["allowed"] == []


@pytest.mark.parametrize(("persona", "code"), [
    ("officer", "county"), ("officer", "bureau"), ("outsider", "town"), ("member", "village"),
    ("reviewer", "village"),  # a reviewer's role stays at their own org
])
def test_orgs_outside_reach_are_404_like_missing_ones(world, as_user, persona, code):
    client = as_user(getattr(world, persona))
    hidden, missing = client.get(f"orgs/{code}"), client.get("orgs/does-not-exist")
    assert hidden.status == missing.status == 404
    assert hidden.data == missing.data


def test_officer_creates_a_subordinate_and_it_is_audited(world, as_user):
    response = as_user(world.officer).post("orgs", NEW_VILLAGE)
    assert response.status == 201
    assert response.data["path"] == "/county/town/v3/"
    event = AuditEvent.objects.get(action="org.create")
    assert (event.actor, event.reason, event.channel) == (world.officer, "新设村", "api")


@pytest.mark.parametrize("persona", ["reviewer", "leader", "supervisor"])
def test_visible_parent_but_no_right_is_403_and_nothing_changes(world, as_user, persona):
    response = as_user(getattr(world, persona)).post("orgs", NEW_VILLAGE)
    assert response.status == 403
    assert response.error["code"] == "forbidden"
    assert not Org.objects.filter(code="v3").exists()
    assert not AuditEvent.objects.exists()


def test_invisible_parent_is_reported_as_unknown(world, as_user):
    response = as_user(world.outsider).post("orgs", NEW_VILLAGE)
    assert response.status == 400
    assert response.error["details"] == {"parent": ["未找到组织：town"]}
    assert not Org.objects.filter(code="v3").exists()


def test_only_a_superuser_creates_a_root(world, as_user):
    root = {"code": "county2", "name": "另一县委", "kind": "county_committee"}
    assert as_user(world.admin).post("orgs", root).status == 403
    assert as_user(world.superuser).post("orgs", root).status == 201


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"code": "town"}, 400, "code"),                       # duplicate code
    ({"name": "另一村党支部"}, 400, "name"),               # duplicate sibling name
    ({"name": "   "}, 400, "name"),
    ({"kind": "no-such-kind"}, 400, "kind"),
    ({"phone": "12345"}, 400, "phone"),
    ({"email": "not-an-email"}, 400, "email"),
    ({"code": "bad code!"}, 400, "code"),
    ({"code": ""}, 422, "code"),
    ({"name": "x" * 129}, 422, "name"),
    ({"sort_order": -1}, 422, "sort_order"),
    ({"name": None}, 422, "name"),
    ({"unknown_field": 1}, 422, "unknown_field"),
    ({"name": "村\x00"}, 422, "name"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(world, as_user, change, status, field):
    response = as_user(world.officer).post("orgs", {**NEW_VILLAGE, **change})
    assert response.status == status, response.data
    message = response.error["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    if status == 400:
        assert field in response.error["details"]
    else:
        assert field in {d["field"] for d in response.error["details"]}
    assert Org.objects.count() == 5
    assert not AuditEvent.objects.exists()


def test_update_changes_only_the_fields_sent(world, as_user):
    response = as_user(world.officer).patch("orgs/village", {"address": "村委大院", "reason": "搬迁"})
    assert response.status == 200
    village = Org.objects.get(code="village")
    assert (village.address, village.name) == ("村委大院", "某某村党支部")
    event = AuditEvent.objects.get(action="org.update")
    assert (event.old, event.new, event.reason) == ({"address": ""}, {"address": "村委大院"}, "搬迁")


def test_update_without_changes_writes_no_event(world, as_user):
    assert as_user(world.officer).patch("orgs/village", {"name": "某某村党支部"}).status == 200
    assert not AuditEvent.objects.exists()


def test_update_kind(world, as_user):
    assert as_user(world.officer).patch("orgs/village", {"kind": "branch"}).data["kind"] == "branch"


@pytest.mark.parametrize(("persona", "code", "status"), [
    ("reviewer", "town", 403), ("leader", "village", 403), ("officer", "bureau", 404),
    ("member", "village", 404),
])
def test_update_refused(world, as_user, persona, code, status):
    response = as_user(getattr(world, persona)).patch(f"orgs/{code}", {"name": "改"})
    assert response.status == status
    assert not Org.objects.filter(name="改").exists()


def test_move_rewrites_the_subtree(world, as_user):
    client = as_user(world.admin)
    response = client.post("orgs/village/move", {"parent": "bureau", "reason": "调整隶属"})
    assert response.status == 200
    assert response.data["path"] == "/county/bureau/village/"
    assert AuditEvent.objects.filter(action="org.move", reason="调整隶属").exists()


@pytest.mark.parametrize(("persona", "code", "parent", "status"), [
    ("officer", "town", "village2", 403),    # may not move their own org
    ("officer", "village", "bureau", 400),   # target not visible: like a missing one
    ("admin", "town", "village", 400),       # under its own subordinate
    ("admin", "town", "county", 400),        # already there
    ("admin", "village", "nowhere", 400),
    ("outsider", "village", "bureau", 404),
])
def test_move_refused(world, as_user, persona, code, parent, status):
    paths = dict(Org.objects.values_list("code", "path"))
    response = as_user(getattr(world, persona)).post(f"orgs/{code}/move", {"parent": parent})
    assert response.status == status, response.data
    assert dict(Org.objects.values_list("code", "path")) == paths
    assert not AuditEvent.objects.exists()


def test_deactivate_needs_a_reason_and_keeps_the_org(world, as_user):
    client = as_user(world.officer)
    refused = client.post("orgs/village2/deactivate", {})
    assert refused.status == 400 and "reason" in refused.error["details"]
    done = client.post("orgs/village2/deactivate", {"reason": "合并"})
    assert done.status == 200 and done.data["is_active"] is False
    assert client.get("orgs", active="false").data["items"][0]["code"] == "village2"
    again = client.post("orgs/village2/reactivate", {"reason": "恢复"})
    assert again.data["is_active"] is True
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["org.deactivate", "org.reactivate"]


def test_deactivate_refused_for_own_org_and_with_active_children(world, as_user):
    assert as_user(world.officer).post("orgs/town/deactivate", {"reason": "x"}).status == 403
    response = as_user(world.admin).post("orgs/town/deactivate", {"reason": "x"})
    assert response.status == 400
    assert Org.objects.get(code="town").is_active


def test_kinds_list_is_open_to_every_signed_in_person(world, as_user):
    codes = [k["code"] for k in as_user(world.member).get("kinds").data]
    assert "branch" in codes and "village" in codes


def test_only_a_county_admin_adds_kinds(world, as_user):
    kind = {"code": "coop", "name": "合作社党组织"}
    assert as_user(world.officer).post("kinds", kind).status == 403
    response = as_user(world.admin).post("kinds", kind)
    assert response.status == 201
    assert OrgKind.objects.filter(code="coop").exists()
    assert AuditEvent.objects.filter(action="kind.create").count() == 1
    duplicate = as_user(world.admin).post("kinds", kind)
    assert duplicate.status == 400
