"""The register: an entry per publication, amendment and withdrawal, in the audit hash chain."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.disclosures import actions
from tests.api.conftest import BACKEND
from tests.disclosures.conftest import DW, approved

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_publication_and_withdrawal_are_registered_and_verifiable(dw: DW) -> None:
    item = approved(dw, doc_number="某镇发〔2026〕12号")
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    actions.disclosure_withdraw(actor=dw.w.officer, item=item, explanation="事项终止")
    actions.disclosure_approve(actor=dw.w.leader, item=item, opinion="同意")
    entries = list(AuditEvent.objects.filter(action__startswith="register.").order_by("seq"))
    assert [e.action for e in entries] == ["register.publish", "register.withdraw"]
    first = entries[0].new
    assert first["register_number"].endswith("D00001") and first["index_number"] == item.index_number
    assert [(s["step"], s["by"]) for s in first["steps"]] == [
        ("review", "李审核"),
        ("secrecy", "赵保密"),
        ("approval", "张书记"),
    ]
    assert entries[1].new["register_number"].endswith("D00002")
    assert verify().ok
    # Tampering with a register entry breaks the chain.
    AuditEvent.objects.filter(pk=entries[0].pk).update(new={**first, "title": "改过的标题"})
    assert not verify().ok


def test_the_register_page_and_export(dw: DW) -> None:
    item = approved(dw, doc_number="某镇发〔2026〕12号")
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    html = _client(dw.w.officer).get("/staff/orgs/town/register/").content.decode()
    assert item.index_number in html and "某镇发〔2026〕12号" in html and "张书记" in html
    # The county's officer (above) sees it too; the bureau's officer does not.
    assert _client(dw.county_officer).get("/staff/orgs/town/register/").status_code == 200
    assert _client(dw.w.outsider).get("/staff/orgs/town/register/").status_code == 404
    response = _client(dw.w.officer).get("/staff/orgs/town/register/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "登记号" and values[1][2] == item.index_number
