"""Published items for the portal's tests, made directly (a fixture, not the procedure under
test: tests/disclosures walk that). Labels are written by the gate's own `write_labels`, as
publishing does, so the gate sees these items exactly as it sees real ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from gongkai.disclosures import gate, notices
from gongkai.disclosures.models import (
    Disclosure,
    ItemStatus,
    Revision,
    Workflow,
    WorkflowKind,
    WorkflowStatus,
)
from gongkai.files.models import StoredFile, TextStatus
from gongkai.orgs.models import Org

_numbers = count(1)


def publish(
    org: Org,
    title: str = "关于2026年党费收缴情况的公开",
    *,
    scope: str = "public",
    go_live_at: datetime | None = None,
    category: str = "党的组织管理情况",
    notice_workdays: int | None = None,
    public_from: datetime | None = None,
    display_until: datetime | None = None,
    target_person_ids: list[int] | None = None,
    target_org_ids: list[int] | None = None,
    attachment_ids: list[int] | None = None,
    doc_number: str = "",
    body: str = "<p>现将有关情况公开如下。</p>",
    approved_at: datetime | None = None,
    **extra: Any,
) -> Disclosure:
    go_live_at = go_live_at or timezone.now() - timedelta(hours=1)
    n = next(_numbers)
    item = Disclosure.objects.create(
        org=org,
        index_number=f"{org.code}-2026-{n:05d}",
        status=ItemStatus.PUBLISHED,
        title=title,
        scope=scope,
        go_live_at=go_live_at,
        published_at=go_live_at,
        display_until=display_until,
        public_from=public_from,
        off_catalogue_reason="测试",
        **extra,
    )
    revision = Revision.objects.create(
        disclosure=item,
        number=1,
        title=title,
        body=body,
        doc_number=doc_number,
        category=category,
        scope=scope,
        target_org_ids=target_org_ids or [],
        target_person_ids=target_person_ids or [],
        channels=["portal"],
        go_live_at=go_live_at,
        display_until=display_until,
        public_from=public_from,
        notice_workdays=notice_workdays,
        attachment_ids=attachment_ids or [],
        content_hash=f"hash{n}",
    )
    item.current = item.published_revision = revision
    notices.set_end(item)  # as publishing stores it
    item.save(update_fields=["current", "published_revision", "notice_ends_on"])
    Workflow.objects.create(
        disclosure=item,
        kind=WorkflowKind.PUBLISH,
        status=WorkflowStatus.APPROVED,
        revision=revision,
        finished_at=approved_at or go_live_at - timedelta(days=1),
    )
    gate.write_labels(item, revision)
    return item


def amend(item: Disclosure, *, title: str, explanation: str, publish_now: bool = True) -> Revision:
    """A second revision: approved and published (the readers' one) or still in the procedure."""
    old = item.published_revision
    assert old is not None
    revision = Revision.objects.create(
        disclosure=item,
        number=old.number + 1,
        title=title,
        body="<p>变更后的内容。</p>",
        category=old.category,
        scope=old.scope,
        channels=old.channels,
        content_hash=f"{old.content_hash}+",
        attachment_ids=[],
    )
    Workflow.objects.create(
        disclosure=item,
        kind=WorkflowKind.AMEND,
        revision=revision,
        explanation=explanation,
        status=WorkflowStatus.APPROVED if publish_now else WorkflowStatus.RUNNING,
        finished_at=timezone.now() if publish_now else None,
    )
    item.current = revision
    if publish_now:
        item.published_revision, item.title = revision, title
    item.save()
    return revision


def withdraw(item: Disclosure, explanation: str = "内容有误，予以撤销") -> Disclosure:
    item.status, item.withdrawn_at, item.withdrawal_explanation = (
        ItemStatus.WITHDRAWN,
        timezone.now(),
        explanation,
    )
    item.save()
    return item


def stored_file(tmp_path: Any, name: str = "名单.txt", content: bytes = "公示名单".encode()) -> StoredFile:
    """A stored file whose bytes are in the test's FILES_DIR (set `settings.FILES_DIR`)."""
    import hashlib

    sha = hashlib.sha256(content).hexdigest()
    path = f"{sha[:2]}/{sha[2:4]}/{sha}"
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return StoredFile.objects.create(
        sha256=sha,
        size=len(content),
        content_type="text/plain",
        original_name=name,
        extension="txt",
        path=path,
        text="",
        text_status=TextStatus.UNSUPPORTED,
    )
