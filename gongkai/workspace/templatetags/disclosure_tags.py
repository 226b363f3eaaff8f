"""The staff menu's disclosure entries (公开事项, 我的待办 with its count) and the home page's
inbox panel: drawn on every staff page, so they live in tags rather than in each view."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.disclosures.models import Task
from gongkai.disclosures.queries import tasks_for

register = template.Library()

DISCLOSURE_PAGES = {"disclosures", "disclosure_new", "disclosure", "disclosure_edit", "disclosure_amend",
                    "disclosure_history", "disclosure_act"}


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@register.inclusion_tag("workspace/disclosures/_nav.html", takes_context=True)
def disclosure_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    # A user with no step role costs no query: tasks_for's conditions are all empty.
    count = tasks_for(user).count() if _signed_in(user) else 0
    return {"count": count, "on_list": name in DISCLOSURE_PAGES, "on_tasks": name == "tasks"}


@register.simple_tag(takes_context=True)
def my_tasks(context: template.Context, limit: int = 5) -> list[Task]:
    user = getattr(context.get("request"), "user", None)
    return list(tasks_for(user)[:limit]) if _signed_in(user) else []
