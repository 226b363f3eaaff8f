"""Forms of the account pages (login, personal access tokens)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _l


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _l("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _l("该账号已停用，请联系本组织的管理员。"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _l("用户名")
        self.fields["password"].label = _l("密码")


class TokenForm(forms.Form):
    name = forms.CharField(label=_l("令牌名称"), max_length=64, required=False,
                           help_text=_l("写明用途，如“统计报表脚本”"))
