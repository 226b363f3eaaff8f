"""Staff pages for disclosure catalogues (党务公开目录): an org's catalogue and its versions,
creating one from its template, editing entries, approving / filing / acknowledging /
returning / revising, the superior's incoming filings, the side-by-side diff, a printable page
and an XLSX export. Thin: parse, call one query or action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.catalogue import actions, queries
from gongkai.catalogue.diff import diff
from gongkai.catalogue.models import CatalogueVersion, Entry
from gongkai.catalogue.printable import (
    CHANNELS,
    COLUMNS,
    SCOPES,
    XLSX_TYPE,
    catalogue_xlsx,
    export_filename,
    printable_row,
    yes_no,
)
from gongkai.catalogue.rows import label
from gongkai.catalogue.timing import describe
from gongkai.catalogue.vocab import Scope
from gongkai.orgs.permissions import Action, can, orgs_where
from gongkai.orgs.queries import ancestors
from gongkai.workspace.forms_catalogue import ActForm, CreateForm, EntryForm, ExplanationForm, RemoveForm
from gongkai.workspace.helpers import attempt, flash_errors, forbid_unless, paginate

# COLUMNS and printable_row moved to gongkai.catalogue.printable, where the PDF export and the
# API read them too; they stay importable from here.
ACTS: dict[str, Any] = {
    "approve": gettext_lazy("审批"), "file": gettext_lazy("报备"),
    "acknowledge": gettext_lazy("确认备案"), "return": gettext_lazy("退回"),
    "revise": gettext_lazy("发起调整"),
}


def _entries(version: CatalogueVersion) -> list[Entry]:
    entries = list(queries.entries_of(version))
    for entry in entries:
        entry.cells = printable_row(entry)  # type: ignore[attr-defined]
    return entries


def _editable(user: Any, version: CatalogueVersion) -> None:
    forbid_unless(version.is_editable and can(user, Action.CATALOGUE_EDIT, version.catalogue.org))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """公开目录: the orgs whose catalogues the user keeps, filings waiting for the user, and
    subordinates that have filed nothing."""
    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    orgs = orgs_where(user, Action.CATALOGUE_EDIT).filter(is_active=True).select_related("kind")
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    page = paginate(request, orgs.order_by("path"))
    states: dict[int, list[CatalogueVersion]] = {}
    for version in (CatalogueVersion.objects.filter(catalogue__org__in=[o.pk for o in page])
                    .select_related("catalogue").order_by("-number")):
        states.setdefault(version.catalogue.org_id, []).append(version)
    rows = [(org, states.get(org.pk, [])[:1]) for org in page]
    silent = queries.subordinates_without_filing(user)
    return render(request, "workspace/catalogue/home.html", {
        "q": q, "page": page, "rows": rows,
        "incoming": list(queries.incoming_filings(user)[:200]),
        "silent": list(silent[:100]), "silent_count": silent.count(),
    })


@login_required
def org_catalogue(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = queries.org_by_code(code)
    staff = can(user, Action.ORG_VIEW, org)
    versions = list(queries.versions_for(user, org))
    if not versions and not staff:
        raise Http404
    number = request.GET.get("version", "")
    version: CatalogueVersion | None = versions[0] if versions else None
    if number.isdigit():
        version = next((v for v in versions if v.number == int(number)), None)
        if version is None:
            raise Http404
    may_create = not versions and can(user, Action.CATALOGUE_EDIT, org) and org.is_active
    return render(request, "workspace/catalogue/org.html", {
        "org": org, "breadcrumbs": ancestors(org) if staff else [], "versions": versions,
        "version": version, "entries": _entries(version) if version else [],
        "allowed": queries.allowed_actions(user, version) if version else [],
        "acts": ACTS, "create_form": CreateForm() if may_create else None,
        "explain_form": ExplanationForm(initial={"change_explanation": version.change_explanation})
        if version else None,
        "in_force": next((v for v in versions if v.status == "in_force"), None),
    })


@login_required
@require_POST
def create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = queries.org_by_code(code)
    form = CreateForm(request.POST)
    if form.is_valid():
        ok, _version = attempt(form, actions.catalogue_create_from_template, actor=user, org=org,
                               template=form.cleaned_data["template"])
        if ok:
            messages.success(request, _("已按模板新建目录（第1版草稿）"))
            return redirect("workspace:catalogue_org", code=org.code)
    flash_errors(request, form)
    return redirect("workspace:catalogue_org", code=org.code)


def _entry_page(request: HttpRequest, version: CatalogueVersion, form: EntryForm,
                entry: Entry | None) -> HttpResponse:
    org = version.catalogue.org
    return render(request, "workspace/catalogue/entry_form.html", {
        "form": form, "version": version, "entry": entry, "org": org,
        "breadcrumbs": [*ancestors(org), org],
        "title": _("修改事项 %(n)s") % {"n": entry.number} if entry else _("新增事项"),
    })


@login_required
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    version = queries.get_version_for(user, pk)
    _editable(user, version)
    form = EntryForm(request.POST or None, initial={"scope": Scope.PARTY, "timing": "prompt",
                                                    "within_workdays": 5})
    if request.method == "POST" and form.is_valid():
        ok, _entry = attempt(form, actions.entry_add, actor=user, version=version, data=form.entry_data())
        if ok:
            messages.success(request, _("已新增事项"))
            return redirect(_version_url(version))
    return _entry_page(request, version, form, None)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = queries.get_entry_for(user, pk)
    version = entry.version
    _editable(user, version)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        ok, _entry = attempt(form, actions.entry_update, actor=user, entry=entry, changes=form.entry_data())
        if ok:
            messages.success(request, _("已保存"))
            return redirect(_version_url(version))
    return _entry_page(request, version, form, entry)


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = queries.get_entry_for(user, pk)
    form = RemoveForm(request.POST)
    if form.is_valid():
        ok, _none = attempt(form, actions.entry_remove, actor=user, entry=entry,
                            reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已删除事项 %(n)s") % {"n": entry.number})
    flash_errors(request, form)
    return redirect(_version_url(entry.version))


@login_required
@require_POST
def entry_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    user = request.user
    entry = queries.get_entry_for(user, pk)
    order = list(queries.entries_of(entry.version).values_list("pk", flat=True))
    at = order.index(entry.pk)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < len(order):
        order[at], order[other] = order[other], order[at]
        form = RemoveForm()
        attempt(form, actions.entries_reorder, actor=user, version=entry.version, order=order)
        flash_errors(request, form)
    return redirect(_version_url(entry.version) + f"#entry-{entry.pk}")


@login_required
@require_POST
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    version = queries.get_version_for(user, pk)
    form = ExplanationForm(request.POST)
    if form.is_valid():
        ok, _v = attempt(form, actions.version_set_explanation, actor=user, version=version,
                         text=form.cleaned_data["change_explanation"])
        if ok:
            messages.success(request, _("已保存调整说明"))
    flash_errors(request, form)
    return redirect(_version_url(version))


def _run_act(user: Any, version: CatalogueVersion, act: str, data: dict[str, Any]) -> CatalogueVersion:
    if act == "approve":
        return actions.version_approve(actor=user, version=version, opinion=data["opinion"],
                                       change_explanation=data["change_explanation"])
    if act == "file":
        return actions.version_file(actor=user, version=version)
    if act == "acknowledge":
        return actions.version_acknowledge(actor=user, version=version, opinion=data["opinion"])
    if act == "return":
        return actions.version_return(actor=user, version=version, comment=data["opinion"])
    return actions.version_revise(actor=user, version=version,
                                  change_explanation=data["change_explanation"])


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    if action not in ACTS:
        raise Http404
    version = queries.get_version_for(user, pk)
    forbid_unless(action in queries.allowed_actions(user, version))
    # A bare "file" button posts nothing but the CSRF token: bind the form on any POST.
    form = ActForm(request.POST if request.method == "POST" else None,
                   initial={"change_explanation": version.change_explanation})
    if request.method == "POST" and form.is_valid():
        ok, result = attempt(form, _run_act, user=user, version=version, act=action,
                             data=form.cleaned_data)
        if ok and result is not None:
            messages.success(request, _("已%(a)s") % {"a": ACTS[action]})
            return redirect(_version_url(result))
    org = version.catalogue.org
    return render(request, "workspace/catalogue/act.html", {
        "form": form, "version": version, "org": org, "action": action, "action_label": ACTS[action],
        "breadcrumbs": [*ancestors(org), org], "entries": _entries(version),
        "shows_opinion": action in ("approve", "acknowledge", "return"),
        "shows_explanation": action in ("approve", "revise") and (version.number > 1 or action == "revise"),
    })


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        a = queries.get_version_for(user, int(request.GET.get("a", "")))
        b = queries.get_version_for(user, int(request.GET.get("b", "")))
    except ValueError:
        raise Http404 from None
    result = diff(a, b)
    changed = [(c, [(label(f.field), _cell(f.field, f.old), _cell(f.field, f.new)) for f in c.fields])
               for c in result.changed]
    org = b.catalogue.org
    return render(request, "workspace/catalogue/diff.html", {
        "a": a, "b": b, "result": result, "changed": changed, "org": org,
        "added": [(e, printable_row(e)) for e in result.added],
        "removed": [(e, printable_row(e)) for e in result.removed],
    })


def _cell(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if field == "timing":
        return describe(value)
    if field == "scope":
        return str(SCOPES.get(value, value))
    if field == "channels":
        return "、".join(str(CHANNELS.get(c, c)) for c in value or [])
    return "" if value is None else str(value)


@login_required
def printable(request: HttpRequest, pk: int) -> HttpResponse:
    version = queries.get_version_for(request.user, pk)
    return render(request, "workspace/catalogue/print.html", {
        "version": version, "org": version.catalogue.org, "entries": _entries(version),
        "columns": COLUMNS,
    })


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    version = queries.get_version_for(request.user, pk)
    response = HttpResponse(catalogue_xlsx(version), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(version, "xlsx")}"'
    return response


def _version_url(version: CatalogueVersion) -> str:
    return reverse("workspace:catalogue_org", args=[version.catalogue.org.code]) + \
        f"?version={version.number}"

