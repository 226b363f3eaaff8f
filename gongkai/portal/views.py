from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.orgs.models import Org
from gongkai.orgs.queries import public_directory


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: who we are and the directory of organisations."""
    tops: list[Org] = []
    children: dict[int, list[Org]] = {}
    for org in public_directory(max_depth=1):
        if org.parent_id is None:
            tops.append(org)
            children[org.pk] = []
        elif org.parent_id in children:
            children[org.parent_id].append(org)
    return render(request, "portal/home.html", {
        "directory": [(org, children[org.pk]) for org in tops],
    })
