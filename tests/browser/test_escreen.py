"""The e-screen (电子屏) in a real browser: it shows the first slide in large type, rotates to the
next after `?seconds`, and picks up a newly published item (and drops a withdrawn one) from
screen.json without reloading, keeping one timer and the same number of DOM nodes. Without
JavaScript it is a static list; with reduced motion it does not animate."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from gongkai.disclosures.models import Disclosure, Revision
from gongkai.orgs.models import Org
from gongkai.testing import build_world
from tests.portal.factories import publish, withdraw

T = TypeVar("T")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the page's pending timeouts and any interval, to prove the script keeps one timer.
TIMER_PROBE = """
(() => {
  const pending = new Set();
  const setT = window.setTimeout, clearT = window.clearTimeout, setI = window.setInterval;
  window.__timers = { pending, intervals: 0 };
  window.setTimeout = function (fn, ms, ...args) {
    const id = setT(function () { pending.delete(id); fn(...args); }, ms);
    pending.add(id);
    return id;
  };
  window.clearTimeout = function (id) { pending.delete(id); clearT(id); };
  window.setInterval = function (...args) { window.__timers.intervals++; return setI(...args); };
})();
"""


def retried(write: Callable[[], T]) -> T:
    """`write` in one transaction, tried again while the live server's thread, reading
    screen.json, holds the in-memory SQLite test database's table lock."""
    for _attempt in range(50):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.1)
    raise AssertionError("the test database stayed locked")


def on_screen(org: Org, title: str, minutes_ago: int) -> Disclosure:
    def write() -> Disclosure:
        item = publish(org, title, go_live_at=timezone.now() - timedelta(minutes=minutes_ago))
        Revision.objects.filter(pk=item.published_revision_id).update(channels=["portal", "e_screen"])
        return item

    return retried(write)


@pytest.fixture
def screen(browser: Any) -> Iterator[Any]:
    def open_page(**options: Any) -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.add_init_script(TIMER_PROBE)
        return page

    contexts: list[Any] = []
    yield open_page
    for context in contexts:
        context.close()


def _title(page: Any) -> str:
    return page.locator("#escreen-title").inner_text().strip()


def _wait_title(page: Any, title: str, timeout: int = 20_000) -> None:
    page.wait_for_function(
        "t => document.getElementById('escreen-title').textContent === t", arg=title, timeout=timeout
    )


def _nodes(page: Any) -> int:
    return page.evaluate("document.getElementsByTagName('*').length")


def test_screen_rotates_and_swaps_in_new_data_without_growing(live_server, screen) -> None:
    world = build_world()
    older = on_screen(world.town, "电子屏上较早的事项", 120)
    newer = on_screen(world.town, "电子屏上较新的事项", 60)
    publish(world.town, "党内事项不上电子屏", scope="party")
    page = screen()
    page.goto(f"{live_server.url}/orgs/town/screen/?seconds=5&refresh=10")

    assert _title(page) == newer.title  # newest first, there at once (no fetch needed)
    assert page.locator("#escreen-counter").inner_text() == "1 / 2"
    assert page.locator("#escreen-org-name").inner_text() == "某某镇党委"
    assert page.locator("#escreen-list").count() == 0  # the no-script list is gone
    size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('escreen-title')).fontSize)")
    assert size >= 48
    assert page.locator("#escreen-time").inner_text().count(":") == 1
    nodes = _nodes(page)

    _wait_title(page, older.title, timeout=9_000)  # rotated after ~5 s
    assert page.locator("#escreen-counter").inner_text() == "2 / 2"

    fresh = on_screen(world.town, "刚发布的电子屏事项", 1)
    page.wait_for_function("document.getElementById('escreen-counter').textContent.endsWith('/ 3')")
    _wait_title(page, fresh.title)
    assert "党内事项不上电子屏" not in page.content()

    retried(lambda: withdraw(Disclosure.objects.get(pk=older.pk)))
    page.wait_for_function("document.getElementById('escreen-counter').textContent.endsWith('/ 2')")
    for _ in range(3):
        page.wait_for_timeout(2_000)
        assert _title(page) != older.title

    timers = page.evaluate("({pending: window.__timers.pending.size, intervals: window.__timers.intervals})")
    assert timers == {"pending": 1, "intervals": 0}
    assert _nodes(page) == nodes


def test_empty_screen_says_so(live_server, screen) -> None:
    build_world()
    page = screen()
    page.goto(f"{live_server.url}/orgs/town/screen/")
    assert _title(page) == "暂无公开信息"


def test_without_javascript_the_screen_is_a_static_list(live_server, screen) -> None:
    world = build_world()
    items = [on_screen(world.town, f"静态列表中的事项{n}", n) for n in (1, 2)]
    page = screen(java_script_enabled=False)
    page.goto(f"{live_server.url}/orgs/town/screen/")
    listed = page.locator("#escreen-list .escreen-list-title").all_inner_texts()
    assert listed == [items[0].title, items[1].title]
    assert not page.locator("#escreen-slide").is_visible()


def test_reduced_motion_rotates_without_animation(live_server, screen) -> None:
    world = build_world()
    first, second = on_screen(world.town, "第一屏", 2), on_screen(world.town, "第二屏", 1)
    page = screen(reduced_motion="reduce")
    page.goto(f"{live_server.url}/orgs/town/screen/?seconds=5")
    assert _title(page) == second.title
    page.wait_for_function("document.getElementById('escreen-title').textContent === '第一屏'", timeout=9_000)
    assert page.evaluate("document.getAnimations().length") == 0
    assert _title(page) == first.title
