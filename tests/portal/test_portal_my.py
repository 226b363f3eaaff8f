"""我的公开: the party, unit and targeted items addressed to the signed-in reader, with unread
markers that go away once the item's page is opened."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.orgs.models import AffiliationKind
from gongkai.portal.models import ReadMark
from gongkai.testing import affiliate
from tests.portal.factories import publish

pytestmark = pytest.mark.django_db


def titles(html: str) -> set[str]:
    return set(re.findall(r'class="item-title" href="[^"]+">([^<]+)<', html))


def test_lists_items_addressed_to_the_member_and_nothing_public(login, world):
    affiliate(world.member, world.town, AffiliationKind.STAFF)
    publish(world.town, "向社会公开的事项")
    publish(world.town, "镇党委党内公开", scope="party")
    publish(world.village, "本村党内公开", scope="party")
    publish(world.village2, "邻村党内公开", scope="party")
    publish(world.town, "镇机关本单位公开", scope="unit")
    publish(world.bureau, "教育局本单位公开", scope="unit")
    publish(world.town, "点名给陈党员", scope="targeted", target_person_ids=[world.member.pk])
    publish(world.town, "点名给本村", scope="targeted", target_org_ids=[world.village.pk])
    publish(world.town, "点名给别人", scope="targeted", target_person_ids=[world.officer.pk])
    publish(world.town, "尚未上线的党内事项", scope="party", go_live_at=timezone.now() + timedelta(days=1))
    page = login(world.member).get("/me/disclosures/").content.decode()
    assert titles(page) == {
        "镇党委党内公开",
        "本村党内公开",
        "镇机关本单位公开",
        "点名给陈党员",
        "点名给本村",
    }
    assert "共 5 条，其中 5 条未读" in page


def test_an_officer_does_not_get_every_subordinates_item_as_mine(login, world):
    publish(world.village, "本村党内公开", scope="party")  # the officer oversees it: work, not mine
    page = login(world.officer).get("/me/disclosures/").content.decode()
    assert titles(page) == set()
    assert "目前没有向您公开的党内或本单位信息" in page


def test_opening_the_item_marks_it_read(login, world):
    item = publish(world.village, "本村党内公开", scope="party")
    other = publish(world.town, "镇党委党内公开", scope="party")
    client = login(world.member)
    page = client.get("/me/disclosures/").content.decode()
    assert f'id="unread-{item.index_number}"' in page and f'id="unread-{other.index_number}"' in page
    assert client.get("/").content.decode().count("2 条未读") == 1
    assert client.get(f"/items/{item.index_number}/").status_code == 200
    first = ReadMark.objects.get(user=world.member, disclosure=item).read_at
    page = client.get("/me/disclosures/").content.decode()
    assert f'id="unread-{item.index_number}"' not in page and f'id="unread-{other.index_number}"' in page
    assert "共 2 条，其中 1 条未读" in page
    client.get(f"/items/{item.index_number}/")  # a second opening keeps the first time
    assert ReadMark.objects.get(user=world.member, disclosure=item).read_at == first
    assert ReadMark.objects.count() == 1


def test_an_anonymous_visit_marks_nothing_and_my_page_asks_to_log_in(client, world):
    item = publish(world.town, "向社会公开的事项")
    client.get(f"/items/{item.index_number}/")
    assert ReadMark.objects.count() == 0
    response = client.get("/me/disclosures/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/login/?next=/me/disclosures/"
    )


def test_a_hidden_item_is_never_marked_read(login, world):
    item = publish(world.village2, "邻村党内公开", scope="party")
    assert login(world.member).get(f"/items/{item.index_number}/").status_code == 404
    assert ReadMark.objects.count() == 0


@pytest.mark.parametrize("n", [3, 30])
def test_my_page_runs_a_fixed_number_of_queries(login, world, django_assert_max_num_queries, n):
    for i in range(n):
        publish(world.village, f"党内事项{i}", scope="party")
    client = login(world.member)
    client.get(f"/items/{world.village.code}-2026-00001/")
    # Fixed, whatever n: the list and the unread count each read the addressed ids first.
    with django_assert_max_num_queries(10):
        page = client.get("/me/disclosures/").content.decode()
    assert len(titles(page)) == min(n, 20)
