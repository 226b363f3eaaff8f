"""Who reads what, the superior's incoming filings, and the diff of two versions."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from gongkai.catalogue import actions, queries
from gongkai.catalogue.diff import diff
from gongkai.catalogue.models import CatalogueVersion
from tests.catalogue.helpers import row, village_draft, village_in_force


def test_the_version_in_force_is_public_drafts_are_not(cw):
    first = village_in_force(cw)
    draft = actions.version_revise(actor=cw.village_officer, version=first)
    anonymous = AnonymousUser()
    assert queries.catalogue_in_force(cw.w.village) == first
    assert queries.version_for(anonymous, cw.w.village) == first
    assert queries.get_version_for(anonymous, first.pk) == first
    with pytest.raises(Http404):
        queries.get_version_for(anonymous, draft.pk)
    with pytest.raises(Http404):
        queries.get_version_for(cw.w.outsider, draft.pk)
    with pytest.raises(Http404):
        queries.version_for(cw.w.member, cw.w.village, number=2)
    assert list(queries.versions_for(anonymous, cw.w.village)) == [first]
    # Staff of the org and of its superiors read the working papers.
    for who in (cw.village_officer, cw.village_leader, cw.w.officer, cw.w.supervisor, cw.w.admin):
        assert list(queries.versions_for(who, cw.w.village)) == [draft, first]
        assert queries.get_version_for(who, draft.pk) == draft


def test_a_superseded_version_stays_readable(cw):
    first = village_in_force(cw)
    second = actions.version_revise(actor=cw.village_officer, version=first, change_explanation="x")
    actions.version_approve(actor=cw.village_leader, version=second)
    actions.version_file(actor=cw.village_officer, version=second)
    actions.version_acknowledge(actor=cw.w.officer, version=second)
    anonymous = AnonymousUser()
    assert queries.version_for(anonymous, cw.w.village) == second
    assert queries.version_for(anonymous, cw.w.village, number=1) == first


def test_no_catalogue_in_force_is_a_404(cw):
    village_draft(cw)
    with pytest.raises(Http404):
        queries.version_for(AnonymousUser(), cw.w.village)


def test_incoming_filings_and_silent_subordinates(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    CatalogueVersion.objects.filter(pk=version.pk).update(
        filed_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    incoming = list(queries.incoming_filings(cw.w.officer))
    assert incoming == [version]
    assert incoming[0].filed_age_days == 3
    # The county sees the village's filing too (it oversees the subtree); the village does not.
    assert list(queries.incoming_filings(cw.county_officer)) == [version]
    assert list(queries.incoming_filings(cw.village_officer)) == []
    assert list(queries.incoming_filings(cw.w.outsider)) == []
    silent = [o.code for o in queries.subordinates_without_filing(cw.w.officer)]
    assert silent == ["village2"]
    assert [o.code for o in queries.subordinates_without_filing(cw.county_officer)] == \
        ["bureau", "town", "village2"]


def test_a_returned_filing_counts_as_filed_once(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    actions.version_return(actor=cw.w.officer, version=version, comment="补充")
    assert list(queries.incoming_filings(cw.w.officer)) == []
    assert "village" not in [o.code for o in queries.subordinates_without_filing(cw.w.officer)]


def test_diff_reports_rows_added_removed_and_changed_field_by_field(cw):
    first = village_in_force(cw)
    second = actions.version_revise(actor=cw.village_officer, version=first, change_explanation="调整")
    officer = cw.village_officer
    entries = {e.number: e for e in second.entries.all()}
    actions.entry_update(actor=officer, entry=entries["2"],
                         changes={"number": "2.1", "notice_workdays": 10, "channels": ["portal"]})
    actions.entry_remove(actor=officer, entry=entries["3"])
    actions.entry_add(actor=officer, version=second, data=row(number="4"))
    ids = list(second.entries.order_by("-position").values_list("pk", flat=True))
    actions.entries_reorder(actor=officer, version=second, order=ids)
    result = diff(first, second)
    assert [e.number for e in result.added] == ["4"]
    assert [e.number for e in result.removed] == ["3"]
    assert len(result.changed) == 1
    change = result.changed[0]
    assert change.key == "template:2"  # matched by template row despite the new number
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("number", "2", "2.1"), ("channels", ["bulletin_board", "meeting"], ["portal"]),
        ("notice_workdays", None, 10)]
    assert result.unchanged == 1  # row 1, moved but not changed
    assert diff(first, first).is_empty


def test_custom_rows_are_matched_by_number(cw):
    first = village_draft(cw)
    actions.entry_add(actor=cw.village_officer, version=first, data=row(number="8", item="甲"))
    actions.version_approve(actor=cw.village_leader, version=first)
    actions.version_file(actor=cw.village_officer, version=first)
    actions.version_acknowledge(actor=cw.w.officer, version=first)
    second = actions.version_revise(actor=cw.village_officer, version=first)
    actions.entry_update(actor=cw.village_officer, entry=second.entries.get(number="8"),
                         changes={"item": "乙"})
    result = diff(first, second)
    assert [(c.key, [(f.field, f.old, f.new) for f in c.fields]) for c in result.changed] == \
        [("number:8", [("item", "甲", "乙")])]
