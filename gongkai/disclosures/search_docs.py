"""Disclosure items in the search index (gongkai.search): what is searchable, and keeping it so.

An item is in the index while it is published and not withdrawn, with the revision readers see
(during an amendment, still the published one). Whether a reader may see it, and whether it is
live yet or still, is not decided here: searches go through the visibility gate like every
other read, so an item scheduled for next week can be indexed today.

- `sync(item)`, called by the actions in the transaction that publishes, amends or withdraws it;
- `all_documents()`, the provider `gongkai search reindex` calls (registered in apps.py);
- `follow_moved_subtrees(paths)`, the orgs hook: documents keep their org's path for the
  "this org and its subordinates" filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import reduce
from operator import or_

from django.db.models import Q

from gongkai.bulk import batched
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.screening.markup import visible_text
from gongkai.search import indexing
from gongkai.search.documents import Document

KIND = "disclosure"


def plain_text(body_html: str) -> str:
    """The body as readers see it, one line per paragraph, empty lines dropped."""
    return "\n".join(line.strip() for line in visible_text(body_html).splitlines() if line.strip())


def document_for(item: Disclosure) -> Document | None:
    """The item as search sees it, or None when it should not be searchable."""
    if item.status != ItemStatus.PUBLISHED or item.withdrawn_at is not None:
        return None
    revision = item.published_revision or item.current
    if revision is None:
        return None
    return Document(
        kind=KIND,
        object_id=item.pk,
        title=revision.title,
        body=plain_text(revision.body),
        extra=" ".join(part for part in (revision.doc_number, item.index_number) if part),
        org_path=item.org.path,
        category=revision.category,
        scope=revision.scope,
        published_at=item.go_live_at or item.published_at,
    )


def sync(item: Disclosure) -> None:
    """Index the item as readers now see it, or take it out (withdrawn, not published)."""
    document = document_for(item)
    if document is None:
        indexing.remove(KIND, item.pk)
    else:
        indexing.index(document)


def all_documents() -> Iterator[Document]:
    items = (
        Disclosure.objects.filter(status=ItemStatus.PUBLISHED, withdrawn_at__isnull=True)
        .select_related("org", "published_revision", "current")
        .order_by("pk")
    )
    for item in items.iterator(chunk_size=500):
        document = document_for(item)
        if document is not None:
            yield document


def follow_moved_subtrees(new_paths: Sequence[str]) -> None:
    """After an org moved, inside the move's transaction: the documents of every item at and
    below it take their org's new path."""
    if not new_paths:
        return
    below = reduce(or_, [Q(org__path__startswith=path) for path in new_paths])
    by_path: dict[str, list[int]] = defaultdict(list)
    for pk, path in Disclosure.objects.filter(below).values_list("pk", "org__path"):
        by_path[path].append(pk)
    for path, ids in by_path.items():
        for chunk in batched(ids, 500):
            indexing.set_org_path(KIND, chunk, path)
