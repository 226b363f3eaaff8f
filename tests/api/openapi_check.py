"""Checks an API response against the OpenAPI document the API itself serves.

Used by tests/api's ApiClient and, through the root conftest, by every request any test makes
to /api/v1/ with Django's test client."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema_rs
from django.test import Client

# Served beside the API but not part of it.
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs"}


@cache
def openapi_document() -> dict[str, Any]:
    # The document exactly as clients receive it, not ninja's in-memory dict.
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(json.loads(response.content))


@cache
def _operations() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    found = []
    for template, ops in openapi_document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
        found.append((pattern, template, ops))
    # Literal paths before templated ones: /orgs/x/move must not match /orgs/{code}.
    found.sort(key=lambda item: item[1].count("{"))
    return found


@cache
def _validator(pointer: str) -> Any:
    document = openapi_document()
    node: Any = document
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    schema = {**node, "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


ERROR_POINTER = "/components/schemas/ErrorOut"


def validate_response(method: str, path: str, status: int, content_type: str, body: bytes) -> str:
    """Checks one response; returns the operationId (or "" for an undeclared path/method)."""
    if path in NOT_OPERATIONS:
        return ""
    assert status < 500, f"{method} {path} answered {status}: {body[:500]!r}"
    method = method.lower()
    operation = None
    template = ""
    for pattern, candidate, ops in _operations():
        if pattern.match(path) and method in ops:
            operation, template = ops[method], candidate
            break
    if operation is None:
        assert status in (404, 405), f"{method} {path} is not in the document but answered {status}"
        pointer = ERROR_POINTER
    else:
        declared = operation["responses"]
        assert str(status) in declared, (
            f"{operation['operationId']} answered {status}, which the document does not declare "
            f"({sorted(declared)}): {body[:300]!r}")
        content = declared[str(status)].get("content")
        if not content:
            assert body == b"", f"{operation['operationId']} {status} should have no body"
            return str(operation["operationId"])
        if "application/json" not in content:
            # A file (PDF, XLSX): its media type must be the declared one; the bytes are the
            # endpoint's tests' to check.
            media_type = content_type.split(";")[0].strip()
            assert media_type in content, (
                f"{operation['operationId']} {status} answered {content_type!r}, not {sorted(content)}")
            assert body, f"{operation['operationId']} {status} answered an empty file"
            return str(operation["operationId"])
        pointer = "/".join(["/paths", _escape(template), method, "responses", str(status),
                            "content", "application~1json", "schema"])
    assert content_type.startswith("application/json"), f"{method} {path}: {content_type}"
    if method == "head":
        return ""  # HEAD answers carry the headers of the body they leave out
    data = json.loads(body)
    errors = [f"{e.instance_path}: {e.message}" for e in _validator(pointer).iter_errors(data)]
    assert not errors, f"{method} {path} {status} does not match {pointer}: {errors}"
    return str(operation["operationId"]) if operation else ""
