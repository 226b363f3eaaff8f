"""Text extracted for screening: read from text, PDF and Office files; images and the old binary
formats are marked as not extracted; a file the parser cannot read is kept and marked failed."""

from __future__ import annotations

import pytest

from gongkai.files import extract
from gongkai.files.models import TextStatus
from gongkai.files.store import store_upload
from tests.files import samples

pytestmark = pytest.mark.django_db


def stored(data: bytes, name: str):
    return store_upload(data, name=name, actor=None)


def test_pdf_text_including_chinese():
    result = stored(samples.pdf("关于党务公开的通知", "联系电话 13800138000"), "通知.pdf")
    assert result.text_status == TextStatus.OK
    assert "关于党务公开的通知" in result.text
    assert "13800138000" in result.text


def test_word_text_includes_headers_where_secrecy_markings_go():
    result = stored(samples.docx("第一段", "第二段", header="机密★1年"), "通知.docx")
    assert result.text_status == TextStatus.OK
    assert result.text.splitlines() == ["第一段", "第二段", "机密★1年"]


def test_excel_text_has_one_line_per_row():
    result = stored(samples.xlsx([["姓名", "身份证号"], ["张三", "110101199003074514"], [None, 3]]),
                    "名单.xlsx")
    assert result.text.splitlines() == ["公开目录", "姓名\t身份证号", "张三\t110101199003074514", "\t3"]


def test_powerpoint_text_in_slide_order():
    slides = [f"第{n}页" for n in range(1, 12)]
    result = stored(samples.pptx(*slides), "汇报.pptx")
    assert result.text.splitlines() == slides  # slide10 after slide9, not after slide1


def test_opendocument_text_and_table_rows():
    content = "<text:h>标题</text:h><text:p>正文<text:span>内容</text:span></text:p>"
    text = stored(samples.odf("text", content), "通知.odt")
    assert text.text.splitlines() == ["标题", "正文内容"]
    rows = ("<table:table><table:table-row><table:table-cell><text:p>张三</text:p></table:table-cell>"
            "<table:table-cell><text:p>一支部</text:p></table:table-cell></table:table-row></table:table>")
    assert stored(samples.odf("spreadsheet", rows), "名单.ods").text == "张三\t一支部\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_plain_text_in_the_encodings_chinese_offices_use(encoding):
    result = stored("姓名,电话\r\n张三,13800138000\r\n".encode(encoding), "名单.csv")
    assert result.text == "姓名,电话\r\n张三,13800138000\r\n"


@pytest.mark.parametrize(("data", "name"), [
    (samples.image("PNG"), "照片.png"),
    (samples.ole("WordDocument"), "旧通知.doc"),
])
def test_images_and_old_binary_formats_are_marked_not_extracted(data, name):
    result = stored(data, name)
    assert (result.text, result.text_status) == ("", TextStatus.UNSUPPORTED)


def test_a_pdf_without_text_is_marked_empty():
    result = stored(samples.pdf(), "扫描件.pdf")
    assert (result.text, result.text_status) == ("", TextStatus.EMPTY)


def test_a_pdf_the_parser_cannot_read_is_kept_and_marked_failed():
    result = stored(b"%PDF-1.7\n" + b"\xff" * 300, "损坏.pdf")
    assert result.pk
    assert (result.text, result.text_status) == ("", TextStatus.FAILED)


def test_long_text_is_cut_and_marked(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 10)
    result = stored("一二三四五六七八九十十一".encode(), "长文.txt")
    assert (result.text, result.text_status) == ("一二三四五六七八九十", TextStatus.TRUNCATED)


def test_an_oversized_xml_part_is_not_decompressed(monkeypatch):
    monkeypatch.setattr(extract, "MAX_PART_BYTES", 100)
    result = stored(samples.docx("段落" * 100), "通知.docx")
    assert result.text_status == TextStatus.FAILED
