"""The portal's pages: home, the directory, an org's page and catalogue, the item page and its
attachments, the guide, and 我的公开. Thin: parse the query string (portal.forms), call
portal.queries, render. What a reader may see is decided by the visibility gate inside those
queries; `portal_page` adds the cache headers and answers bad input with a Chinese 400."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from gongkai.catalogue.vocab import Scope
from gongkai.files.store import file_response
from gongkai.portal import actions, forms, queries
from gongkai.portal import search as portal_search
from gongkai.portal.http import paginate, portal_page

# The list of all items counts and pages through at most this many (portal.http.CappedPaginator).
LIST_COUNT_CAP = 10_000


@portal_page
def home(request: HttpRequest) -> HttpResponse:
    """Latest items across the hierarchy, notices in their notice period, categories, and the
    top of the directory."""
    user, now = request.user, timezone.now()
    return render(request, "portal/home.html", {
        "latest": queries.latest_items(user, now=now),
        "notices": queries.open_notices(user, now=now),
        "categories": queries.site_category_counts(now),  # the public ones, for everyone
        "directory": queries.directory(),
        "unread": queries.unread_count(user, now) if user.is_authenticated else None,
    })


@portal_page
def item_list(request: HttpRequest) -> HttpResponse:
    """Every item the reader may see, by category and go-live date (the home's 更多 and its
    category links)."""
    user, now = request.user, timezone.now()
    filters = forms.item_filters(request.GET)
    dated = filters["date_from"] is not None or filters["date_to"] is not None
    if user.is_authenticated or dated:
        categories = queries.category_counts(
            user, date_from=filters["date_from"], date_to=filters["date_to"], now=now
        )
    else:
        categories = queries.site_category_counts(now)  # indicative, up to a minute old
    page = paginate(request, queries.visible_items(user, now=now, **filters), cap=LIST_COUNT_CAP)
    return render(request, "portal/items.html", {"page": page, "filters": filters, "categories": categories})


@portal_page
def directory(request: HttpRequest) -> HttpResponse:
    q = forms.directory_query(request.GET)
    return render(request, "portal/directory.html", {
        "q": q,
        "results": queries.search_directory(q) if q else None,
        "limit": queries.DIRECTORY_SEARCH_LIMIT,
        "directory": queries.directory() if not q else [],
    })


@portal_page
def org_page(request: HttpRequest, code: str) -> HttpResponse:
    """An org: its items by category and date, its subordinates, its guide (指南)."""
    user, now = request.user, timezone.now()
    org = queries.org_by_code(code)
    filters = forms.item_filters(request.GET)
    page = paginate(request, queries.visible_items(user, org=org, now=now, **filters))
    return render(request, "portal/org.html", {
        "org": org, "breadcrumbs": queries.org_ancestors(org), "children": queries.subordinates(org),
        "page": page, "filters": filters,
        "categories": queries.category_counts(user, org=org, date_from=filters["date_from"],
                                              date_to=filters["date_to"], now=now),
    })


@portal_page
def org_catalogue(request: HttpRequest, code: str) -> HttpResponse:
    org = queries.org_by_code(code)
    version, entries = queries.catalogue_for(org)
    return render(request, "portal/catalogue.html", {
        "org": org, "breadcrumbs": queries.org_ancestors(org), "version": version, "entries": entries,
    })


@portal_page
def item_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    item = queries.get_item(user, number)
    page = queries.item_page(user, item)
    if page.withdrawn:
        return render(request, "portal/withdrawn.html", {"item": item})
    if request.method == "GET":
        actions.mark_read(user=user, item=item)
    return render(request, "portal/item.html", {"page": page, "item": item, "revision": page.revision})


@portal_page
def item_attachment(request: HttpRequest, number: str, file_id: int) -> HttpResponseBase:
    return file_response(queries.attachment(request.user, number, file_id))


@portal_page
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/guide.html", {
        "host_org": settings.SITE_HOST_ORG, "contact": settings.SITE_CONTACT,
    })


@portal_page
@login_required
def my_disclosures(request: HttpRequest) -> HttpResponse:
    """我的公开: party, unit and targeted items addressed to the reader, with unread markers."""
    now = timezone.now()
    page = paginate(request, queries.my_items(request.user, now))
    return render(request, "portal/my.html", {
        "page": page, "unread": queries.unread_count(request.user, now),
    })


@portal_page
def search(request: HttpRequest) -> HttpResponse:
    """全文检索: what the reader may see, filtered and highlighted (portal.search)."""
    params = forms.search_params(request.GET)
    page = forms.page_number(request.GET)
    results = portal_search.run(request.user, params, page)
    return render(request, "portal/search.html", {
        "results": results, "params": params, "scopes": Scope.choices,
    })
