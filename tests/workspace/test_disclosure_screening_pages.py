# ruff: noqa: F811 -- the `dw` fixture is imported from tests/disclosures and named by the tests
"""The screening and attachments panel of an item's staff page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.disclosures import actions
from gongkai.disclosures.models import FindingStatus
from tests.api.conftest import BACKEND
from tests.disclosures.conftest import DW, dw, proposed  # noqa: F401 -- dw: the fixture

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_redact_and_override_from_the_page(dw: DW) -> None:
    item = proposed(dw, body=f"<p>身份证 {ID}</p><p>密级：秘密★1年</p>")
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    page = _client(dw.w.secrecy).get(f"/staff/disclosures/{item.pk}/").content.decode()
    assert "阻止发布" in page and "一键脱敏" in page and "确认可公开" in page
    id_card = item.findings.get(kind="id_card")
    mark = item.findings.get(kind="secrecy_mark")
    # The reviewer may redact but not override; an outsider gets 404.
    assert (
        _client(dw.w.reviewer)
        .post(f"/staff/disclosures/{item.pk}/findings/{mark.key}/override/", {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        _client(dw.w.outsider)
        .post(f"/staff/disclosures/{item.pk}/findings/{id_card.key}/redact/")
        .status_code
        == 404
    )
    response = _client(dw.w.reviewer).post(f"/staff/disclosures/{item.pk}/findings/{id_card.key}/redact/")
    assert response.status_code == 302
    id_card.refresh_from_db()
    assert id_card.status == FindingStatus.REDACTED and ID not in id_card.excerpt
    # An override without a reason changes nothing and says why.
    secrecy = _client(dw.w.secrecy)
    secrecy.post(f"/staff/disclosures/{item.pk}/findings/{mark.key}/override/", {"reason": ""})
    mark.refresh_from_db()
    assert mark.status == FindingStatus.OPEN
    secrecy.post(f"/staff/disclosures/{item.pk}/findings/{mark.key}/override/", {"reason": "已经解密"})
    mark.refresh_from_db()
    assert mark.status == FindingStatus.OVERRIDDEN and mark.reason == "已经解密"


def test_attachments_upload_and_download(dw: DW) -> None:
    item = proposed(dw)
    officer = _client(dw.w.officer)
    response = officer.post(
        f"/staff/disclosures/{item.pk}/attachments/",
        {"file": SimpleUploadedFile("说明.txt", "附件正文".encode())},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    (file_id,) = item.current.attachment_ids
    forged = officer.post(
        f"/staff/disclosures/{item.pk}/attachments/",
        {"file": SimpleUploadedFile("通知.pdf", b"MZ\x90\x00" + b"\x00" * 100)},
        follow=True,
    )
    assert "扩展名" in forged.content.decode()
    item.refresh_from_db()
    assert item.current.attachment_ids == [file_id]
    got = officer.get(f"/staff/disclosures/{item.pk}/attachments/{file_id}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == "附件正文".encode()
    assert (
        _client(dw.w.outsider).get(f"/staff/disclosures/{item.pk}/attachments/{file_id}/").status_code == 404
    )
    assert "说明.txt" in officer.get(f"/staff/disclosures/{item.pk}/").content.decode()
