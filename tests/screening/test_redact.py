"""One-click redaction: the masked forms, every occurrence, nothing else changed, markup kept."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.screening.markup import visible_text
from gongkai.screening.redact import FindingGone, NotRedactable, redact, redact_html
from gongkai.screening.scan import Finding, scan, scan_html
from tests.screening.screening_samples import CARD_19, ID_1990, cards, emails, ids, mobiles


def only(text: str, kind: str, *, html: bool = False) -> Finding:
    [found] = [f for f in (scan_html(text) if html else scan(text)) if f.kind == kind]
    return found


@pytest.mark.parametrize("text, kind, expected", [
    (f"身份证号{ID_1990}。", "id_card", "身份证号110105********1232。"),
    ("电话13812345678。", "mobile", "电话138****5678。"),
    ("电话 +86 138-1234-5678。", "mobile", "电话 +86 138-****-5678。"),
    (f"卡号{CARD_19}。", "bank_card", "卡号***************0128。"),
    ("卡号 6228 4800 1234 5671。", "bank_card", "卡号 **** **** **** 5671。"),
    ("邮箱zhang@example.com。", "email", "邮箱z***@example.com。"),
    ("座机0571-87654321。", "landline", "座机0571-****4321。"),
])
def test_redaction_forms(text, kind, expected):
    assert redact(text, only(text, kind)) == expected


def test_every_occurrence_of_the_same_value_is_masked_and_nothing_else():
    text = "张三13812345678，李四13987654321，张三又写作138-1234-5678。"
    finding = scan(text)[0]
    assert redact(text, finding) == "张三138****5678，李四13987654321，张三又写作138-****-5678。"


def test_a_finding_from_an_earlier_scan_still_redacts_after_unrelated_edits():
    finding = scan(f"身份证{ID_1990}")[0]
    edited = f"前面加了一段话。身份证{ID_1990}"
    assert redact(edited, finding) == "前面加了一段话。身份证110105********1232"


def test_redacting_what_is_no_longer_there_is_a_clear_error():
    text = "电话13812345678"
    finding = scan(text)[0]
    with pytest.raises(FindingGone, match="正文中已找不到要遮盖的手机号"):
        redact("电话已删除", finding)
    with pytest.raises(ValueError, match="已找不到"):
        redact(redact(text, finding), finding)  # twice
    # Keys belong to a field: a body finding does not redact the same number in the title.
    with pytest.raises(FindingGone, match="标题中"):
        redact(text, replace(finding, field="title"))


def test_the_error_does_not_repeat_the_number():
    finding = scan(f"身份证{ID_1990}")[0]
    with pytest.raises(FindingGone) as caught:
        redact("无", finding)
    assert ID_1990 not in str(caught.value)


@pytest.mark.parametrize("text", ["秘密★1年\n正文", "本材料为内部资料", "★★★"])
def test_markings_are_not_masked(text):
    finding = scan(text)[0]
    assert not finding.redactable
    with pytest.raises(NotRedactable, match="不能自动遮盖"):
        redact(text, finding)
    with pytest.raises(ValueError, match="保密审查人填写理由"):
        redact_html(f"<p>{text}</p>", finding)


# --- HTML ------------------------------------------------------------------------------------

def test_html_redaction_keeps_tags_attributes_and_entities():
    html = ('<p style="color:red">电话：<b data-x="1>2">138</b>&nbsp;1234&nbsp;5678</p>'
            f"<p>身份证 <span>{ID_1990[:8]}</span><em>{ID_1990[8:]}</em></p>")
    mobile = only(html, "mobile", html=True)
    once = redact_html(html, mobile)
    assert once == ('<p style="color:red">电话：<b data-x="1>2">138</b>&nbsp;****&nbsp;5678</p>'
                    f"<p>身份证 <span>{ID_1990[:8]}</span><em>{ID_1990[8:]}</em></p>")
    twice = redact_html(once, only(once, "id_card", html=True))
    assert twice.endswith("<p>身份证 <span>110105**</span><em>******1232</em></p>")


def test_html_email_redaction_and_entity_encoded_digits():
    html = "<p>邮箱 <i>zhang</i>&#64;example.com；电话&#49;3812345678</p>"
    out = redact_html(html, only(html, "email", html=True))
    assert out == "<p>邮箱 <i>z***</i>&#64;example.com；电话&#49;3812345678</p>"
    out = redact_html(out, only(out, "mobile", html=True))
    assert out == "<p>邮箱 <i>z***</i>&#64;example.com；电话&#49;38****5678</p>"


def test_html_text_in_script_is_left_alone():
    html = f"<script>x='{ID_1990}'</script><p>{ID_1990}</p>"
    out = redact_html(html, only(html, "id_card", html=True))
    assert out == f"<script>x='{ID_1990}'</script><p>110105********1232</p>"


def test_html_redaction_of_a_vanished_finding_is_a_clear_error():
    finding = only("<p>13812345678</p>", "mobile", html=True)
    with pytest.raises(FindingGone):
        redact_html("<p>138</p><p>12345678</p>", finding)


# --- properties ------------------------------------------------------------------------------

# Pieces that sit next to the numbers and try to extend, join or split them.
_filler = st.sampled_from([
    "，", "。", " ", "-", "1", "0", "6", "9", "X", "86", "+", "@", "(", ")", "0571-", "8765432", ".cn",
    "电话", "号码", "x", "\n", "秘密", "★", "１"])
_texts = st.lists(st.one_of(ids, cards, mobiles, emails, _filler), min_size=1, max_size=12).map("".join)


def _expected(text: str, findings: list[Finding], key: str) -> str:
    out = text
    for f in reversed([f for f in findings if f.key == key]):
        out = out[:f.start] + (f.redaction or "") + out[f.end:]
    return out


@given(_texts)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_redaction_removes_the_finding_and_changes_nothing_outside_its_spans(text):
    findings = scan(text)
    for finding in findings:
        if not finding.redactable:
            continue
        out = redact(text, finding)
        assert out == _expected(text, findings, finding.key)
        assert finding.key not in {f.key for f in scan(out)}


_tags = st.sampled_from(["<p>", "</p>", "<b>", "</b>", "<br>", '<span class="a">', "</span>", "&nbsp;"])


@given(st.lists(st.one_of(ids, cards, mobiles, emails, _filler, _tags), min_size=1, max_size=12).map("".join))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_html_redaction_keeps_markup_and_matches_plain_redaction_of_the_visible_text(html):
    findings = scan_html(html)
    text = visible_text(html)
    for finding in findings:
        if not finding.redactable:
            continue
        out = redact_html(html, finding)
        assert re.findall(r"<[^>]*>", out) == re.findall(r"<[^>]*>", html)
        assert visible_text(out) == _expected(text, findings, finding.key)
        assert finding.key not in {f.key for f in scan_html(out)}
