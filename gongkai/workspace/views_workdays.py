"""Staff page of the working-day calendar: what each year's holidays are and where they come
from; county administrators load or clear a year's official schedule. Thin: the calendar's
actions check the right and audit the change."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.workdays import actions, calendar, hooks


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("节假日安排文件（CSV 或 XLSX：日期,类型,节日）"))
    note = forms.CharField(label=gettext_lazy("依据（如通知文号）"), max_length=255, required=False)


def _year(text: str | None) -> int:
    try:
        year = int(text or date.today().year)
    except ValueError:
        year = date.today().year
    return min(max(year, 2000), 2100)


@login_required
def workdays(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year") or request.POST.get("year"))
    may_edit = hooks.may_edit_calendar(request.user)
    form = ScheduleUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            days, row_errors = actions.parse_schedule_file(upload.read(), upload.name)
            errors = [_("第 %(row)d 行 %(col)s：%(msg)s") % {"row": e.row, "col": e.column, "msg": e.message}
                      for e in row_errors]
            if not errors:
                try:
                    actions.schedule_load(actor=request.user, year=year, days=days,
                                          note=form.cleaned_data["note"])
                except ValidationError as error:
                    errors = list(error.messages)
                else:
                    messages.success(request, _("已录入 %(y)d 年节假日安排") % {"y": year})
                    return redirect(f"{request.path}?year={year}")
    data = calendar.year_data(year)
    return render(request, "workspace/workdays.html", {
        "year": year, "source": data.source, "days": calendar.exceptions_for(year),
        "warning": calendar.missing_year_warning(year) if data.source == calendar.SOURCE_NONE else "",
        "may_edit": may_edit, "form": form, "errors": errors, "section": "workdays",
        "years": range(year - 2, year + 3),
    })


@login_required
@require_POST
def workdays_clear(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("year"))
    actions.schedule_clear(actor=request.user, year=year)  # refuses (403) a non-administrator
    messages.success(request, _("已删除 %(y)d 年录入的安排，恢复内置数据") % {"y": year})
    return redirect(f"/staff/workdays/?year={year}")
