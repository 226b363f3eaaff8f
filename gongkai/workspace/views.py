from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.orgs.queries import top_orgs_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/home.html", {"top_orgs": top_orgs_for(request.user)})
