"""An API client for tests that checks every response against the OpenAPI document.

Each request made through `ApiClient` is matched to its operation in /api/v1/openapi.json;
the status code must be one the operation declares and the body must match the declared
schema. Requests to unknown paths or with unknown methods must answer in the error shape. A
test therefore cannot pass on a response the document does not describe."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from gongkai.people.actions import token_create
from gongkai.people.models import User
from tests.api.openapi_check import openapi_document, validate_response

__all__ = ["ApiClient", "openapi_document"]

BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Response:
    status: int
    data: Any
    headers: Any
    operation_id: str

    @property
    def error(self) -> dict[str, Any]:
        return dict(self.data["error"])


@dataclass
class ApiClient:
    client: Client = field(default_factory=Client)
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: Any = None, *,
                raw: bytes | str | None = None, content_type: str = "application/json") -> Response:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {"headers": self.headers}
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type)
        elif data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        response = self.client.generic(method.upper(), url, **kwargs)
        operation_id = validate_response(method, url.split("?")[0], response.status_code,
                                         response.get("Content-Type", ""), response.content)
        data_out: Any = None
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            data_out = json.loads(response.content)
        elif response.content:
            data_out = response.content  # a file (PDF, XLSX): its bytes
        return Response(response.status_code, data_out, response.headers, operation_id)

    def get(self, path: str, **query: Any) -> Response:
        suffix = f"?{urlencode(query, doseq=True)}" if query else ""
        return self.request("GET", path + suffix)

    def post(self, path: str, data: Any = None, **kw: Any) -> Response:
        return self.request("POST", path, data if data is not None else {}, **kw)

    def patch(self, path: str, data: Any = None, **kw: Any) -> Response:
        return self.request("PATCH", path, data if data is not None else {}, **kw)

    def delete(self, path: str, **query: Any) -> Response:
        suffix = f"?{urlencode(query)}" if query else ""
        return self.request("DELETE", path + suffix)


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient()


@pytest.fixture
def as_user(db):
    """`as_user(person)`: a client signed in with a session (the staff pages' way)."""

    def make(person: User) -> ApiClient:
        client = Client()
        client.force_login(person, backend=BACKEND)
        return ApiClient(client)

    return make


@pytest.fixture
def with_token(db):
    """`with_token(person)`: a client carrying a fresh bearer token (a script's way)."""

    def make(person: User) -> ApiClient:
        _, raw = token_create(actor=person, person=person, name="test")
        return ApiClient(headers={"Authorization": f"Bearer {raw}"})

    return make
