"""Handing a stored file back: the detected type, a safe disposition with the Chinese name, and
headers that keep a browser from running what it contains."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from gongkai.files.store import content_disposition, file_response, open_stored, store_upload
from tests.files import samples

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def test_a_document_downloads_as_an_attachment_under_its_chinese_name():
    data = samples.pdf("党务公开")
    stored = store_upload(data, name="关于2026年党务公开工作的通知.pdf", actor=None)
    response = file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2026.pdf\"; filename*=UTF-8''"
        + quote("关于2026年党务公开工作的通知.pdf", safe=""))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Length"] == str(len(data))
    assert body(response) == data


def test_an_image_is_shown_inline():
    stored = store_upload(samples.image("PNG"), name="活动照片.png", actor=None)
    response = file_response(stored)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; filename=\"attachment.png\"; ")
    body(response)


def test_text_is_downloaded_not_shown_so_a_browser_never_renders_it():
    stored = store_upload(b"<b>plain</b>", name="说明.txt", actor=None)
    response = file_response(stored)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    body(response)


@pytest.mark.parametrize(("name", "expected"), [
    ('报告"final".pdf', "attachment; filename=\"_final_.pdf\"; filename*=UTF-8''"
                        "%E6%8A%A5%E5%91%8A%22final%22.pdf"),
    ("a;b.pdf", "attachment; filename=\"a;b.pdf\"; filename*=UTF-8''a%3Bb.pdf"),
    ("通知", "attachment; filename=\"attachment\"; filename*=UTF-8''%E9%80%9A%E7%9F%A5"),
])
def test_the_disposition_quotes_what_needs_quoting(name, expected):
    assert content_disposition(name, inline=False) == expected


def test_a_row_pointing_outside_the_store_is_not_opened():
    stored = store_upload(b"hello", name="a.txt", actor=None)
    stored.path = "../../../../etc/passwd"
    with pytest.raises(ValueError, match="outside the file store"):
        open_stored(stored)
