"""Approval, filing, acknowledgement, return and revision: transitions, who may do each, and
the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueTemplate, CatalogueVersion, Status
from gongkai.orgs.permissions import PermissionDenied
from gongkai.testing import grant
from tests.catalogue.helpers import row, village_draft, village_in_force


def test_the_full_path_to_force(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version, opinion="同意")
    version.refresh_from_db()
    assert version.status == Status.APPROVED and version.approved_by == cw.village_leader
    actions.version_file(actor=cw.village_officer, version=version)
    version.refresh_from_db()
    assert version.status == Status.FILED and version.filed_at is not None
    actions.version_acknowledge(actor=cw.w.officer, version=version, opinion="已备案")
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE and version.acknowledged_by == cw.w.officer
    events = list(AuditEvent.objects.filter(object_type="catalogue.catalogueversion")
                  .order_by("seq").values_list("action", "old", "new"))
    assert [e[0] for e in events] == ["catalogue.create", "catalogue.approve", "catalogue.file",
                                      "catalogue.acknowledge"]
    assert events[1][1] == {"status": "draft"} and events[1][2]["status"] == "approved"
    assert events[3][2]["status"] == "in_force"
    assert verify().ok


def test_only_the_org_s_own_leader_approves(cw):
    version = village_draft(cw)
    # The town's leader oversees the village but does not approve for it.
    for who in (cw.w.leader, cw.village_officer, cw.w.officer, cw.w.member, cw.w.supervisor):
        with pytest.raises(PermissionDenied):
            actions.version_approve(actor=who, version=version)
    assert CatalogueVersion.objects.get(pk=version.pk).status == Status.DRAFT


def test_the_superuser_may_approve(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.w.superuser, version=version)


def test_filing_needs_an_approved_version_and_an_officer(cw):
    version = village_draft(cw)
    with pytest.raises(ValidationError, match="当前状态为“草稿”，不能报备"):
        actions.version_file(actor=cw.village_officer, version=version)
    actions.version_approve(actor=cw.village_leader, version=version)
    with pytest.raises(PermissionDenied):
        actions.version_file(actor=cw.village_leader, version=version)
    with pytest.raises(PermissionDenied):
        actions.version_file(actor=cw.w.outsider, version=version)


def test_an_approved_version_can_no_longer_be_edited(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    with pytest.raises(ValidationError, match="当前状态为“已审批”，不能修改"):
        actions.entry_add(actor=cw.village_officer, version=version, data=row())


def test_only_a_strict_superior_acknowledges(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    # The filing org's own officer may not acknowledge its own filing; nor may a bystander.
    for who in (cw.village_officer, cw.village_leader, cw.w.outsider, cw.w.leader, cw.w.supervisor):
        with pytest.raises(PermissionDenied):
            actions.version_acknowledge(actor=who, version=version)
        with pytest.raises(PermissionDenied):
            actions.version_return(actor=who, version=version, comment="不行")
    # Any superior's officer or admin may: the county oversees the whole subtree.
    actions.version_acknowledge(actor=cw.w.admin, version=version)


def test_acknowledging_twice_is_refused(cw):
    version = village_in_force(cw)
    with pytest.raises(ValidationError, match="生效中"):
        actions.version_acknowledge(actor=cw.w.officer, version=version)


def test_return_needs_a_comment_and_reopens_editing(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    with pytest.raises(ValidationError) as caught:
        actions.version_return(actor=cw.w.officer, version=version, comment="  ")
    assert caught.value.message_dict["opinion"] == ["退回须填写意见"]
    actions.version_return(actor=cw.w.officer, version=version, comment="第2项公开范围过窄")
    version.refresh_from_db()
    assert version.status == Status.RETURNED and version.return_comment == "第2项公开范围过窄"
    event = AuditEvent.objects.get(action="catalogue.return")
    assert event.reason == "第2项公开范围过窄" and event.actor == cw.w.officer
    with pytest.raises(ValidationError):
        actions.version_file(actor=cw.village_officer, version=version)
    entry = version.entries.get(number="2")
    actions.entry_update(actor=cw.village_officer, entry=entry,
                         changes={"scope": "public", "wider_scope_reason": "上级要求"})
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    actions.version_acknowledge(actor=cw.w.officer, version=version)
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE


def test_revision_copies_entries_needs_an_explanation_and_supersedes_on_acknowledgement(cw):
    first = village_in_force(cw)
    other_draft = actions.catalogue_create_from_template(actor=cw.w.officer, org=cw.w.village2)
    with pytest.raises(ValidationError, match="当前状态为“草稿”，不能发起调整"):
        actions.version_revise(actor=cw.w.officer, version=other_draft)
    second = actions.version_revise(actor=cw.village_officer, version=first)
    assert second.number == 2 and second.status == Status.DRAFT
    assert second.based_on == first.based_on
    assert [(e.number, e.item, e.template_row_number) for e in second.entries.order_by("position")] == \
        [(e.number, e.item, e.template_row_number) for e in first.entries.order_by("position")]
    with pytest.raises(ValidationError, match="已有一个正在办理的版本"):
        actions.version_revise(actor=cw.village_officer, version=first)
    with pytest.raises(ValidationError) as caught:
        actions.version_approve(actor=cw.village_leader, version=second)
    assert "change_explanation" in caught.value.message_dict
    actions.version_approve(actor=cw.village_leader, version=second, change_explanation="新增村务事项")
    actions.version_file(actor=cw.village_officer, version=second)
    first.refresh_from_db()
    assert first.status == Status.IN_FORCE  # still in force while the revision waits
    actions.version_acknowledge(actor=cw.w.officer, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.superseded_at is not None
    assert second.status == Status.IN_FORCE and second.change_explanation == "新增村务事项"
    event = AuditEvent.objects.get(action="catalogue.acknowledge", object_id=str(second.pk))
    assert event.new["superseded"] == 1


def test_revise_refused_to_others(cw):
    first = village_in_force(cw)
    for who in (cw.village_leader, cw.w.member, cw.w.outsider):
        with pytest.raises(PermissionDenied):
            actions.version_revise(actor=who, version=first)


def test_a_top_org_s_catalogue_comes_into_force_when_filed(cw):
    county = cw.w.county
    template = CatalogueTemplate.objects.get(code="committee_basic")
    version = actions.catalogue_create_from_template(actor=cw.county_officer, org=county, template=template)
    grant(cw.w.supervisor, county, "leader")
    actions.version_approve(actor=cw.w.supervisor, version=version)
    actions.version_file(actor=cw.county_officer, version=version)
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE and version.acknowledged_by is None


def test_change_explanation_can_be_set_on_a_draft_only(cw):
    first = village_in_force(cw)
    with pytest.raises(ValidationError):
        actions.version_set_explanation(actor=cw.village_officer, version=first, text="x")
    second = actions.version_revise(actor=cw.village_officer, version=first)
    actions.version_set_explanation(actor=cw.village_officer, version=second, text="调整说明")
    second.refresh_from_db()
    assert second.change_explanation == "调整说明"
    with pytest.raises(ValidationError):
        actions.version_set_explanation(actor=cw.village_officer, version=second, text="\x00")
