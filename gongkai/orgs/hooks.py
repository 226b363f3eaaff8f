"""How the hierarchy tells the apps above it about changes, without importing them (DESIGN.md
"Layers": orgs is at the bottom of the domain; disclosures and the rest import it, never the
other way round).

Apps register in their AppConfig.ready():
- `on_subtree_moved(callback)`: called with the new paths of the moved subtrees' tops, inside
  the transaction of the move, after every path below them was rewritten. A callback brings
  what it stores about positions in the tree up to date (the audience labels `oversee:<org>`
  of published items, for one) and may return counts, which the move's audit event records.
  A callback that fails undoes the move: a tree and labels that disagree would show items to
  the wrong superiors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

MovedCallback = Callable[[Sequence[str]], Mapping[str, int] | None]

_moved: list[MovedCallback] = []


def on_subtree_moved(callback: MovedCallback) -> MovedCallback:
    if callback not in _moved:
        _moved.append(callback)
    return callback


def remove(callback: MovedCallback) -> None:
    if callback in _moved:
        _moved.remove(callback)


def subtree_moved(new_paths: Sequence[str]) -> dict[str, int]:
    """Tell every registered app that the subtrees now at `new_paths` moved; returns the
    counts they reported (e.g. {"relabelled_items": 12}), summed by name."""
    counts: dict[str, int] = {}
    if not new_paths:
        return counts
    for callback in list(_moved):
        for name, value in (callback(list(new_paths)) or {}).items():
            counts[name] = counts.get(name, 0) + value
    return counts
