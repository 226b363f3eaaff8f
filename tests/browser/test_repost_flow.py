"""Reposting (转载) in a real browser: a village's officer opens the town's published item,
presses 转载, keeps the village and narrows the scope, and lands on the village's new draft."""

from __future__ import annotations

import pytest

from gongkai.catalogue.models import Entry
from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, build_world, grant
from tests.browser.helpers import login as _login
from tests.browser.test_disclosure_flow import _town_catalogue_in_force
from tests.disclosures.conftest import item_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_village_officer_reposts_the_towns_item(live_server, page) -> None:
    world = build_world()
    _town_catalogue_in_force(world)
    entry = Entry.objects.get(version__catalogue__org=world.town, number="1")
    original = actions.disclosure_create(
        actor=world.officer,
        org=world.town,
        data=item_data(title="镇党委关于党费收缴的公示"),
        entry_id=entry.pk,
    )
    actions.disclosure_submit(actor=world.officer, item=original)
    for who in (world.reviewer, world.secrecy, world.leader):
        actions.disclosure_approve(actor=who, item=original, opinion="同意")
    actions.disclosure_publish(actor=world.officer, item=original)
    village_officer = UserFactory.create(username="vofficer", real_name="村专员")
    grant(village_officer, world.village, Role.OFFICER)

    base = live_server.url
    _login(page, base, "vofficer")
    page.goto(f"{base}/staff/disclosures/{original.pk}/")
    page.click("#disclosure-repost")
    page.locator("#repost-form").wait_for()
    page.check("input[name=scope][value=party]")
    with page.expect_navigation():
        page.click("#repost-form-submit")
    copy = Disclosure.objects.get(reposted_from=original)
    assert page.url == f"{base}/staff/disclosures/{copy.pk}/"
    assert "已转载为某某村党支部的草稿" in page.locator(".messages").inner_text()
    assert (copy.org_id, copy.scope, copy.status) == (world.village.pk, "party", ItemStatus.DRAFT)
    assert page.locator("#disclosure-status").inner_text().strip() == "草稿"
