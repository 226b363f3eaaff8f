"""Display helpers for the portal's templates: the footer's site identity (from settings, so
pages rendered by other apps on portal/base.html show it too) and the Chinese labels of the
catalogue's codes. No rules here."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.catalogue import timing
from gongkai.catalogue.vocab import Channel, Scope

register = template.Library()


@register.inclusion_tag("portal/_footer.html")
def portal_footer() -> dict[str, Any]:
    return {
        "site_name": settings.SITE_NAME,
        "host_org": settings.SITE_HOST_ORG,
        "contact": settings.SITE_CONTACT,
        "icp": settings.SITE_ICP,
        "footer": settings.SITE_FOOTER,
    }


@register.filter
def scope_label(code: str) -> str:
    return str(dict(Scope.choices).get(code, code))


@register.filter
def channel_labels(codes: list[str]) -> str:
    labels = dict(Channel.choices)
    return "、".join(str(labels.get(c, c)) for c in codes or [])


@register.filter
def timing_text(data: Any) -> str:
    return timing.describe(data)


@register.filter
def category_label(category: str | None) -> str:
    return category or _("未分类")
