"""The look: accessible layouts, vendored assets only, the workspace home, the portal home."""

from __future__ import annotations

import re

import pytest

from gongkai.testing import make_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_public_pages_are_accessible_chinese_pages(client, world, url):
    page = client.get(url).content.decode()
    assert '<html lang="zh-CN">' in page
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in page
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"'):
        assert landmark in page


def test_workspace_layout_has_landmarks_menu_and_logout(world, login):
    page = login(world.officer).get("/staff/").content.decode()
    assert '<html lang="zh-CN">' in page and 'href="#main"' in page and '<main id="main"' in page
    assert 'aria-label="工作台导航"' in page
    assert 'id="nav-home" aria-current="page"' in page
    for entry in ("组织架构", "人员", "审计日志", "导入组织", "导入人员", "个人资料"):
        assert entry in page
    assert 'href="/staff/import/orgs/"' in page and 'href="/staff/import/people/"' in page
    assert re.search(r'<form method="post" action="/accounts/logout/"', page)
    assert "王专员" in page


def test_nothing_loads_from_another_site(world, login):
    page = login(world.officer).get("/staff/orgs/town/").content.decode()
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not attribute.startswith(("http:", "https:", "//")), attribute
    assert "/static/vendor/htmx/htmx.min.js" in page


@pytest.mark.parametrize("path", ["/static/vendor/htmx/htmx.min.js", "/static/gongkai/css/base.css",
                                  "/static/gongkai/css/workspace.css", "/static/gongkai/css/portal.css"])
def test_static_files_are_served(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 500


def test_site_footer_and_name_come_from_settings(client, world, settings):
    settings.SITE_NAME = "某某县党务公开网"
    settings.SITE_FOOTER = "中共某某县委组织部主办"
    page = client.get("/").content.decode()
    assert "某某县党务公开网" in page and "中共某某县委组织部主办" in page


def test_workspace_home_lists_the_users_orgs_and_roles(world, login):
    page = login(world.officer).get("/staff/").content.decode()
    assert 'href="/staff/orgs/town/"' in page and "公开专员" in page
    assert 'id="no-roles"' not in page


def test_workspace_home_of_a_plain_member_is_friendly(world, login):
    response = login(world.member).get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="no-roles"' in page and "您目前没有管理角色" in page
    assert 'id="nav-audit"' not in page


def test_portal_home_lists_active_top_orgs_and_their_children(client, world):
    gone = make_org("gone", "已撤销的局", world.county, is_active=False)
    page = client.get("/").content.decode()
    assert "某某县委" in page and "某某镇党委" in page and "县教育局党组" in page
    assert gone.name not in page
    assert "某某村党支部" not in page  # the directory stops at the second level for now
    assert 'href="/accounts/login/"' in page


def test_error_pages_are_chinese(world, login):
    client = login(world.reviewer)
    assert "无权执行此操作" in client.get("/staff/orgs/town/edit/").content.decode()
    assert "未找到该页面" in client.get("/staff/orgs/village/").content.decode()
