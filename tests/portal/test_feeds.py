"""RSS, Atom and the sitemap carry exactly the public live items (parsed as feed readers do),
and the API without a token lists exactly the same items."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure
from tests.disclosures.conftest import DW, approved, dw  # noqa: F401 -- the fixture

pytestmark = pytest.mark.django_db


def _published(dw: DW, **overrides: object) -> Disclosure:  # noqa: F811
    return actions.disclosure_publish(actor=dw.w.officer, item=approved(dw, **overrides))


@pytest.fixture
def corpus(dw: DW) -> dict[str, Disclosure]:  # noqa: F811
    now = timezone.now()
    items = {
        "public": _published(dw, title="公开的党费收缴情况", category="党费收缴"),
        "other_category": _published(dw, title="公开的组织生活情况", category="组织生活"),
        "party": _published(dw, title="党内的民主评议结果", scope="party"),
        "scheduled": _published(dw, title="将来上线的事项", go_live_at=(now + timedelta(days=2)).isoformat()),
        "ended": _published(
            dw, title="已过展示期的事项", display_until=(now + timedelta(seconds=1)).isoformat()
        ),
        "staged": _published(
            dw, title="先党内后党外的事项", scope="party", public_from=(now + timedelta(days=3)).isoformat()
        ),
    }
    withdrawn = _published(dw, title="已撤销的事项")
    actions.disclosure_withdraw(actor=dw.w.officer, item=withdrawn, explanation="重复")
    actions.disclosure_approve(
        actor=dw.w.leader, item=Disclosure.objects.get(pk=withdrawn.pk), opinion="同意"
    )
    items["withdrawn"] = withdrawn
    Disclosure.objects.filter(pk=items["ended"].pk).update(display_until=now - timedelta(minutes=1))
    return items


def _xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 -- our own server's answer, in a test


def _titles(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception  # well-formed XML of a known feed format
    return {entry.title for entry in parsed.entries}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_carry_exactly_the_public_live_items(
    corpus: dict[str, Disclosure],
    client: Client,
    dw: DW,  # noqa: F811
    kind: str,
) -> None:
    expected = {corpus["public"].title, corpus["other_category"].title}
    assert _titles(client, f"/feed.{kind}") == expected
    assert _titles(client, f"/orgs/town/feed.{kind}") == expected
    assert _titles(client, f"/orgs/county/feed.{kind}") == set()
    assert _titles(client, f"/orgs/village/feed.{kind}") == set()  # any depth has its feed
    assert _titles(client, f"/feed.{kind}?category=党费收缴") == {corpus["public"].title}
    # A signed-in member still gets the public feed: feed URLs are shared and cached.
    client.force_login(dw.w.member)
    assert _titles(client, f"/orgs/town/feed.{kind}") == expected


def test_feed_format_details(corpus: dict[str, Disclosure], client: Client) -> None:
    rss = client.get("/feed.rss")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "public" in rss["Cache-Control"] and "Cookie" in rss["Vary"]
    parsed = feedparser.parse(rss.content)
    assert parsed.version == "rss20"
    entry = next(e for e in parsed.entries if e.title == corpus["public"].title)
    assert entry.link.endswith(f"/items/{corpus['public'].index_number}/")
    assert entry.id == corpus["public"].index_number
    assert "全体党员" in entry.summary and "<p>" not in entry.summary
    assert entry.published_parsed is not None
    assert [t.term for t in entry.tags] == ["党费收缴"]
    atom = feedparser.parse(client.get("/feed.atom").content)
    assert atom.version == "atom10"
    assert atom.feed.title.endswith("党务公开") and len(atom.entries) == 2
    assert all(e.author == "某某镇党委" for e in atom.entries)


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/nosuch/feed.rss",
        "/orgs/nosuch/feed.atom",
        "/feed.rss?category=" + "长" * 65,
        "/feed.atom?category=a%01b",
    ],
)
def test_unknown_org_or_absurd_category_is_404(
    corpus: dict[str, Disclosure], client: Client, url: str
) -> None:
    assert client.get(url).status_code == 404


def test_sitemap_lists_exactly_the_public_live_items(corpus: dict[str, Disclosure], client: Client) -> None:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sections = [loc.text for loc in _xml(index.content).findall("s:sitemap/s:loc", ns)]
    assert any(s and "sitemap-items.xml" in s for s in sections)
    items = client.get("/sitemap-items.xml")
    locations = {loc.text for loc in _xml(items.content).findall("s:url/s:loc", ns)}
    expected = {corpus["public"].index_number, corpus["other_category"].index_number}
    assert {str(loc).rstrip("/").rsplit("/", 1)[-1] for loc in locations} == expected
    orgs = client.get("/sitemap-orgs.xml")
    assert b"/orgs/town/" in orgs.content and b"/orgs/village/" in orgs.content


def test_api_without_a_token_lists_exactly_the_public_live_items(corpus: dict[str, Disclosure]) -> None:
    client = Client()
    response = client.get("/api/v1/disclosures?limit=100")
    assert response.status_code == 200
    listed = {row["index_number"] for row in response.json()["items"]}
    assert listed == {corpus["public"].index_number, corpus["other_category"].index_number}
