"""Storing an upload: allowed kinds are kept under their content address with the type read
from the bytes; the same bytes are kept once; the uploader and a clean name are recorded."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.files.models import StoredFile
from gongkai.files.store import clean_name, store_upload
from gongkai.testing import UserFactory
from tests.files import samples
from tests.files.conftest import stored_blobs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("关于2026年党务公开工作的通知.pdf", samples.pdf("党务公开"), "application/pdf"),
    ("照片.png", samples.image("PNG"), "image/png"),
    ("照片.JPG", samples.image("JPEG"), "image/jpeg"),
    ("照片.jpeg", samples.image("JPEG"), "image/jpeg"),
    ("动图.gif", samples.image("GIF"), "image/gif"),
    ("图.webp", samples.image("WEBP"), "image/webp"),
    ("公开目录.xlsx", samples.xlsx([["事项", "时限"], ["党费收缴", "每季度"]]),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("通知.docx", samples.docx("第一段"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("汇报.pptx", samples.pptx("第一页"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("通知.odt", samples.odf("text", "<text:p>第一段</text:p>"), "application/vnd.oasis.opendocument.text"),
    ("表.ods", samples.odf("spreadsheet", ""), "application/vnd.oasis.opendocument.spreadsheet"),
    ("旧通知.doc", samples.ole("WordDocument", "1Table"), "application/msword"),
    ("旧表格.xls", samples.ole("Workbook"), "application/vnd.ms-excel"),
    ("旧汇报.ppt", samples.ole("PowerPoint Document"), "application/vnd.ms-powerpoint"),
    ("名单.txt", "张三\n李四\n".encode(), "text/plain"),
    ("名单.csv", "姓名,支部\n张三,一支部\n".encode("gbk"), "text/csv"),
    ("公文.ofd", samples.zip_of({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<d/>"}), "application/ofd"),
])
def test_allowed_kind_is_stored_with_the_type_read_from_its_bytes(files_dir, name, data, content_type):
    stored = store_upload(SimpleUploadedFile(name, data, content_type="application/x-anything"),
                          actor=None)
    sha256 = hashlib.sha256(data).hexdigest()
    assert stored.content_type == content_type  # the browser's claim is ignored
    assert (stored.sha256, stored.size, stored.original_name) == (sha256, len(data), name)
    assert stored.extension == name.rsplit(".", 1)[1].lower()
    assert stored.path == f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
    assert (files_dir / stored.path).read_bytes() == data
    assert stored_blobs(files_dir) == [files_dir / stored.path]  # the temporary file is gone


def test_same_bytes_are_kept_once_but_each_upload_has_its_row(files_dir):
    data = samples.pdf("党务公开")
    officer = UserFactory.create(username="officer-files")
    first = store_upload(data, name="一.pdf", actor=officer)
    second = store_upload(SimpleUploadedFile("二.pdf", data), actor=None)
    assert first.pk != second.pk
    assert first.path == second.path
    assert [s.original_name for s in StoredFile.objects.order_by("id")] == ["一.pdf", "二.pdf"]
    assert stored_blobs(files_dir) == [files_dir / first.path]
    assert first.created_by == officer
    assert second.created_by is None
    assert second.text == first.text


def test_a_damaged_copy_in_the_store_is_replaced(files_dir):
    data = samples.pdf("党务公开")
    stored = store_upload(data, name="一.pdf", actor=None)
    (files_dir / stored.path).write_bytes(data[:10])
    store_upload(data, name="一.pdf", actor=None)
    assert (files_dir / stored.path).read_bytes() == data


def test_exactly_the_size_limit_is_allowed(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert store_upload(b"a" * 1024, name="刚好.txt", actor=None).size == 1024


def test_a_missing_extension_is_added_from_the_content():
    stored = store_upload(samples.image("PNG"), name="微信图片", actor=None)
    assert (stored.original_name, stored.extension, stored.content_type) == (
        "微信图片.png", "png", "image/png")


@pytest.mark.parametrize(("raw", "clean"), [
    ("C:\\Users\\张三\\Desktop\\关于2026年党务公开的通知.pdf", "关于2026年党务公开的通知.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("\u202egpj.exe", "gpj.exe"),  # a right-to-left override would show it as "exe.jpg"
    ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
    ("  ..名单 \t 2026 .csv", "名单 2026.csv"),
    ("...", "未命名"),
    ("", "未命名"),
])
def test_names_keep_chinese_and_lose_paths_and_tricks(raw, clean):
    assert clean_name(raw) == clean


def test_long_names_are_cut_from_the_stem_and_keep_the_extension():
    name = clean_name("党" * 200 + ".docx")
    assert name.endswith("党.docx")
    assert len(name.encode()) <= 240
