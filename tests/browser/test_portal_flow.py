"""The portal in a real browser, on a 375 px phone screen: an anonymous visitor opens the home,
the directory, an org and an item (its metadata block), never scrolling sideways and never
seeing a party item; then a party member logs in, finds the party item in 我的公开 marked
unread, opens it, and the marker is gone."""

from __future__ import annotations

import pytest

from gongkai.testing import PASSWORD, build_world
from tests.portal.factories import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_visitor_reads_on_a_phone_then_a_member_reads_a_party_item(live_server, page):
    world = build_world()
    world.town.address, world.town.phone, world.town.office_hours = (
        "城关路1号",
        "0791-1234567",
        "工作日 9:00-17:00",
    )
    world.town.save()
    public = publish(
        world.town,
        "某某镇党委关于2026年上半年党费收缴、使用和管理情况的公开（一个足够长的标题）",
        doc_number="镇党发〔2026〕12号",
        category="党的组织管理情况",
    )
    party = publish(world.village, "某某村党支部发展党员对象公示", scope="party", notice_workdays=5)
    base = live_server.url
    page.set_viewport_size(PHONE)

    page.goto(f"{base}/")
    assert page.locator("#latest-list").get_by_text(public.title).is_visible()
    assert party.title not in page.content()
    _no_sideways_scroll(page)

    page.click("#nav-directory")
    page.wait_for_url(f"{base}/orgs/")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="某某镇党委").first.click()
    page.wait_for_url(f"{base}/orgs/town/")
    assert "城关路1号" in page.locator("#guide").inner_text()
    _no_sideways_scroll(page)

    page.locator("#org-items").get_by_role("link", name=public.title).click()
    page.wait_for_url(f"{base}/items/{public.index_number}/")
    meta = page.locator("#item-meta")
    assert meta.is_visible()
    assert page.locator("#meta-index").inner_text().strip() == public.index_number
    assert "镇党发〔2026〕12号" in meta.inner_text() and "向社会公开" in meta.inner_text()
    _no_sideways_scroll(page)

    page.goto(f"{base}/items/{party.index_number}/")
    assert "未找到" in page.locator("main").inner_text()

    page.goto(f"{base}/me/disclosures/")  # asks to log in, then comes back here
    page.fill("#id_username", "member")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/me/disclosures/")
    marker = page.locator(f"#unread-{party.index_number}")
    assert marker.is_visible() and marker.inner_text().strip() == "未读"
    _no_sideways_scroll(page)

    page.locator("#my-items").get_by_role("link", name=party.title).click()
    page.wait_for_url(f"{base}/items/{party.index_number}/")
    assert page.locator("#notice-countdown").is_visible()
    page.click("#nav-my")
    page.wait_for_url(f"{base}/me/disclosures/")
    assert page.locator(f"#unread-{party.index_number}").count() == 0
    assert page.locator("#my-items").get_by_role("link", name=party.title).is_visible()
