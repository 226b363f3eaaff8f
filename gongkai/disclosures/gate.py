"""The visibility gate (DESIGN.md): which published items a reader may see.

An item stores its audience labels when it is published or changed; a reader's labels come
from their affiliations and role grants. Visible = the item is live AND the two label sets
meet. Exactly one queryset (`visible_to`) and one object check (`can_view`); a property test
checks they agree with each other and with a plain-Python oracle.

Labels (ids, not codes):
- `public`                        everyone, signed in or not
- `party:<org>`   on the item     party members of <org> and of its subordinates
- `unit:<org>`                     everyone affiliated with <org> (members and staff)
- `person:<id>`, `org:<id>`        targeted people, and everyone affiliated with a targeted org
- `oversee:<org>` for <org> and every superior on the item's path: held by officers, leaders,
  supervisors and administrators there (roles that reach subordinates)
- `staff:<org>`                    the item's own org's reviewers and secrecy reviewers
A staged release (先党内后党外) stores `public` with `starts_at` = the day it opens to all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gongkai.catalogue.vocab import Scope
from gongkai.disclosures.models import AudienceLabel, Disclosure, ItemStatus, Revision
from gongkai.orgs.models import Affiliation, AffiliationKind, Org, RoleGrant
from gongkai.orgs.permissions import REACHES_SUBORDINATES

PUBLIC = "public"


def _chain_ids(org: Org) -> list[int]:
    """The org and its superiors, from its materialised path of codes."""
    codes = [c for c in org.path.split("/") if c]
    return list(Org.objects.filter(code__in=codes).values_list("id", flat=True))


def item_labels(item: Disclosure, revision: Revision) -> list[tuple[str, datetime | None]]:
    labels: list[tuple[str, datetime | None]] = [(f"oversee:{i}", None) for i in _chain_ids(item.org)]
    labels.append((f"staff:{item.org_id}", None))
    if revision.scope == Scope.PUBLIC:
        labels.append((PUBLIC, None))
    elif revision.scope == Scope.PARTY:
        labels.append((f"party:{item.org_id}", None))
        if revision.public_from is not None:
            labels.append((PUBLIC, revision.public_from))
    elif revision.scope == Scope.UNIT:
        labels.append((f"unit:{item.org_id}", None))
    else:
        labels += [(f"person:{i}", None) for i in revision.target_person_ids]
        labels += [(f"org:{i}", None) for i in revision.target_org_ids]
    return labels


def write_labels(item: Disclosure, revision: Revision) -> None:
    AudienceLabel.objects.filter(disclosure=item).delete()
    AudienceLabel.objects.bulk_create(
        AudienceLabel(disclosure=item, label=label, starts_at=starts)
        for label, starts in item_labels(item, revision)
    )


def _is_reader(user: Any) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def user_labels(user: Any) -> set[str]:
    """The reader's labels: a handful of rows, cached on the user object for the request."""
    if not _is_reader(user):
        return {PUBLIC}
    cached = getattr(user, "_gongkai_labels", None)
    if cached is not None:
        return set(cached)
    labels = {PUBLIC, f"person:{user.pk}"}
    affiliations = list(
        Affiliation.objects.filter(person_id=user.pk, org__is_active=True).values_list(
            "org_id", "org__path", "kind"
        )
    )
    member_paths = [path for _id, path, kind in affiliations if kind == AffiliationKind.MEMBER]
    for org_id, _path, _kind in affiliations:
        labels |= {f"unit:{org_id}", f"org:{org_id}"}
    if member_paths:
        codes = {c for path in member_paths for c in path.split("/") if c}
        labels |= {f"party:{i}" for i in Org.objects.filter(code__in=codes).values_list("id", flat=True)}
    for role, org_id in RoleGrant.objects.filter(person_id=user.pk, org__is_active=True).values_list(
        "role", "org_id"
    ):
        labels.add(f"oversee:{org_id}" if role in REACHES_SUBORDINATES else f"staff:{org_id}")
    user._gongkai_labels = frozenset(labels)
    return labels


def live_q(now: datetime) -> Q:
    """Published, gone live, still displayed, not withdrawn: decided here, at read time."""
    return Q(status=ItemStatus.PUBLISHED, withdrawn_at__isnull=True, go_live_at__lte=now) & (
        Q(display_until__isnull=True) | Q(display_until__gt=now)
    )


def visible_to(user: Any, now: datetime | None = None) -> QuerySet[Disclosure]:
    """Every item `user` may read on the portal, the API's public reads, feeds and search."""
    now = now or timezone.now()
    qs = Disclosure.objects.filter(live_q(now))
    if _is_reader(user) and user.is_superuser:
        return qs
    matching = AudienceLabel.objects.filter(disclosure=OuterRef("pk"), label__in=user_labels(user)).filter(
        Q(starts_at__isnull=True) | Q(starts_at__lte=now)
    )
    return qs.filter(Exists(matching))


def is_live(item: Disclosure, now: datetime) -> bool:
    return (
        item.status == ItemStatus.PUBLISHED
        and item.withdrawn_at is None
        and item.go_live_at is not None
        and item.go_live_at <= now
        and (item.display_until is None or item.display_until > now)
    )


def can_view(user: Any, item: Disclosure, now: datetime | None = None) -> bool:
    """The object check, the same rule as `visible_to` in Python."""
    now = now or timezone.now()
    if not is_live(item, now):
        return False
    if _is_reader(user) and user.is_superuser:
        return True
    mine = user_labels(user)
    return any(
        label.label in mine and (label.starts_at is None or label.starts_at <= now)
        for label in item.labels.all()
    )
