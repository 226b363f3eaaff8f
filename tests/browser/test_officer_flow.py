"""The main staff flow in a real browser: an officer signs in, browses the tree (htmx expands a
node), opens an org, uploads a people file with one bad row, sees the row report, and nothing
was imported."""

from __future__ import annotations

import pytest

from gongkai.people.models import User
from gongkai.testing import PASSWORD, build_world, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE_CSV = (
    "username,real_name,org_code,affiliation,roles,email,phone\n"
    "zhangsan,张三,village,member,,zhangsan@example.org,13800138000\n"
    "lisi,李四,village,member,reviewer,lisi@example.org,12345\n"
    "wangwu,王五,village2,staff,,wangwu@example.org,\n"
)


def test_officer_browses_tree_and_sees_bad_row_report(live_server, page, tmp_path):
    world = build_world()
    make_org("group1", "第一党小组", world.village)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.click("#nav-orgs")
    tree = page.locator("#org-tree")
    tree.locator("#node-town").wait_for()
    assert tree.locator("#node-village2").is_visible()
    # The village's children are not in the page until its node is opened (htmx loads them).
    assert page.locator("#node-group1").count() == 0
    page.locator("#node-village > details > summary").click()
    page.locator("#node-group1").wait_for()
    assert "第一党小组" in page.locator("#node-group1").inner_text()

    page.locator("#node-group1 a").first.click()
    page.wait_for_url(f"{live_server.url}/staff/orgs/group1/")
    breadcrumbs = page.locator("nav.breadcrumbs").first.inner_text()
    assert "某某镇党委" in breadcrumbs and "某某村党支部" in breadcrumbs

    upload = tmp_path / "people.csv"
    upload.write_text(PEOPLE_CSV, encoding="utf-8")
    page.click("#nav-import-people")
    page.set_input_files("input[type=file]", str(upload))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    report = page.locator("#import-errors")
    report.wait_for()
    rows = report.locator("tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0].strip() == "3"          # Excel row number: header is row 1
    assert "phone" in cells[1] or "手机" in cells[1] or "电话" in cells[1]
    assert "未导入" in page.content() or "没有导入" in page.content()
    assert not User.objects.filter(username__in=["zhangsan", "lisi", "wangwu"]).exists()
