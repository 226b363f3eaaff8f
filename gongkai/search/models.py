"""The search index: one row per searchable thing, with the facts searches filter on, its text as
shown and as compared, and its tokens.

Where the tokens live depends on the database (migration 0001 creates what the model cannot say):
- PostgreSQL: `vector`, a `tsvector` of the distinct tokens (no positions) under a GIN index,
  and `title_vector`, the same for the title alone (it tells the planner how rare a term is in
  titles, for "title hits first"). NULL only for a text whose tokens would not fit a tsvector
  (about 1 MB); such rows are always checked by substring instead, through partial indexes.
- SQLite: the FTS5 table `search_fts` (tokenize='ascii': our tokens, separated by spaces, are its
  tokens as they are), one row per document with rowid = the document's id; `vector` stays NULL.
  Rows are written and deleted by gongkai.search.indexing only, never by a trigger: Django
  rebuilds a SQLite table (and drops its triggers) when a later migration alters it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


class TokenVectorField(models.Field):
    """A PostgreSQL tsvector written from a list of tokens (array_to_tsvector, so PostgreSQL's
    own parser never cuts our tokens again); elsewhere an unused text column. The tokens travel
    as one space-separated string (they never contain white space): adapting a Python list of
    hundreds of strings per row cost more than the insert itself."""

    description = "search tokens"

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql" or value is None:
            return None
        return value if isinstance(value, str) else " ".join(value)

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        if connection.vendor == "postgresql":
            return "array_to_tsvector(string_to_array(%s::text, ' '))"
        return "%s"


@TokenVectorField.register_lookup
class Matches(Lookup):
    """`vector__matches=text`: the tsvector matches a tsquery written in tsquery syntax (built
    by gongkai.search.queries, never from reader input directly)."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ CAST({rhs} AS tsquery)", [*lhs_params, *rhs_params]


class SearchDocument(models.Model):
    """One searchable thing of an app (a published disclosure item), as search sees it."""

    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    org_path = models.CharField(max_length=1024, blank=True, db_index=True)
    category = models.CharField(max_length=64, blank=True)
    scope = models.CharField(max_length=16, blank=True)
    # Newest first: (kind, -published_at, -id) lets a common term's first page walk this index
    # and stop after a few rows instead of sorting every match.
    published_at = models.DateTimeField()
    title = models.TextField()
    body = models.TextField(blank=True)
    # gongkai.search.text.fold of the title, and of title + extra + body (one line each): the
    # exact substring check reads these, so results equal a plain scan of the same text.
    folded_title = models.TextField()
    folded = models.TextField()
    vector = TokenVectorField(null=True, blank=True)
    title_vector = TokenVectorField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "-published_at", "-id"], name="search_document_date")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
