"""Addresses of the feeds and the sitemap (kept apart from the page URLs in portal/urls.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponseBase
from django.urls import path

from gongkai.portal.feeds import SITEMAPS, ItemsAtom, ItemsRss
from gongkai.portal.http import cache_headers


def cache_headers_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The portal's cache headers on a framework view (feeds and sitemaps answer their own 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return cache_headers(request, view(request, *args, **kwargs))

    return wrapped


feed_patterns = [
    path("feed.rss", cache_headers_only(ItemsRss()), name="feed_rss"),
    path("feed.atom", cache_headers_only(ItemsAtom()), name="feed_atom"),
    path("orgs/<portal_code:code>/feed.rss", cache_headers_only(ItemsRss()), name="org_feed_rss"),
    path("orgs/<portal_code:code>/feed.atom", cache_headers_only(ItemsAtom()), name="org_feed_atom"),
    path(
        "sitemap.xml",
        cache_headers_only(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_headers_only(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
