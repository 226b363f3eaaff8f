"""Making audit events readable: Chinese names for action codes and fields, and old -> new
rows. Unknown codes are shown as they are, so a new action is never hidden."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import AffiliationKind, Role

ACTIONS: dict[str, Any] = {
    "org.": _l("组织（全部）"),
    "org.create": _l("新建组织"),
    "org.update": _l("修改组织"),
    "org.move": _l("移动组织"),
    "org.deactivate": _l("撤销组织"),
    "org.reactivate": _l("恢复组织"),
    "kind.create": _l("新增组织类型"),
    "kind.update": _l("修改组织类型"),
    "person.": _l("人员（全部）"),
    "person.create": _l("新建人员"),
    "person.update": _l("修改人员"),
    "affiliation.": _l("组织关系（全部）"),
    "affiliation.add": _l("添加组织关系"),
    "affiliation.remove": _l("移除组织关系"),
    "role.": _l("角色（全部）"),
    "role.grant": _l("授予角色"),
    "role.revoke": _l("撤销角色"),
    "token.": _l("访问令牌（全部）"),
    "token.create": _l("创建访问令牌"),
    "token.revoke": _l("吊销访问令牌"),
    "import.": _l("导入（全部）"),
    "catalogue.": _l("公开目录（全部）"),
    "catalogue.create": _l("新建公开目录"),
    "catalogue.entry_add": _l("新增目录事项"),
    "catalogue.entry_update": _l("修改目录事项"),
    "catalogue.entry_remove": _l("删除目录事项"),
    "catalogue.entries_reorder": _l("调整事项顺序"),
    "catalogue.entries_replace": _l("替换全部目录事项"),
    "catalogue.explain": _l("填写调整说明"),
    "catalogue.approve": _l("审批公开目录"),
    "catalogue.file": _l("报备公开目录"),
    "catalogue.acknowledge": _l("确认目录备案"),
    "catalogue.return": _l("退回公开目录"),
    "catalogue.revise": _l("发起目录调整"),
    "catalogue.import": _l("从 Excel 导入目录"),
    "obligation.fulfil": _l("登记应公开事项已完成"),
    "obligation.reopen": _l("撤销应公开事项的完成登记"),
    "obligations.": _l("应公开事项（全部）"),
    "obligations.derive": _l("生成应公开事项"),
    "obligations.recompute": _l("重算应公开事项截止日期"),
    "demo.": _l("演示数据（全部）"),
    "demo.load": _l("载入演示数据"),
    "demo.catalogues": _l("载入演示目录与应公开事项"),
    "catalogue_template.version": _l("目录模板新版本"),
    "workdays.": _l("工作日历（全部）"),
    "workdays.load": _l("录入节假日安排"),
    "workdays.day_set": _l("设置节假日安排的某一天"),
    "workdays.day_remove": _l("恢复某一天为平常日子"),
    "workdays.clear": _l("删除录入的节假日安排"),
}

FIELDS: dict[str, Any] = {
    "code": _l("代码"), "name": _l("名称"), "short_name": _l("简称"), "kind": _l("组织类型"),
    "parent": _l("上级组织"), "path": _l("路径"), "address": _l("地址"), "phone": _l("电话"),
    "office_hours": _l("办公时间"), "email": _l("电子邮箱"), "sort_order": _l("排序"),
    "is_active": _l("有效"), "username": _l("用户名"), "real_name": _l("姓名"),
    "person": _l("人员"), "org": _l("组织"), "role": _l("角色"), "affiliation": _l("组织关系"),
    "description": _l("说明"), "prefix": _l("前缀"), "revoked": _l("已吊销"),
    "days": _l("放假与调休上班日"), "source": _l("来源"),
    "approval_by_superior": _l("本级公开事项须报上级审批"), "requires_risk_assessment": _l("须进行风险评估"),
}

VALUE_LABELS: dict[str, dict[str, Any]] = {
    "role": dict(Role.choices),
    "kind": dict(AffiliationKind.choices),
    "affiliation": dict(AffiliationKind.choices),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_value(field, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}={_value(k, v)}" for k, v in value.items())
    label = VALUE_LABELS.get(field, {}).get(value)
    return str(label) if label is not None else str(value)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str
    changed: bool


def changes(event: AuditEvent) -> list[Change]:
    old, new = event.old or {}, event.new or {}
    rows = []
    for field in [*old, *(k for k in new if k not in old)]:
        label = FIELDS.get(field)
        rows.append(Change(
            field=field, label=str(label) if label is not None else field,
            old=_value(field, old.get(field)) if field in old else "—",
            new=_value(field, new.get(field)) if field in new else "—",
            changed=field in old and field in new,
        ))
    return rows


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_l("操作"), required=False,
                               choices=[("", _l("全部")), *ACTIONS.items()])
    actor = forms.CharField(label=_l("操作人（用户名）"), required=False, max_length=150)
    since = forms.DateField(label=_l("起始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_l("截止日期（含）"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    subtree = forms.BooleanField(label=_l("包括下级组织"), required=False)
    object_type = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期"))
        return data

    def query_kwargs(self) -> dict[str, Any]:
        """The events_for() filters. Dates are whole local days (Asia/Shanghai by default),
        the end date included."""
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        return {
            "action": data.get("action") or None,
            "actor": (data.get("actor") or "").strip() or None,
            "since": _local_midnight(since) if since else None,
            "until": _local_midnight(until + datetime.timedelta(days=1)) if until else None,
            "object_type": data.get("object_type") or None,
            "object_id": data.get("object_id") or None,
        }
