"""Reads on the hierarchy for staff surfaces, restricted by the permission module."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, orgs_where


def orgs_visible_to(user: Any, *, include_inactive: bool = True) -> QuerySet[Org]:
    qs = orgs_where(user, Action.ORG_VIEW).select_related("kind")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def top_orgs_for(user: Any) -> list[Org]:
    """The highest orgs the user may view: the roots of their visible forest."""
    if getattr(user, "is_superuser", False):
        return list(Org.objects.filter(depth=0).select_related("kind").order_by("sort_order", "path"))
    grant_paths = sorted(set(orgs_visible_to(user).filter(
        role_grants__person_id=user.pk).values_list("path", flat=True)))
    roots: list[str] = []
    for path in grant_paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return list(Org.objects.filter(path__in=roots).select_related("kind")
                .order_by("sort_order", "path"))


def children_of(user: Any, org: Org) -> QuerySet[Org]:
    return (orgs_visible_to(user).filter(parent=org)
            .annotate(child_count=Count("children"))
            .order_by("sort_order", "name"))


def search_orgs(user: Any, text: str, limit: int = 50) -> QuerySet[Org]:
    text = text.strip()
    return (orgs_visible_to(user)
            .filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))
            .order_by("depth", "path")[:limit])


def ancestors(org: Org) -> list[Org]:
    """Root first, parent last: the breadcrumbs. One query by code."""
    codes = org.ancestor_codes()
    found = {o.code: o for o in Org.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def filter_orgs(user: Any, *, parent: Org | None = None, under: Org | None = None,
                q: str | None = None, kind: str | None = None,
                active: bool | None = None) -> QuerySet[Org]:
    """The orgs the user may view, narrowed by parent, subtree (`under`, itself included),
    a name search, kind code and active flag: the API's and the tree page's list."""
    qs = orgs_visible_to(user)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    if q:
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__iexact=text))
    if kind:
        qs = qs.filter(kind__code=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("path")


def public_directory(max_depth: int = 1) -> QuerySet[Org]:
    """Active organisations down to `max_depth`, in tree order: the portal's public directory
    (an org's name, kind and contact details are public; nothing else is read here)."""
    return (Org.objects.filter(is_active=True, depth__lte=max_depth).select_related("kind")
            .order_by("depth", "sort_order", "name"))
