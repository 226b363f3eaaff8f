"""Reading the index: the documents that match a query, and one page of them, best first.

Search only narrows candidates; it never decides who may read what. A caller narrows the
matches with its own gated queryset and filters, in the same SQL query, then asks for a page:

    query = text.parse(q)                       # QueryError: show error.message
    docs = queries.matching("disclosure", query).filter(
        object_id__in=gate.visible_to(user).values("pk"), org_path__startswith=org.path)
    page = queries.ranked(docs, query, offset=0, limit=20)   # page.ids, page.total, page.more

How a query runs (gongkai.search.text has the rule and the tokens):
1. the index gives candidates: SQLite, an FTS5 expression, a phrase of bigrams per term ("鄱阳 阳湖")
   or a prefix for a one-character term ("党"*); PostgreSQL, a tsquery of bigrams that cover each
   term, ANDed ('三会' & '一课', '党':*), without positions;
2. where the index alone is not exact, the folded text is checked for the term as a substring
   (strpos, on the candidate rows only). SQLite's phrases are exact (a term lies inside one run
   of non-space characters, and a phrase of bigrams cannot leave it); PostgreSQL's tokens are
   exact for terms of one or two characters; longer ones are checked.
So the matches are exactly the documents whose folded text contains every term: the same as a
plain substring scan, 2-character and 1-character queries included.

Order (`ranked`): documents whose title contains every term first, then the others, each newest
first. Up to 1000 matches are read at once through the token index and sorted in Python (most
searches); beyond that, the page is read by walking the (kind, published_at, id) index and
stopping at the page's end, so a term found in most documents costs about as little as a rare
one, and the total is counted up to 1000 only ("1000 多条"). On PostgreSQL the two reads are
planned explicitly, one query at a time (`BY_TOKEN_INDEX`, `BY_DATE_INDEX`: see there why)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from gongkai.search.models import SearchDocument
from gongkai.search.text import Query, Term, bigrams, fts5_escape, parse


def _fts_string(value: str) -> str:
    return '"' + fts5_escape(value).replace('"', '""') + '"'


def fts5_expression(query: Query) -> str:
    """SQLite: the FTS5 MATCH expression of the query's terms (all of them must match)."""
    parts = [
        _fts_string(t.text) + "*" if len(t.text) == 1 else _fts_string(" ".join(bigrams(t.text)))
        for t in query.terms
    ]
    return " AND ".join(parts)


def _lexeme(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _cover(text: str) -> list[str]:
    """Bigrams that together cover a term of three or more characters, overlapping only at the
    end: 三会一课 → 三会 一课, 组织生活会 → 组织 生活 活会. The substring check decides such terms
    anyway; every posting list left out of the AND is one the GIN index need not read, and a
    common phrase's lists are long."""
    pairs = [text[i : i + 2] for i in range(0, len(text) - 1, 2)]
    if len(text) % 2:
        pairs.append(text[-2:])
    return pairs


def tsquery(query: Query) -> str:
    """PostgreSQL: the query's tokens ANDed, in tsquery syntax (cast, never parsed by a text
    search configuration, so nothing is cut or folded again)."""
    parts: dict[str, None] = {}
    for term in query.terms:
        if len(term.text) == 1:
            parts[_lexeme(term.text) + ":*"] = None
        else:
            parts.update(
                (_lexeme(b), None) for b in (_cover(term.text) if len(term.text) > 2 else [term.text])
            )
    return " & ".join(parts)


def _checked(query: Query) -> list[Term]:
    """The terms the PostgreSQL index does not decide alone (SQLite's decides them all)."""
    return [t for t in query.terms if len(t.text) > 2]


def _contains(column: str, terms: Iterable[Term]) -> Q:
    condition = Q()
    for term in terms:
        condition &= Q(GreaterThan(StrIndex(column, Value(term.text)), 0))
    return condition


def _postgresql(vector: str, folded: str, query: Query) -> Q:
    checked = _checked(query)
    indexed = Q(**{f"{vector}__isnull": False, f"{vector}__matches": tsquery(query)}) & _contains(
        folded, checked
    )
    # Rows too big for a tsvector have none: the substring check alone decides for them. (Both
    # branches are true or false, never NULL, so that excluding title hits keeps the rest.)
    return indexed | (Q(**{f"{vector}__isnull": True}) & _contains(folded, query.terms))


def _parsed(query: Query | str) -> Query:
    return parse(query) if isinstance(query, str) else query


NEWEST_FIRST = ("-published_at", "-id")


def matching(kind: str, query: Query | str) -> QuerySet[SearchDocument]:
    """The documents of `kind` whose text contains every term of `query`, newest first, as a
    queryset the caller narrows further (its own visibility gate always; filters on org_path,
    category, scope, published_at). Raises text.QueryError for a query refused as a whole."""
    parsed = _parsed(query)
    docs = SearchDocument.objects.filter(kind=kind).defer("vector", "title_vector", "folded", "folded_title")
    if not parsed.terms:
        return docs.none()
    if connection.vendor == "postgresql":
        condition = _postgresql("vector", "folded", parsed)
    else:
        match = fts5_expression(parsed)
        candidates = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
        condition = Q(pk__in=candidates)
    return docs.filter(condition).order_by(*NEWEST_FIRST)


def in_title(query: Query | str) -> Q:
    """Documents whose title contains every term (for matches of the same query)."""
    parsed = _parsed(query)
    if connection.vendor == "postgresql":
        return _postgresql("title_vector", "folded_title", parsed)
    return _contains("folded_title", parsed.terms)


COUNT_CAP = 1000


@dataclass(frozen=True)
class Page:
    ids: list[int]  # object ids, best first
    total: int  # how many match, counted up to the cap
    more: bool  # more than `total` match ("1000 多条")


# How PostgreSQL is told to read a page, for one query at a time (see `ranked`). Its planner
# prices testing a tsvector at next to nothing, while each test reads the vector from TOAST and
# unpacks it (about 7 µs a row here), and it prices a phrase by multiplying the frequencies of
# its bigrams as if they were independent, so a phrase in 5 % of all documents can look a
# thousand times rarer. Left to itself it scanned 15,000 rows to find 1,000 matches of a term
# that the GIN index names at once, or fetched and sorted every match of a common phrase.
# Both also without JIT compilation and parallel workers: the misjudged estimates above pass
# their cost thresholds, and compiling and starting workers took 80 ms of a 92 ms page whose
# reading took 11 ms.
_SMALL = {"jit": "off", "max_parallel_workers_per_gather": "0"}
BY_TOKEN_INDEX = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "enable_bitmapscan": "on",
    "enable_sort": "on",
}
BY_DATE_INDEX = {
    "enable_seqscan": "on",
    "enable_indexscan": "on",
    "enable_bitmapscan": "off",
    "enable_sort": "off",
}
BY_TOKEN_INDEX.update(_SMALL)
BY_DATE_INDEX.update(_SMALL)


class _Planner:
    """Reads rows planned as told (PostgreSQL; elsewhere plainly), inside one transaction,
    and puts the settings back when that transaction is part of a larger one (SET LOCAL lasts
    to the end of the outermost)."""

    def __init__(self) -> None:
        self.active = connection.vendor == "postgresql"
        self.saved: dict[str, str] | None = None
        self.plan: dict[str, str] | None = None

    def read(self, rows: QuerySet[Any], count: int, plan: dict[str, str]) -> list[Any]:
        if self.active and plan is not self.plan:
            names = list(plan)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT "
                    + ", ".join(
                        ["current_setting(%s)"] * len(names) + ["set_config(%s, %s, true)"] * len(names)
                    ),
                    [*names, *(part for name in names for part in (name, plan[name]))],
                )
                current = cursor.fetchone()
            if self.saved is None:
                self.saved = dict(zip(names, current[: len(names)], strict=True))
            self.plan = plan
        return list(rows[:count])

    def restore(self) -> None:
        if self.saved is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(self.saved)),
                    [part for item in self.saved.items() for part in item],
                )


def ranked(
    docs: QuerySet[SearchDocument],
    query: Query | str,
    *,
    offset: int = 0,
    limit: int = 20,
    cap: int = COUNT_CAP,
) -> Page:
    """One page of `docs` (matches of `query`, narrowed by the caller): title hits first, then
    the rest, each newest first.

    Up to `cap` matches are read in one query (no ORDER BY: the GIN index serves a rare term,
    and a common one stops at cap + 1) and sorted here: that is most searches. With more, the
    title hits are read the same way when they are at most `cap`; otherwise, and for the rest,
    the page is read by walking the date index, which finds a common term's rows at once.
    Deep pages cost more: a caller offers at most `cap` results."""
    parsed = _parsed(query)
    if not parsed.terms:
        return Page(ids=[], total=0, more=False)
    nested = connection.in_atomic_block
    planner = _Planner()
    with transaction.atomic():
        page = _ranked(planner, docs, parsed, max(offset, 0), max(limit, 0), cap)
        if nested:
            planner.restore()
    return page


def _ranked(
    planner: _Planner, docs: QuerySet[SearchDocument], query: Query, offset: int, limit: int, cap: int
) -> Page:
    end = offset + limit
    title = in_title(query)
    flag = Case(When(title, then=Value(True)), default=Value(False), output_field=BooleanField())
    unordered = docs.order_by()
    rows = planner.read(
        unordered.annotate(hit=flag).values_list("hit", "published_at", "id", "object_id"),
        cap + 1,
        BY_TOKEN_INDEX,
    )
    if len(rows) <= cap:
        rows.sort(reverse=True)
        return Page(ids=[row[3] for row in rows[offset:end]], total=len(rows), more=False)
    titles = planner.read(
        unordered.filter(title).values_list("published_at", "id", "object_id"), cap + 1, BY_TOKEN_INDEX
    )
    dated = docs.order_by(*NEWEST_FIRST)
    if len(titles) <= cap:
        titled = [row[2] for row in sorted(titles, reverse=True)]
    else:
        titled = planner.read(dated.filter(title).values_list("object_id", flat=True), end, BY_DATE_INDEX)
    ids = titled[offset:end]
    if len(titled) < end:
        # Every title hit is known and fewer than `end`: the first `end` matches by date hold
        # at least the `end - len(titled)` others this page needs.
        newest = planner.read(dated.annotate(hit=flag).values_list("hit", "object_id"), end, BY_DATE_INDEX)
        others = [object_id for hit, object_id in newest if not hit]
        ids += others[max(0, offset - len(titled)) : end - len(titled)]
    return Page(ids=ids, total=cap, more=True)


def search(
    kind: str, query: Query | str, *, within: QuerySet[Any] | None = None, limit: int = 20, offset: int = 0
) -> list[int]:
    """Object ids of one page of matches, best first. `within` (a queryset of the caller's
    objects, e.g. gate.visible_to(user)) keeps only ids it contains."""
    docs = matching(kind, query)
    if within is not None:
        docs = docs.filter(object_id__in=within.order_by().values("pk"))
    return ranked(docs, query, offset=offset, limit=limit).ids
