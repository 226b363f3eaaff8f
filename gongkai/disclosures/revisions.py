"""The building blocks every write on an item shares: lock the item for the transaction, read
a revision's content, save content as the next revision. Used by the procedure's actions and by
screening's redaction alike, so both make revisions the same way."""

from __future__ import annotations

from typing import Any

from gongkai.disclosures import content
from gongkai.disclosures.models import Disclosure, Revision


def lock(item: Disclosure) -> Disclosure:
    """The item re-read under a row lock: concurrent actions on one item run one after another."""
    return (
        Disclosure.objects.select_for_update(of=("self",))
        .select_related("org__kind", "current", "entry")
        .get(pk=item.pk)
    )


def values_of(revision: Revision) -> dict[str, Any]:
    """A revision's content and settings, as `content.clean` takes and returns them."""
    return {f: getattr(revision, f) for f in content.FIELDS}


def new_revision(item: Disclosure, values: dict[str, Any], actor: Any, note: str = "") -> Revision:
    """Save cleaned `values` as the item's next revision, with the content hash approvals bind to."""
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Revision.objects.create(
        disclosure=item,
        number=number,
        note=note[:500],
        content_hash=content.content_hash(values),
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
