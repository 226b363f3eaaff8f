"""Template helpers shared by the portal, the staff workspace and the account pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import AffiliationKind, Role
from gongkai.workspace import audit_display

register = template.Library()

ROLE_LABELS = dict(Role.choices)
AFFILIATION_LABELS = dict(AffiliationKind.choices)


@register.simple_tag
def optional_url(name: str, fallback: str, *args: Any) -> str:
    """Reverse `name` when that page exists, else the fixed path it will have: pages built by
    another part of the project can be linked before they land."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


@register.filter
def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


@register.filter
def affiliation_label(code: str) -> str:
    return str(AFFILIATION_LABELS.get(code, code))


@register.filter
def action_label(code: str) -> str:
    return audit_display.action_label(code)


@register.filter
def audit_changes(event: AuditEvent) -> list[audit_display.Change]:
    return audit_display.changes(event)


@register.filter
def minutes(delta: datetime.timedelta | None) -> int:
    return int(delta.total_seconds() // 60) if delta else 0


SECTIONS = {
    "home": "home", "tree": "orgs", "org": "orgs", "org_create": "orgs", "org_edit": "orgs",
    "org_move": "orgs", "org_deactivate": "orgs", "people": "people", "person": "people",
    "org_people": "people", "person_create": "people", "audit": "audit", "org_audit": "audit",
    "kinds": "kinds", "profile": "profile", "password_change": "profile",
    "import_orgs": "import_orgs", "import_people": "import_people",
}


@register.simple_tag(takes_context=True)
def current_section(context: template.Context) -> str:
    """Which staff menu entry the current page belongs to (for aria-current)."""
    match = getattr(context.get("request"), "resolver_match", None)
    return SECTIONS.get(getattr(match, "url_name", "") or "", "")
