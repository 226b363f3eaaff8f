"""What the pre-publication scan finds, and what it must leave alone."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.screening import checks
from gongkai.screening.markup import visible_text
from gongkai.screening.scan import SEVERITY, blocking, scan, scan_html
from tests.screening.screening_samples import (
    CARD_16,
    CARD_19,
    ID_1990,
    ID_X,
    id_number,
    luhn_complete,
    wrong_check,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


# --- ID card numbers -------------------------------------------------------------------------

def test_valid_id_number_is_found_with_its_offsets_label_and_redaction():
    text = f"申请人张三，身份证号{ID_1990}，住址略。"
    [found] = scan(text, field="body")
    assert (found.kind, found.severity, found.field, found.label) == ("id_card", "high", "body", "身份证号")
    assert text[found.start:found.end] == found.text == ID_1990
    assert found.redaction == "110105********1232"
    assert found.blocking and found.redactable


@pytest.mark.parametrize("number", [ID_X, ID_X.lower()])
def test_id_number_with_x_check_character(number):
    assert kinds(f"证件{number}。") == [("id_card", number)]


def test_id_number_in_full_width_digits_and_in_groups():
    full_width = ID_1990.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert kinds(f"号码：{full_width}") == [("id_card", full_width)]
    grouped = f"{ID_1990[:6]} {ID_1990[6:14]} {ID_1990[14:]}"
    assert kinds(f"号码 {grouped} 。") == [("id_card", grouped)]


def test_eighteen_digits_with_a_wrong_checksum_is_not_an_id_number():
    assert kinds(f"身份证号{wrong_check(ID_1990)}") == []
    assert kinds(f"身份证号{wrong_check(ID_X)}") == []


@pytest.mark.parametrize("first17, why", [
    ("11010519901301123", "month 13"),
    ("11010519900230123", "30 February"),
    ("11010518991231123", "born before 1900"),
    ("11010530010101123", "born in the future"),
    ("10010519900101123", "no province 10"),
    ("01010519900101123", "region starting with 0"),
])
def test_checksum_alone_is_not_enough(first17, why):
    assert kinds(f"编号 {id_number(first17)} 。") == [], why


def test_order_number_of_eighteen_digits_is_nothing():
    # A date-led order number: not an ID (checksum and region) and not a card (leads with 2,
    # even though it passes Luhn).
    order = luhn_complete("20190812000123456")
    assert checks.luhn_ok(order) and not checks.is_id_number(order)
    assert kinds(f"订单号{order}已支付") == []


def test_valid_id_number_inside_a_longer_digit_run_is_not_found():
    assert kinds(f"流水号9{ID_1990}") == []
    assert kinds(f"流水号{ID_1990}7") == []


def test_an_id_number_that_also_passes_luhn_is_reported_as_an_id_number_only():
    number = "110105199001010256"
    assert checks.is_id_number(number) and checks.luhn_ok(number)
    assert kinds(number) == [("id_card", number)]


def test_fifteen_digit_old_id_numbers_are_not_detected():
    # Documented limit: first-generation numbers have no checksum and have been invalid since 2013.
    assert kinds("旧证号 110105900101123") == []


# --- mobile numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("written, redaction", [
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138-****-5678"),
    ("138 1234 5678", "138 **** 5678"),
    ("+8613812345678", "+86138****5678"),
    ("+86 138 1234 5678", "+86 138 **** 5678"),
    ("0086-13812345678", "0086-138****5678"),
    ("8613812345678", "86138****5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
])
def test_mobile_numbers_in_their_usual_forms(written, redaction):
    [found] = scan(f"联系电话：{written}，工作日可打。")
    assert (found.kind, found.severity, found.text, found.redaction) == (
        "mobile", "medium", written, redaction)


def test_one_mobile_number_written_two_ways_has_one_key():
    a, b = scan("电话13812345678，或138-1234-5678")
    assert a.key == b.key


@pytest.mark.parametrize("text", [
    "编号201913812345678",      # inside a longer number
    "号码138123456789",          # twelve digits
    "号码12812345678",           # no mobile prefix 12x
    "总额1,380,000,000元",       # an amount with thousands separators
    "日期2023-12-31，20231231",
    "号码138-1234 5678",         # mixed separators: not one number
])
def test_not_a_mobile_number(text):
    assert kinds(text) == []


# --- bank cards ------------------------------------------------------------------------------

@pytest.mark.parametrize("written, redaction", [
    (CARD_19, "***************0128"),
    (CARD_16, "************5671"),
    ("6222 0212 3456 7890 128", "**** **** **** ***0 128"),  # last four digits, separators kept
    ("6228-4800-1234-5671", "****-****-****-5671"),
    ("4111111111111111", "************1111"),
])
def test_luhn_valid_card_numbers(written, redaction):
    [found] = scan(f"开户行略，卡号{written}。")
    assert (found.kind, found.severity, found.text, found.redaction) == (
        "bank_card", "high", written, redaction)


@pytest.mark.parametrize("text", [
    f"卡号{wrong_check(CARD_19)}",             # 19 digits failing Luhn
    f"卡号{CARD_19[:-2]}",                     # 17 digits, no Luhn
    "卡号6222 0212 3456 7890 1280",            # a fifth group of four: 20 digits
    "卡号6222 0212-3456 7890",                 # mixed separators
    f"卡号9{CARD_16}99",                       # part of a longer run
])
def test_not_a_card_number(text):
    assert [k for k, _t in kinds(text) if k == "bank_card"] == []


# --- e-mail and landlines --------------------------------------------------------------------

@pytest.mark.parametrize("written, redaction", [
    ("zhang@example.com", "z***@example.com"),
    ("Li.Si+party@mail.gov.cn", "L***@mail.gov.cn"),
    ("wang＠example.com", "w***＠example.com"),
])
def test_email_addresses(written, redaction):
    [found] = scan(f"来信请寄{written}，谢谢")
    assert (found.kind, found.severity, found.text, found.redaction) == ("email", "low", written, redaction)


def test_mailto_address_is_an_address():
    assert kinds("mailto:zhang@example.com") == [("email", "zhang@example.com")]


@pytest.mark.parametrize("text", [
    "见 https://weibo.com/@gongkai 主页",
    "旧链接 https://user@example.com/path",
    "网址http://a.example.com/x@y.com",
    "@张三 请处理",
    "zhang@localhost",
])
def test_urls_and_mentions_are_not_addresses(text):
    assert kinds(text) == []


def test_landline_numbers_are_low_severity():
    found = scan("监督电话：0571-87654321，(010)62345678")
    assert [(f.kind, f.severity, f.redaction) for f in found] == [
        ("landline", "low", "0571-****4321"), ("landline", "low", "(010)****5678")]


# --- markings --------------------------------------------------------------------------------

@pytest.mark.parametrize("marking", [
    "秘密★1年", "机密★10年", "绝密★长期", "绝密★启用前", "机密 ★ 6个月", "★5年", "【机密】", "[秘密]",
])
def test_classification_markings_block(marking):
    [found] = scan(f"{marking}\n关于某某问题的通报")
    assert (found.kind, found.severity, found.text, found.redaction) == (
        "secrecy_mark", "high", marking, None)


@pytest.mark.parametrize("text, marking", [
    ("秘密\n关于某某问题的通报", "秘密"),
    ("密级：机密　份号：003", "机密"),
    ("本文件涉及绝密事项", "绝密"),
])
def test_level_words_standing_alone_and_juemi_anywhere(text, marking):
    assert kinds(text) == [("secrecy_mark", marking)]


@pytest.mark.parametrize("text", [
    "永远保守党的秘密，对党忠诚",
    "选举采用秘密投票方式",
    "不得泄露国家秘密和商业机密",
    "信息的机密性",
    "所谓“秘密”其实早已公开",
])
def test_ordinary_uses_of_mimi_and_jimi_are_not_markings(text):
    assert kinds(text) == []


@pytest.mark.parametrize("phrase", ["内部资料", "不得外传", "注意保密", "内部文件", "严禁外传"])
def test_internal_markings_are_medium(phrase):
    [found] = scan(f"本材料为{phrase}。")
    assert (found.kind, found.severity, found.redaction) == ("internal_mark", "medium", None)


def test_a_lone_star_run_is_one_low_finding():
    assert [(f.kind, f.severity, f.text) for f in scan("评价：★★★★")] == [("star", "low", "★★★★")]


# --- findings as a whole ---------------------------------------------------------------------

def test_severity_table_covers_every_kind_and_blocking_is_exactly_high():
    assert {k for k, s in SEVERITY.items() if s == "high"} == {"id_card", "bank_card", "secrecy_mark"}
    text = f"秘密★1年 {ID_1990} 13812345678 a@b.com"
    assert [f.kind for f in blocking(scan(text))] == ["secrecy_mark", "id_card"]


def test_keys_are_stable_and_depend_on_field_and_value():
    text = f"身份证{ID_1990}"
    assert scan(text)[0].key == scan("又一次：" + text)[0].key
    assert scan(text, field="title")[0].key != scan(text, field="body")[0].key
    assert scan(text)[0].key != scan(f"身份证{ID_X}")[0].key


def test_context_is_twenty_characters_either_side_on_one_line():
    text = "甲" * 30 + "\n" + "13812345678" + "乙\n" + "丙" * 30
    [found] = scan(text)
    assert found.before == "甲" * 19 + " "
    assert found.after == "乙 " + "丙" * 18
    assert found.excerpt == found.before + "【13812345678】" + found.after


def test_findings_are_in_order_and_do_not_overlap():
    text = f"{CARD_16} 13812345678@163.com {ID_X} 内部资料 zhang@example.com"
    found = scan(text)
    assert [f.kind for f in found] == ["bank_card", "mobile", "id_card", "internal_mark", "email"]
    assert all(a.end <= b.start for a, b in pairwise(found))


# --- HTML bodies -----------------------------------------------------------------------------

def test_html_body_visible_text_is_scanned():
    html = (f'<p class="x">身份证：<strong>{ID_1990[:6]}</strong>{ID_1990[6:]}</p>'
            "<p>电话&nbsp;138&nbsp;1234&nbsp;5678</p><p>邮箱：zhang&#64;example.com</p>")
    found = scan_html(html)
    assert [(f.kind, f.text) for f in found] == [
        ("id_card", ID_1990), ("mobile", "138\xa01234\xa05678"), ("email", "zhang@example.com")]
    text = visible_text(html)
    assert all(text[f.start:f.end] == f.text for f in found)


def test_block_tags_separate_cells_so_they_do_not_join_into_a_number():
    html = f"<table><tr><td>{ID_1990[:9]}</td><td>{ID_1990[9:]}</td></tr></table>"
    assert scan_html(html) == []
    assert scan_html(f"<p>{ID_1990[:9]}<br>{ID_1990[9:]}</p>") == []


def test_script_style_comments_and_attributes_are_not_visible_text():
    html = (f'<script>var id="{ID_1990}";</script><style>.a{{}}</style><!-- {ID_1990} -->'
            f'<a href="mailto:zhang@example.com" title="a>b">联系</a>')
    assert visible_text(html).strip() == "联系"
    assert scan_html(html) == []


@pytest.mark.parametrize("html", [
    "<p>未闭合的<b>标签", "<div <p>>13812345678", "a < b > c &amp;&nbsp;&#0;&#x110000;&#11;",
    "<!-- 没有结束", '<a title="没有结束的引号>13812345678', "<script>13812345678",
    "&copy2023年", "<p>1101051990<i></i>01011232</p>",
])
def test_broken_html_does_not_crash(html):
    for f in scan_html(html):
        assert visible_text(html)[f.start:f.end] == f.text


# --- properties ------------------------------------------------------------------------------

@given(st.text())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_scans_without_error_and_findings_are_slices(text):
    found = scan(text)
    for f in found:
        assert text[f.start:f.end] == f.text
        assert f.redaction is None or f.kind not in {"secrecy_mark", "internal_mark", "star"}
    assert all(a.end <= b.start for a, b in pairwise(found))


_html_pieces = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<br/>", "&nbsp;", "&amp;", "&#49;", "<!--", "-->", "<", ">",
    '"', "1", "3", "8", " ", "-", "@", "x.com", "秘密", "★", "<script>", "</script>",
])


@given(st.lists(st.one_of(_html_pieces, st.text(max_size=5)), max_size=30).map("".join))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_html_scans_without_error(html):
    text = visible_text(html)
    for f in scan_html(html):
        assert text[f.start:f.end] == f.text
