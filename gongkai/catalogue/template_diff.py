"""Comparing two versions of a catalogue template row by row (the template pages), in the shape
of `diff.diff` for catalogue versions.

A template row has no identity but its number (序号), so rows are matched by number: a row
renumbered shows as one removed and one added. Moves are reported too, since a version may
differ from the one before only in the order of its rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.catalogue.diff import FieldChange
from gongkai.catalogue.models import TemplateVersion
from gongkai.catalogue.rows import FLAG_FIELDS, ROW_FIELDS, flags_of

Row = dict[str, Any]


@dataclass
class TemplateRowChange:
    number: str
    old: Row
    new: Row
    fields: list[FieldChange]


@dataclass(frozen=True)
class RowMove:
    number: str
    item: str
    old_position: int
    new_position: int


@dataclass
class TemplateDiff:
    a: TemplateVersion
    b: TemplateVersion
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[TemplateRowChange] = field(default_factory=list)
    moved: list[RowMove] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


def template_diff(a: TemplateVersion, b: TemplateVersion) -> TemplateDiff:
    """What changed from `a` (older) to `b` (newer)."""
    old = {str(r["number"]): r for r in a.rows}
    new = {str(r["number"]): r for r in b.rows}
    result = TemplateDiff(a, b)
    for number, row in new.items():
        before = old.get(number)
        if before is None:
            result.added.append(row)
            continue
        fields = [FieldChange(f, before.get(f), row.get(f)) for f in ROW_FIELDS
                  if before.get(f) != row.get(f)]
        # A flag a row does not state is off: compare the values, not the keys' presence.
        old_flags, new_flags = flags_of(before), flags_of(row)
        fields += [FieldChange(f, old_flags[f], new_flags[f]) for f in FLAG_FIELDS
                   if old_flags[f] != new_flags[f]]
        if fields:
            result.changed.append(TemplateRowChange(number, before, row, fields))
        else:
            result.unchanged += 1
    result.removed = [r for number, r in old.items() if number not in new]
    result.moved = _moves(list(old), list(new), new)
    return result


def _moves(old_order: list[str], new_order: list[str], new: dict[str, Row]) -> list[RowMove]:
    """The fewest rows whose moving explains the new order: every kept row outside the longest
    run that stayed in its old relative order. So adding or removing a row moves nothing, and
    moving one row to the top reports that row, not every row it passed."""
    kept = set(old_order) & set(new_order)
    old_rank = {n: i for i, n in enumerate(n for n in old_order if n in kept)}
    new_kept = [n for n in new_order if n in kept]
    steady = set(_longest_increasing([old_rank[n] for n in new_kept]))
    old_at = {n: i for i, n in enumerate(old_order, start=1)}
    new_at = {n: i for i, n in enumerate(new_order, start=1)}
    return [RowMove(n, str(new[n].get("item", "")), old_at[n], new_at[n])
            for n in new_kept if old_rank[n] not in steady]


def _longest_increasing(values: list[int]) -> list[int]:
    """One longest strictly increasing subsequence of `values` (patience sorting)."""
    tails: list[int] = []       # index into values of the last element of each run length
    previous: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if values[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        previous[i] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(i)
        else:
            tails[low] = i
    result: list[int] = []
    i = tails[-1] if tails else -1
    while i != -1:
        result.append(values[i])
        i = previous[i]
    return result[::-1]
