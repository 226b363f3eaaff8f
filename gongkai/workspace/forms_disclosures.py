"""Forms of the disclosure item pages (公开事项). They only shape input: org codes and usernames
into ids, the browser's datetime-local strings into aware datetimes, the meeting and risk
fieldsets into the `details` dict. Every rule (required opinions, scope, dates, targets, who may
act) is the disclosure actions'."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.catalogue.models import Entry
from gongkai.catalogue.vocab import Channel, Scope
from gongkai.disclosures.actions import OPINION_LIMIT, RISK_ASPECTS, RISK_LABELS
from gongkai.disclosures.content import BODY_MAX, TITLE_MAX
from gongkai.disclosures.models import Disclosure, ItemStatus, Revision, Step
from gongkai.orgs.models import Org
from gongkai.people.models import User

if TYPE_CHECKING:  # a development dependency (django-stubs)
    from django_stubs_ext import StrOrPromise

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
RISK_REQUIRED_NOTE = _l("公开目录规定该事项须进行风险评估：提交后一定经过风险评估步骤")
RISK_REQUIRED_MARK = _l("须风险评估")
# Officers paste lists from documents: Chinese and ASCII commas, 、, semicolons or spaces.
SEPARATORS = re.compile(r"[,，、;；\s]+")


def _moment_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, help_text=help_text,
        input_formats=[MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT))


def _words(text: str) -> list[str]:
    return [w for w in SEPARATORS.split(text or "") if w]


class ItemForm(forms.Form):
    """An item's content and settings, named as `disclosures.content.clean` names them so the
    action's errors land next to their fields."""

    title = forms.CharField(label=_l("标题"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_l("正文"), required=False, max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_l("可使用段落、加粗、列表、表格、链接等 HTML 格式；脚本、样式等会在保存时去除"))
    doc_number = forms.CharField(label=_l("文号"), max_length=64, required=False)
    category = forms.CharField(label=_l("类别"), max_length=64, required=False)
    scope = forms.ChoiceField(
        label=_l("公开范围"), choices=Scope.choices, widget=forms.RadioSelect,
        help_text=_l("宽于目录规定的范围须报上级审批"))
    target_org_ids = forms.CharField(
        label=_l("公开对象（组织代码）"), required=False, max_length=4000,
        help_text=_l("仅“向特定对象公开”时填写，多个用逗号分隔"))
    target_person_ids = forms.CharField(
        label=_l("公开对象（用户名）"), required=False, max_length=8000,
        help_text=_l("仅“向特定对象公开”时填写，多个用逗号分隔"))
    channels = forms.MultipleChoiceField(
        label=_l("公开方式"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _l("请至少选择一种公开方式")})
    go_live_at = _moment_field(_l("计划发布时间"), _l("不填则发布时立即上线"))
    display_until = _moment_field(_l("展示截止"), _l("如公示7至15天后撤下；不填则长期展示"))
    public_from = _moment_field(_l("向社会公开的时间（先党内后党外）"), _l("仅“党内公开”的事项可填"))
    notice_workdays = forms.IntegerField(
        label=_l("公示期（工作日）"), required=False, help_text=_l("公示类事项填5至30；其他留空"))
    risk_assessment = forms.BooleanField(label=_l("需要风险评估"), required=False)
    event_date = forms.DateField(
        label=_l("事项发生（决定）日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("及时公开、分阶段公开的事项填写，期限从这一天起按工作日计算"))

    def __init__(self, *args: Any, entry: Entry | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if entry is not None and entry.requires_risk_assessment:
            # The procedure assesses risk for this entry whatever the box says
            # (disclosures.actions._start_workflow): show it ticked and fixed. Being disabled, the
            # field keeps the revision's own value, so saving changes no content.
            field = self.fields["risk_assessment"]
            field.disabled = True
            field.widget.attrs["checked"] = True
            field.help_text = RISK_REQUIRED_NOTE

    def clean_target_org_ids(self) -> list[int]:
        codes = _words(self.cleaned_data["target_org_ids"])
        found = dict(Org.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(_("未知的组织代码：%(c)s") % {"c": "、".join(unknown)})
        return sorted({found[c] for c in codes})

    def clean_target_person_ids(self) -> list[int]:
        names = _words(self.cleaned_data["target_person_ids"])
        found = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValidationError(_("未知的用户名：%(n)s") % {"n": "、".join(unknown)})
        return sorted({found[n] for n in names})

    def item_data(self) -> dict[str, Any]:
        """The content as `disclosure_create` / `disclosure_update` take it."""
        data = self.cleaned_data
        return {name: data[name] for name in ItemForm.base_fields}

    @classmethod
    def initial_for(cls, revision: Revision) -> dict[str, Any]:
        initial = {name: getattr(revision, name) for name in ItemForm.base_fields}
        initial["target_org_ids"] = ", ".join(
            Org.objects.filter(pk__in=revision.target_org_ids).order_by("code")
            .values_list("code", flat=True))
        initial["target_person_ids"] = ", ".join(
            User.objects.filter(pk__in=revision.target_person_ids).order_by("username")
            .values_list("username", flat=True))
        return initial


class CreateForm(ItemForm):
    """提出: the catalogue entry the item discloses (from the org's catalogue in force) or an
    off-catalogue reason, then the content."""

    entry = forms.ChoiceField(label=_l("目录事项"), required=False)
    off_catalogue_reason = forms.CharField(
        label=_l("目录外公开的理由"), required=False, max_length=OPINION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_l("不属于公开目录的事项必填，由主要负责人审批"))

    interprets = forms.TypedChoiceField(
        label=_l("政策解读"), required=False, coerce=int, empty_value=None,
        help_text=_l("本事项是对本组织另一公开事项的解读时选择；解读材料与该事项同时发布"))

    field_order = ["entry", "off_catalogue_reason", "interprets"]

    def __init__(self, *args: Any, entries: list[Entry], interpretable: list[Disclosure] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interprets"].choices = [  # type: ignore[attr-defined]
            ("", str(_l("不是政策解读"))),
            *((str(i.pk), f"{i.index_number} {i.title}") for i in interpretable or []),
        ]
        scopes = dict(Scope.choices)
        choices: list[tuple[str, str]] = [("", str(_l("目录外事项（须说明理由）")))]
        choices += [(str(e.pk), f"{e.number}. {e.category + '：' if e.category else ''}{e.item}"
                     f"（{scopes.get(e.scope, e.scope)}"
                     f"{'，' + str(RISK_REQUIRED_MARK) if e.requires_risk_assessment else ''}）")
                    for e in entries]
        self.fields["entry"].choices = choices  # type: ignore[attr-defined]
        if any(e.requires_risk_assessment for e in entries):
            self.fields["risk_assessment"].help_text = _l(
                "标有“须风险评估”的目录事项无论是否勾选，都会经过风险评估步骤")
        if not entries:
            self.fields["entry"].help_text = _l("本组织还没有生效中的公开目录，只能提出目录外事项")

    def entry_id(self) -> int | None:
        value = self.cleaned_data.get("entry")
        return int(value) if value else None


class EditForm(ItemForm):
    note = forms.CharField(
        label=_l("修改说明"), required=False, max_length=500,
        help_text=_l("记入修订记录；提交后修改会使审核从头开始"))


class AmendForm(ItemForm):
    explanation = forms.CharField(
        label=_l("变更说明"), required=False, max_length=OPINION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("为什么变更，随变更后的内容一并公开"))

    field_order = ["explanation"]


class OpinionForm(forms.Form):
    """退回 / 报上级审批: the action requires the opinion and says so in its own words."""

    opinion = forms.CharField(label=_l("意见"), required=False, max_length=OPINION_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, label: StrOrPromise = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["opinion"].label = label


class ExplanationForm(forms.Form):
    explanation = forms.CharField(label=_l("撤销说明"), required=False, max_length=OPINION_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_l("为什么撤销，经审批后公开"))


MEETING_FIELDS = {
    "name": _l("会议名称"), "date": _l("会议日期"), "attendees": _l("参会人员"), "result": _l("决定"),
}


class ApproveForm(forms.Form):
    """通过: an opinion; at the approval steps an optional collective decision (集体决策); at
    the risk step the five aspects, each of which the action requires."""

    opinion = forms.CharField(label=_l("意见"), required=False, max_length=OPINION_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, step: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        if step in (Step.APPROVAL, Step.SUPERIOR):
            for key, label in MEETING_FIELDS.items():
                widget = forms.DateInput(attrs={"type": "date"}) if key == "date" else (
                    forms.Textarea(attrs={"rows": 2}) if key in ("attendees", "result") else None)
                self.fields[f"meeting_{key}"] = forms.CharField(
                    label=label, required=False, max_length=1000, widget=widget)
        if step == Step.RISK:
            for aspect in RISK_ASPECTS:
                self.fields[f"risk_{aspect}"] = forms.CharField(
                    label=RISK_LABELS[aspect], required=False, max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}))

    def meeting_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("meeting_")]

    def risk_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("risk_")]

    def details(self) -> dict[str, Any]:
        """The `details` argument of `disclosure_approve`: a meeting only when one was recorded
        (a partly filled one goes to the action, which names what is missing)."""
        data = self.cleaned_data
        if self.step == Step.RISK:
            return {"risk": {a: data.get(f"risk_{a}", "") for a in RISK_ASPECTS}}
        meeting = {k: data.get(f"meeting_{k}", "") for k in MEETING_FIELDS}
        return {"meeting": meeting} if any(v.strip() for v in meeting.values()) else {}


class FilterForm(forms.Form):
    org = forms.CharField(label=_l("组织代码"), required=False, max_length=40)
    status = forms.ChoiceField(label=_l("状态"), required=False,
                               choices=[("", _l("全部")), *ItemStatus.choices])
    q = forms.CharField(label=_l("标题包含"), required=False, max_length=100)
