"""The five-step procedure: who does each step, binding approvals to revisions, returning,
escalation, publication, obligations, amendment, withdrawal, reposting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Obligation
from gongkai.disclosures import actions, gate
from gongkai.disclosures.models import Disclosure, ItemStatus, Step, TaskStatus, WorkflowStatus
from gongkai.orgs.permissions import PermissionDenied
from tests.disclosures.conftest import DW, approved, item_data, proposed

pytestmark = pytest.mark.django_db


def _steps(item: Disclosure) -> list[tuple[str, str]]:
    workflow = item.workflows.order_by("-id").first()
    assert workflow is not None
    return [(t.step, t.status) for t in workflow.tasks.order_by("position")]


def test_the_whole_procedure_in_order(dw: DW) -> None:
    item = proposed(dw)
    assert item.index_number.startswith(f"town-{timezone.localdate().year}-0000")
    assert item.status == ItemStatus.DRAFT and item.current.number == 1
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW
    assert _steps(item) == [("review", "active"), ("secrecy", "waiting"), ("approval", "waiting")]
    # Out of turn: the leader cannot approve while review is pending; nobody passes their own.
    with pytest.raises(PermissionDenied):
        actions.disclosure_approve(actor=dw.w.leader, item=item)
    with pytest.raises(PermissionDenied):
        actions.disclosure_approve(actor=dw.w.secrecy, item=item)
    actions.disclosure_approve(actor=dw.w.reviewer, item=item, opinion="内容准确")
    actions.disclosure_approve(actor=dw.w.secrecy, item=item, opinion="不涉密")
    actions.disclosure_approve(actor=dw.w.leader, item=item, opinion="同意公开")
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert [s for s, st in _steps(item) if st == "approved"] == ["review", "secrecy", "approval"]
    with pytest.raises(actions.Conflict):  # approving twice
        actions.disclosure_approve(actor=dw.w.leader, item=item)

    actions.disclosure_publish(actor=dw.w.officer, item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_revision_id == item.current_id
    assert gate.can_view(None, item)  # public: an anonymous visitor sees it
    assert verify().ok
    actions_seen = set(
        AuditEvent.objects.filter(object_type="disclosures.disclosure").values_list("action", flat=True)
    )
    assert {
        "disclosure.create",
        "disclosure.submit",
        "disclosure.approve.review",
        "disclosure.approve.secrecy",
        "disclosure.approve.approval",
        "disclosure.publish",
    } <= actions_seen


def test_the_proposer_cannot_pass_their_own_item_even_holding_the_role(dw: DW) -> None:
    from gongkai.orgs.models import Role
    from gongkai.testing import grant

    grant(dw.w.officer, dw.w.town, Role.REVIEWER)
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    with pytest.raises(PermissionDenied):
        actions.disclosure_approve(actor=dw.w.officer, item=item)


def test_an_edit_after_approval_sends_it_back_to_review(dw: DW) -> None:
    item = approved(dw)
    actions.disclosure_update(actor=dw.w.officer, item=item, data={"title": "关于党费收缴情况的公示（修订）"})
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW and item.current.number == 2
    assert _steps(item)[0] == ("review", "active")
    assert item.workflows.filter(status=WorkflowStatus.CANCELLED).count() == 1
    with pytest.raises(actions.Conflict):
        actions.disclosure_publish(actor=dw.w.officer, item=item)


def test_returning_needs_an_opinion_and_goes_back_to_the_officer(dw: DW) -> None:
    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    with pytest.raises(ValidationError):
        actions.disclosure_return(actor=dw.w.reviewer, item=item, opinion=" ")
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.IN_REVIEW
    actions.disclosure_return(actor=dw.w.reviewer, item=item, opinion="数据有误，请核实")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    assert _steps(item) == [("review", "returned"), ("secrecy", "cancelled"), ("approval", "cancelled")]
    actions.disclosure_submit(actor=dw.w.officer, item=item)  # resubmitted after correction
    assert _steps(Disclosure.objects.get(pk=item.pk))[0] == ("review", "active")


def test_publishing_before_approval_is_refused(dw: DW) -> None:
    item = proposed(dw)
    with pytest.raises(actions.Conflict):
        actions.disclosure_publish(actor=dw.w.officer, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.DRAFT


def test_off_catalogue_items_need_a_reason_and_go_to_the_superior(dw: DW) -> None:
    with pytest.raises(ValidationError):
        actions.disclosure_create(actor=dw.w.officer, org=dw.w.town, data=item_data())
    item = actions.disclosure_create(
        actor=dw.w.officer, org=dw.w.town, data=item_data(), off_catalogue_reason="群众关注的临时事项"
    )
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert [s for s, _st in _steps(item)] == ["review", "secrecy", "approval", "superior"]
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        actions.disclosure_approve(actor=who, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):  # the town's leader cannot decide the county's step
        actions.disclosure_approve(actor=dw.w.leader, item=item)
    actions.disclosure_approve(
        actor=dw.county_leader,
        item=item,
        opinion="同意",
        details={
            "meeting": {
                "name": "县委常委会",
                "date": "2026-11-20",
                "attendees": "常委7人",
                "result": "同意公开",
            }
        },
    )
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_a_wider_scope_than_the_entry_escalates_and_manual_escalation_works(dw: DW) -> None:
    assert dw.entry("1").scope == "public"  # so "party" is narrower: no automatic escalation
    item = proposed(dw, scope="party")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy):
        actions.disclosure_approve(actor=who, item=item)
    with pytest.raises(ValidationError):
        actions.disclosure_escalate(actor=dw.w.leader, item=item, opinion="")
    actions.disclosure_escalate(actor=dw.w.leader, item=item, opinion="涉及全县，报县委审批")
    assert _steps(item)[-1] == ("superior", "active")
    actions.disclosure_approve(actor=dw.county_leader, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_risk_assessment_needs_an_opinion_on_each_aspect(dw: DW) -> None:
    item = proposed(dw, risk_assessment=True)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    actions.disclosure_approve(actor=dw.w.secrecy, item=item)
    assert _steps(item)[2] == ("risk", "active")
    with pytest.raises(ValidationError, match="可控性"):
        actions.disclosure_approve(
            actor=dw.w.reviewer,
            item=item,
            details={
                "risk": {
                    "legality": "合法",
                    "reasonableness": "合理",
                    "feasibility": "可行",
                    "public_opinion": "低",
                }
            },
        )
    actions.disclosure_approve(
        actor=dw.w.reviewer,
        item=item,
        details={
            "risk": {
                "legality": "合法",
                "reasonableness": "合理",
                "feasibility": "可行",
                "controllability": "可控",
                "public_opinion": "低",
            }
        },
    )
    assert _steps(item)[3] == ("approval", "active")


def test_publishing_fulfils_the_entrys_obligation_and_says_whether_on_time(dw: DW) -> None:
    from gongkai.catalogue import obligations

    obligations.derive(years=[timezone.localdate().year])
    open_before = Obligation.objects.filter(org=dw.w.town, fulfilled_at__isnull=True).count()
    item = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    done = Obligation.objects.filter(item_id=item.pk).first()
    if open_before:
        assert done is not None and done.fulfilled_at is not None
        assert item.index_number in done.fulfilment_note
    else:  # the yearly period of this year has not begun before the catalogue took force
        assert done is None


def test_a_prompt_entry_item_owes_its_publication_from_the_event_date(dw: DW) -> None:
    item = actions.disclosure_create(
        actor=dw.w.officer,
        org=dw.w.town,
        data=item_data(event_date="2026-09-30", scope=dw.entry("2").scope),
        entry_id=dw.entry("2").pk,
    )
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    owed = Obligation.objects.get(period=f"item-{item.pk}")
    # Five working days after Wednesday 30 September 2026: Oct 1-7 National Day, Oct 8, 9,
    # Saturday Oct 10 (make-up), Oct 12, 13.
    assert owed.due_date.isoformat() == "2026-10-13"
    # Deriving the catalogue's periods again leaves items' own obligations alone, including
    # one whose event comes after the catalogue took force.
    from gongkai.catalogue import obligations

    later = actions.disclosure_create(
        actor=dw.w.officer,
        org=dw.w.town,
        entry_id=dw.entry("2").pk,
        data=item_data(
            event_date=(timezone.localdate() + timedelta(days=1)).isoformat(), scope=dw.entry("2").scope
        ),
    )
    actions.disclosure_submit(actor=dw.w.officer, item=later)
    obligations.derive(
        years=sorted({2026, timezone.localdate().year, (timezone.localdate() + timedelta(days=1)).year})
    )
    assert Obligation.objects.filter(pk=owed.pk).exists()
    assert Obligation.objects.filter(period=f"item-{later.pk}").exists()
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        actions.disclosure_approve(actor=who, item=item)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    owed.refresh_from_db()
    assert owed.item_id == item.pk and owed.fulfilled_at is not None


def test_amendment_and_withdrawal_go_through_approval(dw: DW) -> None:
    item = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    with pytest.raises(ValidationError):
        actions.disclosure_amend(actor=dw.w.officer, item=item, data={"title": "更正"}, explanation="")
    actions.disclosure_amend(
        actor=dw.w.officer,
        item=item,
        data={"title": "关于党费收缴情况的公示（更正）"},
        explanation="更正第三段金额",
    )
    item.refresh_from_db()
    assert item.title == "关于2026年党费收缴情况的公示"  # readers still see the published text
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        actions.disclosure_approve(actor=who, item=item)
    item.refresh_from_db()
    assert item.title.endswith("（更正）") and item.published_revision.number == 2
    assert item.revisions.count() == 2  # the old text stays in the history

    actions.disclosure_withdraw(actor=dw.w.officer, item=item, explanation="事项已终止")
    assert gate.can_view(None, Disclosure.objects.get(pk=item.pk))  # until the leader agrees
    actions.disclosure_approve(actor=dw.w.leader, item=item, opinion="同意撤销")
    item = Disclosure.objects.prefetch_related("labels").get(pk=item.pk)
    assert item.status == ItemStatus.WITHDRAWN and item.withdrawal_explanation == "事项已终止"
    assert not gate.can_view(None, item) and not gate.visible_to(None).filter(pk=item.pk).exists()


def test_a_repost_links_to_the_original_and_is_never_wider(dw: DW) -> None:
    from gongkai.orgs.models import Role
    from gongkai.testing import UserFactory, affiliate, grant

    village_officer = UserFactory.create(username="vofficer2", real_name="村专员")
    grant(village_officer, dw.w.village, Role.OFFICER)
    affiliate(village_officer, dw.w.village)  # a party member there: sees the town's party items
    original = approved(dw, scope="party")
    actions.disclosure_publish(actor=dw.w.officer, item=original)
    original = Disclosure.objects.get(pk=original.pk)
    with pytest.raises(ValidationError):
        actions.disclosure_repost(actor=village_officer, original=original, org=dw.w.village, scope="public")
    copy = actions.disclosure_repost(actor=village_officer, original=original, org=dw.w.village)
    assert copy.reposted_from_id == original.pk and copy.scope == "party" and copy.status == ItemStatus.DRAFT
    with pytest.raises(ValidationError):
        actions.disclosure_repost(actor=dw.w.officer, original=original, org=dw.w.town)  # not a superior's


def test_display_end_and_staged_release_are_decided_at_read_time(dw: DW) -> None:
    now = timezone.now()
    item = approved(
        dw,
        scope="party",
        public_from=(now + timedelta(days=3)).isoformat(),
        display_until=(now + timedelta(days=10)).isoformat(),
    )
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    item = Disclosure.objects.prefetch_related("labels").get(pk=item.pk)
    assert not gate.can_view(None, item, now + timedelta(hours=1))
    assert gate.can_view(None, item, now + timedelta(days=4))
    assert not gate.can_view(None, item, now + timedelta(days=11))
    # Party first: a party member of a branch below the town reads it at once; the bureau's
    # officer (no membership under the town) only once it opens to the public.
    assert gate.can_view(dw.w.member, item, now + timedelta(hours=1))
    assert not gate.can_view(dw.w.outsider, item, now + timedelta(hours=1))
    assert gate.can_view(dw.w.outsider, item, now + timedelta(days=4))
    for moment in (now + timedelta(hours=1), now + timedelta(days=4), now + timedelta(days=11)):
        assert gate.visible_to(None, moment).filter(pk=item.pk).exists() == gate.can_view(None, item, moment)


def test_tasks_appear_in_the_right_inbox(dw: DW) -> None:
    from gongkai.disclosures.queries import tasks_for

    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert [t.step for t in tasks_for(dw.w.reviewer)] == [Step.REVIEW]
    assert list(tasks_for(dw.w.secrecy)) == [] and list(tasks_for(dw.w.officer)) == []
    actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    assert [t.step for t in tasks_for(dw.w.secrecy)] == [Step.SECRECY]
    task = tasks_for(dw.w.secrecy)[0]
    assert task.due_date is not None and task.status == TaskStatus.ACTIVE


def test_each_step_notifies_the_people_who_decide_it(dw: DW) -> None:
    from gongkai.notify.models import Notification

    item = proposed(dw)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    told = Notification.objects.filter(kind="disclosure_task")
    assert list(told.values_list("recipient__username", flat=True)) == ["reviewer"]
    assert told.get().url == f"/staff/disclosures/{item.pk}/" and "审核" in told.get().subject
    actions.disclosure_approve(actor=dw.w.reviewer, item=item)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["reviewer", "secrecy"]


def test_an_edit_that_changes_nothing_keeps_the_revision_and_the_procedure(dw: DW) -> None:
    # Times given in Beijing time come back from the database in UTC: still the same content.
    item = proposed(dw, go_live_at="2026-12-20T09:00:00+08:00", display_until="2026-12-30T18:00:00+08:00")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    actions.disclosure_update(
        actor=dw.w.officer,
        item=Disclosure.objects.get(pk=item.pk),
        data={"go_live_at": "2026-12-20T01:00:00+00:00"},
    )
    item.refresh_from_db()
    assert item.current.number == 1 and _steps(item)[0] == ("review", "active")
    assert item.workflows.count() == 1
