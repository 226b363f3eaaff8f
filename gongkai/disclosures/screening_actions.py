"""Screening an item before publication (保密审查 support): scan, redact, override.

`screen` runs at submission, on every later revision and again just before publication; it
keeps one Finding row per distinct finding (by key). A high-severity finding left open blocks
`disclosure_publish`. Redacting masks the finding in a new revision; because masking removes
personal data without changing what the item says, the running procedure moves to the new
revision without starting again (the task details record it); any other edit restarts it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.disclosures import content, revisions
from gongkai.disclosures.models import Disclosure, Finding, FindingStatus, Revision, WorkflowStatus
from gongkai.orgs.permissions import Action, PermissionDenied, can
from gongkai.screening.redact import RedactionError, redact, redact_html
from gongkai.screening.scan import HIGH, scan, scan_html
from gongkai.screening.scan import Finding as Found


def _scan(revision: Revision) -> list[Found]:
    from gongkai.files.models import StoredFile, TextStatus

    found = [*scan(revision.title, field="title"), *scan_html(revision.body, field="body")]
    files = StoredFile.objects.filter(
        pk__in=revision.attachment_ids, text_status__in=[TextStatus.OK, TextStatus.TRUNCATED]
    )
    for stored in files:
        found += scan(stored.text, field=f"attachment:{stored.pk}")
    return found


def screen(item: Disclosure, revision: Revision) -> list[Finding]:
    """Bring the item's findings in line with `revision`; returns the open ones."""
    found = {f.key: f for f in _scan(revision)}
    existing = {f.key: f for f in item.findings.all()}
    for key, finding in existing.items():
        if key not in found and finding.status == FindingStatus.OPEN:
            finding.status, finding.resolved_at = FindingStatus.GONE, timezone.now()
            finding.save(update_fields=["status", "resolved_at"])
    for key, f in found.items():
        row = existing.get(key)
        if row is None:
            Finding.objects.create(
                disclosure=item,
                revision=revision,
                key=key,
                kind=f.kind,
                severity=f.severity,
                field=f.field,
                label=str(f.label)[:32],
                excerpt=f.excerpt[:200],
                # A file cannot be masked in place: replace it, or override with a reason.
                redactable=f.redactable and not f.field.startswith("attachment:"),
            )
        elif row.status in (FindingStatus.GONE, FindingStatus.REDACTED):
            # Back again (an edit put it back): open once more.
            row.status, row.revision, row.resolved_at = FindingStatus.OPEN, revision, None
            row.save(update_fields=["status", "revision", "resolved_at"])
    return list(item.findings.filter(status=FindingStatus.OPEN))


def blocking(item: Disclosure) -> list[Finding]:
    return list(item.findings.filter(status=FindingStatus.OPEN, severity=HIGH))


def _may_screen(actor: Any, item: Disclosure) -> bool:
    return any(
        can(actor, action, item.org)
        for action in (Action.DISCLOSURE_SECRECY, Action.DISCLOSURE_REVIEW, Action.DISCLOSURE_PROPOSE)
    )


@transaction.atomic
def finding_redact(*, actor: Any, item: Disclosure, key: str) -> Disclosure:
    """One-click redaction: a new revision with the finding masked wherever it occurs."""
    item = revisions.lock(item)
    if not _may_screen(actor, item):
        raise PermissionDenied(_("只有本组织的公开专员、审核人或保密审查人可以脱敏"))
    row = item.findings.filter(key=key, status=FindingStatus.OPEN).first()
    if row is None:
        raise ValidationError({"finding": [_("该发现不存在或已处理")]})
    assert item.current is not None
    found = {f.key: f for f in _scan(item.current)}.get(key)
    if found is not None and found.field.startswith("attachment:"):
        raise ValidationError(
            {"finding": [_("附件中的内容不能一键脱敏：请更换附件，或由保密审查人确认可以公开")]}
        )
    if found is None:
        raise ValidationError({"finding": [_("内容中已没有该发现")]})
    values = revisions.values_of(item.current)
    try:
        if found.field == "title":
            values["title"] = redact(values["title"], found)
        else:
            values["body"] = redact_html(values["body"], found)
    except RedactionError as error:
        raise ValidationError({"finding": [str(error)]}) from None
    values = content.clean(values)
    revision = revisions.new_revision(item, values, actor, _("脱敏：%(l)s") % {"l": row.label})
    item.current, item.title = revision, revision.title
    item.save(update_fields=["current", "title", "updated_at"])
    workflow = (
        item.workflows.filter(status__in=[WorkflowStatus.RUNNING, WorkflowStatus.APPROVED])
        .order_by("-id")
        .first()
    )
    if workflow is not None:
        workflow.revision = revision
        workflow.save(update_fields=["revision"])
        task = workflow.tasks.filter(status="active").first()
        if task is not None:
            task.details = {**task.details, "redacted": [*task.details.get("redacted", []), row.label]}
            task.save(update_fields=["details"])
    row.status, row.resolved_by, row.resolved_at = FindingStatus.REDACTED, actor, timezone.now()
    # The record of the finding must not keep what was masked.
    row.excerpt = f"{found.before}【{found.redaction}】{found.after}"[:200]
    row.save(update_fields=["status", "resolved_by", "resolved_at", "excerpt"])
    screen(item, revision)
    record(
        actor=actor,
        action="disclosure.redact",
        obj=item,
        org=item.org,
        object_repr=f"{item.index_number} {item.title}",
        new={"finding": row.label, "field": row.field, "revision": revision.number},
    )
    return item


@transaction.atomic
def finding_override(*, actor: Any, item: Disclosure, key: str, reason: str) -> Disclosure:
    """The secrecy reviewer confirms a finding may be published as it is (e.g. a public office
    telephone, a marking already declassified), with a reason that is audited."""
    item = revisions.lock(item)
    if not can(actor, Action.DISCLOSURE_SECRECY, item.org):
        raise PermissionDenied(_("只有本组织的保密审查人可以确认发现可以公开"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写理由")]})
    row = item.findings.filter(key=key, status=FindingStatus.OPEN).first()
    if row is None:
        raise ValidationError({"finding": [_("该发现不存在或已处理")]})
    row.status, row.resolved_by, row.resolved_at, row.reason = (
        FindingStatus.OVERRIDDEN,
        actor,
        timezone.now(),
        reason[:2000],
    )
    row.save(update_fields=["status", "resolved_by", "resolved_at", "reason"])
    record(
        actor=actor,
        action="disclosure.screening_override",
        obj=item,
        org=item.org,
        object_repr=f"{item.index_number} {item.title}",
        new={"finding": row.label, "excerpt": row.excerpt, "severity": row.severity},
        reason=reason,
    )
    return item
