"""The repost page (转载): an officer of a subordinate org copies a superior's published item into
a draft of their own org, never wider than the original; others find no such page."""
# ruff: noqa: F811 -- the `dw` fixture is imported from tests/disclosures and named by the tests

from __future__ import annotations

import pytest

from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.orgs.models import AffiliationKind, Role
from gongkai.people.models import User
from gongkai.testing import UserFactory, affiliate, grant
from tests.disclosures.conftest import DW, approved, dw, proposed  # noqa: F401 -- dw: the fixture

pytestmark = pytest.mark.django_db


def published(dw: DW, scope: str) -> Disclosure:
    item = approved(dw, scope=scope, title=f"镇党委{scope}事项")
    return actions.disclosure_publish(actor=dw.w.officer, item=item)


@pytest.fixture
def village_officer(dw: DW) -> User:
    user: User = UserFactory.create(username="vofficer", real_name="村专员")
    grant(user, dw.w.village, Role.OFFICER)
    # A party member there: reads the town's party items.
    affiliate(user, dw.w.village, AffiliationKind.MEMBER)
    return user


def repost_url(item: Disclosure) -> str:
    return f"/staff/disclosures/{item.pk}/repost/"


def test_an_officer_of_a_subordinate_reposts_a_published_item(dw: DW, login, village_officer: User) -> None:
    original = published(dw, "party")
    client = login(village_officer)
    item_page = client.get(f"/staff/disclosures/{original.pk}/").content.decode()
    assert 'id="disclosure-repost"' in item_page
    form = client.get(repost_url(original)).content.decode()
    assert "某某村党支部（village）" in form and "某某镇党委" in form
    # Offered: nothing wider than the original's party scope.
    assert 'value="party"' in form and 'value="public"' not in form and 'value="unit"' not in form

    response = client.post(repost_url(original), {"org": "village", "scope": "party"}, follow=True)
    copy = Disclosure.objects.get(reposted_from=original)
    assert response.redirect_chain[-1][0] == f"/staff/disclosures/{copy.pk}/"
    assert (copy.org, copy.scope, copy.status, copy.created_by) == (
        dw.w.village,
        "party",
        ItemStatus.DRAFT,
        village_officer,
    )
    html = response.content.decode()
    assert "已转载为某某村党支部的草稿" in html and "转载自" in html and original.index_number in html


def test_a_public_original_may_be_reposted_narrower(dw: DW, login, village_officer: User) -> None:
    original = published(dw, "public")
    client = login(village_officer)
    form = client.get(repost_url(original)).content.decode()
    assert all(f'value="{s}"' in form for s in ("public", "party", "unit"))
    client.post(repost_url(original), {"org": "village", "scope": "unit"})
    assert Disclosure.objects.get(reposted_from=original).scope == "unit"


def test_a_wider_scope_is_refused_with_the_reason_and_nothing_is_created(
    dw: DW, login, village_officer: User
) -> None:
    original = published(dw, "party")
    response = login(village_officer).post(repost_url(original), {"org": "village", "scope": "public"})
    assert response.status_code == 200
    assert "转载的公开范围不能宽于原事项（党内公开）" in response.content.decode()
    assert not Disclosure.objects.filter(reposted_from=original).exists()


def test_an_org_not_offered_is_refused(dw: DW, login, village_officer: User) -> None:
    original = published(dw, "public")
    response = login(village_officer).post(repost_url(original), {"org": "village2", "scope": "public"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Disclosure.objects.filter(reposted_from=original).exists()


def test_outsiders_and_readers_without_a_subordinate_org_find_no_page(dw: DW, login) -> None:
    party_item, public_item = published(dw, "party"), published(dw, "public")
    # The bureau's officer reads the public item but has no org below the town.
    outsider = login(dw.w.outsider)
    item_page = outsider.get(f"/staff/disclosures/{public_item.pk}/").content.decode()
    assert 'id="disclosure-repost"' not in item_page
    for item in (party_item, public_item):
        assert outsider.get(repost_url(item)).status_code == 404
        assert outsider.post(repost_url(item), {"org": "bureau", "scope": "public"}).status_code == 404
    assert login(dw.w.member).get(repost_url(party_item)).status_code == 404  # a member, no role
    assert not Disclosure.objects.filter(reposted_from__isnull=False).exists()


def test_an_unpublished_item_cannot_be_reposted(dw: DW, login, village_officer: User) -> None:
    draft = proposed(dw)
    client = login(village_officer)
    assert client.get(repost_url(draft)).status_code == 404
    actions.disclosure_submit(actor=dw.w.officer, item=draft)
    assert login(dw.w.officer).get(repost_url(draft)).status_code == 404
