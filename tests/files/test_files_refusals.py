"""Refused uploads: wrong type, forged extension, oversize, empty, macros, encryption. Each says
why, names the file, and leaves nothing behind, neither a row nor a file."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.files.models import StoredFile
from gongkai.files.store import store_upload
from tests.files import samples
from tests.files.conftest import stored_blobs

pytestmark = pytest.mark.django_db


def refusal(data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        store_upload(SimpleUploadedFile(name, data), actor=None)
    return excinfo.value


@pytest.fixture(autouse=True)
def _nothing_left(files_dir):
    yield
    assert StoredFile.objects.count() == 0
    assert stored_blobs(files_dir) == []


@pytest.mark.parametrize(("name", "data", "content"), [
    ("通知.pdf", samples.EXE, "Windows 可执行程序"),
    ("通知.pdf", samples.ELF, "Linux 可执行程序"),
    ("通知.pdf", samples.HTML, "HTML/XML 网页"),
    ("说明.txt", samples.HTML, "HTML/XML 网页"),
    ("照片.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "HTML/XML 网页"),
    ("通知.pdf", samples.image("PNG"), "PNG 图片"),
    ("照片.png", samples.pdf("党务公开"), "PDF 文档"),
    ("通知.docx", samples.plain_zip(), "压缩包"),
    ("通知.xlsx", samples.docx("正文"), "Word 文档"),
    ("通知.doc", samples.ole("Root"), "OLE 复合文档"),  # an installer is OLE2 too
    ("名单.txt", bytes(range(256)) * 4, "无法识别的二进制文件"),
])
def test_an_extension_that_disagrees_with_the_content_is_refused(name, data, content):
    error = refusal(data, name)
    assert error.code == "forged_extension"
    assert f"「{name}」：文件扩展名与内容不符" in error.messages[0]
    assert content in error.messages[0]


@pytest.mark.parametrize(("name", "data"), [
    ("setup.exe", samples.EXE),
    ("名单.zip", samples.plain_zip()),
    ("页面.html", samples.HTML),
    ("图.svg", b"<svg/>"),
    ("通知.docm", samples.docx("正文")),
])
def test_a_kind_not_on_the_allow_list_is_refused_by_its_extension(name, data):
    error = refusal(data, name)
    assert error.code == "type_not_allowed"
    assert f"不允许上传 .{name.rsplit('.', 1)[1]} 文件" in error.messages[0]
    assert "pdf、doc、docx" in error.messages[0]  # says what is allowed


@pytest.mark.parametrize(("data", "content"), [
    (samples.EXE, "Windows 可执行程序"), (samples.plain_zip(), "压缩包"), (samples.HTML, "HTML"),
])
def test_without_an_extension_the_content_must_be_allowed(data, content):
    error = refusal(data, "程序")
    assert error.code == "type_not_allowed"
    assert content in error.messages[0]


def test_macros_are_refused_even_under_an_innocent_extension():
    assert refusal(samples.docx("正文", macro=True), "通知.docx").code == "macro"
    assert refusal(samples.ole("WordDocument", "Macros", "VBA"), "通知.doc").code == "macro"
    odt_with_script = samples.zip_of(
        {"content.xml": "<x/>", "Basic/Standard/Module1.xml": "<script/>"},
        first=("mimetype", b"application/vnd.oasis.opendocument.text"))
    error = refusal(odt_with_script, "通知.odt")
    assert error.code == "macro"
    assert "文档含有宏" in error.messages[0]


def test_a_stream_name_inside_the_content_does_not_make_an_installer_a_document():
    # Only a directory entry (at a multiple of 128 bytes) counts, not the same bytes elsewhere.
    entry = ("WordDocument\x00".encode("utf-16-le").ljust(64, b"\x00") + (26).to_bytes(2, "little"))
    installer = samples.ole("Root") + b"\x00" * 3 + entry
    assert refusal(installer, "通知.doc").code == "forged_extension"


def test_an_encrypted_office_document_is_refused_because_it_cannot_be_screened():
    # Word and Excel wrap a password-protected .docx/.xlsx in an OLE2 file.
    error = refusal(samples.ole("EncryptedInfo", "EncryptedPackage"), "名单.xlsx")
    assert error.code == "encrypted"
    assert "去除密码" in error.messages[0]


def test_a_broken_zip_is_refused_as_damaged():
    error = refusal(samples.docx("正文")[:200], "通知.docx")
    assert error.code == "corrupt"


def test_an_empty_file_is_refused():
    error = refusal(b"", "空白.pdf")
    assert error.code == "empty"
    assert error.messages == ["「空白.pdf」：文件是空的"]


def test_an_oversize_upload_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    error = refusal(b"a" * (1024 * 1024 + 1), "大文件.txt")
    assert error.code == "too_large"
    assert error.messages == ["「大文件.txt」：文件超过大小上限 1 MB"]


class Endless(io.RawIOBase):
    """A stream of unknown size that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_a_stream_of_unknown_size_is_read_only_up_to_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    stream = Endless()
    with pytest.raises(ValidationError) as excinfo:
        store_upload(File(stream, name="管道.txt"), actor=None)
    assert excinfo.value.code == "too_large"
    assert stream.read_bytes <= 256 * 1024 + 64 * 1024
