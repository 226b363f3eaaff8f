"""Keeping the audience labels true when the hierarchy changes (issue 4 §4: labels are computed
at publication "and on every change").

An item's `oversee:<org>` labels name its org and every superior on its path, so when an org
moves, the published items of the whole moved subtree name the old superiors and not the new
ones. The orgs app cannot call us (it sits below us), so it tells us through
`gongkai.orgs.hooks.on_subtree_moved`, inside the move's transaction: the new superiors see
the items the moment the move commits, and the old ones stop seeing them at the same moment.

Deactivating an org changes no item label: the gate ignores affiliations and roles at an
inactive org when it computes a *reader's* labels, at read time (gate.user_labels)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.db.models import Q

from gongkai.bulk import batched
from gongkai.disclosures import gate
from gongkai.disclosures.models import AudienceLabel, Disclosure

# Items rewritten per round: a few statements each, and within SQLite's variable limit.
CHUNK = 500


def relabel_subtrees(new_paths: Sequence[str]) -> dict[str, int]:
    """Rewrite the labels of every item that has some (it was published: live, withdrawn, or
    being amended) of the orgs at and below `new_paths`, from the revision readers see. The
    rules stay the gate's alone (`gate.item_labels`); this only does many items at a time."""
    if not new_paths:
        return {"relabelled_items": 0}
    below = reduce(or_, [Q(org__path__startswith=path) for path in new_paths])
    ids = list(
        Disclosure.objects.filter(below, published_revision__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in batched(ids, CHUNK):
        # Locked, as every action that writes labels locks its item first: an amendment being
        # approved at this moment writes its labels either before (and we rewrite them) or
        # after this commits (and reads the new paths).
        items = list(
            Disclosure.objects.select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .select_related("org", "published_revision")
            .order_by("pk")
        )
        rows = [
            AudienceLabel(disclosure=item, label=label, starts_at=starts)
            for item in items
            if item.published_revision is not None
            for label, starts in gate.item_labels(item, item.published_revision)
        ]
        AudienceLabel.objects.filter(disclosure_id__in=chunk).delete()
        AudienceLabel.objects.bulk_create(rows, batch_size=CHUNK)
    return {"relabelled_items": len(ids)}
