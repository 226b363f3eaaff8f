"""Staff pages for catalogue templates (基本目录 / 目录模板, 模板维护): the list, one template's
rows and version history, the comparison of two versions, and the county administrators' row
edits, each of which saves a new template version (catalogues already made from an older
version keep theirs). Thin: parse, call one query or action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue import actions, queries
from gongkai.catalogue.models import Entry, TemplateVersion
from gongkai.catalogue.printable import CHANNELS, COLUMNS, SCOPES, printable_row, yes_no
from gongkai.catalogue.rows import ROW_FIELDS, label
from gongkai.catalogue.template_diff import template_diff
from gongkai.catalogue.timing import describe
from gongkai.catalogue.vocab import Scope
from gongkai.orgs.permissions import Action, can
from gongkai.workspace.forms_templates import RowChangeForm, TemplateRowForm
from gongkai.workspace.helpers import attempt, forbid_unless

# Changes to one row that need nothing but a note: (page title, button).
ROW_CHANGES: dict[str, tuple[Any, Any]] = {
    "remove": (gettext_lazy("删除事项"), gettext_lazy("确认删除")),
    "up": (gettext_lazy("上移事项"), gettext_lazy("确认上移")),
    "down": (gettext_lazy("下移事项"), gettext_lazy("确认下移")),
}


def cells(row: dict[str, Any]) -> list[str]:
    """A template row in the customary columns, exactly as a catalogue entry prints."""
    return printable_row(Entry(**{f: row.get(f) for f in ROW_FIELDS}))


def _field_text(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if field == "timing":
        return describe(value)
    if field == "scope":
        return str(SCOPES.get(value, value))
    if field == "channels":
        return "、".join(str(CHANNELS.get(c, c)) for c in value or [])
    return "" if value is None else str(value)


def _may_manage(user: Any) -> bool:
    return can(user, Action.TEMPLATES_MANAGE, None)


def _detail_url(code: str, anchor: str = "") -> str:
    return reverse("workspace:catalogue_template", args=[code]) + (f"#{anchor}" if anchor else "")


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """目录模板: every template, readable by every signed-in user (an officer sees what the
    catalogue came from); the edit controls only for administrators."""
    latest = queries.latest_template_versions()
    rows = [(t, list(t.kinds.all()), latest.get(t.pk)) for t in queries.templates()]
    return render(request, "workspace/templates/list.html", {
        "rows": rows, "may_manage": _may_manage(request.user),
    })


@login_required
def template_detail(request: HttpRequest, code: str) -> HttpResponse:
    template = queries.template_by_code(code)
    history = list(queries.template_history(template))
    number = request.GET.get("version", "")
    version: TemplateVersion | None = None
    if number.isdigit():
        version = queries.template_version(code, int(number))
    elif history:
        version = queries.template_version(code)
    is_latest = version is not None and version.version == history[0].version
    previous = {v.version: history[i + 1].version for i, v in enumerate(history[:-1])}
    return render(request, "workspace/templates/detail.html", {
        "template": template, "kinds": list(template.kinds.all()), "version": version,
        "latest": history[0] if history else None, "is_latest": is_latest,
        "rows": [(i, row, cells(row)) for i, row in enumerate(version.rows, start=1)] if version else [],
        "history": [(v, previous.get(v.version)) for v in history], "columns": COLUMNS,
        "may_edit": is_latest and _may_manage(request.user),
    })


@login_required
def template_compare(request: HttpRequest, code: str) -> HttpResponse:
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404 from None
    old, new = queries.template_version(code, a), queries.template_version(code, b)
    result = template_diff(old, new)
    return render(request, "workspace/templates/diff.html", {
        "template": new.template, "a": old, "b": new, "result": result,
        "changed": [(c, [(label(f.field), _field_text(f.field, f.old), _field_text(f.field, f.new))
                         for f in c.fields]) for c in result.changed],
        "added": [cells(r) for r in result.added], "removed": [cells(r) for r in result.removed],
    })


def _row_at(latest: TemplateVersion, position: int) -> dict[str, Any]:
    if not 1 <= position <= len(latest.rows):
        raise Http404
    row: dict[str, Any] = latest.rows[position - 1]
    return row


def _saved(request: HttpRequest, version: TemplateVersion | None) -> HttpResponse:
    assert version is not None
    messages.success(request, _("已保存为模板第%(n)s版") % {"n": version.version})
    return redirect(_detail_url(version.template.code))


def _row_form_page(request: HttpRequest, latest: TemplateVersion, form: TemplateRowForm,
                   title: str, position: int | None) -> HttpResponse:
    return render(request, "workspace/templates/row_form.html", {
        "form": form, "template": latest.template, "latest": latest, "title": title,
        "position": position,
    })


@login_required
def row_new(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    forbid_unless(_may_manage(user))
    latest = queries.template_version(code)
    before = request.GET.get("position", "")
    form = TemplateRowForm(request.POST or None, adding=True, initial={
        "scope": Scope.PARTY, "timing": "prompt", "within_workdays": 5, "based_on": latest.version,
        "position": int(before) if before.isdigit() else None})
    if request.method == "POST" and form.is_valid():
        ok, version = attempt(form, actions.template_row_change, actor=user, template=latest.template,
                              based_on=form.cleaned_data["based_on"], op="add",
                              position=form.cleaned_data["position"], row=form.row_data(),
                              note=form.cleaned_data["note"])
        if ok:
            return _saved(request, version)
    return _row_form_page(request, latest, form, _("新增事项"), None)


@login_required
def row_edit(request: HttpRequest, code: str, position: int) -> HttpResponse:
    user = request.user
    forbid_unless(_may_manage(user))
    latest = queries.template_version(code)
    row = _row_at(latest, position)
    form = TemplateRowForm(request.POST or None,
                           initial={**TemplateRowForm.initial_for_row(row), "based_on": latest.version})
    if request.method == "POST" and form.is_valid():
        ok, version = attempt(form, actions.template_row_change, actor=user, template=latest.template,
                              based_on=form.cleaned_data["based_on"], op="edit", position=position,
                              row=form.row_data(), note=form.cleaned_data["note"])
        if ok:
            return _saved(request, version)
    return _row_form_page(request, latest, form, _("修改事项 %(n)s") % {"n": row["number"]}, position)


@login_required
def row_change(request: HttpRequest, code: str, position: int, op: str) -> HttpResponse:
    """Remove a row, or move it one place up or down: a page that shows the row and asks
    for the note."""
    if op not in ROW_CHANGES:
        raise Http404
    user = request.user
    forbid_unless(_may_manage(user))
    latest = queries.template_version(code)
    row = _row_at(latest, position)
    form = RowChangeForm(request.POST or None, initial={"based_on": latest.version})
    if request.method == "POST" and form.is_valid():
        ok, version = attempt(form, actions.template_row_change, actor=user, template=latest.template,
                              based_on=form.cleaned_data["based_on"], op=op, position=position,
                              note=form.cleaned_data["note"])
        if ok:
            return _saved(request, version)
    title, button = ROW_CHANGES[op]
    return render(request, "workspace/templates/row_change.html", {
        "form": form, "template": latest.template, "latest": latest, "row": row, "position": position,
        "cells": cells(row), "columns": COLUMNS, "title": f"{title} {row['number']}", "button": button,
        "op": op,
    })
