"""The bulletin board (公开栏: print view and PDF) and the e-screen (电子屏: page and screen.json)
show an org's current public items on their channel and its notices in their notice period,
as an anonymous visitor sees them, whoever asks; bad input is a Chinese 400, a missing org 404."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from gongkai.disclosures import gate
from gongkai.disclosures.models import Disclosure, Revision
from gongkai.portal import display
from gongkai.portal.bulletin_pdf import bulletin_pdf
from gongkai.testing import World
from tests.pdf_checks import assert_fonts_embedded, ink, render
from tests.portal.factories import amend, publish, withdraw

pytestmark = pytest.mark.django_db

BOARD, SCREEN = "bulletin_board", "e_screen"
PAGES = [
    "/orgs/town/bulletin/",
    "/orgs/town/bulletin/?paper=A3",
    "/orgs/town/screen/",
    "/orgs/town/screen.json",
]


def posted(org, title: str, channels: list[str], **kwargs: object) -> Disclosure:
    item = publish(org, title, **kwargs)
    Revision.objects.filter(pk=item.published_revision_id).update(channels=channels)
    return item


@pytest.fixture
def items(world: World) -> dict[str, Disclosure]:
    now = timezone.now()
    both = [BOARD, SCREEN]
    made = {
        "board": posted(
            world.town,
            "公开栏上的党费收缴情况",
            ["portal", BOARD],
            category="党费收缴",
            go_live_at=now - timedelta(days=3),
            doc_number="城党字〔2026〕1号",
            body="<p>全体党员：</p><p>现将<b>党费</b>收缴情况公开如下。</p><ul><li>一月</li><li>二月</li></ul>",
        ),
        "screen": posted(
            world.town,
            "电子屏上的组织生活情况",
            [SCREEN],
            category="组织生活",
            go_live_at=now - timedelta(days=2),
        ),
        "portal_only": posted(
            world.town, "只在网站公开的事项", ["portal"], go_live_at=now - timedelta(days=1)
        ),
        "notice": posted(
            world.town,
            "关于发展对象的公示",
            ["portal"],
            notice_workdays=5,
            go_live_at=now - timedelta(minutes=5),
            category="发展党员",
        ),
        "notice_over": posted(
            world.town,
            "早已结束的公示",
            both,
            notice_workdays=5,
            category="发展党员",
            go_live_at=now - timedelta(days=40),
        ),
        "party": posted(world.town, "党内的民主评议结果", both, scope="party"),
        "party_notice": posted(world.town, "党内的公示", both, scope="party", notice_workdays=5),
        "unit": posted(world.town, "本单位公开的事项", both, scope="unit"),
        "staged": posted(
            world.town, "先党内后党外的事项", both, scope="party", public_from=now + timedelta(days=3)
        ),
        "scheduled": posted(world.town, "明天才上线的事项", both, go_live_at=now + timedelta(days=1)),
        "ended": posted(
            world.town,
            "已过展示期的事项",
            both,
            go_live_at=now - timedelta(days=9),
            display_until=now - timedelta(minutes=1),
        ),
        "withdrawn": posted(world.town, "已撤销的事项", both),
        "village": posted(world.village, "村支部公开栏上的事项", both),
    }
    withdraw(made["withdrawn"])
    return made


NEVER = ["party", "party_notice", "unit", "staged", "scheduled", "ended", "withdrawn", "village"]


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _shown(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    if url.endswith(".pdf") or ".pdf?" in url:
        return _pdf_text(response.content)
    return response.content.decode()


# --- what goes on them ------------------------------------------------------------------------


def test_board_shows_notices_then_its_channel_items_grouped_by_category(items, world) -> None:
    board = display.board(world.town)
    assert not board.fallback and board.left_off == 0
    assert [p.title for p in board.notices] == [items["notice"].title]  # whatever its channels
    assert board.notices[0].notice is not None and board.notices[0].notice.remaining > 0
    # Newest go-live first; each category where its newest item comes.
    assert [p.title for p in board.items] == [items["board"].title, items["notice_over"].title]
    assert [category for category, _postings in board.groups()] == ["党费收缴", "发展党员"]


def test_screen_shows_its_own_channel(items, world) -> None:
    screen = display.screen(world.town)
    assert [p.title for p in screen.postings] == [
        items["notice"].title,
        items["screen"].title,
        items["notice_over"].title,
    ]


def test_an_org_with_nothing_on_the_channel_shows_all_its_current_public_items(items, world) -> None:
    kiosk = display.select(world.town, "kiosk", limit=30, body_chars=100)
    assert kiosk.fallback
    public = {items[k].title for k in ("board", "screen", "portal_only", "notice_over")}
    assert {p.title for p in kiosk.items} == public
    assert "未选“触摸查询机”公开方式" in display.fallback_text(kiosk)


def test_limit_leaves_the_oldest_items_to_the_website(items, world) -> None:
    few = display.select(world.town, BOARD, limit=2, body_chars=100)
    assert [p.title for p in few.postings] == [items["notice"].title, items["board"].title]
    assert few.left_off == 1
    assert "另有 1 项" in display.left_off_text(few)


def test_the_board_shows_the_published_revision_not_an_amendment_under_way(items, world) -> None:
    amend(items["board"], title="尚未批准的新标题", explanation="更正", publish_now=False)
    titles = [p.title for p in display.board(world.town).postings]
    assert items["board"].title in titles and "尚未批准的新标题" not in titles


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/town/bulletin/",
        "/orgs/town/bulletin/?paper=A3",
        "/orgs/town/bulletin.pdf",
        "/orgs/town/bulletin.pdf?paper=A3",
        "/orgs/town/screen/",
        "/orgs/town/screen.json",
    ],
)
def test_hidden_items_never_appear_on_board_pdf_screen_or_json(items, client, url) -> None:
    shown = _shown(client, url)
    for key in NEVER:
        assert items[key].title not in shown, key
    assert items["notice"].title in shown


def test_a_signed_in_member_still_gets_only_public_items(items, client, world) -> None:
    client.force_login(world.member)
    assert gate.can_view(world.member, items["party"])
    for url in PAGES:
        assert items["party"].title not in _shown(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/nosuch/bulletin/",
        "/orgs/nosuch/bulletin.pdf",
        "/orgs/nosuch/screen/",
        "/orgs/nosuch/screen.json",
        "/orgs/nosuch/bulletin/?paper=B5",
    ],
)
def test_missing_org_is_404(world, client, url) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_a_code_no_org_can_have_is_404(world, client) -> None:
    assert client.get("/orgs/-bad/screen/").status_code == 404


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/orgs/town/bulletin/?paper=B5", "纸张只能是 A4 或 A3"),
        ("/orgs/town/bulletin/?paper=%00", "纸张只能是 A4 或 A3"),
        ("/orgs/town/bulletin.pdf?paper=letter", "纸张只能是 A4 或 A3"),
        ("/orgs/town/screen/?seconds=4", "每屏停留时间须是 5 到 120 之间的整数（秒）"),
        ("/orgs/town/screen/?seconds=121", "每屏停留时间须是 5 到 120 之间的整数（秒）"),
        ("/orgs/town/screen/?seconds=abc", "每屏停留时间须是 5 到 120 之间的整数（秒）"),
        ("/orgs/town/screen/?seconds=" + "9" * 500, "每屏停留时间须是 5 到 120 之间的整数（秒）"),
        ("/orgs/town/screen/?refresh=9", "数据刷新间隔须是 10 到 3600 之间的整数（秒）"),
    ],
)
def test_bad_query_is_a_chinese_400(world, client, url, reason) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_screen_options_reach_the_page(world, client) -> None:
    page = client.get("/orgs/town/screen/?seconds=5&refresh=3600").content.decode()
    assert 'data-seconds="5"' in page and 'data-refresh="3600"' in page
    page = client.get("/orgs/town/screen/").content.decode()
    assert 'data-seconds="15"' in page and 'data-refresh="300"' in page
    assert '<meta http-equiv="refresh" content="300">' in page  # inside <noscript>


# --- the print view ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "paper"), [("", "A4"), ("?paper=A4", "A4"), ("?paper=A3", "A3"), ("?paper=a3", "A3")]
)
def test_print_view_is_laid_out_for_the_paper(items, client, query, paper) -> None:
    page = client.get(f"/orgs/town/bulletin/{query}").content.decode()
    assert f"@page {{ size: {paper} landscape;" in page
    assert f"paper-{paper.lower()}" in page
    assert f'href="/orgs/town/bulletin.pdf?paper={paper}"' in page


def test_print_view_has_the_board_head_and_countdown(items, client, world) -> None:
    world.town.phone = "0791-1234567"
    world.town.save(update_fields=["phone"])
    page = client.get("/orgs/town/bulletin/").content.decode()
    assert "某某镇党委" in page and "党务公开栏" in page and "监督电话：0791-1234567" in page
    assert timezone.localdate().strftime("%Y年").lstrip("0") in page
    notices = page.split('id="board-notices-title"')[1].split("</section>")[0]
    assert items["notice"].title in notices and "还剩 <strong>" in notices
    # The body as plain paragraphs: tags gone, paragraphs and list items kept.
    assert "<p>现将党费收缴情况公开如下。</p>" in page and "<p>· 一月</p>" in page
    assert "文号：城党字〔2026〕1号" in page


def test_print_view_says_when_it_falls_back(world, client) -> None:
    posted(world.village, "村里只在网站公开的事项", ["portal"])
    page = client.get("/orgs/village/bulletin/").content.decode()
    assert 'id="board-fallback"' in page and "村里只在网站公开的事项" in page


def test_empty_board(world, client) -> None:
    page = client.get("/orgs/county/bulletin/").content.decode()
    assert "目前没有现行的公开事项" in page


# --- the PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("A4", (842, 595)), ("A3", (1191, 842))])
def test_pdf_is_landscape_on_the_paper_with_the_font_embedded(items, client, paper, size) -> None:
    response = client.get(f"/orgs/town/bulletin.pdf?paper={paper}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="bulletin-town-{paper}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    assert_fonts_embedded(response.content)
    text = _pdf_text(response.content)
    for key in ("notice", "notice_over", "board"):
        assert items[key].title in text
    assert "党务公开栏" in text and "还剩" in text and "全体党员" in text


def test_pdf_page_one_is_drawn_not_blank(items, world) -> None:
    image, boxes = render(bulletin_pdf(display.board(world.town), paper="A4", site="http://example.org"))
    assert ink(image) > 20_000
    for char in "党务公开栏":
        assert char in boxes


def test_a_long_board_flows_over_pages(world) -> None:
    body = "".join(f"<p>第{i}段：" + "党务公开工作情况说明。" * 12 + "</p>" for i in range(30))
    for n in range(12):
        posted(world.town, f"很长的事项{n}", [BOARD], body=body)
    pdf = bulletin_pdf(display.board(world.town), paper="A4", site="http://example.org")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 3
    text = _pdf_text(pdf)
    assert all(f"很长的事项{n}" in text for n in range(12))
    assert "全文见：http://example.org/items/" in text  # the body was cut to fit a board


# --- the screen and its data ------------------------------------------------------------------


def test_screen_json_shape(items, client) -> None:
    response = client.get("/orgs/town/screen.json")
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {
        "org",
        "date",
        "fallback",
        "left_off",
        "slides",
        "channel",
        "generated_at",
        "version",
    }
    assert data["org"] == {"code": "town", "name": "某某镇党委", "phone": ""}
    assert data["channel"] == "e_screen" and data["fallback"] is False
    assert re.fullmatch(r"[0-9a-f]{16}", data["version"])
    first, *rest = data["slides"]
    assert set(first) == {
        "index_number",
        "kind",
        "title",
        "category",
        "doc_number",
        "go_live",
        "meta",
        "paragraphs",
        "truncated",
        "url",
        "notice",
    }
    assert (first["kind"], first["title"]) == ("notice", items["notice"].title)
    assert set(first["notice"]) == {"start", "end", "workdays", "remaining", "text"}
    assert first["notice"]["workdays"] == 5 and first["notice"]["remaining"] > 0
    assert first["url"] == f"/items/{items['notice'].index_number}/"
    assert [s["kind"] for s in rest] == ["item", "item"]
    assert all(sum(map(len, s["paragraphs"])) <= display.SCREEN_BODY_CHARS + 2 for s in data["slides"])


def test_screen_json_version_changes_exactly_when_the_slides_do(items, client, world) -> None:
    first = client.get("/orgs/town/screen.json").json()["version"]
    assert client.get("/orgs/town/screen.json").json()["version"] == first
    posted(world.town, "新发布的电子屏事项", [SCREEN])
    data = client.get("/orgs/town/screen.json").json()
    assert data["version"] != first and data["slides"][1]["title"] == "新发布的电子屏事项"
    withdraw(Disclosure.objects.get(title="新发布的电子屏事项"))
    assert client.get("/orgs/town/screen.json").json()["version"] == first


def test_screen_page_carries_its_first_slides_and_a_static_list(items, client) -> None:
    page = client.get("/orgs/town/screen/").content.decode()
    assert 'id="escreen-data" type="application/json"' in page
    assert 'data-json="/orgs/town/screen.json"' in page
    listed = page.split('id="escreen-list"')[1].split("</ol>")[0]
    assert listed.index(items["notice"].title) < listed.index(items["screen"].title)
    assert "portal/escreen.js" in page and "//cdn" not in page


# --- caching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, "/orgs/town/bulletin.pdf"])
def test_anonymous_answers_are_publicly_cacheable_members_are_not(items, client, world, url) -> None:
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    client.force_login(world.member)
    response = client.get(url)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


# --- bodies as plain paragraphs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "paragraphs"),
    [
        ("<p>一</p><p>二 <b>三</b></p>", ["一", "二 三"]),
        ("第一行<br>第二行", ["第一行", "第二行"]),
        (
            "<h2>标题</h2><ol><li>甲</li><li>乙</li></ol><ul><li>丙</li></ul>",
            ["标题", "1. 甲", "2. 乙", "· 丙"],
        ),
        (
            "<table><tr><th>姓名</th><th>职务</th></tr><tr><td>张三</td><td>书记</td></tr></table>",
            ["姓名　职务", "张三　书记"],
        ),
        ("<p>&lt;script&gt; &amp;  多个\n 空白</p>", ["<script> & 多个 空白"]),
        ("", []),
    ],
)
def test_plain_paragraphs(html, paragraphs) -> None:
    assert display.plain_paragraphs(html) == paragraphs


def test_cut_keeps_whole_paragraphs_and_marks_the_cut() -> None:
    assert display.cut(["一二三", "四五六"], 10) == (["一二三", "四五六"], False)
    assert display.cut(["一二三", "四五六"], 4) == (["一二三", "四……"], True)
    assert display.cut(["一二三", "四五六"], 3) == (["一二三"], True)


def test_the_gate_is_the_anonymous_one(items, world) -> None:
    # Every posting is an item the anonymous gate lets through, for the board and the screen.
    visible = set(gate.visible_to(AnonymousUser()).values_list("index_number", flat=True))
    for selection in (display.board(world.town), display.screen(world.town)):
        assert {p.index_number for p in selection.postings} <= visible
