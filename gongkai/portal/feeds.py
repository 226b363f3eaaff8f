"""RSS 2.0 and Atom feeds, and the sitemap: machine-readable doors to the public items.

They serve anonymous readers only, whoever asks: a feed URL is copied into readers, shared and
cached, so it must never carry what only a signed-in member may see. Every item still comes
through the visibility gate (`gate.visible_to` for an anonymous reader, via
`portal.queries.visible_items`). Built on Django's syndication and sitemaps frameworks, which
write valid RSS 2.0 (rev 2), Atom 1.0 and sitemap XML."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gongkai.disclosures import gate
from gongkai.disclosures.models import Disclosure
from gongkai.orgs.models import Org
from gongkai.portal import queries

FEED_ITEMS = 50
SUMMARY_CHARS = 200
CATEGORY_MAX = 64  # Revision.category's length: anything longer names no category


class Selection:
    """What one feed carries: everything, or one org's items, optionally one category."""

    def __init__(self, org: Org | None, category: str | None) -> None:
        self.org, self.category = org, category

    def title(self) -> str:
        parts = [self.org.name if self.org else settings.SITE_NAME]
        if self.category:
            parts.append(self.category)
        return " · ".join([*parts, _("党务公开")])

    def link(self) -> str:
        return reverse("portal:org", args=[self.org.code]) if self.org else reverse("portal:home")


def _selection(request: HttpRequest, code: str | None) -> Selection:
    org = queries.org_by_code(code) if code is not None else None  # Http404 when there is none
    category = (request.GET.get("category") or "").strip() or None
    # Longer than any category, or with a control character XML 1.0 cannot carry: no such category.
    if category is not None and (
        len(category) > CATEGORY_MAX or any(unicodedata.category(c) == "Cc" for c in category)
    ):
        raise ObjectDoesNotExist(category)
    return Selection(org, category)


class ItemsRss(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = "zh-cn"

    def get_object(self, request: HttpRequest, code: str | None = None) -> Selection:
        return _selection(request, code)

    def title(self, obj: Selection) -> str:
        return obj.title()

    def link(self, obj: Selection) -> str:
        return obj.link()

    def description(self, obj: Selection) -> str:
        return _("%(t)s：最新公开的信息（仅向社会公开的部分）") % {"t": obj.title()}

    def items(self, obj: Selection) -> QuerySet[Disclosure]:
        # The bodies for the summaries come with the items, in the same query.
        found = queries.visible_items(AnonymousUser(), org=obj.org, category=obj.category)
        return found.select_related("published_revision")[:FEED_ITEMS]

    def item_title(self, item: Disclosure) -> str:
        return item.title

    def item_link(self, item: Disclosure) -> str:
        return reverse("portal:item", args=[item.index_number])

    def item_guid(self, item: Disclosure) -> str:
        return item.index_number

    item_guid_is_permalink = False

    def item_description(self, item: Disclosure) -> str:
        body = item.published_revision.body if item.published_revision else ""
        return Truncator(strip_tags(body).strip()).chars(SUMMARY_CHARS)

    def item_pubdate(self, item: Disclosure) -> datetime | None:
        return item.go_live_at

    def item_updateddate(self, item: Disclosure) -> datetime | None:
        return item.go_live_at

    def item_author_name(self, item: Disclosure) -> str:
        return item.org.name

    def item_categories(self, item: Disclosure) -> list[str]:
        category = getattr(item, "category", "") or ""
        return [category] if category else []


class ItemsAtom(ItemsRss):
    feed_type = Atom1Feed
    subtitle = ItemsRss.description


class ItemSitemap(Sitemap):
    """Every public item that is live now."""

    changefreq = "monthly"
    limit = 10_000

    def items(self) -> QuerySet[Disclosure]:
        return (
            gate.visible_to(AnonymousUser(), timezone.now())
            .order_by("pk")
            .only("pk", "index_number", "updated_at")
        )

    def location(self, item: Disclosure) -> str:
        return reverse("portal:item", args=[item.index_number])

    def lastmod(self, item: Disclosure) -> datetime:
        return item.updated_at


class OrgSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self) -> QuerySet[Org]:
        return Org.objects.filter(is_active=True).order_by("pk")

    def location(self, org: Org) -> str:
        return reverse("portal:org", args=[org.code])


SITEMAPS = {"items": ItemSitemap, "orgs": OrgSitemap}
