"""Staff page for importing a catalogue version's entries from the Excel file its export writes.
Thin: take the file, call the import action, render its report (the bad cells as a table)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.catalogue import queries
from gongkai.catalogue.importing import catalogue_import as import_action
from gongkai.catalogue.models import CatalogueVersion
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.queries import ancestors
from gongkai.workspace.helpers import attempt, forbid_unless
from gongkai.workspace.views_imports import ERRORS_SHOWN, ImportForm, SizeLimitHandler


class CatalogueImportForm(ImportForm):
    file = forms.FileField(label=gettext_lazy("Excel 文件（XLSX 或 CSV）"))
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False)


def _version_url(version: CatalogueVersion) -> str:
    return reverse("workspace:catalogue_org", args=[version.catalogue.org.code]) + \
        f"?version={version.number}"


@csrf_protect
def _page(request: HttpRequest, pk: int, limiter: SizeLimitHandler) -> HttpResponse:
    user = request.user
    version = queries.get_version_for(user, pk)
    forbid_unless(version.is_editable and can(user, Action.CATALOGUE_EDIT, version.catalogue.org))
    org = version.catalogue.org
    context: dict[str, Any] = {"version": version, "org": org, "breadcrumbs": [*ancestors(org), org],
                               "back": _version_url(version)}
    if request.method != "POST":
        context["form"] = CatalogueImportForm()
        return render(request, "workspace/catalogue/import.html", context)
    form = CatalogueImportForm(request.POST, request.FILES, too_big=limiter.exceeded)
    context["form"] = form
    if not form.is_valid():
        return render(request, "workspace/catalogue/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    ok, report = attempt(form, import_action, actor=user, version=version, data=upload.read(),
                         file_name=upload.name or "", dry_run=form.cleaned_data["dry_run"])
    if not ok or report is None:
        return render(request, "workspace/catalogue/import.html", context, status=400)
    if report.ok and not report.dry_run:
        if report.details.get("written"):
            messages.success(request, _("已从 Excel 导入：新增 %(c)s，修改 %(u)s，未变 %(s)s，删除 %(r)s") % {
                "c": report.created, "u": report.updated, "s": report.unchanged,
                "r": report.details.get("removed", 0)})
        else:
            messages.info(request, _("文件内容与本版本完全相同，未做修改"))
        return redirect(context["back"])
    context.update(report=report, errors=report.errors[:ERRORS_SHOWN],
                   errors_hidden=max(0, len(report.errors) - ERRORS_SHOWN),
                   form=CatalogueImportForm(initial={"dry_run": False}))
    return render(request, "workspace/catalogue/import.html", context)


@csrf_exempt
@login_required
def catalogue_import(request: HttpRequest, pk: int) -> HttpResponse:
    """从 Excel 导入: replace the entries of a draft or returned version from a spreadsheet."""
    limiter = SizeLimitHandler(request, settings.UPLOAD_MAX_BYTES)
    # Upload handlers can only be changed before the body is read, which CSRF checking does:
    # hence csrf_exempt outside and csrf_protect inside (as on the other import pages).
    request.upload_handlers = [limiter, *request.upload_handlers]
    return _page(request, pk, limiter)
