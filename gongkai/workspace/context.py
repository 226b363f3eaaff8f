from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Site identity for every template (configurable per deployment)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_FOOTER": settings.SITE_FOOTER}
