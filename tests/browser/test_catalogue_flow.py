"""The catalogue flow in a real browser: a village officer builds the catalogue from the
template (edits one entry, adds one), the village's leader approves it, the officer files it
with the superior, and the county's officer acknowledges it: the catalogue is in force."""

from __future__ import annotations

import pytest

from gongkai.catalogue.models import CatalogueVersion
from gongkai.catalogue.templates import load_templates
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, build_world, grant
from tests.browser.helpers import login as _login
from tests.browser.helpers import logout as _logout
from tests.catalogue.helpers import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_builds_leader_approves_superior_acknowledges(live_server, page):
    world = build_world()
    load_templates(directory=FIXTURES)
    officer = UserFactory.create(username="vofficer", real_name="村专员")
    grant(officer, world.village, Role.OFFICER)
    leader = UserFactory.create(username="vleader", real_name="村书记")
    grant(leader, world.village, Role.LEADER)
    county_officer = UserFactory.create(username="cofficer", real_name="县专员")
    grant(county_officer, world.county, Role.OFFICER)
    base = live_server.url
    catalogue_url = f"{base}/staff/orgs/village/catalogue/"

    _login(page, base, "vofficer")
    page.goto(catalogue_url)
    page.click("#catalogue-create")
    page.locator("#entries").wait_for()
    assert page.locator("#version-status").inner_text().strip() == "草稿"

    # Edit the first entry's content.
    page.locator("[id^=entry-edit-]").first.click()
    page.fill("#id_content", "委员分工及联系方式（浏览器测试修改）")
    page.click("#entry-form-submit")
    page.locator("#entries").wait_for()
    assert "浏览器测试修改" in page.locator("#entries").inner_text()

    # Add an entry of its own.
    page.click("#entry-new")
    page.fill("#id_number", "9")
    page.fill("#id_item", "村级重大事项决策")
    page.fill("#id_content", "“四议两公开”决策过程和结果")
    page.select_option("#id_scope", "party")
    page.select_option("#id_timing", "prompt")
    page.fill("#id_within_workdays", "5")
    page.check("input[name=channels][value=bulletin_board]")
    page.click("#entry-form-submit")
    page.locator("#entries").wait_for()
    assert "村级重大事项决策" in page.locator("#entries").inner_text()
    _logout(page)

    _login(page, base, "vleader")
    page.goto(catalogue_url)
    page.click("#catalogue-approve")
    page.click("#act-submit")
    page.locator("#version-status").wait_for()
    assert page.locator("#version-status").inner_text().strip() == "已审批"
    _logout(page)

    _login(page, base, "vofficer")
    page.goto(catalogue_url)
    page.click("#catalogue-file")
    page.click("#act-submit")
    page.locator("#version-status").wait_for()
    assert page.locator("#version-status").inner_text().strip() == "已报备"
    _logout(page)

    _login(page, base, "cofficer")
    page.goto(f"{base}/staff/catalogue/")
    assert "某某村党支部" in page.locator("main").inner_text()
    page.goto(catalogue_url)
    page.click("#catalogue-acknowledge")
    page.click("#act-submit")
    page.locator("#version-status").wait_for()
    assert page.locator("#version-status").inner_text().strip() == "生效中"

    version = CatalogueVersion.objects.get(catalogue__org=world.village)
    assert version.status == "in_force"
    assert version.entries.filter(item="村级重大事项决策").exists()
