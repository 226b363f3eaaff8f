"""Staff upload pages for importing organisations and people. Thin: take the file, call the
import action, render its report. The action checks the rights on every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.orgs import importing as org_importing
from gongkai.people import importing as people_importing
from gongkai.tabular import Column, ImportReport
from gongkai.workspace.helpers import attempt, forbid_unless

ACCEPTED = {".xlsx", ".xlsm", ".csv", ".txt"}
# A page of 1,000 rows is already long; the count of the rest is stated on the page.
ERRORS_SHOWN = 1000

HELP = {
    "code": gettext_lazy("组织的唯一代码：字母、数字、下划线、点或连字符，最长40个字符；"
                         "已存在的代码会被更新"),
    "name": gettext_lazy("组织全称；同一上级组织下不能重名"),
    "kind": gettext_lazy("组织类型的代码或名称，如 branch 或 党支部"),
    "parent_code": gettext_lazy("上级组织的代码（可以是本文件中的组织）；留空表示顶级组织；"
                                "改变它会把组织连同下级一起移动"),
    "short_name": gettext_lazy("可不填"),
    "address": gettext_lazy("可不填"),
    "phone": gettext_lazy("11位手机号或带区号的固定电话，可不填"),
    "username": gettext_lazy("登录用户名；已存在的用户名会被更新"),
    "real_name": gettext_lazy("姓名"),
    "org_code": gettext_lazy("所在组织的代码"),
    "affiliation": gettext_lazy("member（党员）或 staff（职工）；只授予角色时可不填"),
    "roles": gettext_lazy("可填多个，用逗号或顿号分隔：officer 公开专员、reviewer 审核人、"
                          "secrecy_reviewer 保密审查人、leader 主要负责人、supervisor 监督员"),
    "email": gettext_lazy("可不填"),
}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（XLSX 或 CSV）"))
    dry_run = forms.BooleanField(label=gettext_lazy("仅检查不导入"), required=False)

    def __init__(self, *args: Any, too_big: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_big = too_big
        self.fields["file"].help_text = _(
            "Excel 工作簿（.xlsx，读取第一个工作表）或 CSV（UTF-8 或 GBK 编码），不超过 %(mb)s MB。"
        ) % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}

    def clean(self) -> dict[str, Any]:
        if self.too_big:
            # The upload was cut off, so "file" is missing: say why instead of "required".
            self.errors.pop("file", None)
            raise forms.ValidationError(_("文件过大：不能超过 %(mb)s MB，请拆分后分批导入")
                                        % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
        return super().clean() or {}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ACCEPTED:
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("文件过大：不能超过 %(mb)s MB")
                                        % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
        return upload


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit, instead of spooling gigabytes to disk
    only to refuse them afterwards."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


Importer = Callable[..., ImportReport]


def _page(request: HttpRequest, *, kind: str, importer: Importer, allowed: bool,
          columns: tuple[Column, ...], limiter: SizeLimitHandler) -> HttpResponse:
    forbid_unless(allowed)
    title = _("导入组织") if kind == "orgs" else _("导入人员")
    context: dict[str, Any] = {
        "title": title, "kind": kind,
        "columns": [(c.field, c.aliases[0], c.required, HELP.get(c.field, "")) for c in columns],
    }
    if request.method != "POST":
        context["form"] = ImportForm()
        return render(request, "workspace/imports/upload.html", context)
    form = ImportForm(request.POST, request.FILES, too_big=limiter.exceeded)
    if not form.is_valid():
        context["form"] = form
        return render(request, "workspace/imports/upload.html", context, status=400)
    upload = form.cleaned_data["file"]
    ok, report = attempt(form, importer, actor=request.user, data=upload.read(),
                         file_name=upload.name or "", dry_run=form.cleaned_data["dry_run"])
    if not ok or report is None:
        context["form"] = form
        return render(request, "workspace/imports/upload.html", context, status=400)
    context.update(report=report, errors=report.errors[:ERRORS_SHOWN],
                   errors_hidden=max(0, len(report.errors) - ERRORS_SHOWN))
    return render(request, "workspace/imports/result.html", context)


@csrf_protect
def _orgs(request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
    return _page(request, kind="orgs", importer=org_importing.import_orgs,
                 allowed=org_importing.may_import_orgs(request.user),
                 columns=org_importing.COLUMNS, limiter=limiter)


@csrf_protect
def _people(request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
    return _page(request, kind="people", importer=people_importing.import_people,
                 allowed=people_importing.may_import_people(request.user),
                 columns=people_importing.COLUMNS, limiter=limiter)


def _with_limit(request: HttpRequest) -> SizeLimitHandler:
    limiter = SizeLimitHandler(request, settings.UPLOAD_MAX_BYTES)
    # Upload handlers can only be changed before the body is read, which CSRF checking does:
    # hence csrf_exempt outside and csrf_protect inside (Django's documented pattern).
    request.upload_handlers = [limiter, *request.upload_handlers]
    return limiter


@csrf_exempt
@login_required
def import_orgs(request: HttpRequest) -> HttpResponse:
    return _orgs(request, _with_limit(request))


@csrf_exempt
@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    return _people(request, _with_limit(request))
