"""/api/v1/audit: who may read which events, and the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.orgs import actions as org_actions


@pytest.fixture
def history(world):
    org_actions.org_update(actor=world.officer, org=world.village, address="一号", reason="r1")
    org_actions.org_update(actor=world.admin, org=world.bureau, address="二号")
    org_actions.org_update(actor=world.officer, org=world.town, phone="0791-1234567")
    return world


def _actions(response) -> list[tuple[str, str | None]]:
    return [(e["actor"], e["org"]) for e in response.data["items"]]


def test_superuser_sees_everything_newest_first(history, as_user):
    data = as_user(history.superuser).get("audit").data
    assert _actions_of(data) == [("officer", "town"), ("admin", "bureau"), ("officer", "village")]


def _actions_of(data) -> list[tuple[str, str | None]]:
    return [(e["actor"], e["org"]) for e in data["items"]]


def test_officer_sees_their_subtree_only(history, as_user):
    assert _actions(as_user(history.officer).get("audit")) == [("officer", "town"),
                                                              ("officer", "village")]


@pytest.mark.parametrize("persona", ["reviewer", "member", "outsider"])
def test_others_see_nothing_of_the_town(history, as_user, persona):
    data = as_user(getattr(history, persona)).get("audit").data
    assert all(e["org"] not in ("town", "village") for e in data["items"])


def test_supervisor_oversees_the_county(history, as_user):
    assert as_user(history.supervisor).get("audit").data["count"] == 3


@pytest.mark.parametrize(("query", "expected"), [
    ({"org": "town", "subtree": "false"}, [("officer", "town")]),
    ({"org": "town"}, [("officer", "town"), ("officer", "village")]),
    ({"actor": "admin"}, [("admin", "bureau")]),
    ({"action": "org."}, [("officer", "town"), ("admin", "bureau"), ("officer", "village")]),
    ({"action": "role."}, []),
    ({"object_type": "orgs.org", "object_id": "bureau"}, []),
])
def test_filters(history, as_user, query, expected):
    assert _actions(as_user(history.superuser).get("audit", **query)) == expected


def test_object_filter(history, as_user):
    data = as_user(history.superuser).get("audit", object_type="orgs.org",
                                          object_id=str(history.village.pk)).data
    assert [e["new"] for e in data["items"]] == [{"address": "一号"}]


def test_time_window(history, as_user):
    client = as_user(history.superuser)
    now = timezone.now()
    assert client.get("audit", since=(now - timedelta(hours=1)).isoformat()).data["count"] == 3
    assert client.get("audit", until=(now - timedelta(hours=1)).isoformat()).data["count"] == 0
    naive = (timezone.localtime(now) + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert client.get("audit", until=naive).data["count"] == 3


def test_org_filter_outside_reach_is_like_missing(history, as_user):
    client = as_user(history.officer)
    hidden, missing = client.get("audit", org="bureau"), client.get("audit", org="nope")
    assert hidden.status == missing.status == 400
    assert hidden.error["code"] == missing.error["code"] == "invalid"


@pytest.mark.parametrize("moment", ["2452-06-08T16:14:21.8+22:41", "0001-01-01T00:00:00+08:00",
                                    "9999-12-31T23:59:59-08:00", "0001-01-01T00:00:00"])
def test_odd_but_valid_times_never_crash(history, as_user, moment):
    response = as_user(history.superuser).get("audit", since=moment)
    assert response.status in (200, 422)
