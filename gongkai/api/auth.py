from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from gongkai.people.actions import authenticate_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer gk_...` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = authenticate_token(token)
        if person is not None:
            request.user = person
        return person


class CsrfSession(APIKeyCookie):
    """The signed-in session of the staff pages, CSRF-checked for writes.

    ninja's own SessionAuth checks CSRF before it knows whether anyone is signed in, so a
    script with a bad token would hear "CSRF failed" instead of "401". Here the check runs
    only for a request that really carries a session."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # csrf=True also tells the docs page to send the CSRF header; the check itself is below.
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check Failed")
        return user


# Staff pages call the API with their session (CSRF-checked for writes); scripts use tokens.
bearer = BearerToken()
session = CsrfSession()
REQUIRED = [bearer, session]


def _anyone(request: HttpRequest) -> str:
    # Last in the list: reached only when neither a token nor a session identified the caller.
    return "anonymous"


# For reads that answer anonymous callers too (published catalogues, visible items): the
# action's own query decides what such a caller may see.
PUBLIC_READ = [*REQUIRED, _anyone]
