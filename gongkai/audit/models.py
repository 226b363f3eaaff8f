"""The audit trail: one hash-chained event per state change."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change: who did what to which object, old and new values, and why.

    Each event carries the SHA-256 of the previous event and its own hash over a canonical
    serialisation (see gongkai.audit.chain), so altering, deleting or inserting a row breaks
    the chain and `gongkai audit verify` names the first broken event."""

    # Position in the chain: 1, 2, 3 ... with no gaps. Hashed, so rows cannot be reordered.
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too: the chain must verify even if a username later changes.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    # The organisation the change belongs to, by id and by materialized path, so the log of an
    # org's subtree is one prefix query. Plain values: the audit platform imports no domain app.
    org_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    org_path = models.CharField(max_length=1024, blank=True, db_index=True)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "审计事件"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """The single row that holds the newest event's hash and the count of events.

    Writers lock it (SELECT ... FOR UPDATE) so events are chained one after another even with
    concurrent writers, and `verify` compares it with the last row, which detects a deleted
    tail that the chain alone could not."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
