"""The disclosures API, every response checked against the OpenAPI document."""

from __future__ import annotations

import pytest

from gongkai.disclosures.models import Disclosure
from tests.api.conftest import ApiClient
from tests.catalogue.test_api import as_user
from tests.disclosures.conftest import DW

pytestmark = pytest.mark.django_db


def _create(api: ApiClient, dw: DW, **overrides: object) -> dict:
    body = {
        "org": "town",
        "entry_id": dw.entry("1").pk,
        "title": "2026年度党员发展情况公示",
        "body": "<p>经支部大会讨论……</p><script>alert(1)</script>",
        "scope": "public",
        "channels": ["portal"],
        **overrides,
    }
    response = api.post("disclosures", body)
    assert response.status == 201, response.data
    return response.data


def test_the_whole_life_through_the_api(dw: DW) -> None:
    officer = as_user(dw.w.officer)
    item = _create(officer, dw)
    assert "<script>" not in item["body"] and item["status"] == "draft"
    assert item["allowed"] == ["edit", "submit"]
    item_id = item["id"]
    assert officer.post(f"disclosures/{item_id}/actions/submit", {}).data["status"] == "in_review"
    # Not the officer's turn; the reviewer's opinion carries through.
    assert officer.post(f"disclosures/{item_id}/actions/approve", {}).status == 403
    reviewer = as_user(dw.w.reviewer)
    got = reviewer.get(f"disclosures/{item_id}").data
    assert got["allowed"] == ["approve", "return"]
    reviewer.post(f"disclosures/{item_id}/actions/approve", {"opinion": "准确"})
    as_user(dw.w.secrecy).post(f"disclosures/{item_id}/actions/approve", {"opinion": "不涉密"})
    approved = as_user(dw.w.leader).post(f"disclosures/{item_id}/actions/approve", {"opinion": "同意"})
    assert approved.status == 200 and approved.data["status"] == "approved"
    again = as_user(dw.w.leader).post(f"disclosures/{item_id}/actions/approve", {})
    assert again.status == 409 and again.error["code"] == "conflict"
    published = officer.post(f"disclosures/{item_id}/actions/publish", {})
    assert published.data["status"] == "published"
    anonymous = ApiClient()
    assert anonymous.get(f"disclosures/{item_id}").status == 200
    assert anonymous.get(f"disclosures/{item_id}").data["tasks"] == []  # working papers stay inside
    assert anonymous.get(f"disclosures/{item_id}/history").status == 401
    assert as_user(dw.w.outsider).get(f"disclosures/{item_id}/history").status == 404
    history = officer.get(f"disclosures/{item_id}/history").data
    assert [t["step"] for t in history["workflows"][0]["tasks"]] == ["review", "secrecy", "approval"]


def test_drafts_and_narrow_items_are_404_to_outsiders(dw: DW) -> None:
    officer = as_user(dw.w.officer)
    draft = _create(officer, dw)
    assert ApiClient().get(f"disclosures/{draft['id']}").status == 404
    assert as_user(dw.w.outsider).get(f"disclosures/{draft['id']}").status == 404
    assert as_user(dw.w.member).get(f"disclosures/{draft['id']}").status == 404
    listed = as_user(dw.w.outsider).get("disclosures").data
    assert listed["count"] == 0
    assert as_user(dw.w.outsider).post(f"disclosures/{draft['id']}/actions/submit", {}).status == 404


def test_bad_input_changes_nothing(dw: DW) -> None:
    officer = as_user(dw.w.officer)
    before = Disclosure.objects.count()
    bad = officer.post(
        "disclosures",
        {
            "org": "town",
            "entry_id": dw.entry("1").pk,
            "title": "x",
            "scope": "targeted",
            "channels": ["portal"],
        },
    )
    assert bad.status == 400 and "公开对象" in bad.error["message"]
    bad = officer.post(
        "disclosures", {"org": "town", "title": "x", "scope": "public", "channels": ["portal"]}
    )
    assert bad.status == 400 and "目录外" in bad.error["message"]
    bad = officer.post(
        "disclosures",
        {"org": "town", "entry_id": dw.entry("1").pk, "title": "x", "scope": "public", "channels": ["fax"]},
    )
    assert bad.status == 400 and "fax" in bad.error["message"]
    assert Disclosure.objects.count() == before
    item = _create(officer, dw)
    returned = as_user(dw.w.reviewer).post(f"disclosures/{item['id']}/actions/return", {"opinion": ""})
    assert returned.status in (400, 409)


def test_findings_are_listed_to_staff_and_redacted_through_the_api(dw: DW) -> None:
    officer = as_user(dw.w.officer)
    item = _create(officer, dw, body="<p>联系人身份证 11010519491231002X</p>")
    officer.post(f"disclosures/{item['id']}/actions/submit", {})
    secrecy = as_user(dw.w.secrecy)
    findings = secrecy.get(f"disclosures/{item['id']}").data["findings"]
    assert [(f["kind"], f["status"]) for f in findings] == [("id_card", "open")]
    assert secrecy.post(f"disclosures/{item['id']}/actions/redact", {}).status == 400
    done = secrecy.post(f"disclosures/{item['id']}/actions/redact", {"finding": findings[0]["key"]})
    assert done.status == 200 and "110105********002X" in done.data["body"]
    assert done.data["findings"][0]["status"] == "redacted"


def test_attachments_upload_screen_and_download_through_the_gate(dw: DW) -> None:
    officer = as_user(dw.w.officer)
    item = _create(officer, dw)
    text = "附件：困难党员名单\n王某 11010519491231002X\n".encode()
    upload = officer.client.post(f"/api/v1/disclosures/{item['id']}/attachments",
                                 {"file": _named(text, "名单.txt")})
    assert upload.status_code == 200, upload.content
    forged = officer.client.post(f"/api/v1/disclosures/{item['id']}/attachments",
                                 {"file": _named(b"MZ\x90\x00" + b"\x00" * 200, "通知.pdf")})
    assert forged.status_code == 400 and "扩展名" in forged.json()["error"]["message"]
    detail = officer.get(f"disclosures/{item['id']}").data
    (attachment,) = detail["attachments"]
    assert attachment["name"] == "名单.txt" and attachment["text_status"] == "ok"
    officer.post(f"disclosures/{item['id']}/actions/submit", {})
    findings = as_user(dw.w.secrecy).get(f"disclosures/{item['id']}").data["findings"]
    assert [(f["field"].split(":")[0], f["kind"], f["redactable"]) for f in findings] == [
        ("attachment", "id_card", False)]
    # A draft's attachment is not for the public; the org's officer downloads it.
    url = f"/api/v1/disclosures/{item['id']}/attachments/{attachment['id']}"
    assert ApiClient().client.get(url).status_code == 404
    got = officer.client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith("附件".encode())
    assert officer.client.get(f"/api/v1/disclosures/{item['id']}/attachments/999999").status_code == 404


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
