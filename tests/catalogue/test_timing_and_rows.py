"""Timing rules and row validation: every malformed value is refused with a Chinese message
naming the field; every valid rule renders as a Chinese sentence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.catalogue.rows import clean_row
from gongkai.catalogue.timing import TimingRule, describe
from gongkai.catalogue.vocab import is_wider
from tests.catalogue.helpers import row


@pytest.mark.parametrize(("rule", "sentence"), [
    ({"kind": "periodic", "period": "quarterly", "within_workdays": 10},
     "定期公开：每季度结束后10个工作日内"),
    ({"kind": "periodic", "period": "monthly", "within_workdays": 5}, "定期公开：每月结束后5个工作日内"),
    ({"kind": "periodic", "period": "half_yearly", "within_workdays": 15},
     "定期公开：每半年结束后15个工作日内"),
    ({"kind": "periodic", "period": "yearly", "within_workdays": 20}, "定期公开：每年结束后20个工作日内"),
    ({"kind": "standing", "refresh": "half_yearly"}, "长期公开，每半年更新一次"),
    ({"kind": "standing", "refresh": "yearly"}, "长期公开，每年更新一次"),
    ({"kind": "standing", "refresh": "none"}, "长期公开"),
    ({"kind": "standing"}, "长期公开"),
    ({"kind": "prompt", "within_workdays": 5}, "及时公开：事项产生后5个工作日内"),
    ({"kind": "phased", "within_workdays": 3}, "分阶段公开：每个阶段结束后3个工作日内"),
])
def test_every_rule_renders_as_a_chinese_sentence(rule, sentence):
    assert TimingRule.parse(rule).describe() == sentence


def test_to_dict_round_trips_and_fills_the_default_refresh():
    assert TimingRule.parse({"kind": "standing"}).to_dict() == {"kind": "standing", "refresh": "none"}
    rule = {"kind": "periodic", "period": "yearly", "within_workdays": 20}
    assert TimingRule.parse(TimingRule.parse(rule).to_dict()).to_dict() == rule


@pytest.mark.parametrize(("rule", "fragment"), [
    ({"kind": "sometimes"}, "类型（kind）无效"),
    ({}, "缺少类型"),
    ("prompt", "应为一个对象"),
    ({"kind": "prompt"}, "缺少工作日数"),
    ({"kind": "prompt", "within_workdays": "5"}, "应为整数"),
    ({"kind": "prompt", "within_workdays": True}, "应为整数"),
    ({"kind": "prompt", "within_workdays": 0}, "应在1到"),
    ({"kind": "prompt", "within_workdays": 500}, "应在1到"),
    ({"kind": "periodic", "within_workdays": 5}, "缺少周期"),
    ({"kind": "periodic", "period": "weekly", "within_workdays": 5}, "周期（period）无效"),
    ({"kind": "standing", "refresh": "daily"}, "更新周期（refresh）无效"),
    ({"kind": "standing", "within_workdays": 5}, "不接受这些字段：within_workdays"),
    ({"kind": "prompt", "within_workdays": 5, "period": "yearly"}, "不接受这些字段：period"),
])
def test_malformed_rules_are_refused_naming_the_field(rule, fragment):
    with pytest.raises(ValidationError) as caught:
        TimingRule.parse(rule)
    messages = caught.value.message_dict["timing"]
    assert messages[0].startswith("公开时限：")
    assert fragment in messages[0]


def test_a_stored_rule_that_no_longer_parses_says_so():
    assert describe({"kind": "?"}) == "（公开时限格式有误）"


def test_scope_width_public_widest_targeted_narrowest_party_and_unit_apart():
    assert is_wider("public", "party")
    assert is_wider("party", "targeted")
    assert is_wider("unit", "party") and is_wider("party", "unit")
    assert not is_wider("party", "public")
    assert not is_wider("targeted", "unit")
    assert not is_wider("party", "party")


def test_a_valid_row_is_normalised():
    cleaned = clean_row(row(number=7, channels=["portal", "portal", "meeting"], item="  事项 "))
    assert cleaned["number"] == "7"
    assert cleaned["item"] == "事项"
    assert cleaned["channels"] == ["portal", "meeting"]


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"scope": "world"}, "scope", "公开范围：无效的取值"),
    ({"scope": "targeted", "targets": ""}, "targets", "须写明公开对象"),
    ({"channels": ["portal", "pigeon"]}, "channels", "未知的公开方式：pigeon"),
    ({"channels": []}, "channels", "至少选择一种公开方式"),
    ({"notice_workdays": 4}, "notice_workdays", "5至30个工作日"),
    ({"notice_workdays": 31}, "notice_workdays", "5至30个工作日"),
    ({"notice_workdays": "10"}, "notice_workdays", "应为整数"),
    ({"item": ""}, "item", "公开事项：必填"),
    ({"item": "长" * 201}, "item", "不能超过200个字符"),
    ({"timing": {"kind": "prompt"}}, "timing", "公开时限"),
])
def test_bad_rows_are_refused_naming_the_field(overrides, field, fragment):
    with pytest.raises(ValidationError) as caught:
        clean_row(row(**overrides))
    assert fragment in caught.value.message_dict[field][0]


def test_notice_period_bounds_are_inclusive():
    assert clean_row(row(notice_workdays=5))["notice_workdays"] == 5
    assert clean_row(row(notice_workdays=30))["notice_workdays"] == 30


def test_unknown_row_keys_are_refused():
    with pytest.raises(ValidationError) as caught:
        clean_row(row(scopee="public"))
    assert "scopee" in caught.value.messages[0]
