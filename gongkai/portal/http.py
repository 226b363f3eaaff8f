"""How every portal page answers, whoever reads it: cache headers that keep a member's page
out of any shared cache, and the Chinese 400 page for a query string that does not parse."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.views.defaults import page_not_found

from gongkai.portal.forms import BadQuery, page_number

PER_PAGE = 20
View = Callable[..., HttpResponseBase]


def cache_headers(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Anonymous GETs of a 200 that sets no cookie: `public, max-age` (a shared cache may keep
    them briefly). Everything a signed-in reader gets: `private, no-store`. Always
    `Vary: Cookie`, so a cache keying on the URL alone can never hand a member's page to
    someone without that member's session cookie."""
    patch_vary_headers(response, ("Cookie",))
    if request.method not in ("GET", "HEAD"):
        return response
    if _personal(request, response) or response.status_code != 200 or not settings.PORTAL_CACHE_SECONDS:
        add_never_cache_headers(response)
    else:
        patch_cache_control(response, public=True, max_age=settings.PORTAL_CACHE_SECONDS)
    return response


def _personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Does the answer belong to this visitor alone: signed in, a cookie set, or a message
    shown (its cookie is cleared later, by the messages middleware, after this runs)?"""
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or response.cookies:
        return True
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def bad_request(request: HttpRequest, messages: list[str]) -> HttpResponse:
    return render(request, "portal/400.html", {"reasons": messages}, status=400)


def portal_page(view: View) -> View:
    """Wrap a portal view: a BadQuery becomes the 400 page, Http404 the 404 page; cache
    headers on every answer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except BadQuery as error:
            response = bad_request(request, error.messages)
        except Http404 as error:  # answered here so that it, too, is marked not to be cached
            response = page_not_found(request, error)
        return cache_headers(request, response)

    return wrapped


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, and the pages stop there: the list of every item on the site
    need not count a million rows to show its first page (filters and search reach further).
    `more` says that there are more than `cap`."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.rows, self.cap = object_list, cap

    @cached_property
    def counted(self) -> int:
        return self.rows.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def more(self) -> bool:
        return self.counted > self.cap


def paginate(
    request: HttpRequest, qs: QuerySet[Any], per_page: int = PER_PAGE, cap: int | None = None
) -> Page[Any]:
    """The requested page: a malformed number is a 400 (BadQuery), one past the end a 404.
    With `cap`, at most that many rows are counted and listed (CappedPaginator)."""
    number = page_number(request.GET)
    paginator = Paginator(qs, per_page) if cap is None else CappedPaginator(qs, per_page, cap)
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404 from None
