from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gongkai.orgs.permissions import Action, audit_paths_for, can
from gongkai.workdays.hooks import may_edit_calendar


def _nav(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    paths = audit_paths_for(user)
    return {
        "audit": paths is None or bool(paths),
        "kinds": can(user, Action.KINDS_MANAGE, None),
        "workdays": user is not None and may_edit_calendar(user),
    }


def site(request: HttpRequest) -> dict[str, Any]:
    """Site identity for every template (configurable per deployment), and which staff menu
    entries apply to the user: computed only when a page draws the staff menu."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_FOOTER": settings.SITE_FOOTER,
        "nav": SimpleLazyObject(lambda: _nav(request)),
    }
