"""The query strings of the bulletin board and the e-screen, parsed strictly as in portal.forms:
a value that does not parse is a 400 with the reason in Chinese (BadQuery)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from gongkai.portal.forms import BadQuery

PAPERS = ("A4", "A3")
DEFAULT_PAPER = "A4"
# Seconds a slide stays up, and between two fetches of the screen's data.
SECONDS_MIN, SECONDS_MAX, SECONDS_DEFAULT = 5, 120, 15
REFRESH_MIN, REFRESH_MAX, REFRESH_DEFAULT = 10, 3600, 300


class PaperForm(forms.Form):
    paper = forms.ChoiceField(
        choices=[(p, p) for p in PAPERS],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("纸张只能是 A4 或 A3")},
    )


def paper(query: QueryDict) -> str:
    """`?paper=A4|A3` (a3 and a4 too; default A4)."""
    form = PaperForm({"paper": query.get("paper", "").strip().upper()})
    if not form.is_valid():
        raise BadQuery([str(m) for errors in form.errors.values() for m in errors])
    return str(form.cleaned_data["paper"] or DEFAULT_PAPER)


def _bounded(label: Any, low: int, high: int) -> forms.IntegerField:
    # Lazy: the message is built when shown, in the language then active.
    message = format_lazy(
        gettext_lazy("{label}须是 {low} 到 {high} 之间的整数（秒）"), label=label, low=low, high=high
    )
    return forms.IntegerField(
        min_value=low,
        max_value=high,
        required=False,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class ScreenForm(forms.Form):
    seconds = _bounded(gettext_lazy("每屏停留时间"), SECONDS_MIN, SECONDS_MAX)
    refresh = _bounded(gettext_lazy("数据刷新间隔"), REFRESH_MIN, REFRESH_MAX)


@dataclass(frozen=True)
class ScreenOptions:
    seconds: int = SECONDS_DEFAULT
    refresh: int = REFRESH_DEFAULT


def screen_options(query: QueryDict) -> ScreenOptions:
    """`?seconds=N` (5–120, default 15) and `?refresh=N` (10–3600, default 300)."""
    form = ScreenForm({"seconds": query.get("seconds", ""), "refresh": query.get("refresh", "")})
    if not form.is_valid():
        raise BadQuery(list(dict.fromkeys(str(m) for errors in form.errors.values() for m in errors)))
    data = form.cleaned_data
    return ScreenOptions(
        seconds=data["seconds"] if data["seconds"] is not None else SECONDS_DEFAULT,
        refresh=data["refresh"] if data["refresh"] is not None else REFRESH_DEFAULT,
    )
