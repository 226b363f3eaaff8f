"""notifications_list and notifications_read: one's own notifications only."""

from __future__ import annotations

import pytest

from gongkai.notify import actions, queries
from gongkai.notify.models import Notification

pytestmark = pytest.mark.django_db


def _notify(recipients, key, subject="请审核：公开事项"):
    return actions.notify(recipients, kind="task_assigned", subject=subject, url="/staff/", dedup_key=key)


def test_list_shows_only_ones_own_newest_first_with_the_unread_total(world, as_user):
    _notify([world.officer], "a", subject="第一条")
    _notify([world.officer, world.member], "b", subject="第二条")
    response = as_user(world.officer).get("notifications")
    assert response.status == 200 and response.operation_id == "notifications_list"
    assert [i["subject"] for i in response.data["items"]] == ["第二条", "第一条"]
    assert response.data["count"] == 2 and response.data["unread"] == 2
    item = response.data["items"][0]
    assert (item["kind"], item["url"], item["read_at"], item["emailed_at"]) == ("task_assigned", "/staff/",
                                                                                None, None)
    assert as_user(world.member).get("notifications").data["count"] == 1


def test_list_filters_unread_and_read(world, as_user):
    _notify([world.officer], "a", subject="未读的")
    (read,) = _notify([world.officer], "b", subject="读过的")
    actions.mark_read(world.officer, [read.pk])
    client = as_user(world.officer)
    assert [i["subject"] for i in client.get("notifications", unread="true").data["items"]] == ["未读的"]
    assert [i["subject"] for i in client.get("notifications", unread="false").data["items"]] == ["读过的"]
    assert client.get("notifications", unread="true").data["unread"] == 1


def test_list_pages(world, as_user):
    for i in range(3):
        _notify([world.officer], f"k{i}")
    first = as_user(world.officer).get("notifications", limit=2)
    assert len(first.data["items"]) == 2 and first.data["next"].endswith("limit=2&offset=2")


def test_read_listed_ids(world, as_user):
    (a,) = _notify([world.officer], "a")
    _notify([world.officer], "b")
    response = as_user(world.officer).post("notifications/read", {"ids": [a.pk]})
    assert response.status == 200 and response.data == {"marked": 1, "unread": 1}
    again = as_user(world.officer).post("notifications/read", {"ids": [a.pk]})
    assert again.data == {"marked": 0, "unread": 1}


def test_read_all(world, with_token):
    _notify([world.officer, world.member], "a")
    _notify([world.officer], "b")
    response = with_token(world.officer).post("notifications/read", {"all": True})
    assert response.data == {"marked": 2, "unread": 0}
    assert queries.unread_count(world.member) == 1


def test_someone_elses_id_marks_nothing(world, as_user):
    (mine,) = _notify([world.officer], "a")
    (theirs,) = _notify([world.member], "b")
    response = as_user(world.officer).post("notifications/read", {"ids": [mine.pk, theirs.pk]})
    assert response.status == 400 and response.error["code"] == "invalid"
    assert str(theirs.pk) in response.error["details"]["ids"][0]
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("body", [{}, {"all": False}, {"ids": []}, {"ids": [1], "all": True},
                                  {"ids": [0]}, {"ids": ["x"]}, {"everything": True},
                                  {"ids": list(range(1, 502))}])
def test_bad_read_requests_are_422_in_chinese(world, as_user, body):
    _notify([world.officer], "a")
    response = as_user(world.officer).post("notifications/read", body)
    assert response.status == 422 and response.error["code"] == "invalid_input"
    assert queries.unread_count(world.officer) == 1


def test_anonymous_callers_are_refused(world, anon):
    assert anon.get("notifications").status == 401
    assert anon.post("notifications/read", {"all": True}).status == 401
