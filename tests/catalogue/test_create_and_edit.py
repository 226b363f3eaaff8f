"""Creating a catalogue from its template and editing a draft: rules and permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueTemplate, Entry, Status
from gongkai.orgs.permissions import PermissionDenied
from gongkai.testing import make_org
from tests.catalogue.helpers import row, village_draft


def test_officer_creates_the_catalogue_from_the_template_of_the_org_kind(cw):
    version = village_draft(cw)
    assert version.number == 1 and version.status == Status.DRAFT
    assert version.based_on.template.code == "branch_basic"
    entries = list(version.entries.order_by("position"))
    assert [(e.position, e.number, e.template_row_number) for e in entries] == [
        (1, "1", "1"), (2, "2", "2"), (3, "3", "3")]
    assert entries[2].notice_workdays == 7
    event = AuditEvent.objects.get(action="catalogue.create")
    assert event.actor == cw.village_officer and event.org_id == cw.w.village.pk
    assert event.new["template"] == "branch_basic" and event.new["entries"] == 3


def test_a_superior_officer_may_create_a_subordinate_catalogue(cw):
    version = actions.catalogue_create_from_template(actor=cw.w.officer, org=cw.w.village2)
    assert version.catalogue.org == cw.w.village2


@pytest.mark.parametrize("who", ["leader", "reviewer", "member", "outsider", "supervisor"])
def test_others_may_not_create_a_catalogue(cw, who):
    with pytest.raises(PermissionDenied):
        actions.catalogue_create_from_template(actor=getattr(cw.w, who), org=cw.w.village)


def test_one_catalogue_per_org(cw):
    village_draft(cw)
    with pytest.raises(ValidationError, match="已有党务公开目录"):
        village_draft(cw)


def test_an_org_kind_without_template_needs_an_explicit_template(cw):
    bureau = cw.w.bureau  # organ_party_group: no fixture template
    with pytest.raises(ValidationError, match="没有目录模板"):
        actions.catalogue_create_from_template(actor=cw.w.admin, org=bureau)
    template = CatalogueTemplate.objects.get(code="committee_basic")
    version = actions.catalogue_create_from_template(actor=cw.w.admin, org=bureau, template=template)
    assert version.entries.count() == 2


def test_an_ambiguous_kind_needs_an_explicit_template(cw):
    CatalogueTemplate.objects.get(code="committee_basic").kinds.add(cw.w.village.kind)
    with pytest.raises(ValidationError, match="有多个目录模板"):
        village_draft(cw)


def test_add_update_remove_and_reorder_entries(cw):
    version = village_draft(cw)
    officer = cw.village_officer
    added = actions.entry_add(actor=officer, version=version, data=row(number="4"), position=2)
    assert [e.number for e in version.entries.order_by("position")] == ["1", "4", "2", "3"]
    assert added.template_row_number is None
    actions.entry_update(actor=officer, entry=added, changes={"item": "村务联席会议", "notice_workdays": 10})
    added.refresh_from_db()
    assert added.item == "村务联席会议" and added.notice_workdays == 10
    first = version.entries.get(number="1")
    actions.entry_remove(actor=officer, entry=first, reason="不适用")
    ids = list(version.entries.order_by("-position").values_list("pk", flat=True))
    actions.entries_reorder(actor=officer, version=version, order=ids)
    assert [e.number for e in version.entries.order_by("position")] == ["3", "2", "4"]
    actions_seen = list(AuditEvent.objects.filter(object_type="catalogue.catalogueversion",
                                                  object_id=str(version.pk))
                        .order_by("seq").values_list("action", flat=True))
    assert actions_seen == ["catalogue.create", "catalogue.entry_add", "catalogue.entry_update",
                            "catalogue.entry_remove", "catalogue.entries_reorder"]
    update = AuditEvent.objects.get(action="catalogue.entry_update")
    assert update.old == {"entry": "4", "item": "新增事项", "notice_workdays": None}
    assert update.new == {"version": 1, "entry": "4", "item": "村务联席会议", "notice_workdays": 10}


def test_an_update_that_changes_nothing_is_not_audited(cw):
    version = village_draft(cw)
    entry = version.entries.get(number="1")
    actions.entry_update(actor=cw.village_officer, entry=entry, changes={"item": entry.item})
    assert not AuditEvent.objects.filter(action="catalogue.entry_update").exists()


def test_a_wider_scope_than_the_template_needs_a_reason(cw):
    version = village_draft(cw)
    entry = version.entries.get(number="2")  # party in the template
    with pytest.raises(ValidationError) as caught:
        actions.entry_update(actor=cw.village_officer, entry=entry, changes={"scope": "public"})
    assert "比模板（党内公开）宽，须说明理由" in caught.value.message_dict["wider_scope_reason"][0]
    with pytest.raises(ValidationError):
        actions.entry_update(actor=cw.village_officer, entry=entry, changes={"scope": "unit"})
    actions.entry_update(actor=cw.village_officer, entry=entry,
                         changes={"scope": "public", "wider_scope_reason": "村民普遍关心"})
    entry.refresh_from_db()
    assert entry.scope == "public" and entry.wider_scope_reason == "村民普遍关心"


def test_a_narrower_scope_needs_no_reason(cw):
    version = village_draft(cw)
    entry = version.entries.get(number="2")
    actions.entry_update(actor=cw.village_officer, entry=entry,
                         changes={"scope": "targeted", "targets": "全体党员"})
    entry.refresh_from_db()
    assert entry.scope == "targeted"


@pytest.mark.parametrize(("changes", "field"), [
    ({"scope": "targeted", "targets": ""}, "targets"),
    ({"notice_workdays": 40}, "notice_workdays"),
    ({"channels": ["carrier_pigeon"]}, "channels"),
    ({"timing": {"kind": "periodic", "period": "weekly", "within_workdays": 3}}, "timing"),
    ({"number": "2"}, "number"),
    ({"template_row_number": "99"}, "template_row_number"),
])
def test_bad_entry_values_are_refused_and_change_nothing(cw, changes, field):
    version = village_draft(cw)
    entry = version.entries.get(number="1")
    before = Entry.objects.filter(pk=entry.pk).values().get()
    with pytest.raises(ValidationError) as caught:
        actions.entry_update(actor=cw.village_officer, entry=entry, changes=changes)
    assert field in caught.value.message_dict
    assert Entry.objects.filter(pk=entry.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="catalogue.entry_update").exists()


@pytest.mark.parametrize("who", ["leader", "member", "outsider", "supervisor", "reviewer"])
def test_others_may_not_edit(cw, who):
    version = village_draft(cw)
    with pytest.raises(PermissionDenied):
        actions.entry_add(actor=getattr(cw.w, who), version=version, data=row())


def test_the_last_entry_cannot_be_removed(cw):
    version = village_draft(cw)
    entries = list(version.entries.all())
    for entry in entries[:-1]:
        actions.entry_remove(actor=cw.village_officer, entry=entry)
    with pytest.raises(ValidationError, match="至少要有一项"):
        actions.entry_remove(actor=cw.village_officer, entry=entries[-1])


def test_reorder_must_list_every_entry(cw):
    version = village_draft(cw)
    ids = list(version.entries.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        actions.entries_reorder(actor=cw.village_officer, version=version, order=ids[:-1])
    with pytest.raises(ValidationError):
        actions.entries_reorder(actor=cw.village_officer, version=version, order=[*ids[:-1], 999999])


def test_replace_is_all_or_nothing_and_names_each_bad_row(cw):
    version = village_draft(cw)
    rows = [row(number="1"), row(number="2", scope="nowhere"), row(number="3", channels=[])]
    with pytest.raises(ValidationError) as caught:
        actions.entries_replace(actor=cw.village_officer, version=version, rows=rows)
    errors = caught.value.message_dict
    assert errors["entries.2"][0].startswith("第2行：公开范围")
    assert errors["entries.3"][0].startswith("第3行：公开方式")
    items = [e.item for e in version.entries.order_by("position")]
    assert items == ["支部委员会组成", "党费收缴", "发展党员"]
    actions.entries_replace(actor=cw.village_officer, version=version,
                            rows=[row(number="1", template_row_number="1", scope="unit"), row(number="2")])
    assert version.entries.count() == 2
    assert version.entries.get(number="1").template_row_number == "1"


def test_replace_checks_the_template_scope_of_linked_rows(cw):
    version = village_draft(cw)
    with pytest.raises(ValidationError) as caught:
        actions.entries_replace(actor=cw.village_officer, version=version,
                                rows=[row(number="1", template_row_number="2", scope="public")])
    assert "须说明理由" in caught.value.message_dict["entries.1"][0]


def test_an_inactive_org_gets_no_new_catalogue(cw):
    gone = make_org("gone", "已撤销支部", cw.w.town, kind_code="village", is_active=False)
    with pytest.raises(ValidationError, match="已撤销"):
        actions.catalogue_create_from_template(actor=cw.w.officer, org=gone)
