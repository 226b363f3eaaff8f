import pytest

from gongkai.testing import World, build_world


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_immediately():
    # Background jobs run inline, right after the commit that queued them (gongkai/jobs.py), so
    # tests see their effects without a worker. A test may set settings.JOBS_IMMEDIATE = False
    # to look at the queue itself.
    from django.test import override_settings

    with override_settings(JOBS_IMMEDIATE=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's many iterations are the point in production and a waste in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _seed_kinds(request):
    # Transactional tests (live server, browser) flush every table at teardown, including the
    # org kinds a data migration seeded; later tests on the same worker expect them.
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames))
    if not uses_db:
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in \
        request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from gongkai.orgs.kinds import ensure_seed_kinds
    from gongkai.orgs.models import OrgKind

    ensure_seed_kinds(OrgKind)


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
            if getattr(response, "streaming", False):  # a file download: read it, keep it readable
                body = b"".join(response.streaming_content)
                response.streaming_content = [body]
            else:
                body = response.content
            validate_response(request.get("REQUEST_METHOD", "GET"), path, response.status_code,
                              response.get("Content-Type", ""), body)
        return response

    monkeypatch.setattr(Client, "request", checked)
