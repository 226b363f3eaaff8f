"""How the staff pages show an item's settings and what changed between two revisions. Display
only: labels, and a line diff of the body's text (difflib), no rules."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from gongkai.catalogue.vocab import Channel, Scope
from gongkai.disclosures.models import Revision
from gongkai.orgs.models import Org
from gongkai.people.models import User

SCOPES = dict(Scope.choices)
CHANNELS = dict(Channel.choices)
# The settings shown and compared besides title and body, in the order of the form.
SETTINGS = ("doc_number", "category", "scope", "target_org_ids", "target_person_ids", "channels",
            "go_live_at", "display_until", "public_from", "notice_workdays", "risk_assessment",
            "event_date")
BLOCK_END = re.compile(r"(<br\s*/?>|</(p|h[1-6]|li|tr|blockquote|table|ul|ol)>|<hr\s*/?>)", re.I)


def _label(name: str) -> str:
    return str(getattr(Revision._meta.get_field(name), "verbose_name", name))


def value_text(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if name == "scope":
        return str(SCOPES.get(value, value))
    if name == "channels":
        return "、".join(str(CHANNELS.get(c, c)) for c in value)
    if name == "target_org_ids":
        return "、".join(f"{org_name}（{code}）" for code, org_name in
                        Org.objects.filter(pk__in=value).order_by("code").values_list("code", "name"))
    if name == "target_person_ids":
        return "、".join(str(real or username) for username, real in
                        User.objects.filter(pk__in=value).order_by("username")
                        .values_list("username", "real_name"))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def settings_of(revision: Revision, *, staff: bool) -> list[tuple[str, str]]:
    """(label, text) of the revision's settings; targets only for the org's staff, as the API."""
    hidden = set() if staff else {"target_org_ids", "target_person_ids"}
    return [(_label(name), value_text(name, getattr(revision, name)))
            for name in SETTINGS if name not in hidden and getattr(revision, name) not in (None, "", [])]


def body_lines(body: str) -> list[str]:
    """The body's text, one line per paragraph (or list item, row, break)."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", body or "")))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class Changes:
    title: tuple[str, str] | None = None
    body: list[tuple[str, str]] = field(default_factory=list)  # ("+"|"-"|" ", line)
    settings: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    @property
    def empty(self) -> bool:
        return self.title is None and not self.body and not self.settings


def changes(old: Revision, new: Revision) -> Changes:
    result = Changes()
    if old.title != new.title:
        result.title = (old.title, new.title)
    a, b = body_lines(old.body), body_lines(new.body)
    if a != b:
        result.body = [(line[0], line[2:]) for line in difflib.ndiff(a, b) if line[0] in "+- "]
    for name in SETTINGS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            result.settings.append((_label(name), value_text(name, before), value_text(name, after)))
    return result
