"""Search results equal a plain substring scan, on the database the suite runs on (SQLite or
PostgreSQL): random corpora and queries, 1- and 2-character queries, repeated characters, mixed
Chinese, Latin and digits, punctuation, full-width characters; order; bounds; any input."""

from __future__ import annotations

import os
import random
from datetime import timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.orgs.models import Org
from gongkai.search import indexing, queries
from gongkai.search.documents import Document
from gongkai.search.models import SearchDocument
from gongkai.search.text import MAX_QUERY_CHARS, MAX_TERMS, QueryError
from gongkai.testing import World
from tests.search.corpus import BASE, KIND, load, oracle, random_docs, random_query, terms_of

QUERIES = int(os.environ.get("GONGKAI_SEARCH_QUERIES", "1500"))
EXAMPLES = int(os.environ.get("GONGKAI_PROPERTY_EXAMPLES", "150"))

pytestmark = pytest.mark.django_db


def found(query: str, kind: str = KIND) -> set[int]:
    return set(queries.matching(kind, query).values_list("object_id", flat=True))


def doc(object_id: int, title: str, body: str = "", **fields: object) -> Document:
    return Document(kind=KIND, object_id=object_id, title=title, body=body, **fields)  # type: ignore[arg-type]


def test_random_corpus_equals_a_plain_substring_scan() -> None:
    rng = random.Random(20260316)
    docs = random_docs(rng, 250)
    load(docs)
    lengths: dict[int, int] = {}
    for _ in range(QUERIES):
        query = random_query(rng, docs)
        assert found(query) == oracle(query, docs), query
        lengths[len(query.strip())] = lengths.get(len(query.strip()), 0) + 1
    # The corpus exercised what it is for: 1- and 2-character queries among many others.
    assert lengths.get(1, 0) > 50 and lengths.get(2, 0) > 50


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), min_size=1, max_size=6),
    query=st.text(max_size=MAX_QUERY_CHARS),
    pick=st.integers(min_value=0, max_value=10_000),
)
def test_any_unicode_text_and_query_equal_the_scan_and_never_fail(
    texts: list[tuple[str, str]], query: str, pick: int
) -> None:
    docs = [doc(i, title, body) for i, (title, body) in enumerate(texts, start=1)]
    # Half the time the query is a piece of a document, so matches are not only empty sets.
    if pick % 2:
        source = docs[pick % len(docs)].title + docs[pick % len(docs)].body
        if source:
            start = pick % len(source)
            query = source[start : start + 1 + pick % 4]
    with transaction.atomic():
        try:
            load(docs)
            try:
                assert found(query) == oracle(query, docs)
            except QueryError:
                assert len(terms_of(query)) > MAX_TERMS  # the only refusal a query this short gets
        finally:
            transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("鄱阳", {1, 2}),  # a 2-character term inside a longer word
        ("鄱", {1, 2}),
        ("湖", {1, 2, 5}),  # last character of a run
        ("阳湖", {1, 2}),
        ("鄱阳湖", {1}),
        ("哈哈", {2, 3, 4}),
        ("哈哈哈", {3}),
        ("哈哈哈哈", set()),
        ("ABC", {6}),
        ("abc", {6}),
        ("bc1", {6}),  # inside a Latin-and-digit run: no word boundaries
        ("文abc", {6}),
        ("中文ABC123", {6}),
        ("２０２６", {7}),  # full width folds to ASCII
        ("2026", {7}),
        ("026", {7}),
        ("湖，哈", {5}),  # punctuation inside a term is part of it
        ("湖哈", set()),
        ("鄱阳 哈哈", {2}),  # every term
        ("，", set()),  # only punctuation
        ("  ", set()),
        ("", set()),
    ],
)
def test_examples(query: str, expected: set[int]) -> None:
    load(
        [
            doc(1, "鄱阳湖的水", "今年水位"),
            doc(2, "鄱阳县", "阳湖 哈哈"),
            doc(3, "哈哈哈", ""),
            doc(4, "哈哈", "哈，哈"),
            doc(5, "南湖，哈尔滨", ""),
            doc(6, "中文ABC123", ""),
            doc(7, "通知", "", extra="青组发〔２０２６〕12号"),
        ]
    )
    assert found(query) == expected


def test_title_hits_come_first_then_the_newest() -> None:
    load(
        [
            doc(1, "通知", "关于党费收缴", published_at=BASE + timedelta(days=3)),
            doc(2, "党费收缴情况", "", published_at=BASE + timedelta(days=1)),
            doc(3, "公示", "党费", published_at=BASE + timedelta(days=5)),
            doc(4, "党费公示", "", published_at=BASE + timedelta(days=2)),
            doc(5, "党费", "", published_at=BASE + timedelta(days=2)),  # same day: the later id first
        ]
    )
    docs = queries.matching(KIND, "党费")
    assert list(docs.values_list("object_id", flat=True)) == [3, 1, 5, 4, 2]  # matching: newest first
    assert queries.ranked(docs, "党费").ids == [5, 4, 2, 3, 1]
    pages = [queries.ranked(docs, "党费", offset=offset, limit=2).ids for offset in (0, 2, 4, 6)]
    assert pages == [[5, 4], [2, 3], [1], []]
    assert queries.search(KIND, "党费", limit=2, offset=1) == [4, 2]
    # Several terms: a title hit has all of them in the title.
    assert queries.search(KIND, "党费 收缴") == [2, 1]


def test_the_total_is_counted_up_to_the_cap() -> None:
    load([doc(i, "党费") for i in range(1, 8)])
    docs = queries.matching(KIND, "党费")
    assert queries.ranked(docs, "党费", cap=10) == queries.Page(
        ids=[7, 6, 5, 4, 3, 2, 1], total=7, more=False
    )
    page = queries.ranked(docs, "党费", limit=2, cap=5)
    assert (page.ids, page.total, page.more) == ([7, 6], 5, True)
    assert queries.ranked(docs, "，") == queries.Page(ids=[], total=0, more=False)


@pytest.mark.parametrize("query", ["党费", "党费收", "费", "党 费"])
def test_random_order_equals_title_hits_then_the_rest_by_date(query: str) -> None:
    rng = random.Random(7)
    docs = [
        doc(
            i,
            rng.choice(["党费", "党费收缴", "通知", "党", "费用"]),
            rng.choice(["党费收缴", "", "费"]),
            published_at=BASE + timedelta(days=rng.randint(0, 5)),
        )
        for i in range(1, 40)
    ]
    load(docs)
    matches = oracle(query, docs)
    by_date = sorted(
        (d for d in docs if d.object_id in matches), key=lambda d: (d.published_at, d.object_id), reverse=True
    )
    in_title = {d.object_id for d in docs if d.object_id in oracle(query, [doc(d.object_id, d.title)])}
    expected = [d.object_id for d in by_date if d.object_id in in_title] + [
        d.object_id for d in by_date if d.object_id not in in_title
    ]
    qs = queries.matching(KIND, query)
    # Read and sorted at once; the title hits so, the rest by a walk; both by walks.
    for cap in (1000, 10, 3):
        pages = [queries.ranked(qs, query, offset=offset, limit=7, cap=cap).ids for offset in range(0, 45, 7)]
        assert [i for page in pages for i in page] == expected, cap


def _planner_settings() -> tuple[str, ...]:
    if connection.vendor != "postgresql":
        return ()
    names = sorted({**queries.BY_TOKEN_INDEX, **queries.BY_DATE_INDEX})
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        return tuple(cursor.fetchone())


def test_the_reads_leave_the_planner_settings_as_they_were() -> None:
    load([doc(i, "党费" if i % 2 else "通知", "党费") for i in range(1, 12)])
    before = _planner_settings()
    assert queries.ranked(queries.matching(KIND, "党费"), "党费", cap=2).ids[:2] == [11, 9]
    assert _planner_settings() == before


def test_within_keeps_only_what_the_caller_allows(world: World) -> None:
    # `within` is any queryset of the caller's objects (the gate's, in the portal); orgs here.
    orgs = [world.county, world.town, world.village]
    load([doc(org.pk, "党费") for org in orgs])
    within = Org.objects.filter(pk__in=[world.county.pk, world.village.pk])
    assert set(queries.search(KIND, "党费", within=within)) == {world.county.pk, world.village.pk}
    assert queries.search(KIND, "党费", within=Org.objects.none()) == []


def test_filters_apply_in_the_same_query() -> None:
    load(
        [
            doc(1, "党费", org_path="/c/t1/", category="党费"),
            doc(2, "党费", org_path="/c/t1/v1/", category="组织"),
            doc(3, "党费", org_path="/c/t2/", category="党费"),
        ]
    )
    below_t1 = queries.matching(KIND, "党费").filter(org_path__startswith="/c/t1/")
    assert set(below_t1.values_list("object_id", flat=True)) == {1, 2}
    assert set(below_t1.filter(category="党费").values_list("object_id", flat=True)) == {1}


def test_kinds_are_separate() -> None:
    load([doc(1, "党费")])
    indexing.index(Document(kind="other", object_id=1, title="党费"))
    assert found("党费") == {1}
    assert found("党费", kind="other") == {1}
    indexing.remove("other", 1)
    assert found("党费", kind="other") == set()
    assert found("党费") == {1}


def test_indexing_again_replaces_and_remove_removes() -> None:
    indexing.index(doc(1, "鄱阳湖"))
    indexing.index(doc(1, "党费"))
    assert found("鄱阳") == set()
    assert found("党费") == {1}
    indexing.remove(KIND, 1)
    assert found("党费") == set()
    assert SearchDocument.objects.count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            assert cursor.fetchone()[0] == 0


def test_a_text_too_big_for_a_tsvector_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexing, "TSVECTOR_BUDGET", 10)
    load([doc(1, "鄱阳湖的水位", "今年"), doc(2, "党费")])
    monkeypatch.undo()
    load([doc(3, "鄱阳湖")])
    if connection.vendor == "postgresql":
        assert SearchDocument.objects.filter(vector__isnull=True).count() == 2
        assert SearchDocument.objects.filter(title_vector__isnull=True).count() == 2
    assert found("鄱阳") == {1, 3}
    assert found("湖的") == {1}
    assert found("党") == {2}
    assert found("今年") == {1}
    assert queries.search(KIND, "鄱阳") == [3, 1]  # the newer first: both are title hits
    assert queries.search(KIND, "今年") == [1]


def test_too_long_a_query_is_refused_with_a_message() -> None:
    with pytest.raises(QueryError) as error:
        queries.matching(KIND, "党" * (MAX_QUERY_CHARS + 1))
    assert "不能超过50个字" in error.value.message
    with pytest.raises(QueryError) as error:
        queries.matching(KIND, " ".join("党员费组织生活会哈鄱"))
    assert "不能超过8个" in error.value.message
    # Surrounding white space does not count.
    assert found(" " * 100 + "党" + " " * 100) == set()


@pytest.mark.parametrize(
    "query", ["\x00", "党\x00", "a\ud800", "'", '"', "\\", "党' OR 1=1 --", 'a" OR "b', "*", ":*"]
)
def test_hostile_queries_find_nothing_and_do_not_fail(query: str) -> None:
    load([doc(1, "党费 a OR b ' \" \\ * :*")])
    assert found(query) == oracle(query, [doc(1, "党费 a OR b ' \" \\ * :*")])
