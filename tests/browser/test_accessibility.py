"""The public pages and the login page pass axe-core's WCAG 2.0/2.1 A and AA rules with no
serious or critical violation, and can be used from the keyboard alone (skip link first, focus
visible, the main content reachable)."""

from __future__ import annotations

import pytest

from gongkai.disclosures import actions
from gongkai.testing import World
from tests.browser.axe import blocking
from tests.disclosures.conftest import DW, approved, dw  # noqa: F401 -- the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(dw: DW) -> str:  # noqa: F811
    item = approved(dw, title="关于2026年第三季度党费收缴情况的公示", category="党费收缴", notice_workdays=5)
    actions.disclosure_publish(actor=dw.w.officer, item=item)  # indexed for search as it goes out
    return item.index_number


def _pages(index_number: str) -> list[str]:
    return [
        "/",
        "/orgs/",
        "/orgs/town/",
        f"/items/{index_number}/",
        "/search/?q=党费",
        "/guide/",
        "/accounts/login/",
    ]


def test_public_pages_have_no_serious_or_critical_violation(page, live_server, published: str) -> None:
    problems: dict[str, list[str]] = {}
    for path in _pages(published):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        found = blocking(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_keyboard_alone_reaches_the_content(page, live_server, published: str, world: World) -> None:
    page.goto(f"{live_server.url}/orgs/town/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({href: document.activeElement.getAttribute('href')})")
    assert focused["href"] and focused["href"].startswith("#"), focused  # the skip link comes first
    # The focused element is visibly outlined (no `outline: none` without a replacement).
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    page.keyboard.press("Enter")
    target = focused["href"][1:]
    assert page.evaluate("(id) => document.getElementById(id) !== null", target)
    # Tabbing on from the main content reaches the item's link without a mouse.
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        if f"/items/{published}/" in href:
            break
    else:
        pytest.fail("the item link was not reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/items/{published}/")


def test_the_check_finds_a_real_violation(page) -> None:
    """The check can fail: a page with an unlabelled form field and an image without text."""
    page.set_content(
        '<html lang="zh-CN"><head><title>x</title></head><body><main>'
        '<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    found = blocking(page)
    assert any(line.startswith("label") for line in found), found
    assert any(line.startswith("image-alt") for line in found), found
