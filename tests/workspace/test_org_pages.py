"""Staff pages for the hierarchy: who may see and change what, and that bad input changes
nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Org, OrgKind
from gongkai.testing import UserFactory, affiliate, grant, make_org

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _grow(world, n: int) -> None:
    """n villages under the town, each with a branch and a person holding a role there."""
    for i in range(n):
        village = make_org(f"x{i}", f"增设村{i}", world.town, kind_code="village")
        make_org(f"x{i}b", f"增设支部{i}", village)
        person = UserFactory.create(username=f"extra{i}")
        affiliate(person, world.town)
        grant(person, world.town, "reviewer")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- the tree --------------------------------------------------------------------------------

def test_tree_shows_officer_their_town_and_its_villages(world, login):
    page = login(world.officer).get("/staff/orgs/").content.decode()
    assert 'id="node-town"' in page
    assert "某某村党支部" in page and "另一村党支部" in page
    assert "某某县委" not in page  # the county is above the officer's reach
    assert "县教育局党组" not in page


def test_tree_of_a_plain_member_is_empty_not_an_error(world, login):
    response = login(world.member).get("/staff/orgs/")
    assert response.status_code == 200
    assert "您没有可管理的组织" in response.content.decode()


def test_tree_search_finds_visible_orgs_only(world, login):
    client = login(world.officer)
    page = client.get("/staff/orgs/", {"q": "村党支部"}).content.decode()
    assert 'id="search-results"' in page and "另一村党支部" in page
    page = client.get("/staff/orgs/", {"q": "教育局"}).content.decode()
    assert "没有找到名称或代码匹配的组织" in page


def test_tree_page_query_count_does_not_grow_with_the_tree(world, login, django_assert_max_num_queries):
    client = login(world.officer)
    small = _queries(client, "/staff/orgs/")
    _grow(world, 25)
    with django_assert_max_num_queries(small):
        page = client.get("/staff/orgs/").content.decode()
    assert "增设村24" in page
    assert small <= 7


def test_children_fragment_is_loaded_lazily_with_htmx(world, login):
    make_org("vb", "村下支部", world.village)
    client = login(world.officer)
    fragment = client.get("/staff/orgs/town/children/", **HX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    # The village has a child, so it can be opened; its children load on first toggle.
    assert 'hx-get="/staff/orgs/village/children/"' in html
    assert 'href="/staff/orgs/village/#children"' in html  # the no-JavaScript way in


def test_children_without_htmx_go_to_the_org_page(world, login):
    response = login(world.officer).get("/staff/orgs/town/children/")
    assert response.status_code == 302 and response["Location"] == "/staff/orgs/town/"


def test_children_of_an_invisible_org_are_not_found(world, login):
    assert login(world.outsider).get("/staff/orgs/town/children/", **HX).status_code == 404


# --- the org page ----------------------------------------------------------------------------

def test_org_page_shows_details_children_people_and_breadcrumbs(world, login):
    page = login(world.officer).get("/staff/orgs/town/").content.decode()
    assert "某某镇党委" in page and "镇(街道)党(工)委" in page
    assert 'aria-label="位置"' in page and 'href="/staff/orgs/county/"' in page  # breadcrumbs
    assert "某某村党支部" in page
    assert "李审核" in page and "审核人" in page
    assert 'id="org-edit"' in page and 'id="person-create"' in page
    assert 'id="org-audit"' in page
    # An officer may not move or deactivate their own org (only orgs below it).
    assert 'id="org-move"' not in page and 'id="org-deactivate"' not in page


def test_org_page_for_a_reviewer_has_no_change_buttons(world, login):
    page = login(world.reviewer).get("/staff/orgs/town/").content.decode()
    assert "某某镇党委" in page
    for button in ("org-edit", "org-create-child", "org-move", "org-deactivate", "person-create",
                   "org-audit"):
        assert f'id="{button}"' not in page


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_org_page_of_an_org_out_of_reach_is_not_found(world, login, who):
    assert login(getattr(world, who)).get("/staff/orgs/town/").status_code == 404


def test_unknown_org_is_not_found(world, login):
    assert login(world.superuser).get("/staff/orgs/nope/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get("/staff/orgs/town/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_org_page_query_count_does_not_grow_with_children_or_people(world, login,
                                                                    django_assert_max_num_queries):
    client = login(world.officer)
    small = _queries(client, "/staff/orgs/town/")
    _grow(world, 30)
    # One more query at most: the people total once the list is cut off.
    with django_assert_max_num_queries(small + 1):
        page = client.get("/staff/orgs/town/").content.decode()
    assert "增设村29" in page
    assert small + 1 <= 11


# --- edit ------------------------------------------------------------------------------------

def _edit_data(org: Org, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": org.name, "short_name": org.short_name, "kind": org.kind.code,
        "address": org.address, "phone": org.phone, "office_hours": org.office_hours,
        "email": org.email, "sort_order": org.sort_order, "reason": "",
    }
    data.update(changes)
    return data


def test_officer_edits_their_town_and_it_is_audited(world, login):
    client = login(world.officer)
    assert client.get("/staff/orgs/town/edit/").status_code == 200
    response = client.post("/staff/orgs/town/edit/",
                           _edit_data(world.town, name="某某镇党委员会", phone="0791-12345678",
                                      reason="按文件更名"))
    assert response.status_code == 302
    world.town.refresh_from_db()
    assert world.town.name == "某某镇党委员会" and world.town.phone == "0791-12345678"
    event = AuditEvent.objects.get(action="org.update")
    assert event.reason == "按文件更名" and event.new["name"] == "某某镇党委员会"


def test_edit_with_a_sibling_name_shows_the_message_and_changes_nothing(world, login):
    response = login(world.officer).post("/staff/orgs/village/edit/",
                                         _edit_data(world.village, name="另一村党支部"))
    assert response.status_code == 200
    assert "同一上级组织下已有同名组织：另一村党支部" in response.content.decode()
    world.village.refresh_from_db()
    assert world.village.name == "某某村党支部"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"phone": "12345"}, "电话号码格式不正确"),
    ({"name": ""}, "这个字段是必填项"),
    ({"email": "not-an-email"}, "有效的"),
    ({"kind": "no_such_kind"}, "选择一个有效的选项"),
    ({"sort_order": "-1"}, "大于或等于"),
])
def test_edit_with_bad_input_shows_a_chinese_message(world, login, changes, message):
    response = login(world.officer).post("/staff/orgs/town/edit/", _edit_data(world.town, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'class="errorlist"' in html
    world.town.refresh_from_db()
    assert world.town.name == "某某镇党委" and world.town.phone == ""


def test_reviewer_may_see_but_not_edit(world, login):
    client = login(world.reviewer)
    assert client.get("/staff/orgs/town/edit/").status_code == 403
    response = client.post("/staff/orgs/town/edit/", _edit_data(world.town, name="改名"))
    assert response.status_code == 403
    world.town.refresh_from_db()
    assert world.town.name == "某某镇党委"


def test_outsider_editing_the_town_gets_not_found(world, login):
    response = login(world.outsider).post("/staff/orgs/town/edit/", _edit_data(world.town, name="改名"))
    assert response.status_code == 404


# --- create ----------------------------------------------------------------------------------

def _new_org(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"code": "newbranch", "name": "新建党支部", "kind": "branch",
                               "sort_order": 0}
    data.update(changes)
    return data


def test_officer_creates_a_child_org(world, login):
    response = login(world.officer).post("/staff/orgs/village/new/", _new_org())
    assert response.status_code == 302 and response["Location"] == "/staff/orgs/newbranch/"
    org = Org.objects.get(code="newbranch")
    assert org.parent == world.village and org.path == "/county/town/village/newbranch/"


@pytest.mark.parametrize(("changes", "message"), [
    ({"code": "town"}, "组织代码已存在：town"),
    ({"code": "坏代码"}, "代码只能由字母、数字"),
    ({"name": "某某村党支部", "code": "dup"}, "同一上级组织下已有同名组织"),
])
def test_create_with_bad_input_changes_nothing(world, login, changes, message):
    before = Org.objects.count()
    parent = "town" if changes.get("code") == "dup" else "village"
    response = login(world.officer).post(f"/staff/orgs/{parent}/new/", _new_org(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Org.objects.count() == before


def test_reviewer_may_not_create(world, login):
    client = login(world.reviewer)
    assert client.get("/staff/orgs/town/new/").status_code == 403
    assert client.post("/staff/orgs/town/new/", _new_org()).status_code == 403
    assert not Org.objects.filter(code="newbranch").exists()


# --- move ------------------------------------------------------------------------------------

def test_officer_moves_a_village_under_another(world, login):
    response = login(world.officer).post("/staff/orgs/village/move/",
                                         {"parent": "village2", "reason": "区划调整"})
    assert response.status_code == 302
    world.village.refresh_from_db()
    assert world.village.path == "/county/town/village2/village/"


def test_move_search_offers_only_possible_parents(world, login):
    make_org("vb", "某某村下属支部", world.village)
    page = login(world.officer).get("/staff/orgs/village/move/", {"q": "村"}).content.decode()
    assert 'data-code="village2"' in page
    assert 'data-code="village"' not in page and 'data-code="vb"' not in page  # itself, below it


def test_move_search_with_htmx_returns_only_the_candidates(world, login):
    response = login(world.officer).get("/staff/orgs/village/move/", {"q": "另一"}, **HX)
    html = response.content.decode()
    assert html.startswith('<div id="move-candidates">') and 'data-code="village2"' in html


def test_move_page_preselects_a_chosen_parent(world, login):
    page = login(world.officer).get("/staff/orgs/village/move/", {"parent": "village2"}).content.decode()
    assert 'value="village2"' in page


@pytest.mark.parametrize(("parent", "message"), [
    ("nowhere", "未找到组织：nowhere"),
    ("bureau", "未找到组织：bureau"),  # exists, but the officer cannot see it
    ("town", "该组织已在此上级组织之下"),
])
def test_move_with_a_bad_parent_changes_nothing(world, login, parent, message):
    response = login(world.officer).post("/staff/orgs/village/move/", {"parent": parent})
    assert response.status_code == 200
    assert message in response.content.decode()
    world.village.refresh_from_db()
    assert world.village.path == "/county/town/village/"


def test_move_below_itself_is_refused_with_a_message(world, login):
    make_org("vb", "下属支部", world.village)
    response = login(world.admin).post("/staff/orgs/village/move/", {"parent": "vb"})
    assert "不能把组织移到它自己或它的下级组织之下" in response.content.decode()


def test_officer_may_not_move_their_own_org(world, login):
    client = login(world.officer)
    assert client.get("/staff/orgs/town/move/").status_code == 403
    assert client.post("/staff/orgs/town/move/", {"parent": "bureau"}).status_code == 403


# --- deactivate / reactivate -----------------------------------------------------------------

def test_deactivate_needs_a_reason(world, login):
    response = login(world.officer).post("/staff/orgs/village/deactivate/", {"reason": "  "})
    assert response.status_code == 200
    assert "撤销组织须说明原因" in response.content.decode()
    world.village.refresh_from_db()
    assert world.village.is_active


def test_deactivate_and_reactivate(world, login):
    client = login(world.officer)
    response = client.post("/staff/orgs/village/deactivate/", {"reason": "与邻村合并"})
    assert response.status_code == 302
    world.village.refresh_from_db()
    assert not world.village.is_active
    page = client.get("/staff/orgs/village/").content.decode()
    assert "已撤销" in page and 'id="reactivate-form"' in page
    assert client.post("/staff/orgs/village/reactivate/", {"reason": "恢复"}).status_code == 302
    world.village.refresh_from_db()
    assert world.village.is_active
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "org.deactivate", "org.reactivate"]


def test_deactivating_an_org_with_active_children_shows_why(world, login):
    response = login(world.admin).post("/staff/orgs/town/deactivate/", {"reason": "撤并"})
    assert "该组织还有有效的下级组织" in response.content.decode()
    world.town.refresh_from_db()
    assert world.town.is_active


def test_reviewer_may_not_deactivate_or_reactivate(world, login):
    client = login(world.reviewer)
    assert client.post("/staff/orgs/town/deactivate/", {"reason": "x"}).status_code == 403
    assert client.post("/staff/orgs/town/reactivate/", {"reason": "x"}).status_code == 403


def test_reactivate_is_post_only(world, login):
    assert login(world.officer).get("/staff/orgs/village/reactivate/").status_code == 405


# --- kinds -----------------------------------------------------------------------------------

def test_admin_adds_a_kind(world, login):
    client = login(world.admin)
    assert 'id="kind-form"' in client.get("/staff/kinds/").content.decode()
    response = client.post("/staff/kinds/", {"code": "hospital", "name": "医院党委", "sort_order": 5})
    assert response.status_code == 302
    assert OrgKind.objects.filter(code="hospital", name="医院党委").exists()


def test_duplicate_kind_shows_a_message(world, login):
    response = login(world.admin).post("/staff/kinds/", {"code": "branch", "name": "重复", "sort_order": 5})
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert not OrgKind.objects.filter(name="重复").exists()


def test_officer_sees_kinds_but_may_not_add(world, login):
    client = login(world.officer)
    page = client.get("/staff/kinds/").content.decode()
    assert "党支部" in page and 'id="kind-form"' not in page
    assert client.post("/staff/kinds/", {"code": "x1", "name": "某类", "sort_order": 1}).status_code == 403
    assert not OrgKind.objects.filter(code="x1").exists()


def test_reactivating_under_a_deactivated_parent_explains_why(world, login):
    parent = make_org("closed", "已撤销的上级", world.county, is_active=False)
    child = make_org("closedchild", "其下支部", parent, is_active=False)
    response = login(world.admin).post("/staff/orgs/closedchild/reactivate/", {"reason": ""}, follow=True)
    assert "上级组织已撤销，不能恢复" in response.content.decode()
    child.refresh_from_db()
    assert not child.is_active
