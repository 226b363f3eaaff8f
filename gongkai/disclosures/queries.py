"""Reads on disclosure items.

Two doors, both here: the visibility gate (`gate.visible_to` / `gate.can_view`) for published
items, and the working papers (drafts, items in the procedure) for those who may view the
org's staff pages. `readable_by` / `get_item_for` join the two, so the API and staff pages have
one queryset; the portal uses the gate alone."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.disclosures import gate
from gongkai.disclosures.actions import STEP_ACTION, current_task_for
from gongkai.disclosures.models import (
    Disclosure,
    ItemStatus,
    Revision,
    Step,
    Task,
    TaskStatus,
    WorkflowStatus,
)
from gongkai.orgs.permissions import Action, can, orgs_where


def _base() -> QuerySet[Disclosure]:
    return Disclosure.objects.select_related("org", "entry", "current", "reposted_from")


def readable_by(user: Any) -> QuerySet[Disclosure]:
    visible = gate.visible_to(user).values("pk")
    working = orgs_where(user, Action.ORG_VIEW)
    return _base().filter(Q(pk__in=visible) | Q(org__in=working))


def can_read(user: Any, item: Disclosure) -> bool:
    return gate.can_view(user, item) or can(user, Action.ORG_VIEW, item.org)


def get_item_for(user: Any, pk: int) -> Disclosure:
    """The item if `user` may read it; Http404 for a missing and a hidden one alike."""
    item = _base().prefetch_related("labels").filter(pk=pk).first()
    if item is None or not can_read(user, item):
        raise Http404
    return item


def interpretations_for(user: Any, item: Disclosure) -> QuerySet[Disclosure]:
    """The policy interpretations (政策解读) of `item` that `user` may read."""
    return readable_by(user).filter(interprets=item).order_by("id")


def interpretable(org: Any, limit: int = 200) -> QuerySet[Disclosure]:
    """Items of `org` a new policy interpretation may explain, newest first."""
    return (
        Disclosure.objects.filter(org=org, interprets__isnull=True)
        .exclude(status=ItemStatus.WITHDRAWN)
        .order_by("-id")
        .only("id", "title", "index_number")[:limit]
    )


def tasks_for(user: Any) -> QuerySet[Task]:
    """The user's inbox (待办): active steps they may decide, of procedures others started."""
    conditions = [Q(step=step, org__in=orgs_where(user, STEP_ACTION[Step(step)])) for step in Step.values]
    return (
        Task.objects.filter(status=TaskStatus.ACTIVE, workflow__status=WorkflowStatus.RUNNING)
        .filter(reduce(or_, conditions))
        .exclude(workflow__started_by=user)
        .select_related("workflow__disclosure__org", "org")
        .order_by("due_date", "id")
    )


def history(item: Disclosure) -> dict[str, Any]:
    """Revisions (newest first) and every procedure with its steps, for the history page/API."""
    return {
        "revisions": list(item.revisions.select_related("created_by").order_by("-number")),
        "workflows": [
            (w, list(w.tasks.select_related("decided_by", "org").order_by("position")))
            for w in item.workflows.select_related("started_by", "revision").order_by("-started_at", "-id")
        ],
    }


def allowed_actions(user: Any, item: Disclosure) -> list[str]:
    """What `user` may do to `item` now, for buttons (API `allowed`, the staff item page). The
    actions check again: this only spares the user a button that would be refused."""
    result: list[str] = []
    officer = can(user, Action.DISCLOSURE_PROPOSE, item.org)
    if officer and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        result += ["edit", "submit"]
    if officer and item.status in (ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
        result.append("edit")
    task = current_task_for(user, item)
    if task is not None and task.workflow.started_by_id != getattr(user, "pk", None):
        result += ["approve", "return"]
        if task.step == "approval" and item.org.parent_id is not None:
            result.append("escalate")
    if officer and item.status == ItemStatus.APPROVED:
        result.append("publish")
    if (
        officer
        and item.status == ItemStatus.PUBLISHED
        and not item.workflows.filter(status="running").exists()
    ):
        result += ["amend", "withdraw"]
    return result


def is_staff_reader(user: Any, item: Disclosure) -> bool:
    """Those who may view the org's staff pages read its working papers (the current revision,
    the procedure, the findings); everyone else reads only what was published."""
    return can(user, Action.ORG_VIEW, item.org)


def revision_for(user: Any, item: Disclosure) -> Revision:
    """The revision `user` reads: the current one for the org's staff, else the published one."""
    revision = item.current if is_staff_reader(user, item) else (item.published_revision or item.current)
    assert revision is not None
    return revision


def attachment_for(user: Any, item: Disclosure, file_id: int) -> Any:
    """An attachment of the revision `user` reads (call with an item from get_item_for);
    Http404 for a file that is not there or not theirs to see."""
    from gongkai.files.models import StoredFile

    if file_id not in revision_for(user, item).attachment_ids:
        raise Http404
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    return stored
