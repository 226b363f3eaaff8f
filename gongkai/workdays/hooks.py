"""How the calendar tells the rest of the platform about changes, without importing it.

Domain apps register in their AppConfig.ready():
- `on_schedule_changed(callback)`: called with the set of changed years, inside the transaction
  of the change, to recompute stored open deadlines (DESIGN.md "Time");
- `set_admin_check(predicate)`: who may load or edit a year's schedule (default: superusers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ScheduleCallback = Callable[[set[int]], object]

_callbacks: list[ScheduleCallback] = []
_admin_check: Callable[[Any], bool] | None = None


def on_schedule_changed(callback: ScheduleCallback) -> ScheduleCallback:
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def remove(callback: ScheduleCallback) -> None:
    if callback in _callbacks:
        _callbacks.remove(callback)


def schedule_changed(years: set[int]) -> None:
    for callback in list(_callbacks):
        callback(years)


def set_admin_check(predicate: Callable[[Any], bool]) -> None:
    global _admin_check
    _admin_check = predicate


def may_edit_calendar(actor: Any) -> bool:
    """None is the console operator (CLI), who may."""
    if actor is None:
        return True
    if _admin_check is not None:
        return _admin_check(actor)
    return bool(getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False))
