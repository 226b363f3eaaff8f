"""Forms of the catalogue pages. They only shape input (the timing rule's parts into one dict);
every rule is checked by the catalogue actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import CatalogueTemplate, Entry
from gongkai.catalogue.vocab import Channel, Period, Refresh, Scope, TimingKind

BLANK = [("", "—")]


class EntryForm(forms.Form):
    number = forms.CharField(label=_("序号"), max_length=16)
    category = forms.CharField(label=_("类别"), max_length=64, required=False)
    item = forms.CharField(label=_("公开事项"), max_length=200)
    content = forms.CharField(label=_("公开内容"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("责任部门"), max_length=128, required=False)
    scope = forms.ChoiceField(label=_("公开范围"), choices=Scope.choices)
    targets = forms.CharField(label=_("公开对象"), max_length=1000, required=False,
                              help_text=_("向特定对象公开时必填"))
    wider_scope_reason = forms.CharField(
        label=_("扩大公开范围的理由"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("公开范围比模板宽时必填"))
    # Named `timing` so the action's errors about the rule land next to it.
    timing = forms.ChoiceField(label=_("公开时限"), choices=TimingKind.choices)
    period = forms.ChoiceField(label=_("周期（定期公开）"), choices=BLANK + list(Period.choices),
                               required=False)
    refresh = forms.ChoiceField(label=_("更新周期（长期公开）"), choices=list(Refresh.choices),
                                required=False)
    within_workdays = forms.IntegerField(
        label=_("几个工作日内（定期、分阶段、及时公开）"), required=False, min_value=1, max_value=120)
    channels = forms.MultipleChoiceField(label=_("公开方式"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    notice_workdays = forms.IntegerField(label=_("公示期（工作日）"), required=False,
                                         help_text=_("公示类事项填5至30；其他留空"))
    basis = forms.CharField(label=_("依据"), max_length=255, required=False)
    remarks = forms.CharField(label=_("备注"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    requires_risk_assessment = forms.BooleanField(
        label=_("须进行风险评估"), required=False,
        help_text=_("勾选后，该事项的每一个公开事项都要经过风险评估（合法性、合理性、可行性、可控性、舆情风险），"
                    "如涉及群众切身利益、涉及面广的决策"))

    @classmethod
    def initial_for(cls, entry: Entry) -> dict[str, Any]:
        timing = entry.timing or {}
        return {
            **{f: getattr(entry, f) for f in ("number", "category", "item", "content", "responsible",
                                              "scope", "targets", "wider_scope_reason", "channels",
                                              "notice_workdays", "basis", "remarks",
                                              "requires_risk_assessment")},
            "timing": timing.get("kind"), "period": timing.get("period", ""),
            "refresh": timing.get("refresh", Refresh.NONE),
            "within_workdays": timing.get("within_workdays"),
        }

    def entry_data(self) -> dict[str, Any]:
        """The cleaned values as the actions take them: one timing dict with only the keys its
        kind uses."""
        data = dict(self.cleaned_data)
        kind = data.pop("timing")
        period, refresh, within = data.pop("period"), data.pop("refresh"), data.pop("within_workdays")
        timing: dict[str, Any] = {"kind": kind}
        if kind == TimingKind.STANDING:
            timing["refresh"] = refresh or Refresh.NONE
        else:
            if kind == TimingKind.PERIODIC:
                timing["period"] = period or None
            timing["within_workdays"] = within
        data["timing"] = timing
        return data


class CreateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("目录模板"), queryset=CatalogueTemplate.objects.none(),
                                      required=False, empty_label=_("按组织类型自动选择"),
                                      to_field_name="code")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CatalogueTemplate.objects.order_by("code")  # type: ignore[attr-defined]


class ActForm(forms.Form):
    opinion = forms.CharField(label=_("意见"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    change_explanation = forms.CharField(label=_("调整说明"), max_length=2000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))


class ExplanationForm(forms.Form):
    change_explanation = forms.CharField(label=_("调整说明"), max_length=2000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=2000, required=False)
