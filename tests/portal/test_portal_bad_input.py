"""Bad input anywhere on the portal (page numbers, filters, search text, paths) is a 400 or a
404 with a Chinese page, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.portal.factories import publish

pytestmark = pytest.mark.django_db

LIST_URLS = ["/", "/items/", "/orgs/", "/orgs/town/", "/orgs/town/catalogue/", "/guide/", "/me/disclosures/",
             "/search/", "/feed.rss", "/orgs/town/feed.atom", "/sitemap.xml", "/orgs/town/bulletin/",
             "/orgs/town/screen/", "/orgs/town/screen.json"]


@pytest.mark.parametrize(
    ("url", "query", "reason"),
    [
        ("/items/", {"from": "2026-13-01"}, "起始日期格式不正确"),
        ("/items/", {"to": "明天"}, "截止日期格式不正确"),
        ("/orgs/town/", {"from": "2026-03-10", "to": "2026-03-01"}, "起始日期不能晚于截止日期"),
        ("/orgs/town/", {"from": "0001-01-01"}, "日期须在 1900 年到 2200 年之间"),
        ("/orgs/town/", {"to": "9999-12-31"}, "日期须在 1900 年到 2200 年之间"),
        ("/items/", {"page": "abc"}, "页码须是正整数"),
        ("/items/", {"page": "0"}, "页码须是正整数"),
        ("/items/", {"page": "-3"}, "页码须是正整数"),
        ("/items/", {"page": "9" * 5000}, "页码"),
        ("/items/", {"page": "1000001"}, "页码太大"),
        ("/orgs/", {"q": "村" * 51}, "查找的组织名称最多 50 个字"),
        ("/orgs/", {"q": "村\x00"}, "空字符"),
        ("/items/", {"category": "x" * 65}, "类别最多 64 个字"),
    ],
)
def test_bad_query_values_get_a_chinese_400(client, world, url, query, reason):
    response = client.get(url, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="zh-CN">' in page and "请求有误" in page and reason in page


def test_a_page_past_the_end_is_404(client, world):
    publish(world.town)
    assert client.get("/items/", {"page": 1}).status_code == 200
    assert client.get("/items/", {"page": 2}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/nobody/",
        "/orgs/%00/",
        "/orgs/..%2F/",
        "/orgs/a%20b/",
        "/orgs/" + "a" * 41 + "/",
        "/items/nobody-2026-00001/",
        "/items/%00/",
        "/items/%E5%85%9A/",
        "/items/" + "1" * 65 + "/",
        "/items/town-2026-00001/files/abc/",
        "/items/town-2026-00001/files/1/",
        "/orgs/town/catalogue/x/",
    ],
)
def test_bad_paths_are_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


query_text = st.text(st.characters(codec="utf-8"), max_size=80)
queries = st.dictionaries(
    st.sampled_from(["q", "from", "to", "page", "category", "org", "subtree", "scope", "paper", "seconds",
                     "refresh"]),
    query_text, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LIST_URLS), query=queries)
def test_any_query_string_is_answered_without_an_error(client, world, url, query):
    response = client.get(url, query)
    assert response.status_code in (200, 302, 400, 404), (url, query)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(["/orgs/", "/items/", "/orgs/town/", "/items/x-2026-00001/files/"]),
    segment=st.text(st.characters(codec="utf-8"), min_size=1, max_size=80),
)
def test_any_path_is_answered_without_an_error(client, world, prefix, segment):
    response = client.get(prefix + quote(segment, safe="") + "/")
    assert response.status_code in (200, 301, 302, 404), (prefix, segment)
