"""The notification page (/notifications/) and the unread count in the staff header."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.notify import actions, queries
from gongkai.notify.models import Notification

pytestmark = pytest.mark.django_db


def _notify(recipients, key, subject="请审核：村务公开栏更新"):
    return actions.notify(recipients, kind="task_assigned", subject=subject, body="第一行\n第二行",
                          url="/staff/", dedup_key=key)


def _client(person, *, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(person)
    return client


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/notifications/"), ("post", "/notifications/1/read/"), ("post", "/notifications/read-all/"),
    ("post", "/notifications/preference/"),
])
def test_pages_need_login(client, world, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_header_shows_the_unread_count(world):
    client = _client(world.officer)
    page = client.get("/staff/").content.decode()
    assert 'id="user-menu-notifications"' in page and 'href="/notifications/"' in page
    assert 'id="notifications-unread"' not in page  # nothing unread: no number
    _notify([world.officer], "a")
    _notify([world.officer], "b")
    page = client.get("/staff/").content.decode()
    assert re.search(r'id="notifications-unread">2</span>', page)
    assert 'aria-label="通知，2 条未读"' in page


def test_a_large_unread_count_is_shown_as_99_plus(world):
    for i in range(100):
        _notify([world.officer], f"k{i}")
    assert 'id="notifications-unread">99+</span>' in _client(world.officer).get("/staff/").content.decode()


def test_the_header_count_costs_one_query(world):
    _notify([world.officer], "a")
    client = _client(world.officer)
    with CaptureQueriesContext(connection) as queries_run:
        client.get("/staff/")
    counting = [q["sql"] for q in queries_run.captured_queries if "notify_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT" in counting[0].upper()


def test_the_list_shows_only_ones_own_notifications(world):
    _notify([world.officer], "a", subject="给专员的通知")
    _notify([world.member], "b", subject="给党员的通知")
    page = _client(world.officer).get("/notifications/").content.decode()
    assert "给专员的通知" in page and "给党员的通知" not in page
    assert "第一行<br>第二行" in page
    assert 'href="/staff/"' in page


def test_a_plain_member_has_a_notification_page_too(world):
    _notify([world.member], "a", subject="党内公开：2025年党费收缴情况")
    response = _client(world.member).get("/notifications/")
    assert response.status_code == 200 and "党内公开：2025年党费收缴情况" in response.content.decode()


def test_the_unread_filter(world):
    _notify([world.officer], "a", subject="还没读的")
    _notify([world.officer], "b", subject="读过的")
    actions.mark_read(world.officer, [Notification.objects.get(dedup_key="b").pk])
    page = _client(world.officer).get("/notifications/", {"unread": "1"}).content.decode()
    assert "还没读的" in page and "读过的" not in page
    assert "未读（1）" in page


def test_mark_one_read_and_come_back(world):
    (n,) = _notify([world.officer], "a")
    response = _client(world.officer).post(f"/notifications/{n.pk}/read/",
                                           {"next": "/notifications/?unread=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?unread=1"
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_someone_elses_notification_is_not_found(world):
    (theirs,) = _notify([world.member], "a")
    response = _client(world.officer).post(f"/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_next_may_not_lead_off_the_site(world):
    (n,) = _notify([world.officer], "a")
    response = _client(world.officer).post(f"/notifications/{n.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_marking_read_is_a_post_with_a_csrf_token(world):
    (n,) = _notify([world.officer], "a")
    client = _client(world.officer, csrf=True)
    assert client.get(f"/notifications/{n.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_mark_all_read(world):
    _notify([world.officer, world.member], "a")
    _notify([world.officer], "b")
    response = _client(world.officer).post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert queries.unread_count(world.officer) == 0 and queries.unread_count(world.member) == 1


def test_choose_the_email_preference(world):
    client = _client(world.officer)
    page = client.get("/notifications/").content.decode()
    assert "立即发送" in page and "每日汇总" in page and "不发送邮件" in page
    assert "当前：每日汇总" in page and world.officer.email in page
    response = client.post("/notifications/preference/", {"email_mode": "immediate"}, follow=True)
    assert "邮件提醒已设为：立即发送" in response.content.decode()
    assert queries.email_mode_for(world.officer) == "immediate"


@pytest.mark.parametrize("data", [{}, {"email_mode": "hourly"}])
def test_a_bad_preference_is_refused_in_chinese(world, data):
    response = _client(world.officer).post("/notifications/preference/", data)
    assert response.status_code == 400
    assert re.search("请选择邮件提醒方式|邮件提醒须为", response.content.decode())
    assert queries.email_mode_for(world.officer) == "digest"


def test_a_person_without_an_email_address_is_told(world):
    world.member.email = ""
    world.member.save(update_fields=["email"])
    page = _client(world.member).get("/notifications/").content.decode()
    assert 'id="notify-no-email"' in page
