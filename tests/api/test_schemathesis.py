"""schemathesis against the whole API, in-process: no input may make it answer 5xx.

A superuser's token over the small `world` hierarchy, so every operation reaches its real code
(not only the permission refusal). Bounded to a few examples per operation and mode so the
suite stays fast; CI runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from gongkai.people.actions import token_create
from gongkai.people.models import ApiToken, User
from gongkai.wsgi import application

MAX_EXAMPLES = 12


@pytest.fixture
def same_connection() -> Iterator[None]:
    # The WSGI app runs in this thread on the test's own connection, inside the test's
    # transaction; Django's request signals would otherwise close that connection mid-test
    # (its own test client disconnects them the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(same_connection, settings):
    # schemathesis's WSGI client calls itself "localhost", whatever GONGKAI_ALLOWED_HOSTS says.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                          headers={"Host": "localhost"})


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_no_input_makes_the_api_answer_5xx(world, api_schema):
    token, raw = token_create(actor=world.superuser, person=world.superuser, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}", "Host": "localhost"}
    operations = _operations(api_schema)
    assert len(operations) >= 20
    seen: dict[str, int] = {}

    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                # The fuzzer may revoke its own token or deactivate its own account on the
                # way; put both back so every later example still reaches the real code.
                ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
                User.objects.filter(pk=world.superuser.pk).update(is_active=True)
                response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
                key = f"{case.operation.label} {response.status_code}"
                seen[key] = seen.get(key, 0) + 1

            run()

    # Proof that the fuzzer got past authentication and into the endpoints.
    assert any(k.endswith((" 200", " 201", " 204")) for k in seen), seen
    assert sum(1 for k in seen if k.endswith(" 401")) < len(seen) / 2, seen
