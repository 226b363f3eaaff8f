"""The API as a whole: one error shape on every failure path, authentication, CSRF, the
OpenAPI document and its docs page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongkai.orgs.models import Org
from gongkai.people.actions import token_revoke
from gongkai.people.models import ApiToken
from tests.api.conftest import ApiClient, openapi_document

EXPECTED_OPERATIONS = {
    "me_get", "tokens_list", "tokens_create", "tokens_revoke", "workdays_add", "workdays_year_get",
    "kinds_list", "kinds_create", "kinds_update",
    "orgs_list", "orgs_get", "orgs_create", "orgs_update", "orgs_move", "orgs_deactivate",
    "orgs_reactivate",
    "people_list", "people_get", "people_create", "people_update",
    "affiliations_add", "affiliations_remove",
    "roles_list", "roles_grant", "roles_revoke",
    "audit_list",
}
# Catalogues (issue 3); `catalogue_templates` is one resource, hence the two-word prefix.
EXPECTED_OPERATIONS |= {
    "catalogue_templates_list", "catalogue_templates_get", "catalogues_get",
    "catalogues_versions_list", "catalogues_create", "catalogues_update", "catalogues_act",
    "catalogues_diff",
}
# The catalogue as a file (issue 3 §3).
EXPECTED_OPERATIONS |= {"catalogues_export_pdf", "catalogues_export_xlsx"}
# Importing a catalogue version from XLSX (issue 3 §3).
EXPECTED_OPERATIONS |= {"catalogues_import"}
# Disclosure items (issue 4).
EXPECTED_OPERATIONS |= {"disclosures_list", "disclosures_get", "disclosures_create", "disclosures_update",
                        "disclosures_act", "disclosures_history", "disclosures_attachments_upload",
                        "disclosures_attachment_get"}
# Obligations (issue 3 §5).
EXPECTED_OPERATIONS |= {"obligations_list", "obligations_get", "obligations_fulfil", "obligations_reopen"}
# One's own notifications (issue 4 §6).
EXPECTED_OPERATIONS |= {"notifications_list", "notifications_read"}
CJK = re.compile("[\u4e00-\u9fff]")


def _assert_chinese_error(response, status: int, code: str | None = None) -> None:
    assert response.status == status
    assert set(response.data) == {"error"}
    assert CJK.search(response.error["message"]), response.error
    if code:
        assert response.error["code"] == code


def test_operation_ids_are_resource_action_and_complete():
    ids = [op["operationId"] for ops in openapi_document()["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert set(ids) == EXPECTED_OPERATIONS
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*_[a-z]+", i) for i in ids)


def test_every_path_is_under_api_v1_and_declares_the_error_shape():
    for path, ops in openapi_document()["paths"].items():
        assert path.startswith("/api/v1/")
        for op in ops.values():
            for status in ("401", "404", "422"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut")


def test_docs_page_loads_nothing_from_outside():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html


def test_swagger_assets_are_served_locally():
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        response = Client().get(f"/static/{asset}")
        assert response.status_code == 200, asset


def test_no_credentials_is_401_in_the_error_shape(world, anon):
    response = anon.get("orgs")
    _assert_chinese_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer gk_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz",
                                    "Bearer something-else"])
def test_bad_credentials_are_401(world, header):
    response = ApiClient(headers={"Authorization": header}).get("me")
    _assert_chinese_error(response, 401, "unauthenticated")


def test_bad_token_on_a_write_is_401_not_a_csrf_complaint(world):
    client = ApiClient(Client(enforce_csrf_checks=True),
                       headers={"Authorization": "Bearer gk_wrong"})
    response = client.post("orgs", {"code": "x1", "name": "某", "kind": "branch", "parent": "town"})
    _assert_chinese_error(response, 401, "unauthenticated")


def test_bearer_token_authenticates_and_a_revoked_one_does_not(world, with_token):
    client = with_token(world.officer)
    assert client.get("me").data["username"] == "officer"
    token = ApiToken.objects.get(person=world.officer)
    token_revoke(actor=world.officer, token=token)
    _assert_chinese_error(client.get("me"), 401)


def test_token_of_a_deactivated_person_is_refused(world, with_token):
    client = with_token(world.officer)
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    _assert_chinese_error(client.get("me"), 401)


def test_session_write_without_csrf_token_is_refused_and_changes_nothing(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    client = ApiClient(browser)
    assert client.get("me").status == 200  # reads need no CSRF token
    response = client.patch("orgs/town", {"name": "改名"})
    _assert_chinese_error(response, 403, "csrf_failed")
    assert Org.objects.get(code="town").name == "某某镇党委"


def test_session_write_with_csrf_token_is_accepted(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    browser.get("/api/v1/docs")  # sets the csrftoken cookie, as the staff pages do
    token = browser.cookies["csrftoken"].value
    client = ApiClient(browser, headers={"X-CSRFToken": token})
    assert client.patch("orgs/town", {"name": "改名"}).status == 200
    assert Org.objects.get(code="town").name == "改名"


@pytest.mark.parametrize("path", ["nope", "orgs/town/nope", "", "orgs/", "v2/orgs", "orgs/a/b/c"])
def test_unknown_paths_answer_404_in_the_error_shape(world, as_user, path):
    client = as_user(world.officer)
    _assert_chinese_error(client.get(path), 404, "not_found")
    _assert_chinese_error(client.post(path, {}), 404, "not_found")


def test_unknown_path_without_credentials_is_still_json(anon):
    _assert_chinese_error(anon.get("does/not/exist"), 404)


@pytest.mark.parametrize(("method", "path"), [
    ("PUT", "orgs"), ("DELETE", "orgs"), ("PATCH", "people"), ("GET", "orgs/town/move"),
    ("PUT", "orgs/town"), ("POST", "audit"), ("HEAD", "orgs"),
])
def test_wrong_method_is_405_in_the_error_shape(world, as_user, method, path):
    response = as_user(world.officer).request(method, path)
    assert response.status == 405
    assert "Allow" in response.headers
    if method != "HEAD":
        _assert_chinese_error(response, 405, "method_not_allowed")


@pytest.mark.parametrize("raw", ["{bad json", "[1, 2", "\xff\xfe", "name=x&code=y", "null", "[]", "42"])
def test_malformed_bodies_are_refused_and_change_nothing(world, as_user, raw):
    before = Org.objects.count()
    response = as_user(world.officer).request("POST", "orgs", raw=raw)
    assert response.status in (400, 422)
    _assert_chinese_error(response, response.status)
    assert Org.objects.count() == before


@pytest.mark.parametrize("query", [
    {"limit": "0"}, {"limit": "201"}, {"limit": "abc"}, {"offset": "-1"}, {"active": "maybe"},
    {"q": "a\x00b"}, {"q": "x" * 101}, {"parent": ""},
])
def test_bad_query_parameters_are_422_in_chinese(world, as_user, query):
    response = as_user(world.officer).get("orgs", **query)
    _assert_chinese_error(response, 422, "invalid_input")
    assert response.error["details"][0]["field"] in query


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "2024-01-01T25:00"])
def test_bad_dates_are_422(world, as_user, since):
    _assert_chinese_error(as_user(world.admin).get("audit", since=since), 422, "invalid_input")


@pytest.mark.parametrize("path", ["people/0", "people/-1", "people/abc", "people/99999999999999999999",
                                  "roles/0"])
def test_bad_ids_are_4xx_not_500(world, as_user, path):
    response = as_user(world.officer).get(path)
    assert response.status in (404, 405, 422)


def test_lists_have_items_count_and_next(world, as_user):
    client = as_user(world.superuser)
    first = client.get("orgs", limit=2)
    assert first.data["count"] == 5
    assert len(first.data["items"]) == 2
    assert first.data["next"].endswith("/api/v1/orgs?limit=2&offset=2")
    last = client.get("orgs", limit=2, offset=4)
    assert len(last.data["items"]) == 1
    assert last.data["next"] is None
    codes = [o["code"] for o in first.data["items"]] + [o["code"] for o in client.get(
        "orgs", limit=2, offset=2).data["items"]] + [o["code"] for o in last.data["items"]]
    assert sorted(codes) == ["bureau", "county", "town", "village", "village2"]


def test_responses_are_utf8_json_with_chinese_as_itself(world, as_user):
    client = as_user(world.officer)
    raw = client.client.get("/api/v1/orgs/town")
    assert "某某镇党委" in raw.content.decode("utf-8")


@pytest.mark.parametrize(("method", "path", "status", "body"), [
    ("GET", "/api/v1/orgs", 500, b'{"error": {"code": "x", "message": "y"}}'),
    ("GET", "/api/v1/orgs", 418, b'{"error": {"code": "x", "message": "y"}}'),
    ("GET", "/api/v1/orgs", 200, b'{"items": [], "count": "many"}'),
    ("GET", "/api/v1/orgs/town", 200, b'{"code": "town"}'),
    ("GET", "/api/v1/orgs/town", 404, b'{"detail": "Not Found"}'),
    ("DELETE", "/api/v1/roles/1", 204, b'{"ok": true}'),
    ("GET", "/api/v1/unknown", 200, b"{}"),
    ("GET", "/api/v1/unknown", 404, b"<html>Not Found</html>"),
])
def test_the_response_checker_refuses_what_the_document_does_not_describe(method, path, status, body):
    from tests.api.openapi_check import validate_response

    content_type = "text/html" if body.startswith(b"<") else "application/json"
    with pytest.raises(AssertionError):
        validate_response(method, path, status, content_type, body)


def test_plain_test_clients_are_checked_too(world):
    # The root conftest checks any test client, not only tests/api's: a response the document
    # does not declare fails the test that received it.
    from django.test import Client as PlainClient

    from tests.api import openapi_check

    client = PlainClient()
    client.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    document = openapi_check.openapi_document()
    responses = document["paths"]["/api/v1/orgs/{code}"]["get"]["responses"]
    saved = responses.pop("404")
    try:
        with pytest.raises(AssertionError, match="does not declare"):
            client.get("/api/v1/orgs/nowhere")
    finally:
        responses["404"] = saved
