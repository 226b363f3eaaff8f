"""Screening in the procedure: findings at submission, one-click redaction into a new revision
(without restarting the procedure), publication blocked by an open high-severity finding,
override by the secrecy reviewer with an audited reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.disclosures import actions, screening_actions
from gongkai.disclosures.models import Disclosure, FindingStatus, ItemStatus
from gongkai.orgs.permissions import PermissionDenied
from tests.disclosures.conftest import DW, proposed

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"  # GB 11643 checksum valid


def _through_approval(dw: DW, item: Disclosure) -> Disclosure:
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        item = actions.disclosure_approve(actor=who, item=item, opinion="同意")
    return item


def test_an_id_number_blocks_publication_until_redacted(dw: DW) -> None:
    item = proposed(dw, body=f"<p>困难党员王某（身份证号 <b>{ID}</b>）获慰问金500元。</p>")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    finding = item.findings.get()
    assert (finding.kind, finding.severity, finding.status) == ("id_card", "high", FindingStatus.OPEN)
    item = _through_approval(dw, item)
    with pytest.raises(actions.Conflict, match="身份证"):
        actions.disclosure_publish(actor=dw.w.officer, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.APPROVED

    screening_actions.finding_redact(actor=dw.w.secrecy, item=item, key=finding.key)
    item.refresh_from_db()
    assert "110105********002X" in item.current.body and ID not in item.current.body
    assert "<b>" in item.current.body and item.current.number == 2
    assert item.status == ItemStatus.APPROVED  # masking did not restart the procedure
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    assert Disclosure.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED
    assert item.revisions.get(number=1).body.count(ID) == 1  # the history keeps what was there


def test_a_marking_needs_an_override_with_a_reason_by_the_secrecy_reviewer(dw: DW) -> None:
    item = proposed(dw, body="<p>密级：秘密★1年</p><p>请各支部传达。</p>")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    finding = item.findings.get()
    assert finding.kind == "secrecy_mark" and finding.severity == "high" and not finding.redactable
    with pytest.raises(ValidationError):
        screening_actions.finding_redact(actor=dw.w.secrecy, item=item, key=finding.key)
    with pytest.raises(PermissionDenied):
        screening_actions.finding_override(actor=dw.w.reviewer, item=item, key=finding.key, reason="可以")
    with pytest.raises(ValidationError):
        screening_actions.finding_override(actor=dw.w.secrecy, item=item, key=finding.key, reason=" ")
    screening_actions.finding_override(actor=dw.w.secrecy, item=item, key=finding.key,
                                       reason="该标注系沿用旧模板，内容已经解密审批")
    item = _through_approval(dw, item)
    actions.disclosure_publish(actor=dw.w.officer, item=item)  # no longer blocked
    assert AuditEvent.objects.filter(action="disclosure.screening_override").get().reason.startswith("该标注")


def test_an_edit_that_removes_the_number_closes_the_finding(dw: DW) -> None:
    item = proposed(dw, title=f"关于{ID}的说明")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    assert item.findings.get().field == "title"
    actions.disclosure_update(actor=dw.w.officer, item=item, data={"title": "关于困难党员慰问的说明"})
    assert item.findings.get().status == FindingStatus.GONE
