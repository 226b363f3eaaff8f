"""Staff pages for the hierarchy: tree, search, org page, create / edit / move / deactivate,
org kinds. Thin: parse, call one query or action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.orgs import actions, queries
from gongkai.orgs.models import Affiliation, Org, OrgKind, RoleGrant
from gongkai.orgs.permissions import Action, can, get_org_for, roles_at
from gongkai.people.queries import people_visible_to
from gongkai.workspace.forms import (
    DeactivateForm,
    KindEditForm,
    KindForm,
    OrgForm,
    OrgMoveForm,
    OrgSearchForm,
    ReasonForm,
)
from gongkai.workspace.helpers import attempt, flash_errors, forbid_unless, is_htmx

PEOPLE_ON_ORG_PAGE = 20
ABILITIES = {
    "edit": Action.ORG_EDIT, "create_child": Action.ORG_CREATE_CHILD, "move": Action.ORG_MOVE,
    "deactivate": Action.ORG_DEACTIVATE, "people_manage": Action.PEOPLE_MANAGE,
    "roles_grant": Action.ROLES_GRANT, "audit": Action.AUDIT_VIEW,
}


def _abilities(user: Any, org: Org) -> dict[str, bool]:
    # Only decides which buttons to draw; every action checks again.
    return {name: can(user, action, org) for name, action in ABILITIES.items()}


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    search = OrgSearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"].strip():
        results = list(queries.search_orgs(user, search.cleaned_data["q"]).select_related("parent"))
    tops = queries.top_orgs_for(user)
    # The first level is drawn open, with one query for all tops' children (no N+1).
    children: dict[int, list[Org]] = {org.pk: [] for org in tops}
    for child in (queries.orgs_visible_to(user).filter(parent__in=tops)
                  .annotate(child_count=Count("children")).order_by("sort_order", "name")):
        children[child.parent_id].append(child)  # type: ignore[index]
    nodes = [(org, children[org.pk]) for org in tops]
    return render(request, "workspace/orgs/tree.html", {
        "search": search, "results": results, "nodes": nodes,
    })


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one node, for the tree's lazy expansion. Without htmx the org page
    lists them."""
    org = get_org_for(request.user, Action.ORG_VIEW, code=code)
    if not is_htmx(request):
        return redirect("workspace:org", code=org.code)
    return render(request, "workspace/orgs/_children.html", {
        "parent": org, "children": queries.children_of(request.user, org),
    })


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    people = people_visible_to(user, org=org).prefetch_related(
        Prefetch("affiliations", to_attr="here_affiliations",
                 queryset=Affiliation.objects.filter(org=org)),
        Prefetch("role_grants", to_attr="here_grants",
                 queryset=RoleGrant.objects.filter(org=org).order_by("role")),
    )
    shown = list(people[:PEOPLE_ON_ORG_PAGE])
    return render(request, "workspace/orgs/detail.html", {
        "org": org,
        "breadcrumbs": queries.ancestors(org),
        "children": queries.children_of(user, org),
        "people": shown,
        "people_total": people.count() if len(shown) == PEOPLE_ON_ORG_PAGE else len(shown),
        "my_roles": sorted(roles_at(user, org)),
        "can": _abilities(user, org),
    })


@login_required
def create_child(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    parent = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.ORG_CREATE_CHILD, parent))
    form = OrgForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, org = attempt(form, actions.org_create, actor=user, parent=parent, **form.cleaned_data)
        if ok and org is not None:
            messages.success(request, _("已新建组织：%(name)s") % {"name": org.name})
            return redirect("workspace:org", code=org.code)
    return render(request, "workspace/orgs/form.html", {
        "form": form, "parent": parent, "org": None,
        "breadcrumbs": [*queries.ancestors(parent), parent],
        "title": _("在“%(name)s”下新建组织") % {"name": parent.name},
    })


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.ORG_EDIT, org))
    initial = {field: getattr(org, field) for field in actions.EDITABLE_FIELDS}
    initial["kind"] = org.kind.code
    form = OrgForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        ok, _org = attempt(form, actions.org_update, actor=user, org=org, reason=reason, **data)
        if ok:
            messages.success(request, _("已保存"))
            return redirect("workspace:org", code=org.code)
    return render(request, "workspace/orgs/form.html", {
        "form": form, "org": org, "parent": org.parent,
        "breadcrumbs": [*queries.ancestors(org), org],
        "title": _("修改组织：%(name)s") % {"name": org.name},
    })


@login_required
def move(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.ORG_MOVE, org))
    initial = {"parent": request.GET.get("parent", "")}
    form = OrgMoveForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _org = attempt(form, actions.org_move, actor=user, org=org,
                           new_parent=form.cleaned_data["parent"], reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已移动组织"))
            return redirect("workspace:org", code=org.code)
    search = OrgSearchForm(request.GET if "q" in request.GET else None)
    candidates = None
    if search.is_valid() and search.cleaned_data["q"].strip():
        # Only where the org could go: not itself or below, and where the user may add children.
        candidates = [o for o in queries.search_orgs(user, search.cleaned_data["q"]).select_related("parent")
                      if not o.path.startswith(org.path) and can(user, Action.ORG_CREATE_CHILD, o)]
    template = "workspace/orgs/_move_candidates.html" if is_htmx(request) else "workspace/orgs/move.html"
    return render(request, template, {
        "form": form, "org": org, "search": search, "candidates": candidates,
        "breadcrumbs": [*queries.ancestors(org), org],
    })


@login_required
def deactivate(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.ORG_DEACTIVATE, org))
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _org = attempt(form, actions.org_set_active, actor=user, org=org, active=False,
                           reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已撤销组织：%(name)s") % {"name": org.name})
            return redirect("workspace:org", code=org.code)
    return render(request, "workspace/orgs/deactivate.html", {
        "form": form, "org": org, "breadcrumbs": [*queries.ancestors(org), org],
    })


@login_required
@require_POST
def reactivate(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    form = ReasonForm(request.POST)
    if form.is_valid():
        ok, _org = attempt(form, actions.org_set_active, actor=user, org=org, active=True,
                           reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已恢复组织：%(name)s") % {"name": org.name})
            return redirect("workspace:org", code=org.code)
    flash_errors(request, form)
    return redirect("workspace:org", code=org.code)


@login_required
def kinds(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_add = can(user, Action.KINDS_MANAGE, None)
    form = KindForm(request.POST or None)
    if request.method == "POST":
        forbid_unless(may_add)
        if form.is_valid():
            ok, kind = attempt(form, actions.kind_create, actor=user, **form.cleaned_data)
            if ok and kind is not None:
                messages.success(request, _("已新增组织类型：%(name)s") % {"name": kind.name})
                return redirect("workspace:kinds")
    # Kinds are deployment-wide reference data (like a code table), not anyone's records.
    return render(request, "workspace/orgs/kinds.html", {
        "kinds": OrgKind.objects.order_by("sort_order", "id"), "form": form, "may_add": may_add,
    })


@login_required
def kind_edit(request: HttpRequest, code: str) -> HttpResponse:
    """修改组织类型: name, description, order and whether its items go to the superior (报批)."""
    user = request.user
    kind = get_object_or_404(OrgKind, code=code)
    forbid_unless(can(user, Action.KINDS_MANAGE, None))
    initial = {field: getattr(kind, field) for field in actions.KIND_EDITABLE_FIELDS}
    form = KindEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        ok, _kind = attempt(form, actions.kind_update, actor=user, kind=kind, changes=data, reason=reason)
        if ok:
            messages.success(request, _("已保存组织类型：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("workspace:kinds")
    return render(request, "workspace/orgs/kind_edit.html", {
        "form": form, "kind": kind, "title": _("修改组织类型：%(name)s") % {"name": kind.name},
    })
