"""The disclosure procedure in a real browser: the town's officer proposes an item from an entry
of the town's catalogue and submits it; the reviewer finds it in 我的待办 and passes it; the
secrecy reviewer passes it; the leader approves it (recording the meeting); the officer
publishes it. An anonymous visitor then reads it through the API; a second, party-scoped item,
published through the actions, stays 404 to that visitor.

The catalogue is put in force through the actions (test_catalogue_flow walks that part)."""

from __future__ import annotations

import pytest

from gongkai.catalogue import actions as catalogue_actions
from gongkai.catalogue.models import Entry
from gongkai.catalogue.templates import load_templates
from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, World, build_world, grant
from tests.browser.helpers import login as _login
from tests.browser.helpers import logout as _logout
from tests.catalogue.helpers import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _town_catalogue_in_force(world: World) -> None:
    load_templates(directory=FIXTURES)
    county_officer = UserFactory.create(username="cofficer", real_name="县专员")
    grant(county_officer, world.county, Role.OFFICER)
    version = catalogue_actions.catalogue_create_from_template(actor=world.officer, org=world.town)
    catalogue_actions.version_approve(actor=world.leader, version=version)
    catalogue_actions.version_file(actor=world.officer, version=version)
    catalogue_actions.version_acknowledge(actor=county_officer, version=version)


def _status(page) -> str:
    return page.locator("#disclosure-status").inner_text().strip()


def _pass_from_inbox(page, base: str, username: str, title: str, redact: bool = False, **fields: str) -> None:
    _login(page, base, username)
    assert page.locator("#nav-tasks-count").inner_text().strip() == "1"
    page.click("#nav-tasks")
    page.locator("#tasks").get_by_role("link", name=title).click()
    page.locator("#approve-form").wait_for()
    if redact:  # the ID number screening found: masked in one click, as a new revision
        assert "身份证号" in page.locator("#findings").inner_text()
        with page.expect_navigation():
            page.locator("#findings button[id^=redact-]").click()
        assert "110105********002X" in page.locator("#disclosure-body").inner_text()
        assert "11010519491231002X" not in page.content()
    for selector, value in {"#id_approve-opinion": "同意", **fields}.items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.click("#disclosure-approve")
    assert "已通过" in page.locator(".messages").inner_text()
    _logout(page)


def test_officer_proposes_reviewers_pass_leader_approves_officer_publishes(live_server, page, browser):
    world = build_world()
    _town_catalogue_in_force(world)
    entry = Entry.objects.get(version__catalogue__org=world.town, number="1")
    base = live_server.url
    title = "2026年上半年学习贯彻党中央决策部署情况"

    _login(page, base, "officer")
    page.click("#nav-disclosures")
    page.click("#disclosure-new-town")
    page.select_option("#id_entry", str(entry.pk))
    page.fill("#id_title", title)
    page.fill("#id_body", "<p>镇党委上半年组织专题学习6次。联系人身份证11010519491231002X。</p>"
                          "<script>alert(1)</script>")
    page.check("input[name=scope][value=public]")
    page.check("input[name=channels][value=portal]")
    page.check("input[name=channels][value=bulletin_board]")
    with page.expect_navigation():
        page.click("#disclosure-form-submit")
    assert _status(page) == "草稿"
    assert page.locator("#disclosure-body").inner_text().strip() == \
        "镇党委上半年组织专题学习6次。联系人身份证11010519491231002X。"
    with page.expect_navigation():
        page.click("#disclosure-submit")
    assert _status(page) == "审批中"
    _logout(page)

    _pass_from_inbox(page, base, "reviewer", title)
    _pass_from_inbox(page, base, "secrecy", title, redact=True)
    _pass_from_inbox(page, base, "leader", title, **{
        "#id_approve-meeting_name": "镇党委会", "#id_approve-meeting_date": "2026-03-02",
        "#id_approve-meeting_attendees": "张书记等7人", "#id_approve-meeting_result": "同意公开"})

    item = Disclosure.objects.get(title=title)
    _login(page, base, "officer")
    page.goto(f"{base}/staff/disclosures/{item.pk}/")
    assert _status(page) == "已批准，待发布"
    assert "镇党委会" in page.locator("#steps").inner_text()
    with page.expect_navigation():
        page.click("#disclosure-publish")
    assert _status(page) == "已发布"
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.entry_id == entry.pk

    # A second item, party-scoped (entry 2 is 党内公开), published through the actions.
    party = actions.disclosure_create(
        actor=world.officer, org=world.town, entry_id=Entry.objects.get(version=entry.version, number="2").pk,
        data={"title": "干部任免公示（党内）", "body": "<p>拟任人选……</p>", "scope": "party",
              "channels": ["meeting"]})
    actions.disclosure_submit(actor=world.officer, item=party)
    for who in (world.reviewer, world.secrecy, world.leader):
        actions.disclosure_approve(actor=who, item=party, opinion="同意")
    actions.disclosure_publish(actor=world.officer, item=party)

    anonymous = browser.new_context()
    try:
        response = anonymous.request.get(f"{base}/api/v1/disclosures/{item.pk}")
        assert response.status == 200
        assert response.json()["title"] == title and response.json()["status"] == "published"
        assert anonymous.request.get(f"{base}/api/v1/disclosures/{party.pk}").status == 404
    finally:
        anonymous.close()
