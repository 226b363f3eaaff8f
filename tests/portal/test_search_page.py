"""The portal's search page: Chinese substring matches through the gate, filters, highlighting,
bounds and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.disclosures import search_docs
from gongkai.disclosures.models import Disclosure
from gongkai.testing import World
from tests.portal.factories import publish

pytestmark = pytest.mark.django_db


def indexed(item: Disclosure) -> Disclosure:
    search_docs.sync(Disclosure.objects.select_related("org", "published_revision").get(pk=item.pk))
    return item


def found(client: Client, query: str) -> list[str]:
    response = client.get(f"/search/?{query}")
    assert response.status_code == 200, response.content[:400]
    return re.findall(r'href="/items/([^/]+)/"', response.content.decode())


@pytest.fixture
def corpus(world: World) -> dict[str, Disclosure]:
    now = timezone.now()
    return {
        "lake": indexed(publish(world.town, "关于鄱阳湖禁渔期的公告", body="<p>禁渔期自三月起。</p>")),
        "fees": indexed(
            publish(world.village, "党费收缴情况公示", body="<p>本季度党费已全部收缴。</p>", category="党费")
        ),
        "party": indexed(publish(world.town, "鄱阳湖湿地保护党内通报", scope="party")),
        "old": indexed(publish(world.county, "往年鄱阳湖治理情况", go_live_at=now - timedelta(days=400))),
        "future": indexed(publish(world.town, "将来公布的鄱阳湖方案", go_live_at=now + timedelta(days=2))),
    }


def test_two_characters_match_inside_longer_words_and_results_pass_the_gate(
    corpus: dict[str, Disclosure], client: Client, world: World
) -> None:
    anonymous = found(client, "q=鄱阳")
    assert set(anonymous) == {corpus["lake"].index_number, corpus["old"].index_number}
    assert found(client, "q=鄱阳")[0] == corpus["lake"].index_number  # newest first among title hits
    client.force_login(world.member)  # a member of the village under the town: sees its party items
    member = found(client, "q=鄱阳")
    assert corpus["party"].index_number in member and corpus["future"].index_number not in member


def test_highlight_and_snippet_are_escaped_and_marked(corpus: dict[str, Disclosure], client: Client) -> None:
    html = client.get("/search/?q=收缴").content.decode()
    assert "<mark>收缴</mark>" in html and "共 1 条" in html
    script = indexed(publish(corpus["lake"].org, "<script>alert(1)</script>通知"))
    html = client.get("/search/?q=alert").content.decode()
    assert script.index_number in html and "<script>alert" not in html and "&lt;script&gt;" in html


def test_filters_org_subtree_category_scope_and_dates(
    corpus: dict[str, Disclosure], client: Client, world: World
) -> None:
    assert found(client, "q=鄱阳&org=town") == [corpus["lake"].index_number]
    assert set(found(client, "q=党费&org=town&subtree=1")) == {corpus["fees"].index_number}
    assert found(client, "q=党费&org=town") == []  # the village's item is below the town
    assert found(client, "q=党费&category=党费") == [corpus["fees"].index_number]
    assert found(client, "q=党费&category=其他") == []
    assert found(client, "q=鄱阳&scope=party") == []  # anonymous: the party item stays hidden
    last_year = (timezone.localdate() - timedelta(days=300)).isoformat()
    assert found(client, f"q=鄱阳&to={last_year}") == [corpus["old"].index_number]
    assert found(client, f"q=鄱阳&from={last_year}") == [corpus["lake"].index_number]


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "长" * 51,
        "q=a b c d e f g h i",
        "q=x&from=2026-13-01",
        "q=x&scope=secret",
        "q=x&page=0",
        "q=x&from=2026-05-01&to=2026-04-01",
        "q=x&org=" + "%00",
    ],
)
def test_bad_input_is_a_chinese_400(corpus: dict[str, Disclosure], client: Client, query: str) -> None:
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert "<h1" in response.content.decode() and 'lang="zh' in response.content.decode()


def test_unknown_org_and_page_past_the_end_are_404(corpus: dict[str, Disclosure], client: Client) -> None:
    assert client.get("/search/?q=鄱阳&org=nosuch").status_code == 404
    assert client.get("/search/?q=鄱阳&page=2").status_code == 404


def test_empty_or_punctuation_only_queries_find_nothing_without_error(
    corpus: dict[str, Disclosure], client: Client
) -> None:
    for query in ("", "q=", "q=%20%20", "q=，。！"):
        response = client.get(f"/search/?{query}")
        assert response.status_code == 200
        assert 'id="search-hits"' not in response.content.decode()


def test_anonymous_results_are_cacheable_and_members_are_not(
    corpus: dict[str, Disclosure], client: Client, world: World
) -> None:
    assert "public" in client.get("/search/?q=鄱阳")["Cache-Control"]
    client.force_login(world.member)
    response = client.get("/search/?q=鄱阳")
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]
