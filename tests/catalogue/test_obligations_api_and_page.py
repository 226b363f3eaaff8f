"""Obligations through the API (checked against the OpenAPI document) and the staff page:
filters, states, explanations, fulfilment, and who may see or record what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Obligation
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, grant
from tests.api.conftest import BACKEND
from tests.catalogue.helpers import CatalogueWorld
from tests.catalogue.test_api import as_user
from tests.catalogue.test_obligations import ROWS, _in_force, _ob

pytestmark = pytest.mark.django_db


@pytest.fixture
def derived(cw: CatalogueWorld) -> CatalogueWorld:
    from gongkai.catalogue import obligations

    _in_force(cw, ROWS, date(2026, 1, 10))
    Obligation.objects.all().delete()
    obligations.derive(years=[2026])
    return cw


def _village_reviewer(cw: CatalogueWorld):
    reviewer = UserFactory.create(username="vreviewer", real_name="村审核人")
    grant(reviewer, cw.w.village, Role.REVIEWER)
    return reviewer


def test_list_filters_by_org_subtree_status_and_due_range(derived: CatalogueWorld) -> None:
    cw = derived
    api = as_user(cw.county_officer)
    everything = api.get("obligations?org=county&subtree=true&limit=200")
    assert everything.status == 200 and everything.operation_id == "obligations_list"
    assert everything.data["count"] == Obligation.objects.count() == 19
    assert api.get("obligations?org=county").data["count"] == 0  # the county itself owes none here
    q3 = api.get("obligations?org=village&due_from=2026-10-01&due_to=2026-10-31").data["items"]
    assert [(o["entry_item"], o["period"], o["due_date"]) for o in q3] == [
        ("季度工作", "2026-Q3", "2026-10-20"), ("党费收缴", "2026-09", "2026-10-22")]
    assert q3[0]["period_label"] == "2026年第三季度" and q3[0]["rule"].startswith("定期公开")

    today = timezone.localdate()
    march, april = _ob(cw, "党费收缴", "2026-03"), _ob(cw, "党费收缴", "2026-04")
    Obligation.objects.filter(pk=march.pk).update(due_date=today - timedelta(days=2))
    Obligation.objects.filter(pk=april.pk).update(due_date=today + timedelta(days=400))
    Obligation.objects.exclude(period__in=["2026-03", "2026-04"]).delete()
    overdue = api.get("obligations?org=county&subtree=true&status=overdue").data["items"]
    assert [o["period"] for o in overdue] == ["2026-03"] and overdue[0]["status_label"] == "已逾期"
    both = api.get("obligations?org=county&subtree=true&status=overdue&status=upcoming").data
    assert both["count"] == 2


def test_detail_explains_the_due_date(derived: CatalogueWorld) -> None:
    ob = _ob(derived, "党费收缴", "2026-01")
    got = as_user(derived.village_officer).get(f"obligations/{ob.pk}")
    assert got.status == 200 and got.operation_id == "obligations_get"
    assert got.data["due_date"] == "2026-02-24" and got.data["anchor"] == "2026-01-31"
    skipped = {s["date"]: s["kind"] for s in got.data["steps"] if not s["counted"]}
    assert skipped["2026-02-16"] == "holiday" and skipped["2026-02-08"] == "weekend"
    assert {"date": "2026-02-14", "counted": True, "kind": "makeup"}.items() <= \
        next(s for s in got.data["steps"] if s["date"] == "2026-02-14").items()


def test_who_sees_and_who_records(derived: CatalogueWorld) -> None:
    cw = derived
    ob = _ob(cw, "党费收缴", "2026-02")
    # The bureau's officer and a plain member: 404 for the obligation, nothing in lists, 400
    # for an org filter they cannot see.
    for stranger in (cw.w.outsider, cw.w.member):
        api = as_user(stranger)
        assert api.get(f"obligations/{ob.pk}").status == 404
        assert api.get("obligations").data["count"] == 0
        assert api.post(f"obligations/{ob.pk}/fulfil", {"note": "x"}).status == 404
    assert as_user(cw.w.outsider).get("obligations?org=village").status == 400
    # The village's reviewer sees it but may not record it.
    reviewer = as_user(_village_reviewer(cw))
    assert reviewer.get(f"obligations/{ob.pk}").status == 200
    refused = reviewer.post(f"obligations/{ob.pk}/fulfil", {"note": "已公开"})
    assert refused.status == 403 and Obligation.objects.get(pk=ob.pk).fulfilled_at is None
    # The village officer records it; an empty note is refused first.
    api = as_user(cw.village_officer)
    assert api.post(f"obligations/{ob.pk}/fulfil", {"note": " "}).status == 400
    done = api.post(f"obligations/{ob.pk}/fulfil", {"note": "已在公开栏公开"})
    assert done.status == 200 and done.data["status"] == "fulfilled"
    assert done.data["fulfilled_by"] == "村专员"
    assert api.post(f"obligations/{ob.pk}/fulfil", {"note": "again"}).status == 400
    back = api.post(f"obligations/{ob.pk}/reopen", {"reason": "登记错了"})
    assert back.status == 200 and back.data["status"] != "fulfilled"
    assert AuditEvent.objects.filter(action__in=["obligation.fulfil", "obligation.reopen"]).count() == 2


def _page(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_the_page_lists_explains_and_records(derived: CatalogueWorld) -> None:
    cw = derived
    client = _page(cw.village_officer)
    url = "/staff/obligations/?f=1&org=village&due_from=2026-10-01&due_to=2026-10-31"
    html = client.get(url).content.decode()
    assert "2026-10-20" in html and "季度工作" in html and "2026年第三季度" in html
    assert "法定节假日：国庆节" in html and "调休上班" in html  # the explanation
    ob = _ob(cw, "季度工作", "2026-Q3")
    response = client.post(f"/staff/obligations/{ob.pk}/fulfil/", {"note": "已在公开栏公开", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert Obligation.objects.get(pk=ob.pk).fulfilment_note == "已在公开栏公开"
    assert "已完成" in client.get(url).content.decode()
    # An outside redirect target is ignored.
    other = _ob(cw, "党费收缴", "2026-09")
    response = client.post(f"/staff/obligations/{other.pk}/fulfil/", {"note": "x", "next": "https://evil.example/"})
    assert response["Location"] == "/staff/obligations/"


def test_the_page_refuses_strangers_and_non_officers(derived: CatalogueWorld) -> None:
    cw = derived
    ob = _ob(cw, "季度工作", "2026-Q3")
    assert _page(cw.w.outsider).get("/staff/obligations/?f=1&org=village").status_code == 404
    assert _page(cw.w.outsider).post(f"/staff/obligations/{ob.pk}/fulfil/", {"note": "x"}).status_code == 404
    reviewer = _page(_village_reviewer(cw))
    html = reviewer.get("/staff/obligations/?f=1&org=village").content.decode()
    assert "季度工作" in html and "登记完成" not in html  # may read, may not record
    assert reviewer.post(f"/staff/obligations/{ob.pk}/fulfil/", {"note": "x"}).status_code == 403
    assert Obligation.objects.get(pk=ob.pk).fulfilled_at is None
    assert Client().get("/staff/obligations/").status_code == 302  # to the login page


def test_the_workspace_home_counts_what_is_late_below(derived: CatalogueWorld) -> None:
    cw = derived
    today = timezone.localdate()
    Obligation.objects.update(due_date=today + timedelta(days=400))
    Obligation.objects.filter(pk=_ob(cw, "党费收缴", "2026-05").pk).update(due_date=today - timedelta(days=1))
    html = _page(cw.w.officer).get("/staff/").content.decode()  # the town's officer, above the village
    assert 'id="due-town"' in html and "已逾期 1 项" in html and "即将到期 0 项" in html


def test_the_page_costs_the_same_queries_for_few_and_many_rows(derived: CatalogueWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _page(derived.village_officer)
    states = "&".join(f"status={s}" for s in ("upcoming", "due_soon", "overdue", "fulfilled"))
    url = f"/staff/obligations/?f=1&org=village&{states}"

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    many = cost()
    Obligation.objects.filter(pk__in=list(Obligation.objects.values_list("pk", flat=True)[3:])).delete()
    assert cost() == many
