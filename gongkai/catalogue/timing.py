"""Timing rules (公开时限) as data the deadline engine can read, parsed strictly from the dict
stored in entries and templates:

    {kind: standing, refresh: quarterly|half_yearly|yearly|none}
    {kind: periodic, period: monthly|quarterly|half_yearly|yearly, within_workdays: N}
    {kind: phased, within_workdays: N}
    {kind: prompt, within_workdays: N}

Anything else (an unknown kind, key or value, a count out of range) is refused with a Chinese
message that names the field, so a malformed rule never reaches a deadline computation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.catalogue.vocab import Period, Refresh, TimingKind

MAX_WORKDAYS = 120
KEYS: dict[str, set[str]] = {
    TimingKind.STANDING: {"kind", "refresh"},
    TimingKind.PERIODIC: {"kind", "period", "within_workdays"},
    TimingKind.PHASED: {"kind", "within_workdays"},
    TimingKind.PROMPT: {"kind", "within_workdays"},
}
PERIOD_END = {
    Period.MONTHLY: _l("每月结束后"), Period.QUARTERLY: _l("每季度结束后"),
    Period.HALF_YEARLY: _l("每半年结束后"), Period.YEARLY: _l("每年结束后"),
}
REFRESH_TEXT = {
    Refresh.QUARTERLY: _l("每季度更新一次"), Refresh.HALF_YEARLY: _l("每半年更新一次"),
    Refresh.YEARLY: _l("每年更新一次"),
}


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError({field: [_("公开时限：%(m)s") % {"m": message}]})


def _choice(data: dict[str, Any], key: str, choices: type[TimingKind | Period | Refresh],
            field: str, label: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        raise _fail(field, _("缺少%(label)s（%(key)s）") % {"label": label, "key": key})
    if not isinstance(value, str) or value not in choices.values:
        raise _fail(field, _("%(label)s（%(key)s）无效：“%(v)s”，可选值：%(c)s") % {
            "label": label, "key": key, "v": value, "c": "、".join(choices.values)})
    return value


def _workdays(data: dict[str, Any], field: str) -> int:
    value = data.get("within_workdays")
    if value is None:
        raise _fail(field, _("缺少工作日数（within_workdays）"))
    # bool is an int in Python; `true` is not a number of days.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, _("工作日数（within_workdays）应为整数"))
    if not 1 <= value <= MAX_WORKDAYS:
        raise _fail(field, _("工作日数（within_workdays）应在1到%(max)s之间") % {"max": MAX_WORKDAYS})
    return value


@dataclass(frozen=True)
class TimingRule:
    """One timing rule. `period` only for periodic, `refresh` only for standing,
    `within_workdays` for all but standing."""

    kind: str
    period: str | None = None
    refresh: str | None = None
    within_workdays: int | None = None

    @classmethod
    def parse(cls, data: Any, field: str = "timing") -> TimingRule:
        if isinstance(data, TimingRule):
            return data
        if not isinstance(data, dict):
            raise _fail(field, _("应为一个对象，如 {kind: prompt, within_workdays: 5}"))
        kind = _choice(data, "kind", TimingKind, field, _("类型"))
        unknown = sorted(str(k) for k in set(data) - KEYS[kind])
        if unknown:
            raise _fail(field, _("%(kind)s 规则不接受这些字段：%(keys)s") % {
                "kind": kind, "keys": "、".join(unknown)})
        if kind == TimingKind.STANDING:
            return cls(kind, refresh=_choice(data, "refresh", Refresh, field, _("更新周期"),
                                             default=Refresh.NONE))
        if kind == TimingKind.PERIODIC:
            return cls(kind, period=_choice(data, "period", Period, field, _("周期")),
                       within_workdays=_workdays(data, field))
        return cls(kind, within_workdays=_workdays(data, field))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == TimingKind.STANDING:
            data["refresh"] = self.refresh
        if self.kind == TimingKind.PERIODIC:
            data["period"] = self.period
        if self.within_workdays is not None:
            data["within_workdays"] = self.within_workdays
        return data

    def describe(self) -> str:
        """The rule as one Chinese sentence, as the UI and the printed catalogue show it."""
        n = self.within_workdays
        if self.kind == TimingKind.STANDING:
            refresh = REFRESH_TEXT.get(Refresh(self.refresh or Refresh.NONE))
            return _("长期公开，%(r)s") % {"r": refresh} if refresh else _("长期公开")
        if self.kind == TimingKind.PERIODIC:
            period = PERIOD_END[Period(self.period or Period.YEARLY)]
            return _("定期公开：%(p)s%(n)s个工作日内") % {"p": period, "n": n}
        if self.kind == TimingKind.PHASED:
            return _("分阶段公开：每个阶段结束后%(n)s个工作日内") % {"n": n}
        return _("及时公开：事项产生后%(n)s个工作日内") % {"n": n}


def describe(data: Any) -> str:
    """The sentence for a stored rule; a rule that no longer parses says so instead of failing
    a page."""
    try:
        return TimingRule.parse(data).describe()
    except ValidationError:
        return _("（公开时限格式有误）")
