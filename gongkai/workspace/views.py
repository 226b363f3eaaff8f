"""The staff workspace home (工作台)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.catalogue.queries import ObligationState, obligations_for
from gongkai.orgs.permissions import roles_at
from gongkai.orgs.queries import top_orgs_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Each org the user answers for, with what is late or nearly due in it and below it: the
    # first thing an officer (or a superior) needs on arrival.
    tops = [(org, sorted(roles_at(user, org)), {
        state: obligations_for(user, org=org, subtree=True, states=[state]).count()
        for state in (ObligationState.OVERDUE, ObligationState.DUE_SOON)})
        for org in top_orgs_for(user)]
    return render(request, "workspace/home.html", {
        "top_orgs": tops,
        "has_roles": bool(tops) or user.is_superuser,
    })
