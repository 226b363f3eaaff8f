"""The portal's query strings, parsed strictly: a value that does not parse is a 400 with the
reason in Chinese, never a silent guess and never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue.vocab import Scope

# The years a date filter may name: the working-day calendar's range, far beyond any item.
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_PAGE = 100_000
SEARCH_MAX_LENGTH = 50


class BadQuery(Exception):
    """A query string the page cannot use; `messages` say why, in Chinese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _checked(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise BadQuery([str(message) for errors in form.errors.values() for message in errors])
    return form.cleaned_data


def _in_range(value: date | None) -> None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(_("日期须在 %(a)d 年到 %(b)d 年之间") % {"a": MIN_YEAR, "b": MAX_YEAR})


class ItemFilterForm(forms.Form):
    """`?category=&from=&to=` of the item lists (the query keys are mapped to these fields)."""

    category = forms.CharField(
        label=gettext_lazy("类别"),
        max_length=64,
        required=False,
        error_messages={"max_length": gettext_lazy("类别最多 %(limit_value)d 个字")},
    )
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        validators=[_in_range],
        error_messages={"invalid": gettext_lazy("起始日期格式不正确，请写成 2026-03-01")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        validators=[_in_range],
        error_messages={"invalid": gettext_lazy("截止日期格式不正确，请写成 2026-03-31")},
    )

    def clean(self) -> dict[str, Any]:
        return _dates_in_order(super().clean() or {})


def _dates_in_order(data: dict[str, Any]) -> dict[str, Any]:
    start, end = data.get("date_from"), data.get("date_to")
    if start is not None and end is not None and start > end:
        raise ValidationError(_("起始日期不能晚于截止日期"))
    return data


def item_filters(query: QueryDict) -> dict[str, Any]:
    """{"category": str | None, "date_from": date | None, "date_to": date | None}."""
    form = ItemFilterForm(
        {
            "category": query.get("category", ""),
            "date_from": query.get("from", ""),
            "date_to": query.get("to", ""),
        }
    )
    data = _checked(form)
    return {
        "category": data["category"] if "category" in query else None,
        "date_from": data["date_from"],
        "date_to": data["date_to"],
    }


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("组织名称"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        error_messages={"max_length": gettext_lazy("查找的组织名称最多 %(limit_value)d 个字")},
    )


def directory_query(query: QueryDict) -> str:
    return str(_checked(DirectorySearchForm({"q": query.get("q", "")}))["q"]).strip()


class PageForm(forms.Form):
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": gettext_lazy("页码须是正整数"),
            "min_value": gettext_lazy("页码须是正整数"),
            "max_value": gettext_lazy("页码太大"),
        },
    )


def page_number(query: QueryDict) -> int:
    return int(_checked(PageForm({"page": query.get("page", "")}))["page"] or 1)


class SearchForm(forms.Form):
    """`?q=&org=&subtree=&category=&scope=&from=&to=` of the search page."""

    q = forms.CharField(label=gettext_lazy("检索词"), max_length=200, required=False, strip=True)
    org = forms.RegexField(
        label=gettext_lazy("组织代码"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
        required=False,
        error_messages={"invalid": gettext_lazy("组织代码不正确")},
    )
    subtree = forms.BooleanField(label=gettext_lazy("含下级组织"), required=False)
    category = ItemFilterForm.base_fields["category"]
    scope = forms.ChoiceField(
        label=gettext_lazy("公开范围"),
        required=False,
        choices=[("", gettext_lazy("不限")), *Scope.choices],
        error_messages={"invalid_choice": gettext_lazy("公开范围不正确")},
    )
    date_from = ItemFilterForm.base_fields["date_from"]
    date_to = ItemFilterForm.base_fields["date_to"]

    def clean(self) -> dict[str, Any]:
        return _dates_in_order(super().clean() or {})


def search_params(query: QueryDict) -> dict[str, Any]:
    """The search page's parameters; the text itself is parsed by gongkai.search (its limits)."""
    form = SearchForm(
        {
            "q": query.get("q", ""),
            "org": query.get("org", ""),
            "subtree": query.get("subtree", ""),
            "category": query.get("category", ""),
            "scope": query.get("scope", ""),
            "date_from": query.get("from", ""),
            "date_to": query.get("to", ""),
        }
    )
    data = _checked(form)
    data["category"] = data["category"] if query.get("category") else None
    return data
