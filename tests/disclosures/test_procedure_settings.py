"""Two settings of the procedure kept as data: an org kind whose items always go to the
superior (本级公开事项须报上级审批), and a catalogue entry whose items always get the risk
assessment (须进行风险评估); who may change the kind, on the staff pages and through the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions as catalogue_actions
from gongkai.catalogue.models import Entry
from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure, ItemStatus, Step, Workflow
from gongkai.orgs import actions as org_actions
from gongkai.orgs.models import OrgKind
from gongkai.orgs.permissions import PermissionDenied
from gongkai.people.models import User
from gongkai.workspace.forms_disclosures import EditForm
from tests.api.conftest import BACKEND, ApiClient
from tests.disclosures.conftest import DW, item_data, proposed

pytestmark = pytest.mark.django_db

KIND_REASON = "本组织类型的公开事项须报上级审批"
RISK = {
    "legality": "合法",
    "reasonableness": "合理",
    "feasibility": "可行",
    "controllability": "可控",
    "public_opinion": "低",
}


def _workflow(item: Disclosure) -> Workflow:
    workflow = item.workflows.order_by("-id").first()
    assert workflow is not None
    return workflow


def _steps(item: Disclosure) -> list[tuple[str, str]]:
    """(step, org code) of the item's latest procedure, in order."""
    return [(t.step, t.org.code) for t in _workflow(item).tasks.select_related("org").order_by("position")]


def _kind_requires_the_superior(dw: DW, code: str = "town_committee") -> OrgKind:
    kind = OrgKind.objects.get(code=code)
    return org_actions.kind_update(actor=dw.w.admin, kind=kind, changes={"approval_by_superior": True})


def _login(person: User) -> Client:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client


def _risk_entry(dw: DW) -> Entry:
    """Entry 1 of the town's catalogue, revised (动态调整) to require the risk assessment and
    put in force again through the catalogue's own procedure."""
    draft = catalogue_actions.version_revise(
        actor=dw.w.officer, version=dw.catalogue, change_explanation="重大决策须先评估风险"
    )
    catalogue_actions.entry_update(
        actor=dw.w.officer, entry=draft.entries.get(number="1"), changes={"requires_risk_assessment": True}
    )
    catalogue_actions.version_approve(actor=dw.w.leader, version=draft)
    catalogue_actions.version_file(actor=dw.w.officer, version=draft)
    catalogue_actions.version_acknowledge(actor=dw.county_officer, version=draft)
    entry = draft.entries.get(number="1")
    assert entry.requires_risk_assessment
    return entry


# ---------------------------------------------------------------------------------------------
# 报批 by org kind


def test_a_kind_requiring_it_sends_every_item_to_the_superiors_leader(dw: DW) -> None:
    _kind_requires_the_superior(dw)
    item = proposed(dw)  # an entry of the catalogue, scope as the entry's: nothing else escalates
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    workflow = _workflow(item)
    assert workflow.escalated and workflow.escalation_reason == KIND_REASON
    assert _steps(item) == [
        (Step.REVIEW, "town"),
        (Step.SECRECY, "town"),
        (Step.APPROVAL, "town"),
        (Step.SUPERIOR, "county"),
    ]
    event = AuditEvent.objects.filter(action="disclosure.submit").latest("id")
    assert event.new["escalated"] == KIND_REASON
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        actions.disclosure_approve(actor=who, item=item, opinion="同意")
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):  # the town's leader cannot decide the county's step
        actions.disclosure_approve(actor=dw.w.leader, item=item)
    actions.disclosure_approve(actor=dw.county_leader, item=item, opinion="同意")
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_a_kind_without_it_leaves_approval_to_the_orgs_leader(dw: DW) -> None:
    assert not OrgKind.objects.get(code="town_committee").approval_by_superior
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    workflow = _workflow(item)
    assert not workflow.escalated and workflow.escalation_reason == ""
    assert [s for s, _org in _steps(item)] == [Step.REVIEW, Step.SECRECY, Step.APPROVAL]


def test_no_seed_kind_requires_it_out_of_the_box(db) -> None:
    # The seeds escalate by the item (off-catalogue, beyond authority), never by the kind.
    assert OrgKind.objects.exists()
    assert not OrgKind.objects.filter(approval_by_superior=True).exists()


def test_a_top_organisation_of_such_a_kind_is_not_escalated_having_no_superior(dw: DW) -> None:
    _kind_requires_the_superior(dw, "county_committee")
    item = actions.disclosure_create(
        actor=dw.county_officer, org=dw.w.county, data=item_data(), off_catalogue_reason="县委临时事项"
    )
    actions.disclosure_submit(actor=dw.county_officer, item=item)
    workflow = _workflow(item)
    assert not workflow.escalated and workflow.escalation_reason == ""
    assert [s for s, _org in _steps(item)] == [Step.REVIEW, Step.SECRECY, Step.APPROVAL]


def test_the_items_own_reason_is_named_first_and_the_superior_decides_once(dw: DW) -> None:
    _kind_requires_the_superior(dw)
    item = actions.disclosure_create(
        actor=dw.w.officer, org=dw.w.town, data=item_data(), off_catalogue_reason="群众关注的临时事项"
    )
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert _workflow(item).escalation_reason == "目录外事项"
    assert [s for s, _org in _steps(item)].count(Step.SUPERIOR) == 1


def test_switching_the_kind_changes_procedures_started_afterwards_only(dw: DW) -> None:
    running = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=running)
    _kind_requires_the_superior(dw)
    assert Step.SUPERIOR not in [s for s, _org in _steps(running)]
    later = proposed(dw, title="关于党员发展对象的公示")
    actions.disclosure_submit(actor=dw.w.officer, item=later)
    assert _steps(later)[-1] == (Step.SUPERIOR, "county")


# ---------------------------------------------------------------------------------------------
# 风险评估 by catalogue entry


def test_an_entry_requiring_it_gets_the_risk_step_without_the_flag(dw: DW) -> None:
    entry = _risk_entry(dw)
    item = actions.disclosure_create(actor=dw.w.officer, org=dw.w.town, data=item_data(), entry_id=entry.pk)
    assert item.current is not None and not item.current.risk_assessment
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert [s for s, _org in _steps(item)] == [Step.REVIEW, Step.SECRECY, Step.RISK, Step.APPROVAL]
    actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    actions.disclosure_approve(actor=dw.w.secrecy, item=item)
    with pytest.raises(ValidationError, match="合法性"):  # the risk step wants its five opinions
        actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    actions.disclosure_approve(actor=dw.w.reviewer, item=item, details={"risk": RISK})
    actions.disclosure_approve(actor=dw.w.leader, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_an_entry_without_it_gets_the_risk_step_only_when_flagged(dw: DW) -> None:
    assert not dw.entry("1").requires_risk_assessment
    plain = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=plain)
    assert Step.RISK not in [s for s, _org in _steps(plain)]
    flagged = proposed(dw, title="关于重大事项的公告", risk_assessment=True)
    actions.disclosure_submit(actor=dw.w.officer, item=flagged)
    assert Step.RISK in [s for s, _org in _steps(flagged)]


def test_both_settings_together(dw: DW) -> None:
    _kind_requires_the_superior(dw)
    entry = _risk_entry(dw)
    item = actions.disclosure_create(actor=dw.w.officer, org=dw.w.town, data=item_data(), entry_id=entry.pk)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert [s for s, _org in _steps(item)] == [
        Step.REVIEW,
        Step.SECRECY,
        Step.RISK,
        Step.APPROVAL,
        Step.SUPERIOR,
    ]


def test_the_officer_is_told_on_the_forms_and_in_the_api(dw: DW) -> None:
    other = proposed(dw)  # of the entry before the revision, which did not require it
    entry = _risk_entry(dw)
    item = actions.disclosure_create(actor=dw.w.officer, org=dw.w.town, data=item_data(), entry_id=entry.pk)
    client = _login(dw.w.officer)
    new_page = client.get(f"/staff/orgs/{dw.w.town.code}/disclosures/new/").content.decode()
    assert "须风险评估" in new_page  # the proposal page marks the entry in its list
    edit = client.get(f"/staff/disclosures/{item.pk}/edit/").content.decode()
    assert "公开目录规定该事项须进行风险评估" in edit
    at = edit.index('name="risk_assessment"')
    tag = edit[edit.rindex("<input", 0, at) : edit.index(">", at)]
    assert "checked" in tag and "disabled" in tag
    # The ticked box is shown, not stored: whatever is posted, the revision's own value stays.
    assert item.current is not None and not item.current.risk_assessment
    form = EditForm(
        {**item_data(), "risk_assessment": "on"}, initial=EditForm.initial_for(item.current), entry=entry
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["risk_assessment"] is False
    detail = ApiClient(client).get(f"disclosures/{item.pk}")
    assert detail.status == 200
    assert detail.data["risk_assessment_required"] is True and detail.data["risk_assessment"] is False
    assert ApiClient(client).get(f"disclosures/{other.pk}").data["risk_assessment_required"] is False


# ---------------------------------------------------------------------------------------------
# Who may change the kind


def test_a_county_admin_changes_the_kind_and_it_is_audited(dw: DW) -> None:
    kind = OrgKind.objects.get(code="village")
    kind = org_actions.kind_update(
        actor=dw.w.admin, kind=kind, changes={"approval_by_superior": True}, reason="村级事项由镇党委把关"
    )
    assert OrgKind.objects.get(code="village").approval_by_superior
    event = AuditEvent.objects.filter(action="kind.update").latest("id")
    assert event.old == {"code": "village", "approval_by_superior": False}
    assert event.new == {"code": "village", "approval_by_superior": True}
    assert event.reason == "村级事项由镇党委把关"
    # The same values again change nothing and write nothing.
    org_actions.kind_update(actor=dw.w.admin, kind=kind, changes={"approval_by_superior": True})
    assert AuditEvent.objects.filter(action="kind.update").count() == 1


def test_an_officer_may_not_change_the_kind(dw: DW) -> None:
    kind = OrgKind.objects.get(code="village")
    for person in (dw.w.officer, dw.w.leader, dw.county_officer, dw.w.supervisor):
        with pytest.raises(PermissionDenied):
            org_actions.kind_update(actor=person, kind=kind, changes={"approval_by_superior": True})
    assert not OrgKind.objects.get(code="village").approval_by_superior
    assert not AuditEvent.objects.filter(action="kind.update").exists()


def test_bad_changes_to_a_kind_are_refused_and_change_nothing(dw: DW) -> None:
    kind = OrgKind.objects.get(code="village")
    with pytest.raises(ValidationError, match="不能修改这些字段：code"):
        org_actions.kind_update(
            actor=dw.w.admin, kind=kind, changes={"code": "v2", "approval_by_superior": True}
        )
    with pytest.raises(ValidationError):
        org_actions.kind_update(
            actor=dw.w.admin, kind=kind, changes={"name": "党支部", "approval_by_superior": True}
        )
    kind.refresh_from_db()
    assert kind.code == "village" and kind.name == "村党组织" and not kind.approval_by_superior
    assert not AuditEvent.objects.filter(action="kind.update").exists()


def test_kind_create_takes_the_setting(dw: DW) -> None:
    kind = org_actions.kind_create(
        actor=dw.w.admin, code="coop", name="合作社党组织", approval_by_superior=True
    )
    assert kind.approval_by_superior
    assert AuditEvent.objects.filter(action="kind.create").latest("id").new["approval_by_superior"] is True


def test_the_kinds_staff_page_edits_the_setting_for_admins_only(dw: DW) -> None:
    admin = _login(dw.w.admin)
    listing = admin.get("/staff/kinds/").content.decode()
    assert 'href="/staff/kinds/village/edit/"' in listing and "公开事项须报上级审批" in listing
    page = admin.get("/staff/kinds/village/edit/")
    assert page.status_code == 200 and 'name="approval_by_superior"' in page.content.decode()
    response = admin.post(
        "/staff/kinds/village/edit/",
        {
            "name": "村党组织",
            "description": "村党总支、村党支部",
            "sort_order": 60,
            "approval_by_superior": "on",
        },
    )
    assert response.status_code == 302
    assert OrgKind.objects.get(code="village").approval_by_superior
    # A bad value goes back onto the form in Chinese and changes nothing.
    refused = admin.post("/staff/kinds/village/edit/", {"name": "", "sort_order": 60})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    assert OrgKind.objects.get(code="village").name == "村党组织"
    officer = _login(dw.w.officer)
    assert 'href="/staff/kinds/village/edit/"' not in officer.get("/staff/kinds/").content.decode()
    assert officer.get("/staff/kinds/village/edit/").status_code == 403
    assert officer.post("/staff/kinds/village/edit/", {"name": "x", "sort_order": 1}).status_code == 403
    assert admin.get("/staff/kinds/no-such-kind/edit/").status_code == 404
    kind = OrgKind.objects.get(code="village")
    assert kind.name == "村党组织" and kind.approval_by_superior


def test_the_api_reads_and_changes_the_setting_for_admins_only(dw: DW) -> None:
    admin, officer = ApiClient(_login(dw.w.admin)), ApiClient(_login(dw.w.officer))
    listed = {k["code"]: k for k in officer.get("kinds").data}
    assert listed["village"]["approval_by_superior"] is False
    refused = officer.patch("kinds/village", {"approval_by_superior": True})
    assert refused.status == 403 and refused.operation_id == "kinds_update"
    assert not OrgKind.objects.get(code="village").approval_by_superior
    changed = admin.patch("kinds/village", {"approval_by_superior": True, "reason": "镇党委把关"})
    assert changed.status == 200 and changed.data["approval_by_superior"] is True
    assert changed.data["name"] == "村党组织"  # fields not sent keep their values
    assert admin.patch("kinds/no-such-kind", {"approval_by_superior": True}).status == 404
    bad = admin.patch("kinds/village", {"approval_by_superior": True, "code": "v2"})
    assert bad.status in (400, 422)
    assert admin.patch("kinds/village", {"name": ""}).status == 400
    assert OrgKind.objects.get(code="village").name == "村党组织"
    created = admin.post("kinds", {"code": "coop", "name": "合作社党组织", "approval_by_superior": True})
    assert created.status == 201 and created.data["approval_by_superior"] is True
