"""Where a person opens an item, for the links the domain writes into notifications.

URLs belong to the surfaces (DESIGN.md layers: a domain app does not know a surface's route
names). The workspace registers how to build its item address in its AppConfig.ready(); until
one is registered (a management command run without the surfaces, say) links are empty and the
notification still reads on its own."""

from __future__ import annotations

from collections.abc import Callable

StaffUrl = Callable[[int], str]

_staff_url: StaffUrl | None = None


def register_staff_url(build: StaffUrl) -> None:
    global _staff_url
    _staff_url = build


def staff_url(item_id: int) -> str:
    """The staff page of an item (its procedure, its findings), or "" when no surface said how."""
    return _staff_url(item_id) if _staff_url is not None else ""
