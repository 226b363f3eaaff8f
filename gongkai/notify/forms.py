from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.notify.models import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("邮件提醒"), choices=EmailMode.choices, widget=forms.RadioSelect,
        help_text=_("每日汇总在每天早上 7:30 发送前一天以来未读的通知；站内通知不受影响。"),
        error_messages={"required": _("请选择邮件提醒方式"),
                        "invalid_choice": _("邮件提醒须为：立即发送、每日汇总或不发送邮件")})
