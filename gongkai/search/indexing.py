"""Writing the index: one document, many documents, removing, rebuilding from the providers.

Index updates are derived data, not user operations: no permission check and no audit event
here. The owning app calls `index` / `remove` inside the transaction of the change that makes a
thing searchable or not (publish, amend, withdraw), so the index never disagrees with what was
committed; `reindex` (`gongkai search reindex`) rebuilds everything from the registered
providers, e.g. after a bulk import or an upgrade that changes the tokens."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.search import hooks, text
from gongkai.search.documents import Document
from gongkai.search.models import SearchDocument

BATCH = 500
# A tsvector holds at most 1 MB (lexemes plus 4-byte entries, no positions here); a text whose
# distinct tokens come near it (hundreds of thousands of distinct bigrams, far beyond any real
# notice) is stored without one and found by substring check instead.
TSVECTOR_BUDGET = 900_000


def _clean(value: str) -> str:
    return value.replace("\x00", "")


def _vector(tokens: list[str]) -> str | None:
    """The distinct tokens for a tsvector, or None when they would not fit one."""
    distinct = set(tokens)
    joined = " ".join(distinct)
    return None if len(joined.encode()) + 4 * len(distinct) > TSVECTOR_BUDGET else joined


def _prepare(doc: Document, now: datetime) -> tuple[SearchDocument, list[str]]:
    title, body, extra = _clean(doc.title), _clean(doc.body), _clean(doc.extra)
    folded_title = text.fold(title)
    folded = "\n".join((folded_title, text.fold(extra), text.fold(body)))
    tokens = text.tokens(folded)
    row = SearchDocument(
        kind=doc.kind,
        object_id=doc.object_id,
        org_path=doc.org_path,
        category=doc.category[:64],
        scope=doc.scope[:16],
        published_at=doc.published_at or now,
        title=title,
        body=body,
        folded_title=folded_title,
        folded=folded,
        vector=_vector(tokens),
        title_vector=_vector(text.tokens(folded_title)),
    )
    return row, tokens


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _fts_write(rows: Sequence[tuple[int, list[str]]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, tokens) VALUES (%s, %s)",
            [(pk, text.fts5_escape(" ".join(tokens))) for pk, tokens in rows],
        )


def _delete(docs: QuerySet[SearchDocument]) -> int:
    if _sqlite():
        sql, params = docs.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({sql})", params)  # noqa: S608
    deleted, _by_model = docs.delete()
    return deleted


@transaction.atomic
def index(doc: Document) -> None:
    """Make `doc` searchable, replacing what was indexed for its kind and id."""
    index_many([doc])


@transaction.atomic
def remove(kind: str, object_id: int) -> None:
    _delete(SearchDocument.objects.filter(kind=kind, object_id=object_id))


def _batches(docs: Iterable[Document]) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(islice(it, BATCH)):
        yield batch


@transaction.atomic
def index_many(docs: Iterable[Document]) -> int:
    """Index documents in batches (a generator is read lazily); returns how many."""
    count = 0
    for batch in _batches(docs):
        latest = {(d.kind, d.object_id): d for d in batch}  # the last one wins, as with index()
        by_kind: dict[str, list[int]] = {}
        for kind, object_id in latest:
            by_kind.setdefault(kind, []).append(object_id)
        for kind, ids in by_kind.items():
            _delete(SearchDocument.objects.filter(kind=kind, object_id__in=ids))
        now = timezone.now()
        prepared = [_prepare(d, now) for d in latest.values()]
        created = SearchDocument.objects.bulk_create([row for row, _tokens in prepared])
        if _sqlite():
            _fts_write([(row.pk, tokens) for row, (_row, tokens) in zip(created, prepared, strict=True)])
        count += len(created)
    return count


def set_org_path(kind: str, object_ids: Iterable[int], org_path: str) -> int:
    """After an org moved: its things' documents follow it (org filters read `org_path`)."""
    return SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).update(org_path=org_path)


def optimize() -> None:
    """After a rebuild: merge SQLite's FTS segments; refresh PostgreSQL's planner statistics."""
    with connection.cursor() as cursor:
        if _sqlite():
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchdocument")


def reindex(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the documents of every registered kind (or of `kinds`) from its provider, one
    transaction per kind: readers see the old documents until the new ones are committed.
    Returns the number indexed per kind; an unknown kind raises KeyError."""
    registered = hooks.providers()
    wanted = list(kinds) if kinds is not None else list(registered)
    for kind in wanted:
        if kind not in registered:
            raise KeyError(kind)
    counts: dict[str, int] = {}
    for kind in wanted:
        with transaction.atomic():
            _delete(SearchDocument.objects.filter(kind=kind))
            counts[kind] = index_many(_only(kind, registered[kind]()))
    optimize()
    return counts


def _only(kind: str, docs: Iterable[Any]) -> Iterator[Document]:
    for doc in docs:
        if doc.kind != kind:
            raise ValueError(f"provider of {kind!r} yielded a document of kind {doc.kind!r}")
        yield doc
