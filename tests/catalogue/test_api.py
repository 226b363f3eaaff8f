"""The catalogue API: every response is checked against the OpenAPI document by ApiClient."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import CatalogueVersion, Status
from gongkai.people.models import User
from tests.api.conftest import BACKEND, ApiClient
from tests.catalogue.helpers import row, village_draft, village_in_force


def as_user(person: User) -> ApiClient:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return ApiClient(client)


@pytest.fixture
def token_client(db):
    from gongkai.people.actions import token_create

    def make(person: User) -> ApiClient:
        _, raw = token_create(actor=person, person=person, name="test")
        return ApiClient(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_templates_list_and_get(cw):
    api = as_user(cw.w.member)
    listed = api.get("catalogue-templates")
    assert listed.status == 200 and listed.operation_id == "catalogue_templates_list"
    assert [t["code"] for t in listed.data["items"]] == ["branch_basic", "committee_basic"]
    assert listed.data["items"][0]["version"] == 1
    got = api.get("catalogue-templates/branch_basic")
    assert got.status == 200
    assert got.data["rows"][0]["timing_text"] == "长期公开，每年更新一次"
    assert got.data["rows"][1]["scope_label"] == "党内公开"
    assert api.get("catalogue-templates/branch_basic", version=7).status == 404
    assert api.get("catalogue-templates/nothing").status == 404
    assert ApiClient().get("catalogue-templates").status == 401


def test_the_catalogue_in_force_is_readable_without_a_token(cw):
    version = village_in_force(cw)
    got = ApiClient().get("orgs/village/catalogue")
    assert got.status == 200 and got.operation_id == "catalogues_get"
    assert got.data["id"] == version.pk and got.data["status"] == "in_force"
    assert len(got.data["entries"]) == 3
    assert got.data["entries"][1]["timing_text"] == "定期公开：每半年结束后10个工作日内"
    # Names of the people who handled it are for staff only.
    assert got.data["approved_by"] is None and got.data["allowed"] == []
    staff = as_user(cw.village_officer).get("orgs/village/catalogue")
    assert staff.data["approved_by"] == "村书记"
    assert staff.data["allowed"] == ["revise"]


def test_drafts_are_hidden_from_the_public_and_other_orgs(cw, token_client):
    draft = village_draft(cw)
    assert ApiClient().get("orgs/village/catalogue").status == 404
    assert ApiClient().get("orgs/village/catalogue", version=1).status == 404
    assert token_client(cw.w.outsider).get("orgs/village/catalogue", version=1).status == 404
    got = token_client(cw.village_officer).get("orgs/village/catalogue", version=1)
    assert got.status == 200 and got.data["id"] == draft.pk
    assert got.data["allowed"] == ["edit"]
    assert as_user(cw.village_leader).get("orgs/village/catalogue", version=1).data["allowed"] == \
        ["approve"]
    listed = ApiClient().get("orgs/village/catalogue/versions")
    assert listed.status == 200 and listed.data["count"] == 0
    listed = as_user(cw.w.officer).get("orgs/village/catalogue/versions")
    assert [v["number"] for v in listed.data["items"]] == [1]
    assert ApiClient().get("orgs/nowhere/catalogue/versions").status == 404


def test_create_update_and_act_through_the_whole_life(cw, token_client):
    officer = token_client(cw.village_officer)
    created = officer.post("orgs/village/catalogue", {})
    assert created.status == 201 and created.operation_id == "catalogues_create"
    vid = created.data["id"]
    assert created.data["template"] == "branch_basic" and created.data["status"] == "draft"
    rows = [{k: v for k, v in e.items() if k not in ("id", "position", "scope_label", "timing_text")}
            for e in created.data["entries"]]
    rows.append(row(number="4", item="村务监督"))
    updated = officer.patch(f"catalogues/{vid}", {"entries": rows})
    assert updated.status == 200 and len(updated.data["entries"]) == 4
    assert officer.post(f"catalogues/{vid}/actions/approve").status == 403
    leader = token_client(cw.village_leader)
    approved = leader.post(f"catalogues/{vid}/actions/approve", {"opinion": "同意"})
    assert approved.status == 200 and approved.data["status"] == "approved"
    assert officer.post(f"catalogues/{vid}/actions/file").data["status"] == "filed"
    superior = token_client(cw.w.officer)
    assert superior.get("orgs/village/catalogue", version=1).data["allowed"] == ["acknowledge", "return"]
    returned = superior.post(f"catalogues/{vid}/actions/return", {})
    assert returned.status == 400 and returned.error["details"] == {"opinion": ["退回须填写意见"]}
    acknowledged = superior.post(f"catalogues/{vid}/actions/acknowledge", {"opinion": "备案"})
    assert acknowledged.status == 200 and acknowledged.data["status"] == "in_force"
    revised = officer.post(f"catalogues/{vid}/actions/revise", {"change_explanation": "增加事项"})
    assert revised.status == 200 and revised.data["number"] == 2 and revised.data["status"] == "draft"
    assert revised.data["change_explanation"] == "增加事项"
    assert ApiClient().get("orgs/village/catalogue").data["number"] == 1
    actions_seen = set(AuditEvent.objects.filter(action__startswith="catalogue.")
                       .values_list("action", flat=True))
    assert {"catalogue.create", "catalogue.entries_replace", "catalogue.approve", "catalogue.file",
            "catalogue.acknowledge", "catalogue.revise"} <= actions_seen


def test_bad_entries_are_a_400_naming_the_row_and_change_nothing(cw, token_client):
    draft = village_draft(cw)
    officer = token_client(cw.village_officer)
    bad = officer.patch(f"catalogues/{draft.pk}", {"entries": [
        row(number="1"), row(number="2", channels=["fax"]),
        row(number="3", timing={"kind": "periodic", "period": "weekly", "within_workdays": 3})]})
    assert bad.status == 400 and bad.error["code"] == "invalid"
    assert bad.error["details"]["entries.2"][0].startswith("第2行：公开方式：未知的公开方式：fax")
    assert bad.error["details"]["entries.3"][0].startswith("第3行：公开时限：周期（period）无效")
    assert draft.entries.count() == 3
    assert officer.patch(f"catalogues/{draft.pk}", {"entries": [row(notice_workdays=3)]}).status == 400
    assert officer.patch(f"catalogues/{draft.pk}", {"entries": [row(scope="targeted")]}).status == 400
    assert officer.patch(f"catalogues/{draft.pk}", {"entries": []}).status == 400
    unknown = officer.patch(f"catalogues/{draft.pk}", {"entries": [{**row(), "colour": "red"}]})
    assert unknown.status == 422


def test_invalid_transitions_and_actions(cw, token_client):
    draft = village_draft(cw)
    officer = token_client(cw.village_officer)
    refused = officer.post(f"catalogues/{draft.pk}/actions/file")
    assert refused.status == 400 and "不能报备" in refused.error["message"]
    assert officer.post(f"catalogues/{draft.pk}/actions/publish").status == 422
    assert officer.post("catalogues/999999/actions/approve").status == 404
    # A version the caller cannot read looks missing, even for a write.
    assert token_client(cw.w.outsider).post(f"catalogues/{draft.pk}/actions/approve").status == 404
    assert CatalogueVersion.objects.get(pk=draft.pk).status == Status.DRAFT


def test_create_refusals(cw, token_client):
    assert token_client(cw.w.member).post("orgs/village/catalogue", {}).status == 404
    assert token_client(cw.village_leader).post("orgs/village/catalogue", {}).status == 403
    unknown = token_client(cw.village_officer).post("orgs/village/catalogue", {"template": "zzz"})
    assert unknown.status == 400 and "template" in unknown.error["details"]
    village_draft(cw)
    assert token_client(cw.village_officer).post("orgs/village/catalogue", {}).status == 400


def test_diff(cw, token_client):
    first = village_in_force(cw)
    officer = token_client(cw.village_officer)
    second = officer.post(f"catalogues/{first.pk}/actions/revise", {"change_explanation": "x"}).data
    rows = [{k: v for k, v in e.items() if k not in ("id", "position", "scope_label", "timing_text")}
            for e in second["entries"]]
    rows[0]["item"] = "支部委员会组成及分工"
    del rows[2]
    officer.patch(f"catalogues/{second['id']}", {"entries": rows})
    got = officer.get("catalogues/diff", a=first.pk, b=second["id"])
    assert got.status == 200 and got.operation_id == "catalogues_diff"
    assert [e["number"] for e in got.data["removed"]] == ["3"]
    assert got.data["changed"][0]["fields"] == [
        {"field": "item", "label": "公开事项", "old": "支部委员会组成", "new": "支部委员会组成及分工"}]
    # The public may compare published versions only.
    assert ApiClient().get("catalogues/diff", a=first.pk, b=second["id"]).status == 404
    assert ApiClient().get("catalogues/diff", a=first.pk, b=first.pk).status == 200
