import pytest

from gongkai.testing import World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's many iterations are the point in production and a waste in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _api_responses_match_the_openapi_document(monkeypatch):
    # Every response from /api/v1/ that any test receives must be declared in the OpenAPI
    # document and match its schema (tests/api/openapi_check.py).
    from django.test import Client

    from tests.api.openapi_check import validate_response

    original = Client.request

    def checked(self, **request):
        response = original(self, **request)
        path = request.get("PATH_INFO", "")
        if path.startswith("/api/v1/"):
            validate_response(request.get("REQUEST_METHOD", "GET"), path, response.status_code,
                              response.get("Content-Type", ""), response.content)
        return response

    monkeypatch.setattr(Client, "request", checked)
