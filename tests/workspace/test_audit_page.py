"""The audit log page: per org (with its subordinates) and per object, with filters; only for
roles that may read the log, and only under the orgs they oversee."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.orgs import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    actions.org_update(actor=world.admin, org=world.village, name="新名村党支部", reason="更名")
    actions.org_update(actor=world.admin, org=world.bureau, phone="0791-1234567")
    actions.org_set_active(actor=world.admin, org=world.village2, active=False, reason="合并")
    return world


def _seqs(page: str) -> set[int]:
    return {e.seq for e in AuditEvent.objects.all() if f'id="event-{e.seq}"' in page}


def test_org_log_shows_the_subtree_with_old_and_new_values(history, login):
    page = login(history.officer).get("/staff/orgs/town/audit/").content.decode()
    assert "修改组织" in page and "撤销组织" in page
    assert "<del>某某村党支部</del>" in page and "<ins>新名村党支部</ins>" in page
    assert "原因：更名" in page
    assert "0791-1234567" not in page  # the bureau is not under the town
    assert "共 2 条" in page


def test_unticking_subordinates_shows_the_org_itself_only(history, login):
    page = login(history.admin).get("/staff/orgs/county/audit/", {"f": "1"}).content.decode()
    assert "共 0 条" in page
    page = login(history.admin).get("/staff/orgs/county/audit/").content.decode()
    assert "共 3 条" in page


def test_filters_by_action_actor_and_dates(history, login):
    client = login(history.admin)
    params = {"f": "1", "subtree": "on", "action": "org.deactivate"}
    page = client.get("/staff/audit/", params).content.decode()
    assert "共 1 条" in page and "原因：合并" in page
    assert "共 0 条" in client.get("/staff/audit/", {"actor": "officer"}).content.decode()
    assert "共 3 条" in client.get("/staff/audit/", {"actor": "admin"}).content.decode()
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert "共 3 条" in client.get("/staff/audit/", {"since": today, "until": today}).content.decode()
    assert "共 0 条" in client.get("/staff/audit/", {"since": tomorrow}).content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"since": "2024-13-45"}, "输入一个有效的日期"),
    ({"since": "2025-02-01", "until": "2025-01-01"}, "截止日期不能早于起始日期"),
    ({"action": "drop table"}, "选择一个有效的选项"),
])
def test_bad_filters_give_a_message_not_an_error(history, login, params, message):
    response = login(history.admin).get("/staff/audit/", params)
    assert response.status_code == 200 and message in response.content.decode()


def test_object_log_shows_one_object(history, login):
    page = login(history.admin).get("/staff/audit/", {
        "object_type": "orgs.org", "object_id": str(history.bureau.pk)}).content.decode()
    assert "共 1 条" in page and "0791-1234567" in page and "只显示一个对象的变更记录" in page


def test_paginated(world, login):
    for i in range(55):
        actions.org_update(actor=world.admin, org=world.village, sort_order=i + 1)
    client = login(world.admin)
    first = client.get("/staff/orgs/village/audit/").content.decode()
    assert "共 55 条" in first and "第 1 页，共 2 页" in first
    second = client.get("/staff/orgs/village/audit/", {"page": 2}).content.decode()
    assert len(_seqs(first)) == 50 and len(_seqs(second)) == 5


def test_reviewer_may_not_read_the_log(history, login):
    client = login(history.reviewer)
    assert client.get("/staff/orgs/town/audit/").status_code == 403
    assert client.get("/staff/audit/").status_code == 403
    assert 'id="nav-audit"' not in client.get("/staff/").content.decode()


def test_log_of_an_invisible_org_is_not_found(history, login):
    assert login(history.outsider).get("/staff/orgs/town/audit/").status_code == 404


def test_general_log_is_limited_to_the_readers_orgs(history, login):
    page = login(history.outsider).get("/staff/audit/").content.decode()
    assert "共 1 条" in page and "0791-1234567" in page  # only the bureau's event


def test_audit_page_query_count_is_constant(history, login, django_assert_max_num_queries):
    client = login(history.admin)
    with django_assert_max_num_queries(8):
        client.get("/staff/orgs/county/audit/")
    for i in range(30):
        actions.org_update(actor=history.officer, org=history.village, sort_order=i + 1)
    with django_assert_max_num_queries(8):
        page = client.get("/staff/orgs/county/audit/").content.decode()
    assert "共 33 条" in page
