from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from gongkai.people.actions import authenticate_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer gk_...` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = authenticate_token(token)
        if person is not None:
            request.user = person
        return person


# Staff pages call the API with their session (CSRF-checked for writes); scripts use tokens.
bearer = BearerToken()
session = SessionAuth(csrf=True)
REQUIRED = [bearer, session]
