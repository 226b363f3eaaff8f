"""Staff pages for disclosure items (公开事项): proposing through the form, the whole procedure
through POSTs, the inbox (我的待办), refusals (404 for who may not read, 403 for who may read but
not act, a wrong state's message with nothing changed), and the history's diff."""
# ruff: noqa: F811 -- the `dw` fixture is imported from tests/disclosures and named by the tests

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure, ItemStatus, Step, TaskStatus, WorkflowKind
from gongkai.people.models import User
from tests.disclosures.conftest import DW, approved, dw, proposed  # noqa: F401 -- dw: the fixture

pytestmark = pytest.mark.django_db

NEW = "/staff/orgs/town/disclosures/new/"


def url(item: Disclosure, suffix: str = "") -> str:
    return f"/staff/disclosures/{item.pk}/{suffix}"


def act(item: Disclosure, action: str) -> str:
    return url(item, f"act/{action}/")


def create_post(dw: DW, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "entry": str(dw.entry("1").pk), "off_catalogue_reason": "",
        "title": "2026年上半年学习贯彻情况", "body": "<p>第一段</p><p>第二段</p>",
        "doc_number": "", "category": "", "scope": "public", "target_org_ids": "", "target_person_ids": "",
        "channels": ["portal", "bulletin_board"], "go_live_at": "", "display_until": "", "public_from": "",
        "notice_workdays": "", "event_date": "",
    }
    data.update(overrides)
    return data


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def status(item: Disclosure) -> str:
    item.refresh_from_db()
    return item.status


# --- proposing ----------------------------------------------------------------------------------

def test_officer_proposes_an_item_from_a_catalogue_entry(dw: DW, login) -> None:
    client = login(dw.w.officer)
    form = page(client, NEW)
    assert "学习贯彻党中央决策部署情况" in form and "目录外事项（须说明理由）" in form
    body = '<p>第一段</p><script>alert(1)</script><p onclick="x()">第二段</p>'
    response = client.post(NEW, create_post(dw, body=body, doc_number="镇委〔2026〕3号"), follow=True)
    item = Disclosure.objects.get()
    assert response.redirect_chain[-1][0] == url(item)
    html = response.content.decode()
    assert item.status == ItemStatus.DRAFT and item.entry == dw.entry("1") and item.created_by == dw.w.officer
    assert item.current.channels == ["portal", "bulletin_board"]
    assert item.current.doc_number == "镇委〔2026〕3号"
    assert item.index_number in html and "已提出公开事项" in html
    # The body the page shows is the sanitised one: no script, no event handler.
    assert "<p>第一段</p>" in html and "<script>alert" not in html and "onclick" not in html
    assert 'id="disclosure-submit"' in html and 'id="disclosure-edit"' in html


@pytest.mark.parametrize(("overrides", "message"), [
    ({"scope": "targeted"}, "向特定对象公开须指定公开对象"),
    ({"channels": []}, "请至少选择一种公开方式"),
    ({"entry": "", "off_catalogue_reason": ""}, "目录外事项须说明公开理由"),
    ({"scope": "targeted", "target_org_ids": "village, nosuch"}, "未知的组织代码：nosuch"),
    ({"title": ""}, "这个字段是必填项"),
    ({"go_live_at": "2026-07-01T09:00", "display_until": "2026-06-01T09:00"}, "展示截止须晚于计划发布时间"),
])
def test_bad_input_re_renders_with_a_chinese_error_and_saves_nothing(dw: DW, login, overrides,
                                                                      message) -> None:
    response = login(dw.w.officer).post(NEW, create_post(dw, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Disclosure.objects.exists()


def test_targets_are_given_by_org_code_and_username(dw: DW, login) -> None:
    client = login(dw.w.officer)
    client.post(NEW, create_post(dw, scope="targeted", target_org_ids="village，village2",
                                 target_person_ids="member"))
    revision = Disclosure.objects.get().current
    assert revision.target_org_ids == sorted([dw.w.village.pk, dw.w.village2.pk])
    assert revision.target_person_ids == [dw.w.member.pk]
    edit = page(client, url(Disclosure.objects.get(), "edit/"))
    assert "village, village2" in edit and 'value="member"' in edit


def test_an_off_catalogue_item_needs_only_its_reason(dw: DW, login) -> None:
    login(dw.w.officer).post(NEW, create_post(dw, entry="", off_catalogue_reason="镇党委临时决定公开"))
    item = Disclosure.objects.get()
    assert item.entry is None and item.off_catalogue_reason == "镇党委临时决定公开"


def test_only_officers_may_open_the_form_and_outsiders_do_not_see_the_org(dw: DW, login) -> None:
    assert login(dw.w.reviewer).get(NEW).status_code == 403   # sees the org, may not propose
    assert login(dw.w.outsider).get(NEW).status_code == 404   # bureau officer: not their org
    assert login(dw.w.outsider).post(NEW, create_post(dw)).status_code == 404
    assert not Disclosure.objects.exists()


# --- the procedure ------------------------------------------------------------------------------

def test_the_whole_procedure_through_the_pages(dw: DW, client: Client) -> None:
    item = proposed(dw)

    def as_(user: User) -> Client:
        client.force_login(user)
        return client

    assert as_(dw.w.officer).post(act(item, "submit")).status_code == 302
    assert status(item) == ItemStatus.IN_REVIEW
    html = page(as_(dw.w.reviewer), url(item))
    assert 'id="disclosure-approve"' in html and 'id="meeting-fieldset"' not in html
    assert 'id="disclosure-publish"' not in html
    as_(dw.w.reviewer).post(act(item, "approve"), {"approve-opinion": "内容准确"})
    as_(dw.w.secrecy).post(act(item, "approve"), {"approve-opinion": "不涉密"})
    html = page(as_(dw.w.leader), url(item))
    assert 'id="meeting-fieldset"' in html and "会议名称" in html
    as_(dw.w.leader).post(act(item, "approve"), {
        "approve-opinion": "同意公开", "approve-meeting_name": "镇党委会",
        "approve-meeting_date": "2026-03-02", "approve-meeting_attendees": "张书记、李审核等7人",
        "approve-meeting_result": "同意"})
    assert status(item) == ItemStatus.APPROVED
    html = page(as_(dw.w.officer), url(item))
    assert 'id="disclosure-publish"' in html and "镇党委会" in html and "不涉密" in html
    response = as_(dw.w.officer).post(act(item, "publish"), follow=True)
    assert "已发布" in response.content.decode()
    assert status(item) == ItemStatus.PUBLISHED
    tasks = item.workflows.get().tasks.order_by("position")
    assert [(t.step, t.status, t.decided_by) for t in tasks] == [
        (Step.REVIEW, TaskStatus.APPROVED, dw.w.reviewer), (Step.SECRECY, TaskStatus.APPROVED, dw.w.secrecy),
        (Step.APPROVAL, TaskStatus.APPROVED, dw.w.leader)]
    assert tasks.last().details["meeting"]["name"] == "镇党委会"
    client.logout()
    assert client.get(f"/api/v1/disclosures/{item.pk}").status_code == 200


def test_a_half_recorded_meeting_is_refused_and_nothing_changes(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy):
        actions.disclosure_approve(actor=who, item=item)
    response = login(dw.w.leader).post(act(item, "approve"), {"approve-meeting_name": "镇党委会"})
    html = response.content.decode()
    assert response.status_code == 200 and "集体决策须记录" in html and "参会人员" in html
    assert status(item) == ItemStatus.IN_REVIEW


def test_return_needs_an_opinion_and_the_officer_sees_it(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    client = login(dw.w.reviewer)
    html = client.post(act(item, "return"), {"return-opinion": ""}).content.decode()
    assert "请填写退回意见" in html and status(item) == ItemStatus.IN_REVIEW
    client.post(act(item, "return"), {"return-opinion": "数据须与财务核对"})
    assert status(item) == ItemStatus.RETURNED
    html = page(login(dw.w.officer), url(item))
    assert "数据须与财务核对" in html and 'id="disclosure-submit"' in html


def test_the_risk_step_asks_for_each_of_the_five_aspects(dw: DW, login) -> None:
    item = proposed(dw, risk_assessment=True)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy):
        actions.disclosure_approve(actor=who, item=item)
    client = login(dw.w.reviewer)
    html = page(client, url(item))
    assert 'id="risk-fieldset"' in html
    assert all(label in html for label in ("合法性", "合理性", "可行性", "可控性", "舆情风险"))
    html = client.post(act(item, "approve"), {"approve-risk_legality": "合法"}).content.decode()
    assert "缺少合理性、可行性、可控性、舆情风险" in html
    client.post(act(item, "approve"), {f"approve-risk_{a}": "无风险" for a in actions.RISK_ASPECTS})
    workflow = item.workflows.get()
    assert workflow.tasks.get(step=Step.RISK).status == TaskStatus.APPROVED
    assert workflow.tasks.get(step=Step.APPROVAL).status == TaskStatus.ACTIVE


def test_the_leader_escalates_and_the_superior_leader_gets_the_task(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy):
        actions.disclosure_approve(actor=who, item=item)
    client = login(dw.w.leader)
    assert 'id="disclosure-escalate"' in page(client, url(item))
    assert "请填写报批理由" in client.post(act(item, "escalate"), {}).content.decode()
    client.post(act(item, "escalate"), {"escalate-opinion": "涉及全县"})
    tasks = page(login(dw.county_leader), "/staff/tasks/")
    assert item.title in tasks and "上级审批" in tasks and "报某某县委审批" in tasks


# --- the inbox ----------------------------------------------------------------------------------

def test_the_inbox_shows_each_step_to_its_people_only(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)

    def inbox(user: User) -> str:
        return page(login(user), "/staff/tasks/")

    assert item.title in inbox(dw.w.reviewer)
    assert 'id="nav-tasks-count">1<' in inbox(dw.w.reviewer)
    for other in (dw.w.secrecy, dw.w.leader, dw.w.officer, dw.county_leader):
        html = inbox(other)
        assert item.title not in html and "没有待您办理的公开事项" in html and "nav-tasks-count" not in html
    actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    assert item.title not in inbox(dw.w.reviewer)
    assert item.title in inbox(dw.w.secrecy)
    # The home page's panel lists the same.
    assert item.title in page(login(dw.w.secrecy), "/staff/").split('id="home-tasks"')[1]


def test_an_overdue_task_is_marked(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    task = item.workflows.get().tasks.get(status=TaskStatus.ACTIVE)
    task.due_date = task.due_date.replace(year=task.due_date.year - 1)
    task.save(update_fields=["due_date"])
    html = page(login(dw.w.reviewer), "/staff/tasks/")
    row = html.split(f'id="task-{task.pk}"')[1].split("</tr>")[0]
    assert row.startswith(' class="state-overdue"') and "已逾期" in row
    steps = page(login(dw.w.officer), url(item)).split('id="steps"')[1]
    assert "已逾期" in steps.split(f'id="step-{task.workflow_id}-1"')[1].split("</tr>")[0]


# --- refusals -----------------------------------------------------------------------------------

def test_who_may_not_read_the_item_gets_404_everywhere(dw: DW, login) -> None:
    item = proposed(dw)
    for user in (dw.w.outsider, dw.w.member):
        client = login(user)
        for path in (url(item), url(item, "history/"), url(item, "edit/"), url(item, "amend/")):
            assert client.get(path).status_code == 404, (user, path)
        assert client.post(act(item, "submit")).status_code == 404
        assert item.title not in page(client, "/staff/disclosures/")
    assert status(item) == ItemStatus.DRAFT
    assert login(dw.w.officer).get("/staff/disclosures/999999/").status_code == 404


def test_a_reviewer_may_read_but_gets_403_publishing_and_no_button(dw: DW, login) -> None:
    item = approved(dw)
    client = login(dw.w.reviewer)
    html = page(client, url(item))
    assert 'id="disclosure-publish"' not in html and 'id="disclosure-edit"' not in html
    assert client.post(act(item, "publish")).status_code == 403
    assert client.get(url(item, "edit/")).status_code == 403
    assert status(item) == ItemStatus.APPROVED


def test_nobody_passes_a_step_out_of_turn(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert login(dw.w.leader).post(act(item, "approve"), {}).status_code == 403
    assert login(dw.w.officer).post(act(item, "approve"), {}).status_code == 403
    assert item.workflows.get().tasks.get(step=Step.REVIEW).status == TaskStatus.ACTIVE


def test_a_wrong_state_shows_the_conflict_message_and_changes_nothing(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    response = login(dw.w.officer).post(act(item, "publish"))
    html = response.content.decode()
    assert response.status_code == 200 and "只有已批准的事项可以发布（当前：审批中）" in html
    assert 'class="message message-error"' in html
    assert status(item) == ItemStatus.IN_REVIEW
    assert login(dw.w.officer).post(act(item, "frobnicate")).status_code == 404


def test_a_published_item_is_read_by_a_member_without_the_working_papers(dw: DW, login) -> None:
    item = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    client = login(dw.w.member)
    html = page(client, url(item))
    assert "<p>全体党员：</p>" in html and 'id="procedure"' not in html
    assert 'id="disclosure-history"' not in html
    assert client.get(url(item, "history/")).status_code == 404


# --- editing, amending, withdrawing, history ----------------------------------------------------

def test_history_shows_the_diff_after_an_edit(dw: DW, login) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    client = login(dw.w.officer)
    edit = page(client, url(item, "edit/"))
    assert 'id="edit-restarts"' in edit and "关于2026年党费收缴情况的公示" in edit
    data = create_post(dw, title="关于2026年党费收缴情况的公示（更正）",
                       body="<p>全体党员：</p><p>现将收缴情况公示如下。</p>", scope="public",
                       channels=["portal"], note="更正数字")
    del data["entry"], data["off_catalogue_reason"]
    assert client.post(url(item, "edit/"), data).status_code == 302
    item.refresh_from_db()
    assert item.current.number == 2 and item.status == ItemStatus.IN_REVIEW
    html = page(client, url(item, "history/"))
    diff = html.split('id="diff-2"')[1].split("</article>")[0]
    assert "<del>关于2026年党费收缴情况的公示</del>" in diff
    assert "<ins>关于2026年党费收缴情况的公示（更正）</ins>" in diff
    assert "<del>现将……</del>" in diff and "<ins>现将收缴情况公示如下。</ins>" in diff
    assert "全体党员：" in diff and "公开方式" in diff and "更正数字" in html
    # Both procedures are listed: the first cancelled by the edit, the second running.
    assert html.count('class="workflow"') == 2 and "已作废" in html and "办理中" in html


def test_amending_needs_an_explanation_and_starts_the_amend_procedure(dw: DW, login) -> None:
    item = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    client = login(dw.w.officer)
    assert 'id="disclosure-amend"' in page(client, url(item))
    data = create_post(dw, title="更正后的标题", explanation="")
    del data["entry"], data["off_catalogue_reason"]
    html = client.post(url(item, "amend/"), data).content.decode()
    assert "请填写变更说明" in html and not item.workflows.filter(kind=WorkflowKind.AMEND).exists()
    data["explanation"] = "原公示人数有误"
    assert client.post(url(item, "amend/"), data).status_code == 302
    assert item.workflows.get(kind=WorkflowKind.AMEND, status="running").explanation == "原公示人数有误"
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.title != "更正后的标题"  # readers keep the old one


def test_withdrawing_needs_an_explanation(dw: DW, login) -> None:
    item = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    client = login(dw.w.officer)
    html = client.post(act(item, "withdraw"), {"withdraw-explanation": ""}).content.decode()
    assert "请填写撤销说明" in html and not item.workflows.filter(kind=WorkflowKind.WITHDRAW).exists()
    client.post(act(item, "withdraw"), {"withdraw-explanation": "事项已终止"})
    assert item.workflows.get(kind=WorkflowKind.WITHDRAW).explanation == "事项已终止"
    assert item.title in page(login(dw.w.leader), "/staff/tasks/")


# --- the list -----------------------------------------------------------------------------------

def test_the_list_filters_by_org_status_and_title(dw: DW, login) -> None:
    draft = proposed(dw, title="草稿甲")
    done = approved(dw, title="已批准乙")
    client = login(dw.w.officer)
    html = page(client, "/staff/disclosures/")
    assert draft.title in html and done.title in html and 'id="disclosure-new-town"' in html
    html = page(client, "/staff/disclosures/?status=approved")
    assert draft.title not in html and done.title in html
    html = page(client, "/staff/disclosures/?q=甲")
    assert draft.title in html and done.title not in html
    assert "没有符合条件的公开事项" in page(client, "/staff/disclosures/?org=village")
    # The reviewer reads them too, but proposes nowhere.
    html = page(login(dw.w.reviewer), "/staff/disclosures/")
    assert draft.title in html and "disclosure-new-" not in html


def test_the_list_and_the_inbox_cost_the_same_for_one_item_or_many(dw: DW, login) -> None:
    def submitted(title: str) -> None:
        actions.disclosure_submit(actor=dw.w.officer, item=proposed(dw, title=title))

    def cost(user: User, path: str) -> int:
        client = login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    submitted("第一项")
    before = cost(dw.w.reviewer, "/staff/disclosures/"), cost(dw.w.reviewer, "/staff/tasks/")
    for i in range(5):
        submitted(f"又一项{i}")
    assert (cost(dw.w.reviewer, "/staff/disclosures/"), cost(dw.w.reviewer, "/staff/tasks/")) == before
    assert "又一项4" in page(login(dw.w.reviewer), "/staff/tasks/")
