"""Disclosure items in the index: what is searchable (published, not withdrawn, as readers see
it), a rebuild from the registered provider, org moves, and search through the visibility gate."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from gongkai.disclosures import actions, gate, search_docs
from gongkai.disclosures.models import Disclosure
from gongkai.orgs import actions as org_actions
from gongkai.search import hooks, indexing, queries
from gongkai.search.documents import Document
from gongkai.search.models import SearchDocument
from tests.disclosures.conftest import DW, approved, dw  # noqa: F401 - the fixture

BODY = "<p>全体党员：</p><p>现将<b>鄱阳</b>湖片区2026年党费收缴情况公示如下。</p>"


def published(dw: DW, **overrides: object) -> Disclosure:  # noqa: F811
    item = approved(dw, **overrides)
    item = actions.disclosure_publish(actor=dw.w.officer, item=item)
    search_docs.sync(item)  # as actions.py does once the lead wires it (docs/search.md)
    return item


def found(query: str, user: object = None) -> list[int]:
    return queries.search("disclosure", query, within=gate.visible_to(user))


def test_a_published_item_is_found_by_its_text_document_number_and_index_number(dw: DW) -> None:  # noqa: F811
    item = published(dw, body=BODY, doc_number="城党发〔2026〕3号")
    document = SearchDocument.objects.get(kind="disclosure", object_id=item.pk)
    assert document.body == "全体党员：\n现将鄱阳湖片区2026年党费收缴情况公示如下。"  # visible text, no tags
    assert document.org_path == dw.w.town.path and document.scope == "public"
    assert document.published_at == item.go_live_at
    for query in ("鄱阳湖", "阳湖", "党费", "费", "2026年", "〔2026〕3号", item.index_number, "收缴情况"):
        assert found(query) == [item.pk], query
    assert found("<b>") == [] and found("鄱阳 片区") == [item.pk]


def test_not_published_is_not_searchable_and_sync_takes_it_out(dw: DW) -> None:  # noqa: F811
    item = approved(dw, body=BODY)
    assert search_docs.document_for(item) is None
    indexing.index(Document(kind="disclosure", object_id=item.pk, title="旧的", body="鄱阳湖"))
    search_docs.sync(item)
    assert not SearchDocument.objects.filter(object_id=item.pk).exists()


def test_amendment_shows_the_new_text_only_once_published_and_withdrawal_removes(dw: DW) -> None:  # noqa: F811
    item = published(dw, title="关于鄱阳湖禁渔的公告")
    actions.disclosure_amend(
        actor=dw.w.officer, item=item, data={"title": "关于赣江禁渔的公告"}, explanation="更正"
    )
    item.refresh_from_db()
    search_docs.sync(item)  # an amendment in review: readers still see the published title
    assert found("鄱阳湖") == [item.pk] and found("赣江") == []
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        item = actions.disclosure_approve(actor=who, item=item)
    search_docs.sync(item)
    assert found("鄱阳湖") == [] and found("赣江") == [item.pk]

    actions.disclosure_withdraw(actor=dw.w.officer, item=item, explanation="事项已终止")
    item = actions.disclosure_approve(actor=dw.w.leader, item=item, opinion="同意撤销")
    search_docs.sync(item)
    assert found("赣江") == []
    assert not SearchDocument.objects.filter(object_id=item.pk).exists()


def test_the_actions_keep_the_index_current(dw: DW) -> None:  # noqa: F811
    item = actions.disclosure_publish(actor=dw.w.officer, item=approved(dw, title="关于鄱阳湖禁渔的公告"))
    assert found("鄱阳湖") == [item.pk]
    actions.disclosure_amend(
        actor=dw.w.officer, item=item, data={"title": "关于赣江禁渔的公告"}, explanation="更正"
    )
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        item = actions.disclosure_approve(actor=who, item=item)
    assert found("鄱阳湖") == [] and found("赣江") == [item.pk]
    actions.disclosure_withdraw(actor=dw.w.officer, item=item, explanation="事项已终止")
    actions.disclosure_approve(actor=dw.w.leader, item=item, opinion="同意撤销")
    assert found("赣江") == []


def test_search_goes_through_the_gate(dw: DW) -> None:  # noqa: F811
    public = published(dw, title="鄱阳湖公告")
    party = published(dw, title="鄱阳湖党内通报", scope="party")
    assert found("鄱阳湖", AnonymousUser()) == [public.pk]
    assert set(found("鄱阳湖", dw.w.officer)) == {public.pk, party.pk}
    assert found("党内", AnonymousUser()) == []


def test_reindex_rebuilds_from_the_registered_provider(dw: DW) -> None:  # noqa: F811
    assert hooks.providers()["disclosure"] is search_docs.all_documents
    item = published(dw, title="鄱阳湖公告")
    waiting = approved(dw, title="鄱阳湖通知")
    SearchDocument.objects.all().delete()
    indexing.index(Document(kind="disclosure", object_id=999_999, title="鄱阳湖"))
    assert indexing.reindex(["disclosure"]) == {"disclosure": 1}
    assert found("鄱阳湖") == [item.pk]
    assert waiting.pk not in queries.search("disclosure", "鄱阳湖")
    assert 999_999 not in queries.search("disclosure", "鄱阳湖")


def test_documents_follow_their_org_when_it_moves(dw: DW) -> None:  # noqa: F811
    item = published(dw, title="鄱阳湖公告")
    org_actions.org_move(actor=dw.w.admin, org=dw.w.town, new_parent=dw.w.bureau, reason="机构调整")
    dw.w.town.refresh_from_db()
    document = SearchDocument.objects.get(kind="disclosure", object_id=item.pk)
    assert document.org_path == dw.w.town.path and dw.w.town.path.startswith(dw.w.bureau.path)
    below = queries.matching("disclosure", "鄱阳湖").filter(org_path__startswith=dw.w.bureau.path)
    assert list(below.values_list("object_id", flat=True)) == [item.pk]


def test_command_reindexes_and_queries(dw: DW, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    item = published(dw, title="鄱阳湖公告")
    call_command("search", "reindex")
    assert "disclosure: 1" in capsys.readouterr().out
    call_command("search", "query", "鄱阳")
    out = capsys.readouterr().out
    assert "共 1 条" in out and f"{item.pk}\t鄱阳湖公告" in out
    call_command("search", "stats")
    assert "disclosure: 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_refuses_an_unknown_kind_and_a_query_too_long() -> None:
    with pytest.raises(CommandError, match="未知的类别：nothing"):
        call_command("search", "reindex", "--kind", "nothing")
    with pytest.raises(CommandError, match="不能超过50个字"):
        call_command("search", "query", "党" * 51)
