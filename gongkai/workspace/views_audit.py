"""The audit log page: of an org (and its subordinates) or of one object, with filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.audit.queries import events_for
from gongkai.orgs import queries as org_queries
from gongkai.orgs.permissions import Action, audit_paths_for, can, get_org_for
from gongkai.workspace.audit_display import AuditFilterForm
from gongkai.workspace.helpers import forbid_unless, paginate


@login_required
def audit_log(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = request.user
    allowed = audit_paths_for(user)
    org = None
    if code:
        org = get_org_for(user, Action.ORG_VIEW, code=code)
        forbid_unless(can(user, Action.AUDIT_VIEW, org))
    else:
        forbid_unless(allowed is None or bool(allowed))
    data = request.GET.copy()
    # A checkbox left unticked is simply absent, so "include subordinates" defaults to on only
    # until the filter form has been submitted once.
    if "f" not in data:
        data["subtree"] = "on"
    form = AuditFilterForm(data)
    events = None
    if form.is_valid():
        events = events_for(user, allowed_paths=allowed, org_path=org.path if org else None,
                            subtree=form.cleaned_data["subtree"], **form.query_kwargs())
    return render(request, "workspace/audit/list.html", {
        "org": org, "form": form,
        "page": paginate(request, events) if events is not None else None,
        "breadcrumbs": [*org_queries.ancestors(org), org] if org else [],
        "object_filter": bool(data.get("object_type") and data.get("object_id")),
    })
