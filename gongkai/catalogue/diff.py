"""Comparing two catalogue versions row by row (for the side-by-side page and the API).

Rows are matched by the template row they came from when they have one, else by their number,
so a template row keeps its identity when renumbered or moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.catalogue.actions import ENTRY_FIELDS
from gongkai.catalogue.models import CatalogueVersion, Entry

# Compared field by field; `position` is left out: moving a row is not a change of content.
COMPARED = ENTRY_FIELDS


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class RowChange:
    key: str
    old: Entry
    new: Entry
    fields: list[FieldChange]


@dataclass
class Diff:
    a: CatalogueVersion
    b: CatalogueVersion
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def row_key(entry: Entry) -> str:
    if entry.template_row_number:
        return f"template:{entry.template_row_number}"
    return f"number:{entry.number}"


def diff(a: CatalogueVersion, b: CatalogueVersion) -> Diff:
    """What changed from `a` (older) to `b` (newer)."""
    old = {row_key(e): e for e in a.entries.order_by("position", "id")}
    new = {row_key(e): e for e in b.entries.order_by("position", "id")}
    result = Diff(a, b)
    for key, entry in new.items():
        before = old.get(key)
        if before is None:
            result.added.append(entry)
            continue
        fields = [FieldChange(f, getattr(before, f), getattr(entry, f)) for f in COMPARED
                  if getattr(before, f) != getattr(entry, f)]
        if fields:
            result.changed.append(RowChange(key, before, entry, fields))
        else:
            result.unchanged += 1
    result.removed = [e for key, e in old.items() if key not in new]
    return result
