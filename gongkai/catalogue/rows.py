"""One catalogue row (目录事项) as plain data, checked the same way wherever it comes from: a
template file, a staff form, the API. `clean_row` returns the normalised row or raises a
ValidationError whose keys are the row's fields and whose messages name them in Chinese."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.catalogue.timing import TimingRule
from gongkai.catalogue.vocab import NOTICE_MAX_WORKDAYS, NOTICE_MIN_WORKDAYS, Channel, Scope

# The row's fields, in the order of the printed catalogue, with their Chinese names.
FIELD_LABELS: dict[str, Any] = {
    "number": _l("序号"),
    "category": _l("类别"),
    "item": _l("公开事项"),
    "content": _l("公开内容"),
    "responsible": _l("责任部门"),
    "scope": _l("公开范围"),
    "targets": _l("公开对象"),
    "timing": _l("公开时限"),
    "channels": _l("公开方式"),
    "notice_workdays": _l("公示期（工作日）"),
    "basis": _l("依据"),
    "remarks": _l("备注"),
}
ROW_FIELDS = tuple(FIELD_LABELS)
# Yes/no settings of a row that are not printed in the customary columns. A row states one only
# when it is on: a template file (and the hash of its rows) that does not use one stays as it
# was, and rows stored before the setting existed read as "off" (`flags_of`).
FLAG_LABELS: dict[str, Any] = {
    "requires_risk_assessment": _l("须进行风险评估"),
}
FLAG_FIELDS = tuple(FLAG_LABELS)
# Fields of an organisation's entry beyond the template row's.
EXTRA_LABELS: dict[str, Any] = {
    "wider_scope_reason": _l("扩大公开范围的理由"),
    "template_row_number": _l("模板事项序号"),
}
TEXT_LIMITS = {"number": 16, "category": 64, "item": 200, "content": 4000, "responsible": 128,
               "targets": 1000, "basis": 255, "remarks": 1000}
REQUIRED_TEXT = ("number", "item")


def label(field: str) -> str:
    return str(FIELD_LABELS.get(field) or FLAG_LABELS.get(field) or EXTRA_LABELS.get(field) or field)


def flags_of(row: dict[str, Any]) -> dict[str, bool]:
    """Every flag of a (cleaned or stored) row, off when the row does not state it."""
    return {field: bool(row.get(field, False)) for field in FLAG_FIELDS}


def clean_flag(data: dict[str, Any], field: str) -> bool:
    value = data.get(field, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _error(field, _("应为“是”或“否”（true / false）"))
    return value


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [_("%(label)s：%(m)s") % {"label": label(field), "m": message}]})


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field, "")
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # YAML reads `number: 1` as an int
    if not isinstance(value, str):
        raise _error(field, _("应为文字"))
    if "\x00" in value:
        raise _error(field, _("不能包含空字符"))
    value = value.strip()
    if len(value) > TEXT_LIMITS[field]:
        raise _error(field, _("不能超过%(n)s个字符") % {"n": TEXT_LIMITS[field]})
    if field in REQUIRED_TEXT and not value:
        raise _error(field, _("必填"))
    return value


def clean_channels(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _error("channels", _("至少选择一种公开方式"))
    unknown = [str(v) for v in value if not isinstance(v, str) or v not in Channel.values]
    if unknown:
        raise _error("channels", _("未知的公开方式：%(v)s，可选值：%(c)s") % {
            "v": "、".join(unknown), "c": "、".join(Channel.values)})
    # Keep the order given, drop repeats.
    return list(dict.fromkeys(value))


def clean_notice(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error("notice_workdays", _("应为整数或留空"))
    if not NOTICE_MIN_WORKDAYS <= value <= NOTICE_MAX_WORKDAYS:
        raise _error("notice_workdays", _("公示期应为%(a)s至%(b)s个工作日") % {
            "a": NOTICE_MIN_WORKDAYS, "b": NOTICE_MAX_WORKDAYS})
    return value


def clean_row(data: Any, *, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """The normalised row: every ROW_FIELDS key, and the FLAG_FIELDS that are on. Other keys
    (but `extra`, which the caller checks) are refused: a misspelt key must not silently drop a
    value."""
    if not isinstance(data, dict):
        raise ValidationError(_("每一行应为一个对象"))
    unknown = sorted(str(k) for k in set(data) - set(ROW_FIELDS) - set(FLAG_FIELDS) - set(extra))
    if unknown:
        raise ValidationError({"__all__": [_("不认识的字段：%(k)s") % {"k": "、".join(unknown)}]})
    row: dict[str, Any] = {field: _text(data, field) for field in TEXT_LIMITS}
    scope = data.get("scope")
    if scope not in Scope.values:
        raise _error("scope", _("无效的取值“%(v)s”，可选值：%(c)s") % {
            "v": scope, "c": "、".join(Scope.values)})
    row["scope"] = scope
    if scope == Scope.TARGETED and not row["targets"]:
        raise _error("targets", _("向特定对象公开时须写明公开对象"))
    row["timing"] = TimingRule.parse(data.get("timing"), "timing").to_dict()
    row["channels"] = clean_channels(data.get("channels"))
    row["notice_workdays"] = clean_notice(data.get("notice_workdays"))
    flags = {field: clean_flag(data, field) for field in FLAG_FIELDS}
    return {**{field: row[field] for field in ROW_FIELDS}, **{f: True for f, on in flags.items() if on}}
