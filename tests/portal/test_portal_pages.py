"""What the portal's pages show: home, directory, an org's page and catalogue, the item page
with its metadata block, the guide and the footer's site identity; accessible structure; query
counts pinned on the list pages."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from gongkai.catalogue import actions as catalogue_actions
from gongkai.catalogue.templates import load_templates
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, grant, make_org
from tests.catalogue.helpers import FIXTURES
from tests.portal.factories import publish, stored_file

pytestmark = pytest.mark.django_db

PAGES = ["/", "/orgs/", "/orgs/?q=村", "/orgs/town/", "/orgs/town/catalogue/", "/items/", "/guide/"]


class Structure(HTMLParser):
    """Headings in order, form controls and their labels, ids."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[str] = []
        self.labels: set[str] = set()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label" and a.get("for"):
            self.labels.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(str(a.get("id")))


def structure(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    return parser


@pytest.fixture
def town_items(world):
    now = timezone.now()
    return [
        publish(
            world.town,
            f"镇党委第{n}号公开事项",
            category="党的建设" if n % 2 else "干部工作",
            go_live_at=now - timedelta(days=n),
        )
        for n in range(1, 6)
    ]


@pytest.mark.parametrize("url", [*PAGES, "/items/town-2026-00001/"])
def test_pages_are_accessible_chinese_pages(client, world, town_items, url):
    if url.startswith("/items/town"):
        url = f"/items/{town_items[0].index_number}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and 'href="#main"' in html
    for landmark in ('role="banner"', "<nav", '<main id="main"', 'role="contentinfo"'):
        assert landmark in html
    parsed = structure(html)
    assert parsed.headings.count(1) == 1 and parsed.headings[0] == 1, parsed.headings
    for before, after in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{after} follows h{before}"
    assert all(control in parsed.labels for control in parsed.controls), parsed.controls
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate id"
    assert "csrfmiddlewaretoken" not in html  # nothing on an anonymous page varies by visitor


def test_home_shows_latest_items_categories_and_directory(client, world, town_items):
    page = client.get("/").content.decode()
    titles = re.findall(r'class="item-title" href="[^"]+">([^<]+)<', page.split('id="notices"')[0])
    assert titles == [i.title for i in town_items]  # newest first
    assert 'href="/items/?category=%E5%85%9A%E7%9A%84%E5%BB%BA%E8%AE%BE"' in page  # 党的建设
    assert '党的建设</a> <span class="count">（3）' in page
    assert 'href="/orgs/town/"' in page and 'href="/orgs/"' in page and 'href="/guide/"' in page


def test_directory_shows_the_tree_and_finds_orgs_by_name(client, world):
    make_org("gone", "已撤销的村党支部", world.town, is_active=False)
    page = client.get("/orgs/").content.decode()
    assert 'href="/orgs/county/"' in page and 'href="/orgs/town/"' in page
    found = client.get("/orgs/?q=村党支部").content.decode()
    assert "某某村党支部" in found and "另一村党支部" in found and 'href="/orgs/village/"' in found
    assert "已撤销的村党支部" not in found
    assert "没有找到" in client.get("/orgs/?q=不存在的组织").content.decode()


def test_org_page_has_guide_items_by_category_and_subordinates(client, world, town_items):
    world.town.address, world.town.phone, world.town.office_hours = (
        "城关路1号",
        "0791-1234567",
        "工作日 9:00-17:00",
    )
    world.town.email = "town@example.org"
    world.town.save()
    page = client.get("/orgs/town/").content.decode()
    for text in (
        "城关路1号",
        "0791-1234567",
        "工作日 9:00-17:00",
        "town@example.org",
        'id="guide"',
        "提出意见建议",
        "申请公开",
        'href="/orgs/village/"',
        'href="/orgs/town/catalogue/"',
    ):
        assert text in page, text
    assert '党的建设 <span class="count">（3）' in page and '干部工作 <span class="count">（2）' in page
    chosen = client.get("/orgs/town/", {"category": "干部工作"}).content.decode()
    assert set(re.findall(r"第(\d)号", chosen)) == {"2", "4"}
    assert 'aria-current="page">干部工作' in chosen


def test_org_page_filters_by_date_and_paginates(client, world):
    today = timezone.localdate()
    for n in range(25):
        publish(world.town, f"分页事项{n:02d}", go_live_at=timezone.now() - timedelta(days=n))
    first = client.get("/orgs/town/").content.decode()
    assert "共 25 条" in first and "分页事项00" in first and "分页事项20" not in first
    second = client.get("/orgs/town/", {"page": 2}).content.decode()
    assert "分页事项20" in second and "分页事项24" in second and "分页事项00" not in second
    window = {"from": (today - timedelta(days=3)).isoformat(), "to": (today - timedelta(days=2)).isoformat()}
    narrowed = client.get("/orgs/town/", window).content.decode()
    assert set(re.findall(r"分页事项(\d\d)", narrowed)) == {"02", "03"}
    assert f'value="{window["from"]}"' in narrowed  # the filter form keeps what was asked


def test_catalogue_page_shows_the_catalogue_in_force_only(client, world):
    load_templates(directory=FIXTURES)
    county_officer = UserFactory.create(username="cofficer")
    grant(county_officer, world.county, Role.OFFICER)
    assert "尚未生效" in client.get("/orgs/town/catalogue/").content.decode()
    version = catalogue_actions.catalogue_create_from_template(actor=world.officer, org=world.town)
    assert "尚未生效" in client.get("/orgs/town/catalogue/").content.decode()  # a draft is not shown
    catalogue_actions.version_approve(actor=world.leader, version=version)
    catalogue_actions.version_file(actor=world.officer, version=version)
    catalogue_actions.version_acknowledge(actor=county_officer, version=version)
    page = client.get("/orgs/town/catalogue/").content.decode()
    entry = version.entries.order_by("position").first()
    assert entry is not None
    for text in ("现行有效", entry.item, "公开范围", "公开时限", "公开方式", "党的领导"):
        assert text in page, text


def test_item_page_has_the_metadata_block_body_attachments_and_feedback_link(client, world, files_dir):
    stored = stored_file(files_dir, "候选人名单.txt")
    item = publish(
        world.town,
        "关于发展党员对象的公示",
        doc_number="镇党发〔2026〕3号",
        category="党的组织建设",
        attachment_ids=[stored.pk],
        body="<p>经支部大会讨论……</p>",
    )
    page = client.get(f"/items/{item.index_number}/").content.decode()
    for label in ("索引号", "发布机构", "成文日期", "发布日期", "文号", "主题分类", "公开范围"):
        assert f"<dt>{label}</dt>" in page, label
    assert f'<dd id="meta-index">{item.index_number}</dd>' in page
    assert "镇党发〔2026〕3号" in page and "党的组织建设" in page and "向社会公开" in page
    assert "某某镇党委" in page and "<p>经支部大会讨论……</p>" in page
    written = timezone.localdate(item.go_live_at - timedelta(days=1)).isoformat()
    assert f'<dd id="meta-written">{written}</dd>' in page
    assert f'href="/items/{item.index_number}/files/{stored.pk}/"' in page and "候选人名单.txt" in page
    assert 'href="/orgs/town/#guide"' in page


def test_staged_release_says_when_it_opens_to_the_public(login, world):
    opens = timezone.now() + timedelta(days=5)
    item = publish(world.town, "先党内后党外的事项", scope="party", public_from=opens)
    page = login(world.member).get(f"/items/{item.index_number}/").content.decode()
    assert f"（{timezone.localdate(opens).isoformat()} 起向社会公开）" in page


def test_guide_page_and_footer_identity_come_from_settings(client, world, settings):
    settings.SITE_NAME = "青峰县党务公开网"
    settings.SITE_HOST_ORG = "中共青峰县委组织部"
    settings.SITE_CONTACT = "0791-8576769"
    settings.SITE_ICP = "赣ICP备00000000号"
    for url in ("/", "/guide/", "/orgs/town/", "/accounts/login/"):
        page = client.get(url).content.decode()
        assert "主办单位：中共青峰县委组织部" in page and "联系方式：0791-8576769" in page, url
        assert "赣ICP备00000000号" in page
    guide = client.get("/guide/").content.decode()
    assert "青峰县党务公开网公开指南" in guide and "党内公开" in guide and "本单位公开" in guide


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/", 6),
        ("/items/", 4),  # the newest publication time keys the cached site-wide category counts
        ("/orgs/town/", 6),
        ("/orgs/", 1),
        ("/orgs/?q=村", 1),
        ("/orgs/town/catalogue/", 4),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    client, login, world, django_assert_max_num_queries, url, limit
):
    now = timezone.now()
    for n in range(30):
        publish(
            world.town if n % 2 else world.village,
            f"事项{n}",
            category=f"类别{n % 4}",
            notice_workdays=5 if n % 3 == 0 else None,
            go_live_at=now - timedelta(hours=n + 1),
        )
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    member = login(world.member)  # session, user, the reader's labels (3), unread count on the home
    with django_assert_max_num_queries(limit + 6 if url == "/" else limit + 5):
        assert member.get(url).status_code == 200


def test_the_list_of_all_items_counts_and_pages_up_to_a_cap(client, world, monkeypatch):
    from gongkai.portal import views

    monkeypatch.setattr(views, "LIST_COUNT_CAP", 25)
    now = timezone.now()
    for n in range(30):
        publish(world.town, f"事项{n}", go_live_at=now - timedelta(hours=n + 1))
    first = client.get("/items/").content.decode()
    assert "25 多条" in first
    second = client.get("/items/?page=2").content.decode()
    assert second.count('class="item-title"') == 5  # items 21-25: the pages stop at the cap
    assert client.get("/items/?page=3").status_code == 404
    # Under the cap the count is exact.
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 100)
    assert "共 30 条" in client.get("/items/").content.decode()
