"""Staff pages for catalogue templates (模板维护): everyone signed in reads them, county
administrators change one row at a time, each change is a new template version with a note,
and catalogues already made from an older version do not change."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueTemplate, TemplateVersion
from gongkai.catalogue.templates import add_version, load_templates
from gongkai.orgs.permissions import PermissionDenied
from gongkai.workspace.forms_templates import TemplateRowForm
from tests.catalogue.helpers import FIXTURES

pytestmark = pytest.mark.django_db

BASE = "/staff/catalogue/templates/"
BRANCH = BASE + "branch_basic/"


@pytest.fixture
def templates(world):
    load_templates(directory=FIXTURES)
    return CatalogueTemplate.objects.get(code="branch_basic")


def versions(template: CatalogueTemplate) -> list[int]:
    return list(template.versions.order_by("version").values_list("version", flat=True))


def latest_rows(template: CatalogueTemplate) -> list[dict[str, Any]]:
    version = template.latest_version()
    assert version is not None
    return version.rows


def row_post(row: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The form's POST for a stored row, as the browser would send it back unchanged."""
    data = {k: ("" if v is None else v) for k, v in TemplateRowForm.initial_for_row(row).items()}
    data.update(based_on=1, note="按县委新文件调整")
    data.update(overrides)
    return data


def new_row_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "4", "category": "村务", "item": "村务监督委员会工作", "content": "监督情况",
        "responsible": "村监委", "scope": "party", "targets": "", "timing": "periodic",
        "period": "quarterly", "refresh": "none", "within_workdays": "10",
        "channels": ["bulletin_board", "meeting"], "notice_workdays": "", "basis": "", "remarks": "",
        "position": "", "based_on": 1, "note": "增加村务监督",
    }
    data.update(overrides)
    return data


# --- reading ---------------------------------------------------------------------------------

def test_officer_reads_the_list_with_kinds_versions_rows_and_sources(world, templates, login):
    optional = CatalogueTemplate.objects.create(code="optional_x", name="某局可选目录", source="004")
    add_version(actor=None, template=optional, name=optional.name, source="004",
                rows=[latest_rows(templates)[0]], origin="file")
    page = login(world.officer).get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "基层党组织党务公开基本目录（测试）" in html and "党委（党工委）党务公开基本目录（测试）" in html
    branch = html.split('id="template-branch_basic"')[1].split("</tr>")[0]
    assert "村党组织" in branch and "第1版" in branch and "<td>3</td>" in branch and "002" in branch
    optional_row = html.split('id="template-optional_x"')[1].split("</tr>")[0]
    assert "可选模板" in optional_row and "<td>1</td>" in optional_row
    assert f'href="{BRANCH}#rows"' not in html  # no edit link for an officer


def test_the_list_query_count_does_not_grow_with_templates(world, templates, login):
    client = login(world.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(4):
        extra = CatalogueTemplate.objects.create(code=f"extra{i}", name=f"附加模板{i}")
        add_version(actor=None, template=extra, name=extra.name, source="",
                    rows=latest_rows(templates), origin="file")
    assert count() == before


def test_officer_reads_a_template_without_edit_controls(world, templates, login):
    page = login(world.officer).get(BRANCH)
    assert page.status_code == 200
    html = page.content.decode()
    assert "支部委员会组成" in html and "长期公开，每年更新一次" in html  # timing as a sentence
    assert "党务公开栏" in html and "本单位公开" in html
    assert 'id="history-1"' in html and "模板文件" in html and "从模板文件 branch.yaml 加载" in html
    assert 'id="row-new"' not in html and 'id="row-edit-1"' not in html


def test_a_plain_member_may_read_but_not_edit(world, templates, login):
    client = login(world.member)
    assert client.get(BASE).status_code == 200
    assert 'id="row-new"' not in client.get(BRANCH).content.decode()
    assert client.get(BRANCH + "rows/1/edit/").status_code == 403


def test_pages_need_a_signed_in_user(client, templates):
    response = client.get(BASE)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_missing_template_version_row_or_operation_is_404(world, templates, login):
    client = login(world.admin)
    assert client.get(BASE + "nope/").status_code == 404
    assert client.get(BRANCH + "?version=9").status_code == 404
    assert client.get(BRANCH + "rows/9/edit/").status_code == 404
    assert client.get(BRANCH + "rows/1/explode/").status_code == 404
    assert client.get(BRANCH + "diff/?a=1&b=9").status_code == 404
    assert client.get(BRANCH + "diff/?a=x&b=1").status_code == 404


def test_catalogue_home_links_the_template_list(world, templates, login):
    html = login(world.officer).get("/staff/catalogue/").content.decode()
    assert 'id="catalogue-templates"' in html and f'href="{BASE}"' in html


# --- editing ---------------------------------------------------------------------------------

def test_admin_edits_a_row_and_the_catalogue_made_earlier_keeps_its_version(world, templates, login):
    made = actions.catalogue_create_from_template(actor=world.officer, org=world.village)
    entries_before = list(made.entries.order_by("position").values_list("number", "scope", "item"))
    client = login(world.admin)
    assert 'id="row-edit-1"' in client.get(BRANCH).content.decode()
    form = client.get(BRANCH + "rows/1/edit/")
    assert form.status_code == 200 and "支部委员会组成" in form.content.decode()
    row = latest_rows(templates)[0]
    response = client.post(BRANCH + "rows/1/edit/", row_post(row, scope="party", item="支部委员会组成及分工"))
    assert response.status_code == 302, response.content.decode()[-2000:]
    version = templates.latest_version()
    assert version is not None and version.version == 2
    assert version.origin == "edit" and version.note == "按县委新文件调整"
    assert version.created_by == world.admin
    assert version.rows[0]["scope"] == "party" and version.rows[0]["item"] == "支部委员会组成及分工"
    assert version.rows[1:] == TemplateVersion.objects.get(template=templates, version=1).rows[1:]
    # The catalogue made from version 1 is untouched and still says so.
    made.refresh_from_db()
    assert made.based_on is not None and made.based_on.version == 1
    assert list(made.entries.order_by("position").values_list("number", "scope", "item")) == entries_before
    page = client.get("/staff/orgs/village/catalogue/").content.decode()
    assert "模板第1版" in page and "支部委员会组成及分工" not in page
    # A catalogue made now starts from version 2.
    newer = actions.catalogue_create_from_template(actor=world.officer, org=world.village2)
    assert newer.based_on == version
    # The old version stays readable, without edit controls.
    old = client.get(BRANCH + "?version=1").content.decode()
    assert 'id="old-version"' in old and 'id="row-edit-1"' not in old


def test_the_edit_writes_one_audit_event_with_the_note(world, templates, login):
    before = AuditEvent.objects.count()
    login(world.admin).post(BRANCH + "rows/2/edit/",
                            row_post(latest_rows(templates)[1], responsible="组织委员会"))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert event.action == "catalogue_template.version" and event.actor == world.admin
    assert event.reason == "按县委新文件调整"
    assert event.old == {"version": 1} and event.new["version"] == 2 and event.new["origin"] == "edit"


@pytest.mark.parametrize("persona", ["officer", "member", "supervisor", "outsider"])
def test_others_are_refused_and_nothing_changes(world, templates, login, persona):
    client = login(getattr(world, persona))
    row = latest_rows(templates)[0]
    events = AuditEvent.objects.count()
    assert client.post(BRANCH + "rows/1/edit/", row_post(row, scope="party")).status_code == 403
    assert client.post(BRANCH + "rows/new/", new_row_post()).status_code == 403
    assert client.post(BRANCH + "rows/1/remove/", {"based_on": 1, "note": "删"}).status_code == 403
    assert client.post(BRANCH + "rows/2/up/", {"based_on": 1, "note": "移"}).status_code == 403
    assert client.get(BRANCH + "rows/new/").status_code == 403
    assert versions(templates) == [1] and AuditEvent.objects.count() == events


def test_the_action_itself_refuses_an_officer(world, templates):
    with pytest.raises(PermissionDenied):
        actions.template_row_change(actor=world.officer, template=templates, based_on=1, op="remove",
                                    position=1, note="删除")
    assert versions(templates) == [1]


def test_a_change_without_a_note_is_refused(world, templates, login):
    client = login(world.admin)
    response = client.post(BRANCH + "rows/1/edit/",
                           row_post(latest_rows(templates)[0], scope="party", note=""))
    assert response.status_code == 200 and "请填写修改说明" in response.content.decode()
    response = client.post(BRANCH + "rows/1/remove/", {"based_on": 1, "note": "  "})
    assert response.status_code == 200 and "请填写修改说明" in response.content.decode()
    assert versions(templates) == [1]
    # The action refuses it too, whatever surface calls it.
    with pytest.raises(Exception, match="请填写修改说明"):
        actions.template_row_change(actor=world.admin, template=templates, based_on=1, op="up",
                                    position=2, note="")
    assert versions(templates) == [1]


def test_a_bad_timing_rule_is_refused_in_chinese_next_to_the_field(world, templates, login):
    client = login(world.admin)
    response = client.post(BRANCH + "rows/2/edit/", row_post(latest_rows(templates)[1], within_workdays=""))
    assert response.status_code == 200
    html = response.content.decode()
    timing_field = html.split('id="field-timing"')[1].split('id="field-period"')[0]
    assert "公开时限：缺少工作日数（within_workdays）" in timing_field
    assert versions(templates) == [1]


def test_other_bad_rows_are_refused_and_nothing_saved(world, templates, login):
    client = login(world.admin)
    row = latest_rows(templates)[0]
    response = client.post(BRANCH + "rows/1/edit/", row_post(row, number="2"))
    assert "序号重复：2" in response.content.decode()
    response = client.post(BRANCH + "rows/1/edit/", row_post(row, scope="targeted", targets=""))
    assert "向特定对象公开时须写明公开对象" in response.content.decode()
    response = client.post(BRANCH + "rows/1/edit/", row_post(row))
    assert "内容没有变化" in response.content.decode()
    response = client.post(BRANCH + "rows/new/", new_row_post(notice_workdays="3"))
    assert "公示期应为5至30个工作日" in response.content.decode()
    assert versions(templates) == [1]


def test_a_change_based_on_an_older_version_is_refused(world, templates, login):
    client = login(world.admin)
    assert client.post(BRANCH + "rows/2/up/", {"based_on": 1, "note": "调整顺序"}).status_code == 302
    # A second page still showing version 1 must not move rows the administrator has not seen.
    response = client.post(BRANCH + "rows/3/remove/", {"based_on": 1, "note": "删除发展党员"})
    assert response.status_code == 200 and "模板已有更新的版本（第2版）" in response.content.decode()
    assert versions(templates) == [1, 2]


def test_admin_adds_removes_and_moves_rows_each_as_one_version(world, templates, login):
    client = login(world.admin)
    assert 'name="position"' in client.get(BRANCH + "rows/new/?position=2").content.decode()
    response = client.post(BRANCH + "rows/new/", new_row_post(position="2"))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert [r["number"] for r in latest_rows(templates)] == ["1", "4", "2", "3"]
    added = latest_rows(templates)[1]
    assert added["timing"] == {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
    assert client.post(BRANCH + "rows/2/down/", {"based_on": 2, "note": "放到后面"}).status_code == 302
    assert [r["number"] for r in latest_rows(templates)] == ["1", "2", "4", "3"]
    assert client.post(BRANCH + "rows/1/remove/", {"based_on": 3, "note": "不再要求"}).status_code == 302
    assert [r["number"] for r in latest_rows(templates)] == ["2", "4", "3"]
    assert versions(templates) == [1, 2, 3, 4]
    notes = [v.note for v in templates.versions.order_by("version")]
    assert notes[1:] == ["增加村务监督", "放到后面", "不再要求"]
    # The first row cannot go further up: refused on the page, nothing saved.
    response = client.post(BRANCH + "rows/1/up/", {"based_on": 4, "note": "上移"})
    assert response.status_code == 200 and "已在最前，不能上移" in response.content.decode()
    assert versions(templates) == [1, 2, 3, 4]


def test_removing_the_last_row_is_refused(world, templates):
    for _ in range(2):
        latest = templates.latest_version()
        assert latest is not None
        actions.template_row_change(actor=world.admin, template=templates, based_on=latest.version,
                                    op="remove", position=1, note="精简")
    with pytest.raises(Exception, match="模板至少要有一项"):
        actions.template_row_change(actor=world.admin, template=templates, based_on=3, op="remove",
                                    position=1, note="精简")


# --- comparing -------------------------------------------------------------------------------

def test_the_diff_of_two_versions_shows_the_changed_field(world, templates, login):
    client = login(world.admin)
    row = latest_rows(templates)[1]
    client.post(BRANCH + "rows/2/edit/", row_post(row, period="quarterly", responsible="组织委员会"))
    detail = client.get(BRANCH).content.decode()
    assert f'href="{BRANCH}diff/?a=1&amp;b=2"' in detail and 'id="compare-form"' in detail
    html = login(world.officer).get(BRANCH + "diff/?a=1&b=2").content.decode()
    changed = html.split('id="diff-changed"')[1].split("</section>")[0]
    assert "公开时限" in changed and "责任部门" in changed and "公开事项" not in changed
    assert "<del>定期公开：每半年结束后10个工作日内</del>" in changed
    assert "<ins>定期公开：每季度结束后10个工作日内</ins>" in changed
    assert "<del>组织委员</del>" in changed and "<ins>组织委员会</ins>" in changed
    assert "修改 1 项" in html and "按县委新文件调整" in html


def test_the_diff_reports_a_move_as_one_moved_row(world, templates, login):
    client = login(world.admin)
    client.post(BRANCH + "rows/3/up/", {"based_on": 1, "note": "发展党员提前"})
    client.post(BRANCH + "rows/2/up/", {"based_on": 2, "note": "发展党员放第一"})
    html = client.get(BRANCH + "diff/?a=1&b=3").content.decode()
    assert 'id="diff-empty"' not in html
    moved = html.split('id="diff-moved"')[1].split("</section>")[0]
    assert "3 发展党员：第3项 → 第1项" in moved and moved.count("<li>") == 1
    assert "调整位置 1 项" in html
