"""What an app hands to search: one `Document` per searchable thing it owns.

Search is platform: it knows kinds ("disclosure") and ids, never the models behind them. The app
that owns the things builds their documents, keeps them current (`indexing.index` /
`indexing.remove` when a thing is published, changed or withdrawn) and registers a provider that
yields all of them for a rebuild (`hooks.register_provider`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    body: str = ""  # plain text as readers see it (snippets are cut from it)
    # Searchable, not shown in snippets: a document number, an index number.
    extra: str = ""
    # Facts a search filters on in the same query: the owning org's materialised path (for
    # "this org and its subordinates": org_path__startswith), category, scope, and the moment
    # readers first see it (a disclosure's go_live_at; when indexed, if not given), which also
    # orders results.
    org_path: str = ""
    category: str = ""
    scope: str = ""
    published_at: datetime | None = None
