"""Staff page of the working-day calendar: a year's holidays and make-up days and where they come
from, and a calculator that shows how a deadline is counted. Calendar administrators load a
year's schedule from a file, set or remove single days, or clear the year. Thin: the calendar's
actions check the right, validate, audit and recompute."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.workdays import actions, calendar, queries
from gongkai.workdays.files import MAX_NAME, parse_schedule_file
from gongkai.workdays.models import DayKind
from gongkai.workspace.helpers import add_errors, forbid_unless

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("节假日安排文件"),
                           help_text=gettext_lazy("CSV 或 XLSX，列：日期,类型,节日；只列例外日"))
    note = forms.CharField(label=gettext_lazy("依据（如通知文号）"), max_length=255, required=False)


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("节日"), max_length=MAX_NAME, required=False)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=255, required=False)


class RemoveForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=255, required=False)


class CalcForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起算日（不计入）"), widget=DATE_INPUT)
    n = forms.IntegerField(label=gettext_lazy("工作日数"), min_value=0, max_value=calendar.MAX_DAYS)


def _year(text: str | None) -> int:
    try:
        year = int(text or date.today().year)
    except ValueError:
        year = date.today().year
    return min(max(year, actions.MIN_YEAR), actions.MAX_YEAR)


def _page(request: HttpRequest, year: int, status: int = 200, **forms_: Any) -> HttpResponse:
    may_edit = queries.may_edit(request.user)
    calc = CalcForm(request.GET if "start" in request.GET else None)
    result = None
    if calc.is_valid():
        try:
            result = calendar.add_workdays(calc.cleaned_data["start"], calc.cleaned_data["n"])
        except calendar.CalendarInputError as error:
            calc.add_error("start", str(error))
    return render(request, "workspace/workdays/year.html", {
        "view": queries.year_view(year), "year": year, "years": range(year - 2, year + 3),
        "may_edit": may_edit, "calc": calc, "result": result, "section": "workdays",
        "upload": forms_.get("upload") or UploadForm(),
        "day_form": forms_.get("day_form") or DayForm(initial={"date": date(year, 1, 1)}),
        "file_errors": forms_.get("file_errors", []),
    }, status=status)


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('workspace:workdays')}?year={year}")


@login_required
def workdays(request: HttpRequest) -> HttpResponse:
    return _page(request, _year(request.GET.get("year")))


@login_required
@require_POST
def workdays_load(request: HttpRequest) -> HttpResponse:
    forbid_unless(queries.may_edit(request.user))
    year = _year(request.POST.get("year"))
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, year, upload=upload)
    file = upload.cleaned_data["file"]
    _y, days, row_errors = parse_schedule_file(file.read(), file.name, year)
    errors = [_("第 %(row)d 行 %(col)s：%(msg)s") % {"row": e.row, "col": e.column, "msg": e.message}
              if e.row else e.message for e in row_errors]
    if not errors:
        try:
            actions.schedule_load(actor=request.user, year=year, days=days,
                                  note=upload.cleaned_data["note"], source=file.name)
        except ValidationError as error:
            errors = list(error.messages)
    if errors:
        return _page(request, year, upload=upload, file_errors=errors)
    messages.success(request, _("已录入 %(y)d 年节假日安排：%(n)d 天") % {"y": year, "n": len(days)})
    return _back(year)


@login_required
@require_POST
def workdays_day_set(request: HttpRequest) -> HttpResponse:
    forbid_unless(queries.may_edit(request.user))
    form = DayForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        data = form.cleaned_data
        year = _year(str(data["date"].year))
        try:
            actions.schedule_day_set(actor=request.user, day=data["date"], kind=data["kind"],
                                     name=data["name"], reason=data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已设置 %(d)s") % {"d": data["date"].isoformat()})
            return _back(year)
    return _page(request, year, day_form=form)


@login_required
@require_POST
def workdays_day_remove(request: HttpRequest) -> HttpResponse:
    forbid_unless(queries.may_edit(request.user))
    form = RemoveForm(request.POST)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        messages.error(request, _("日期不正确"))
        return _back(year)
    day = form.cleaned_data["date"]
    try:
        actions.schedule_day_remove(actor=request.user, day=day, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已恢复 %(d)s 为平常日子") % {"d": day.isoformat()})
    return _back(_year(str(day.year)))


@login_required
@require_POST
def workdays_clear(request: HttpRequest) -> HttpResponse:
    forbid_unless(queries.may_edit(request.user))
    year = _year(request.POST.get("year"))
    actions.schedule_clear(actor=request.user, year=year)
    messages.success(request, _("已删除 %(y)d 年录入的安排，恢复内置数据") % {"y": year})
    return _back(year)
