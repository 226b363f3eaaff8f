"""The NinjaAPI that answers every path under /api/v1/ in the one error shape.

ninja answers a wrong method with Django's plain-text 405 and leaves unknown paths to Django's HTML
404 page; both are wrapped here so that clients never have to parse anything but JSON."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from gongkai.api.errors import STATUS_MESSAGES, error_response


class GongkaiAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = [self._json_errors(u) for u in super()._get_urls()]
        return [*urls, re_path(r"^.*$", csrf_exempt(self._unknown_path), name="unknown")]

    def _json_errors(self, entry: URLResolver | URLPattern) -> URLResolver | URLPattern:
        if not isinstance(entry, URLPattern):
            return entry
        view: Callable[..., HttpResponse] = entry.callback

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                # ninja's API-root view raises it outside its own exception handling.
                return self._unknown_path(request)
            if response.status_code == 405 and isinstance(response, HttpResponseNotAllowed):
                allow = response.get("Allow", "")
                response = error_response(self, request, 405, "method_not_allowed",
                                          STATUS_MESSAGES[405], {"allow": allow})
                response["Allow"] = allow
            return response

        return URLPattern(entry.pattern, wrapped, entry.default_args, entry.name)

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(self, request, 404, "not_found", _("没有这个接口地址"))
