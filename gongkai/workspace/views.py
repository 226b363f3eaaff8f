"""The staff workspace home (工作台)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.orgs.permissions import roles_at
from gongkai.orgs.queries import top_orgs_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    tops = [(org, sorted(roles_at(user, org))) for org in top_orgs_for(user)]
    return render(request, "workspace/home.html", {
        "top_orgs": tops,
        "has_roles": bool(tops) or user.is_superuser,
    })
