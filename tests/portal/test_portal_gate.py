"""Every portal page reads through the visibility gate: an anonymous visitor sees public live
items only; a party member sees, besides, the party items of their org and its superiors; an
outsider gets a 404 for a party item and its attachment, as for a missing one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.disclosures import gate
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.orgs.models import AffiliationKind
from gongkai.testing import UserFactory, affiliate
from tests.portal.factories import amend, publish, stored_file, withdraw

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/items/", "/orgs/town/", "/orgs/village/", "/orgs/village2/", "/orgs/county/"]


def listed(client, url: str) -> set[str]:
    """Index numbers of the items a page links to."""
    return set(re.findall(r'href="/items/([A-Za-z0-9_.-]+)/"', client.get(url).content.decode()))


@pytest.fixture
def items(world):
    now = timezone.now()
    return {
        "public": publish(world.town, "镇党委公开的事项"),
        "party_town": publish(world.town, "镇党委党内公开的事项", scope="party"),
        "party_village": publish(world.village, "村支部党内公开的事项", scope="party"),
        "party_sibling": publish(world.village2, "另一村党内公开的事项", scope="party"),
        "unit_town": publish(world.town, "镇机关本单位公开的事项", scope="unit"),
        "targeted": publish(
            world.town, "向陈党员公开的事项", scope="targeted", target_person_ids=[world.member.pk]
        ),
        "staged_open": publish(
            world.town, "已向社会公开的党内事项", scope="party", public_from=now - timedelta(days=1)
        ),
        "staged_later": publish(
            world.town, "尚未向社会公开的党内事项", scope="party", public_from=now + timedelta(days=3)
        ),
        "future": publish(world.town, "尚未到发布时间的事项", go_live_at=now + timedelta(days=1)),
        "expired": publish(world.town, "展示已截止的事项", display_until=now - timedelta(minutes=1)),
        "draft": Disclosure.objects.create(
            org=world.town,
            index_number="town-2026-99999",
            title="草稿事项",
            scope="public",
            status=ItemStatus.DRAFT,
        ),
    }


def numbers(items, *names):
    return {items[n].index_number for n in names}


def test_anonymous_lists_show_public_live_items_only(client, world, items):
    seen = set().union(*(listed(client, url) for url in LIST_PAGES))
    assert seen == numbers(items, "public", "staged_open")


def test_member_sees_party_items_of_their_org_and_its_superiors_not_of_a_sibling(login, world, items):
    client = login(world.member)
    seen = set().union(*(listed(client, url) for url in LIST_PAGES))
    assert seen == numbers(
        items, "public", "staged_open", "staged_later", "party_town", "party_village", "targeted"
    )
    assert items["party_sibling"].index_number not in seen
    assert items["unit_town"].index_number not in seen  # unit: the town's own people, not its villages'


def test_staff_of_the_unit_see_unit_items(login, world, items):
    clerk = UserFactory.create(username="clerk")
    affiliate(clerk, world.town, AffiliationKind.STAFF)
    seen = listed(login(clerk), "/orgs/town/")
    assert items["unit_town"].index_number in seen
    assert items["party_town"].index_number not in seen  # staff, not a member


@pytest.mark.parametrize("who", [None, "member", "outsider", "officer", "superuser"])
def test_every_list_agrees_with_the_gate(client, world, items, who):
    user = getattr(world, who) if who else None
    if user is not None:
        client.force_login(user)
    expected = set(gate.visible_to(user).values_list("index_number", flat=True))
    assert listed(client, "/items/") == expected
    assert listed(client, "/orgs/town/") == expected & set(
        Disclosure.objects.filter(org=world.town).values_list("index_number", flat=True)
    )


@pytest.mark.parametrize(
    "name",
    ["party_town", "party_village", "unit_town", "targeted", "staged_later", "future", "expired", "draft"],
)
def test_anonymous_gets_404_for_an_item_it_may_not_see(client, items, name):
    response = client.get(f"/items/{items[name].index_number}/")
    assert response.status_code == 404
    assert items[name].title not in response.content.decode()


def test_item_pages_open_to_those_the_gate_lets_in(client, login, world, items):
    for name in ("public", "staged_open"):
        assert client.get(f"/items/{items[name].index_number}/").status_code == 200
    member = login(world.member)
    for name in ("party_town", "party_village", "targeted", "staged_later"):
        assert member.get(f"/items/{items[name].index_number}/").status_code == 200, name


def test_outsider_gets_404_for_a_party_item_and_its_attachment(client, world, files_dir):
    stored = stored_file(files_dir)
    item = publish(world.town, "党内公示名单", scope="party", attachment_ids=[stored.pk])
    url, file_url = f"/items/{item.index_number}/", f"/items/{item.index_number}/files/{stored.pk}/"
    client.force_login(world.member)
    assert client.get(url).status_code == 200
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == "公示名单".encode()
    client.force_login(world.outsider)
    missing = client.get("/items/town-2026-77777/")
    for response in (client.get(url), client.get(file_url)):
        assert response.status_code == 404
        assert response.content == missing.content  # forbidden looks exactly like missing
    client.logout()
    assert client.get(url).status_code == 404 and client.get(file_url).status_code == 404


def test_an_attachment_not_on_the_readers_revision_is_404(client, world, files_dir):
    mine, other = stored_file(files_dir), stored_file(files_dir, "别的.txt", b"other")
    item = publish(world.town, attachment_ids=[mine.pk])
    assert client.get(f"/items/{item.index_number}/files/{mine.pk}/").status_code == 200
    assert client.get(f"/items/{item.index_number}/files/{other.pk}/").status_code == 404
    assert client.get(f"/items/{item.index_number}/files/99999999999999999999/").status_code == 404


def test_interpretations_are_shown_only_when_the_gate_allows(client, login, world):
    document = publish(world.town, "关于加强基层党组织建设的意见")
    public_reading = publish(world.town, "《意见》政策解读", interprets=document)
    party_reading = publish(world.town, "《意见》党内学习解读", scope="party", interprets=document)
    page = client.get(f"/items/{document.index_number}/").content.decode()
    assert "《意见》政策解读" in page and "党内学习解读" not in page
    page = login(world.member).get(f"/items/{document.index_number}/").content.decode()
    assert "《意见》政策解读" in page and "党内学习解读" in page
    reading = client.get(f"/items/{party_reading.index_number}/").content.decode()
    assert f'href="/items/{document.index_number}/"' in reading and 'id="item-interprets"' in reading
    assert public_reading.index_number not in reading


def test_a_repost_links_to_its_original_only_when_the_reader_may_see_it(client, login, world):
    original = publish(world.county, "县委党内通报", scope="party")
    repost = publish(world.town, "县委党内通报", reposted_from=original)
    page = client.get(f"/items/{repost.index_number}/").content.decode()
    assert "转载自：某某县委" in page and f"/items/{original.index_number}/" not in page
    page = login(world.member).get(f"/items/{repost.index_number}/").content.decode()
    assert f'href="/items/{original.index_number}/"' in page


def test_readers_see_the_published_revision_and_its_amendment_explanation(client, login, world):
    item = publish(world.town, "原标题")
    amend(item, title="更正后的标题", explanation="更正了一处数字")
    page = client.get(f"/items/{item.index_number}/").content.decode()
    assert "更正后的标题" in page and "更正了一处数字" in page and 'id="amendments"' in page
    written = timezone.localdate(item.go_live_at - timedelta(days=1)).isoformat()
    assert f'<dd id="meta-written">{written}</dd>' in page  # 成文日期 stays the publication's approval
    amend(item, title="尚在审批中的标题", explanation="尚未批准的说明", publish_now=False)
    page = client.get(f"/items/{item.index_number}/").content.decode()
    assert "更正后的标题" in page and "尚在审批中的标题" not in page and "尚未批准的说明" not in page
    # The org's staff read the current revision (as in the API and the staff pages), told so.
    page = login(world.officer).get(f"/items/{item.index_number}/").content.decode()
    assert "尚在审批中的标题" in page and 'id="staff-preview"' in page


def test_a_withdrawn_item_shows_its_tombstone_to_those_who_could_see_it(client, login, world, files_dir):
    stored = stored_file(files_dir)
    public = withdraw(
        publish(world.town, "已撤销的公开事项", body="<p>正文不再展示</p>", attachment_ids=[stored.pk]),
        "数据有误，予以撤销",
    )
    party = withdraw(publish(world.town, "已撤销的党内事项", scope="party"), "党内事项撤销说明")
    response = client.get(f"/items/{public.index_number}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "本信息已撤销" in page and "数据有误，予以撤销" in page and "正文不再展示" not in page
    assert client.get(f"/items/{public.index_number}/files/{stored.pk}/").status_code == 404
    assert public.index_number not in listed(client, "/items/")
    assert client.get(f"/items/{party.index_number}/").status_code == 404
    page = login(world.member).get(f"/items/{party.index_number}/").content.decode()
    assert "本信息已撤销" in page and "党内事项撤销说明" in page
    client.force_login(world.outsider)
    assert client.get(f"/items/{party.index_number}/").status_code == 404


def test_a_withdrawn_item_that_never_went_live_has_no_tombstone(client, world):
    item = withdraw(publish(world.town, "未上线即撤销", go_live_at=timezone.now() + timedelta(days=2)))
    assert client.get(f"/items/{item.index_number}/").status_code == 404
