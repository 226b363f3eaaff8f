"""The portal's search: Chinese full text (gongkai.search) narrowed by the visibility gate and the
page's filters in one SQL statement, then highlighted.

Search only finds candidates; whether the reader may see an item is decided by
`gate.visible_to(user)` alone, inside the same query, so a result count never counts an item the
reader may not see and a snippet never quotes one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from gongkai.disclosures import gate, search_docs
from gongkai.disclosures.models import Disclosure
from gongkai.orgs.models import Org
from gongkai.portal.forms import BadQuery
from gongkai.portal.queries import day_start, org_by_code
from gongkai.search import highlight, queries, text
from gongkai.search.models import SearchDocument

PER_PAGE = 20
SNIPPET_CHARS = 120


@dataclass
class Hit:
    item: Disclosure
    title: SafeString
    snippet: SafeString


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False  # more than `total` match (the count stops at the cap)
    page: int = 1
    pages: int = 0
    org: Org | None = None


def run(user: Any, params: dict[str, Any], page: int = 1) -> Results:
    """One page of what `user` may see matching `params["q"]`; BadQuery for a refused text (too
    long, too many words), Http404 for an unknown org or a page past the last."""
    raw = params["q"]
    org = org_by_code(params["org"]) if params["org"] else None
    results = Results(query=raw, page=page, org=org)
    try:
        query = text.parse(raw)
    except text.QueryError as error:
        raise BadQuery([error.message]) from None
    if not query.terms:
        return results
    docs = queries.matching(search_docs.KIND, query).filter(
        object_id__in=gate.visible_to(user, timezone.now()).order_by().values("pk")
    )
    docs = _narrowed(docs, params, org)
    found = queries.ranked(docs, query, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    results.total, results.more = found.total, found.more
    results.pages = -(-min(found.total, queries.COUNT_CAP) // PER_PAGE)
    if page > 1 and page > results.pages:
        raise Http404
    items = Disclosure.objects.select_related("org").in_bulk(found.ids)
    bodies = dict(
        SearchDocument.objects.filter(kind=search_docs.KIND, object_id__in=found.ids).values_list(
            "object_id", "body"
        )
    )
    results.hits = [
        Hit(
            item=items[pk],
            title=highlight.highlight(items[pk].title, query),
            snippet=highlight.snippet(bodies.get(pk, ""), query, SNIPPET_CHARS),
        )
        for pk in found.ids
        if pk in items
    ]
    return results


def _narrowed(docs: Any, params: dict[str, Any], org: Org | None) -> Any:
    if org is not None:
        docs = (
            docs.filter(org_path__startswith=org.path)
            if params["subtree"]
            else docs.filter(org_path=org.path)
        )
    if params["category"] is not None:
        docs = docs.filter(category=params["category"])
    if params["scope"]:
        docs = docs.filter(scope=params["scope"])
    start: date | None = params["date_from"]
    end: date | None = params["date_to"]
    if start is not None:
        docs = docs.filter(published_at__gte=day_start(start))
    if end is not None:
        docs = docs.filter(published_at__lt=day_start(end + timedelta(days=1)))
    return docs
