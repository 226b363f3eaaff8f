"""Glue shared by the staff views: turning an action's errors into form errors or a 403,
pagination, htmx detection. No business rules here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.orgs.permissions import PermissionDenied

T = TypeVar("T")
PER_PAGE = 50


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's ValidationError next to the matching field, or at the top of the form
    when the action names a field the form does not show."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            form.add_error(target, list(messages))
    else:
        form.add_error(None, error.messages)


def attempt(form: forms.Form, operation: Callable[..., T], /, **kwargs: Any) -> tuple[bool, T | None]:
    """Run one action. Bad input goes back onto the form (nothing was changed: actions are
    atomic); a refused permission becomes a 403, which the action decided, not the view."""
    try:
        return True, operation(**kwargs)
    except ValidationError as error:
        add_errors(form, error)
        return False, None
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error


def forbid_unless(allowed: bool) -> None:
    """Refuse early (403) to show a form whose submission the action would refuse anyway."""
    if not allowed:
        raise HttpForbidden


def paginate(request: HttpRequest, qs: QuerySet[Any], per_page: int = PER_PAGE) -> Page[Any]:
    # get_page() turns a missing, malformed or out-of-range page number into a valid page.
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def flash_errors(request: HttpRequest, form: forms.Form) -> None:
    """For small forms that redirect back (revoke, remove, reactivate): show their errors as
    messages on the page they return to."""
    from django.contrib import messages

    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
