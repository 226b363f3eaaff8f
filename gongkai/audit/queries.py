"""Reads on the audit log, restricted to the orgs where the reader may see audit events."""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.audit.models import AuditEvent


def events_for(user: Any, *, allowed_paths: list[str] | None, org_path: str | None = None,
               subtree: bool = True, action: str | None = None, actor: str | None = None,
               object_type: str | None = None, object_id: str | None = None,
               since: datetime | None = None, until: datetime | None = None) -> QuerySet[AuditEvent]:
    """Audit events under the given org paths.

    `allowed_paths` are the materialized paths where the reader may see audit events (None
    means everything: a superuser). The caller gets them from the permission module; the
    audit platform does not import the domain. Events with no org (e.g. token creation) are
    shown only to superusers."""
    qs = AuditEvent.objects.select_related("actor")
    if allowed_paths is not None:
        if not allowed_paths:
            return qs.none()
        qs = qs.filter(reduce(or_, (Q(org_path__startswith=p) for p in allowed_paths)))
    if org_path:
        qs = qs.filter(org_path__startswith=org_path) if subtree else qs.filter(org_path=org_path)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("-seq")
