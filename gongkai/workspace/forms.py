"""Forms of the staff pages. They parse and check the shape of input (required, length, format);
the rules (unique codes, sibling names, permissions) are checked by the actions, whose messages
the views put back onto these forms under the same field names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.orgs.models import AffiliationKind, Org, OrgKind, Role
from gongkai.orgs.permissions import Action, get_org_for

MAX_SORT = 2**31 - 1
ALL_CHOICE = ("", _l("全部"))


def reason_field(required: bool = False, label: str | Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _l("原因"), required=required, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrgCodeField(forms.CharField):
    """An org code typed by the user. Resolved by the form (it needs the user), so an org the
    user may not see gets the same message as one that does not exist."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)


def resolve_org(user: Any, code: str) -> Org:
    try:
        return get_org_for(user, Action.ORG_VIEW, code=code.strip())
    except Http404:
        raise forms.ValidationError(_("未找到组织：%(code)s") % {"code": code}) from None


class OrgSearchForm(forms.Form):
    q = forms.CharField(label=_l("按名称或代码查找"), required=False, max_length=100)


class OrgForm(forms.Form):
    """Create (with a code) or edit (code fixed) an organisation."""

    code = forms.CharField(label=_l("组织代码"), max_length=40,
                           help_text=_l("字母、数字、下划线、点或连字符；创建后不能修改，用于导入和网址"))
    name = forms.CharField(label=_l("名称"), max_length=128)
    short_name = forms.CharField(label=_l("简称"), max_length=64, required=False)
    kind = forms.ModelChoiceField(label=_l("组织类型"), queryset=OrgKind.objects.none(),
                                  to_field_name="code", empty_label=_l("请选择"))
    address = forms.CharField(label=_l("地址"), max_length=255, required=False)
    phone = forms.CharField(label=_l("电话"), max_length=32, required=False)
    office_hours = forms.CharField(label=_l("办公时间"), max_length=128, required=False)
    email = forms.EmailField(label=_l("电子邮箱"), required=False)
    sort_order = forms.IntegerField(label=_l("排序"), min_value=0, max_value=MAX_SORT, initial=0)
    reason = reason_field(label=_l("说明（记入审计日志）"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Inactive kinds stay selectable only for an org that already has one.
        kinds = OrgKind.objects.filter(is_active=True)
        current = self.initial.get("kind")
        if current:
            kinds = OrgKind.objects.filter(is_active=True) | OrgKind.objects.filter(code=current)
        self.fields["kind"].queryset = kinds.order_by("sort_order", "id")  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]


class OrgMoveForm(forms.Form):
    parent = OrgCodeField(label=_l("新的上级组织代码"))
    reason = reason_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_parent(self) -> Org:
        return resolve_org(self.user, self.cleaned_data["parent"])


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_l("撤销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _l("撤销组织须说明原因")},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("撤销组织须说明原因"))
        return reason


class ReasonForm(forms.Form):
    reason = reason_field()


class KindForm(forms.Form):
    code = forms.CharField(label=_l("类型代码"), max_length=40)
    name = forms.CharField(label=_l("类型名称"), max_length=64)
    description = forms.CharField(label=_l("说明"), max_length=255, required=False)
    sort_order = forms.IntegerField(label=_l("排序"), min_value=0, max_value=MAX_SORT, initial=100)
    approval_by_superior = forms.BooleanField(
        label=_l("本级公开事项须报上级审批"), required=False,
        help_text=_l("勾选后，该类型组织的每一个公开事项经本级主要负责人审批后，还须报上级组织主要负责人审批"))


class KindEditForm(KindForm):
    """A kind's settings; the code never changes, so it is not asked for."""

    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_l("姓名或用户名"), required=False, max_length=100)
    role = forms.ChoiceField(label=_l("角色"), required=False, choices=[ALL_CHOICE, *Role.choices])
    affiliation = forms.ChoiceField(label=_l("组织关系"), required=False,
                                    choices=[ALL_CHOICE, *AffiliationKind.choices])


class PersonCreateForm(forms.Form):
    username = forms.CharField(label=_l("用户名"), max_length=150,
                               help_text=_l("登录用，字母、数字和 @ . + - _"))
    real_name = forms.CharField(label=_l("姓名"), max_length=64)
    affiliation = forms.ChoiceField(label=_l("组织关系"), choices=AffiliationKind.choices)
    phone = forms.CharField(label=_l("手机号"), max_length=32, required=False)
    email = forms.EmailField(label=_l("电子邮箱"), required=False,
                             help_text=_l("用于找回密码"))
    password = forms.CharField(
        label=_l("初始密码"), required=False, strip=False, widget=forms.PasswordInput,
        help_text=_l("可不填：不填时本人须通过“忘记密码”设置密码后才能登录"),
    )


class GrantForm(forms.Form):
    org = OrgCodeField(label=_l("组织代码"))
    role = forms.ChoiceField(label=_l("角色"), choices=Role.choices)
    reason = reason_field()

    def __init__(self, *args: Any, user: Any, roles: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if roles is not None:
            self.fields["role"].choices = [(value, label) for value, label in Role.choices  # type: ignore[attr-defined]
                                           if value in roles]

    def clean_org(self) -> Org:
        return resolve_org(self.user, self.cleaned_data["org"])


class AffiliationForm(forms.Form):
    org = OrgCodeField(label=_l("组织代码"))
    kind = forms.ChoiceField(label=_l("组织关系"), choices=AffiliationKind.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_org(self) -> Org:
        return resolve_org(self.user, self.cleaned_data["org"])
