"""Writing and verifying the hash chain of audit events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit import context
from gongkai.audit.models import AuditEvent, ChainHead

GENESIS = "0" * 64

# The fields covered by an event's hash, in a fixed order. Adding a field here invalidates old
# chains, so a new field must be appended with a chain version bump.
HASHED_FIELDS = (
    "seq", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id",
    "object_repr", "org_id", "org_path", "old", "new", "reason", "request_id", "ip", "channel",
    "prev_hash",
)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(event: AuditEvent) -> bytes:
    """A byte string that depends on every hashed field and on nothing else."""
    payload = {name: _canonical_value(getattr(event, name)) for name in HASHED_FIELDS}
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON so what we hash now is exactly what the database gives back later.
    return json.loads(json.dumps(values or {}, ensure_ascii=False, default=str, sort_keys=True))


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    org: Any = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    ctx = context.current()
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor_obj,
        actor_name=getattr(actor_obj, "username", "") or ("system" if actor is None else ""),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=(object_repr or "")[:255],
        org_id=getattr(org, "pk", None),
        org_path=getattr(org, "path", "") or "",
        old=_jsonable(old),
        new=_jsonable(new),
        reason=reason or "",
        request_id=ctx.request_id,
        ip=ctx.ip,
        channel=ctx.channel,
        prev_hash=head.last_hash,
        seq=head.last_seq + 1,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_seq", "last_hash", "count"])
    return event


def hold_chain() -> None:
    """Take the chain's lock until the current transaction ends. Every audited write needs this
    lock, so a long operation that must see no other audited change between its checks and its
    writes (an import) holds it for its whole transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_chain must run inside a transaction")
    ChainHead.objects.select_for_update().get_or_create(id=1)


@dataclass
class VerifyResult:
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify() -> VerifyResult:
    """Walk the chain from the first event; report the first event whose hash or link is wrong."""
    prev = GENESIS
    count = 0
    last_seq = 0
    for event in _iter_events():
        count += 1
        if event.seq != last_seq + 1:
            return VerifyResult(False, count, event.seq,
                                f"sequence jumps from {last_seq} to {event.seq} "
                                "(events were deleted or inserted)")
        if event.prev_hash != prev:
            return VerifyResult(False, count, event.seq,
                                "prev_hash does not match the previous event "
                                "(an event before it was deleted, altered or inserted)")
        if event_hash(event) != event.hash:
            return VerifyResult(False, count, event.seq, "content does not match its hash (altered)")
        prev = event.hash
        last_seq = event.seq
    head = ChainHead.objects.filter(id=1).first()
    head_hash = head.last_hash if head else GENESIS
    head_count = head.count if head else 0
    if head_hash != prev or head_count != count:
        return VerifyResult(False, count, last_seq + 1,
                            f"chain head expects {head_count} events ending in event "
                            f"#{head.last_seq if head else 0}; found {count} ending in "
                            f"#{last_seq} (events at the end were deleted or added)")
    return VerifyResult(True, count)
