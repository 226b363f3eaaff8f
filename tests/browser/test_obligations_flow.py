"""Obligations (应公开事项) in a real browser, after the catalogue comes into force: the county's
officer acknowledges the village's filed catalogue and obligations appear; the village officer
finds the village's obligations from the nav, reads how a due date crossing National Day was
counted, and records one done; the county's officer sees a subordinate's overdue obligation.

Drafting, approving and filing in the browser are covered by test_catalogue_flow; here they go
through the actions to keep the walk short. The in-force date is pinned to 2026-01-10 and the
obligations re-derived for 2026, so the due dates do not depend on the day the test runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.catalogue import actions, obligations
from gongkai.catalogue.models import CatalogueVersion, Obligation
from gongkai.catalogue.templates import load_templates
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, build_world, grant
from tests.browser.helpers import login as _login
from tests.browser.helpers import logout as _logout
from tests.catalogue.helpers import FIXTURES, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHLY_12 = {"kind": "periodic", "period": "monthly", "within_workdays": 12}
QUARTERLY_10 = {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
ROWS = [row(number="1", item="党费收缴", timing=MONTHLY_12),
        row(number="2", item="季度工作", timing=QUARTERLY_10)]
STATES = ("upcoming", "due_soon", "overdue", "fulfilled")


def _filter(page, *, org: str, subtree: bool, states: tuple[str, ...],
            due_from: str = "", due_to: str = "") -> None:
    form = page.locator("#obligation-filter")
    form.locator("#id_org").fill(org)
    form.locator("#id_subtree").set_checked(subtree)
    for state in STATES:
        form.locator(f"input[name=status][value={state}]").set_checked(state in states)
    form.locator("#id_due_from").fill(due_from)
    form.locator("#id_due_to").fill(due_to)
    with page.expect_navigation():
        page.click("#obligation-filter-submit")


def _ob(org, item: str, period: str) -> Obligation:
    return Obligation.objects.get(org=org, entry__item=item, period=period)


def test_obligations_appear_are_explained_recorded_and_overdue_seen_above(live_server, page):
    world = build_world()
    load_templates(directory=FIXTURES)
    officer = UserFactory.create(username="vofficer", real_name="村专员")
    grant(officer, world.village, Role.OFFICER)
    leader = UserFactory.create(username="vleader", real_name="村书记")
    grant(leader, world.village, Role.LEADER)
    county_officer = UserFactory.create(username="cofficer", real_name="县专员")
    grant(county_officer, world.county, Role.OFFICER)
    version = actions.catalogue_create_from_template(actor=officer, org=world.village)
    actions.entries_replace(actor=officer, version=version, rows=ROWS)
    actions.version_approve(actor=leader, version=version, change_explanation="按测试调整")
    actions.version_file(actor=officer, version=version)
    base = live_server.url

    # The superior acknowledges in the browser; the catalogue is in force and owes obligations.
    assert not Obligation.objects.filter(org=world.village).exists()
    _login(page, base, "cofficer")
    page.goto(f"{base}/staff/orgs/village/catalogue/")
    page.click("#catalogue-acknowledge")
    page.click("#act-submit")
    page.locator("#version-status").wait_for()
    assert page.locator("#version-status").inner_text().strip() == "生效中"
    assert Obligation.objects.filter(org=world.village).exists()
    _logout(page)

    # Pin the in-force date so that all of 2026 is owed, whatever today is.
    CatalogueVersion.objects.filter(pk=version.pk).update(
        acknowledged_at=datetime(2026, 1, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    obligations.derive(years=[2026])
    q3 = _ob(world.village, "季度工作", "2026-Q3")
    january = _ob(world.village, "党费收缴", "2026-01")

    _login(page, base, "vofficer")
    page.click("#nav-obligations")
    page.wait_for_url(f"{base}/staff/obligations/")
    # The first visit shows the officer's own organisation (and below), open obligations only.
    assert page.locator("h1").inner_text().strip() == "某某村党支部 · 应公开事项"
    assert page.locator("#id_org").input_value() == "village"
    assert not page.locator("input[name=status][value=fulfilled]").is_checked()

    # January's dues: 12 working days from Saturday 31 January cross the Spring Festival.
    _filter(page, org="village", subtree=False, states=STATES, due_from="2026-02-01", due_to="2026-02-28")
    row_jan = page.locator(f"#obligation-{january.pk}")
    assert row_jan.locator("time").get_attribute("datetime") == "2026-02-24"
    row_jan.locator("details.due-explain summary").click()
    assert "春节" in row_jan.locator("details.due-explain ol").inner_text()

    # Q3: 10 working days from 30 September cross National Day and the 10 October make-up day.
    _filter(page, org="village", subtree=False, states=STATES, due_from="2026-10-01", due_to="2026-10-31")
    row_q3 = page.locator(f"#obligation-{q3.pk}")
    assert "季度工作" in row_q3.inner_text() and "2026年第三季度" in row_q3.inner_text()
    assert row_q3.locator("time").inner_text().strip() == "2026-10-20"
    explain = row_q3.locator("details.due-explain")
    assert not explain.locator("ol").is_visible()
    explain.locator("summary").click()
    steps = explain.locator("ol").inner_text()
    assert "国庆节" in steps and "调休上班" in steps and "截止日：2026-10-20" in steps

    # Record it done; the page comes back with the same filter and the row is fulfilled.
    row_q3.locator(f"#note-{q3.pk}").fill("10月19日已在党务公开栏公开")
    with page.expect_navigation():
        row_q3.get_by_role("button", name="登记完成").click()
    assert "已登记完成：季度工作（2026年第三季度）" in page.locator(".messages").inner_text()
    assert "due_from=2026-10-01" in page.url
    row_q3 = page.locator(f"#obligation-{q3.pk}")
    assert row_q3.locator(".badge").inner_text().strip() == "已完成"
    assert "10月19日已在党务公开栏公开" in row_q3.inner_text()
    assert row_q3.locator(f"#note-{q3.pk}").count() == 0
    done = Obligation.objects.get(pk=q3.pk)
    assert done.fulfilled_by == officer and done.fulfilment_note == "10月19日已在党务公开栏公开"

    # Narrow screen: the table scrolls inside its wrapper; the page itself does not.
    page.set_viewport_size({"width": 375, "height": 800})
    widths = page.evaluate("""() => ({
        body: document.body.scrollWidth, doc: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
        wrap: document.querySelector('.table-wrap').getBoundingClientRect().right})""")
    assert widths["body"] <= widths["view"] and widths["doc"] <= widths["view"], widths
    assert widths["wrap"] <= widths["view"], widths
    page.set_viewport_size({"width": 1280, "height": 900})
    _logout(page)

    # One of the village's obligations is overdue as of yesterday: the county sees it.
    late = _ob(world.village, "党费收缴", "2026-12")
    Obligation.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    _login(page, base, "cofficer")
    page.click("#nav-obligations")
    page.wait_for_url(f"{base}/staff/obligations/")
    _filter(page, org="county", subtree=False, states=("overdue",))
    assert page.locator("#obligations-empty").is_visible()  # the county itself owes nothing
    _filter(page, org="county", subtree=True, states=("overdue",))
    row_late = page.locator(f"#obligation-{late.pk}")
    assert row_late.locator(".badge").inner_text().strip() == "已逾期"
    assert "某某村党支部" in row_late.inner_text() and "2026年12月" in row_late.inner_text()
    assert page.locator(f"#obligation-{q3.pk}").count() == 0  # fulfilled: not overdue
    badges = page.locator("#obligations .badge").all_inner_texts()
    assert badges and {b.strip() for b in badges} == {"已逾期"}
