"""Policy interpretations (政策解读): linked to an item of the same org, never wider than it,
published together with it, withdrawn with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.disclosures import actions, gate
from gongkai.disclosures.models import Disclosure, ItemStatus
from tests.disclosures.conftest import DW, approved, item_data, proposed

pytestmark = pytest.mark.django_db


def _interpretation(dw: DW, main: Disclosure, **overrides: object) -> Disclosure:
    data = item_data(title=f"《{main.title}》政策解读", **overrides)
    return actions.disclosure_create(
        actor=dw.w.officer, org=dw.w.town, data=data, entry_id=dw.entry("1").pk, interprets_id=main.pk
    )


def _approve(dw: DW, item: Disclosure) -> Disclosure:
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        item = actions.disclosure_approve(actor=who, item=item, opinion="同意")
    return item


def _reload(item: Disclosure) -> Disclosure:
    return Disclosure.objects.get(pk=item.pk)


def test_an_approved_interpretation_goes_out_with_its_item(dw: DW) -> None:
    main = approved(dw)
    interpretation = _approve(dw, _interpretation(dw, main))
    assert _reload(interpretation).status == ItemStatus.APPROVED
    actions.disclosure_publish(actor=dw.w.officer, item=main)
    main, interpretation = _reload(main), _reload(interpretation)
    assert main.status == interpretation.status == ItemStatus.PUBLISHED
    assert interpretation.go_live_at == main.go_live_at
    assert gate.can_view(None, interpretation)
    event = AuditEvent.objects.filter(action="disclosure.publish", object_id=str(interpretation.pk)).get()
    assert event.new["along_with"] == main.index_number
    # Both have their register entry.
    assert AuditEvent.objects.filter(action="register.publish", object_id=str(interpretation.pk)).exists()


def test_an_interpretation_is_not_out_before_a_scheduled_item(dw: DW) -> None:
    later = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    main = approved(dw, go_live_at=later.isoformat())
    interpretation = _approve(dw, _interpretation(dw, main))
    actions.disclosure_publish(actor=dw.w.officer, item=main)
    assert _reload(interpretation).go_live_at == later
    assert not gate.can_view(None, _reload(interpretation))


def test_the_item_waits_for_its_interpretation_and_an_interpretation_for_its_item(dw: DW) -> None:
    main = approved(dw)
    interpretation = _interpretation(dw, main)
    with pytest.raises(actions.Conflict, match="解读材料须与本事项同时发布"):
        actions.disclosure_publish(actor=dw.w.officer, item=main)
    assert _reload(main).status == ItemStatus.APPROVED
    interpretation = _approve(dw, interpretation)
    with pytest.raises(actions.Conflict, match="政策解读与所解读的事项同时发布"):
        actions.disclosure_publish(actor=dw.w.officer, item=interpretation)
    assert _reload(interpretation).status == ItemStatus.APPROVED
    # Detaching the draft frees the item (an abandoned interpretation need not block it).
    other = approved(dw, title="另一事项")
    draft = _interpretation(dw, other)
    actions.disclosure_update(actor=dw.w.officer, item=draft, data={"interprets": None})
    assert _reload(draft).interprets_id is None
    assert AuditEvent.objects.filter(action="disclosure.interprets", object_id=str(draft.pk)).exists()
    actions.disclosure_publish(actor=dw.w.officer, item=other)
    assert _reload(other).status == ItemStatus.PUBLISHED


def test_a_late_interpretation_of_a_published_item_goes_out_on_its_own(dw: DW) -> None:
    main = approved(dw)
    actions.disclosure_publish(actor=dw.w.officer, item=main)
    interpretation = _approve(dw, _interpretation(dw, main))
    actions.disclosure_publish(actor=dw.w.officer, item=interpretation)
    assert _reload(interpretation).status == ItemStatus.PUBLISHED


def test_link_rules(dw: DW) -> None:
    main = proposed(dw, scope="party")
    # Never wider than the item it explains, at creation, on edit, and the item cannot narrow under it.
    with pytest.raises(ValidationError, match="不能宽于所解读的事项"):
        _interpretation(dw, main, scope="public")
    interpretation = _interpretation(dw, main, scope="party")
    with pytest.raises(ValidationError, match="不能宽于所解读的事项"):
        actions.disclosure_update(actor=dw.w.officer, item=interpretation, data={"scope": "public"})
    with pytest.raises(ValidationError, match="请先调整解读材料"):
        actions.disclosure_update(actor=dw.w.officer, item=main, data={"scope": "unit"})
    # One level only, same org only, nothing withdrawn.
    with pytest.raises(ValidationError, match="不能解读另一份解读材料"):
        _interpretation(dw, interpretation, scope="party")
    with pytest.raises(ValidationError, match="已有解读材料的事项"):
        actions.disclosure_update(actor=dw.w.officer, item=main, data={"interprets": proposed(dw).pk})
    county_item = actions.disclosure_create(
        actor=dw.county_officer, org=dw.w.county, data=item_data(), off_catalogue_reason="县委文件"
    )
    with pytest.raises(ValidationError, match="本组织的公开事项"):
        _interpretation(dw, county_item)
    count = Disclosure.objects.count()
    with pytest.raises(ValidationError):
        _interpretation(dw, Disclosure(pk=10**9))
    assert Disclosure.objects.count() == count


def test_withdrawing_the_item_withdraws_its_interpretations(dw: DW) -> None:
    main = approved(dw)
    interpretation = _approve(dw, _interpretation(dw, main))
    actions.disclosure_publish(actor=dw.w.officer, item=main)
    actions.disclosure_withdraw(actor=dw.w.officer, item=_reload(main), explanation="政策已废止")
    actions.disclosure_approve(actor=dw.w.leader, item=_reload(main), opinion="同意撤销")
    interpretation = _reload(interpretation)
    assert interpretation.status == ItemStatus.WITHDRAWN
    assert "政策已废止" in interpretation.withdrawal_explanation
    assert not gate.can_view(None, interpretation)
    assert AuditEvent.objects.filter(
        action="disclosure.withdrawn_with", object_id=str(interpretation.pk)
    ).exists()


def test_api_links_and_lists_interpretations(dw: DW, client: Client) -> None:
    main = approved(dw)
    client.force_login(dw.w.officer)
    body = {
        **item_data(title="解读"),
        "org": "town",
        "entry_id": dw.entry("1").pk,
        "interprets": main.pk,
    }
    response = client.post("/api/v1/disclosures", body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["interprets"] == main.pk
    detail = client.get(f"/api/v1/disclosures/{main.pk}").json()
    assert detail["interpretations"] == [created["id"]]
    # Anonymous readers see neither until both are out.
    client.logout()
    assert client.get(f"/api/v1/disclosures/{created['id']}").status_code == 404
    bad = client.post("/api/v1/disclosures", {**body, "interprets": main.pk}, content_type="application/json")
    assert bad.status_code in (401, 403)


def test_staff_page_offers_and_shows_interpretations(dw: DW, client: Client) -> None:
    main = proposed(dw)
    client.force_login(dw.w.officer)
    page = client.get(f"/staff/disclosures/{main.pk}/").content.decode()
    assert f"?interprets={main.pk}" in page
    form = client.get(f"/staff/orgs/town/disclosures/new/?interprets={main.pk}").content.decode()
    assert f'<option value="{main.pk}" selected>' in form
    interpretation = _interpretation(dw, main)
    page = client.get(f"/staff/disclosures/{main.pk}/").content.decode()
    assert interpretation.title in page
    page = client.get(f"/staff/disclosures/{interpretation.pk}/").content.decode()
    assert 'id="disclosure-interprets"' in page and main.title in page
