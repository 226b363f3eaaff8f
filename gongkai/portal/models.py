"""What the portal remembers about a signed-in reader: which items they have opened, for the
unread markers of 我的公开 (items addressed to the party, the unit or the reader)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadMark(models.Model):
    """A reader opened an item's page on the portal (已读). Only the first opening is kept:
    the marker says "you have seen this", not how often."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    disclosure = models.ForeignKey("disclosures.Disclosure", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("阅读时间"), default=timezone.now)

    class Meta:
        verbose_name = _("阅读记录")
        # The unique index also serves the "is it read?" lookup of 我的公开 (user, item).
        constraints = [models.UniqueConstraint(fields=["user", "disclosure"], name="read_mark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.disclosure_id}"
