"""Writes on disclosure items: each checks permission, changes, audits, in one transaction.

The procedure: 提出 → 审核 → 保密审查 → 风险评估 (when flagged, or when the entry requires it)
→ 审批, or 报批 to the superior when beyond the org's authority → 实施 (publish) → the
register. `submit` starts a Workflow whose Tasks are resolved relative to the item's org;
`approve` acts on the caller's current task; `return_` sends the item back to the officer with
an opinion; an edit after submission starts the procedure again, because every approval is
bound to the revision (content hash) it saw."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.audit.chain import record
from gongkai.catalogue.models import Entry, Obligation, ObligationKind, Status
from gongkai.catalogue.obligations import entry_key as catalogue_entry_key
from gongkai.catalogue.timing import TimingRule
from gongkai.catalogue.vocab import Scope, TimingKind, is_wider
from gongkai.disclosures import (
    content,
    gate,
    interpretations,
    links,
    notices,
    register,
    revisions,
    screening_actions,
    search_docs,
)
from gongkai.disclosures.models import (
    EDITABLE_STATUSES,
    Disclosure,
    IndexSequence,
    ItemStatus,
    Revision,
    Step,
    Task,
    TaskStatus,
    Workflow,
    WorkflowKind,
    WorkflowStatus,
)
from gongkai.orgs.models import Org, Role, RoleGrant
from gongkai.orgs.permissions import Action, PermissionDenied, can, require
from gongkai.workdays import calendar

# Working days each step may take (the seeds give none; these keep an item within about
# two working weeks from proposal to approval).
STEP_WORKDAYS = {Step.REVIEW: 3, Step.SECRECY: 3, Step.RISK: 5, Step.APPROVAL: 3, Step.SUPERIOR: 5}
STEP_ACTION = {
    Step.REVIEW: Action.DISCLOSURE_REVIEW,
    Step.SECRECY: Action.DISCLOSURE_SECRECY,
    Step.RISK: Action.DISCLOSURE_REVIEW,
    Step.APPROVAL: Action.DISCLOSURE_APPROVE,
    Step.SUPERIOR: Action.DISCLOSURE_APPROVE,
}
RISK_ASPECTS = ("legality", "reasonableness", "feasibility", "controllability", "public_opinion")
RISK_LABELS = {
    "legality": _l("合法性"),
    "reasonableness": _l("合理性"),
    "feasibility": _l("可行性"),
    "controllability": _l("可控性"),
    "public_opinion": _l("舆情风险"),
}
OPINION_LIMIT = 2000


class Conflict(ValidationError):
    """The action does not fit the item's state (approving twice, publishing unapproved):
    surfaces answer 409."""

    http_status = 409


def _opinion(text: str | None, *, required: bool, what: str = "意见") -> str:
    value = (text or "").strip()
    if required and not value:
        raise ValidationError({"opinion": [_("请填写%(w)s") % {"w": what}]})
    if len(value) > OPINION_LIMIT:
        raise ValidationError({"opinion": [_("%(w)s不能超过%(n)s个字符") % {"w": what, "n": OPINION_LIMIT}]})
    return value


def _audit(
    actor: Any,
    action: str,
    item: Disclosure,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    record(
        actor=actor,
        action=action,
        obj=item,
        object_repr=f"{item.index_number} {item.title}",
        org=item.org,
        old=old,
        new=new,
        reason=reason,
    )


def _next_index_number(org: Org, year: int) -> str:
    sequence, _created = IndexSequence.objects.select_for_update().get_or_create(
        org=org, year=year, series="index"
    )
    IndexSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{org.code}-{year}-{sequence.last:05d}"


def _check_attachments(values: dict[str, Any], actor: Any) -> None:
    from gongkai.files.models import StoredFile

    known = set(StoredFile.objects.filter(pk__in=values["attachment_ids"]).values_list("pk", flat=True))
    if set(values["attachment_ids"]) - known:
        raise ValidationError({"attachment_ids": [_("附件不存在")]})


def _check_targets(org: Org, values: dict[str, Any]) -> None:
    from gongkai.people.models import User

    missing_orgs = set(values["target_org_ids"]) - set(
        Org.objects.filter(pk__in=values["target_org_ids"]).values_list("pk", flat=True)
    )
    missing_people = set(values["target_person_ids"]) - set(
        User.objects.filter(pk__in=values["target_person_ids"]).values_list("pk", flat=True)
    )
    if missing_orgs or missing_people:
        raise ValidationError(
            {
                "target_org_ids": [
                    _("公开对象不存在：%(ids)s")
                    % {"ids": "、".join(str(i) for i in sorted(missing_orgs | missing_people))}
                ]
            }
        )


def _entry_for(org: Org, entry_id: int | None) -> Entry | None:
    """The catalogue entry an item discloses: an entry of the org's catalogue in force."""
    if entry_id is None:
        return None
    entry = (
        Entry.objects.select_related("version__catalogue")
        .filter(pk=entry_id, version__catalogue__org=org, version__status=Status.IN_FORCE)
        .first()
    )
    if entry is None:
        raise ValidationError({"entry": [_("该事项不在本组织生效中的公开目录里")]})
    return entry


# ---------------------------------------------------------------------------------------------
# Proposal (提出) and editing


@transaction.atomic
def disclosure_create(
    *,
    actor: Any,
    org: Org,
    data: dict[str, Any],
    entry_id: int | None = None,
    off_catalogue_reason: str = "",
    interprets_id: int | None = None,
) -> Disclosure:
    """Propose an item (a draft, revision 1); `interprets_id` makes it the policy
    interpretation (政策解读) of another item of the org."""
    require(actor, Action.DISCLOSURE_PROPOSE, org, _("只有本组织（或上级）的公开专员可以提出公开事项"))
    if not org.is_active:
        raise ValidationError(_("组织已撤销，不能提出公开事项"))
    values = content.clean(data)
    _check_targets(org, values)
    interpreted = interpretations.interpreted_item(org, interprets_id)
    interpretations.check_scope(interpreted, values["scope"])
    entry = _entry_for(org, entry_id)
    reason = (off_catalogue_reason or "").strip()
    if entry is None and not reason:
        raise ValidationError({"off_catalogue_reason": [_("目录外事项须说明公开理由（由主要负责人审批）")]})
    if len(reason) > OPINION_LIMIT:
        raise ValidationError({"off_catalogue_reason": [_("理由不能超过2000个字符")]})
    item = Disclosure.objects.create(
        org=org,
        entry=entry,
        entry_key=catalogue_entry_key(entry.template_row_number, entry.number) if entry else "",
        off_catalogue_reason="" if entry else reason,
        index_number=_next_index_number(org, timezone.localdate().year),
        title=values["title"],
        scope=values["scope"],
        interprets=interpreted,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    revision = revisions.new_revision(item, values, actor)
    item.current = revision
    item.save(update_fields=["current"])
    _audit(
        actor,
        "disclosure.create",
        item,
        new={
            "status": item.status,
            "revision": 1,
            "scope": item.scope,
            "entry": entry.number if entry else None,
            **({"interprets": interpreted.index_number} if interpreted else {}),
        },
    )
    return item


@transaction.atomic
def disclosure_update(*, actor: Any, item: Disclosure, data: dict[str, Any], note: str = "") -> Disclosure:
    """Save an edit as a new revision. After submission this starts the procedure again: the
    approvals given so far were for the old content."""
    item = revisions.lock(item)
    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.status not in EDITABLE_STATUSES:
        raise Conflict(
            {"status": [_("“%(s)s”的事项不能直接修改，请发起变更") % {"s": item.get_status_display()}]}
        )
    assert item.current is not None
    data = dict(data)
    relinked = "interprets" in data and data["interprets"] != item.interprets_id
    interpreted = (
        interpretations.interpreted_item(item.org, data.pop("interprets"), itself=item)
        if "interprets" in data
        else item.interprets
    )
    merged = {**revisions.values_of(item.current), **data}
    values = content.clean(merged)
    _check_targets(item.org, values)
    _check_attachments(values, actor)
    interpretations.check_scope(interpreted, values["scope"])
    interpretations.check_narrowing(item, values["scope"])
    if relinked:
        _relink(actor, item, interpreted)
    if content.content_hash(values) == item.current.content_hash:
        return item
    old_status = item.status
    revision = revisions.new_revision(item, values, actor, note)
    item.current, item.title, item.scope = revision, values["title"], values["scope"]
    restarted = False
    if item.status in (ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
        _cancel_running(item)
        item.status = ItemStatus.IN_REVIEW
        _start_workflow(item, revision, actor, WorkflowKind.PUBLISH)
        screening_actions.screen(item, revision)
        restarted = True
    item.save()
    _audit(
        actor,
        "disclosure.update",
        item,
        old={"status": old_status},
        new={"status": item.status, "revision": revision.number, "restarted": restarted},
        reason=note,
    )
    return item


def _relink(actor: Any, item: Disclosure, interpreted: Disclosure | None) -> None:
    """Make the item the interpretation of another (or of none): not content, so approvals
    stand, but audited like every change."""
    old = item.interprets.index_number if item.interprets else None
    item.interprets = interpreted
    item.save(update_fields=["interprets", "updated_at"])
    _audit(
        actor,
        "disclosure.interprets",
        item,
        old={"interprets": old},
        new={"interprets": interpreted.index_number if interpreted else None},
    )


# ---------------------------------------------------------------------------------------------
# The procedure


def _escalation(item: Disclosure, revision: Revision) -> str:
    """Why approval must go to the superior (报批), or "" when the org's leader may decide."""
    if item.org.parent_id is None:
        return ""
    if item.entry is None:
        return _("目录外事项")
    if is_wider(revision.scope, item.entry.scope):
        return _("公开范围宽于目录规定")
    if item.org.kind.approval_by_superior:
        return _("本组织类型的公开事项须报上级审批")
    return ""


STEP_ROLES = {
    Step.REVIEW: Role.REVIEWER,
    Step.SECRECY: Role.SECRECY_REVIEWER,
    Step.RISK: Role.REVIEWER,
    Step.APPROVAL: Role.LEADER,
    Step.SUPERIOR: Role.LEADER,
}


def _activate(task: Task) -> None:
    today = timezone.localdate()
    task.status, task.activated_at = TaskStatus.ACTIVE, timezone.now()
    task.due_date = calendar.due(today, STEP_WORKDAYS[Step(task.step)])
    task.save(update_fields=["status", "activated_at", "due_date"])
    _notify_assignees(task)


def _notify_assignees(task: Task) -> None:
    """Tell the people who may decide the step that it waits for them (in-app, and by e-mail
    as each chose); the e-mail goes out only if this transaction commits."""
    from gongkai.notify.actions import notify

    item = task.workflow.disclosure
    holders = RoleGrant.objects.filter(org=task.org, role=STEP_ROLES[Step(task.step)]).values_list(
        "person_id", flat=True
    )
    starter = task.workflow.started_by_id
    notify(
        [p for p in holders if p != starter],
        kind="disclosure_task",
        subject=_("待办：%(step)s《%(title)s》") % {"step": task.get_step_display(), "title": item.title},
        body=_("%(org)s的公开事项《%(title)s》等待您%(step)s，请于 %(due)s 前办理。")
        % {
            "org": item.org.name,
            "title": item.title,
            "step": task.get_step_display(),
            "due": task.due_date.isoformat() if task.due_date else "",
        },
        url=links.staff_url(item.pk),
        dedup_key=f"disclosure-task-{task.pk}",
    )


def _start_workflow(
    item: Disclosure, revision: Revision, actor: Any, kind: str, explanation: str = ""
) -> Workflow:
    reason = _escalation(item, revision) if kind != WorkflowKind.WITHDRAW else ""
    workflow = Workflow.objects.create(
        disclosure=item,
        kind=kind,
        revision=revision,
        explanation=explanation,
        escalated=bool(reason),
        escalation_reason=reason,
        started_by=actor if getattr(actor, "pk", None) else None,
    )
    steps: list[tuple[str, Org]] = []
    if kind != WorkflowKind.WITHDRAW:
        steps += [(Step.REVIEW, item.org), (Step.SECRECY, item.org)]
        # Flagged by the officer, or always for an entry whose catalogue requires it.
        if revision.risk_assessment or (item.entry is not None and item.entry.requires_risk_assessment):
            steps.append((Step.RISK, item.org))
    steps.append((Step.APPROVAL, item.org))
    if reason and item.org.parent is not None:
        steps.append((Step.SUPERIOR, item.org.parent))
    tasks = [
        Task.objects.create(workflow=workflow, position=i, step=step, org=org)
        for i, (step, org) in enumerate(steps, start=1)
    ]
    _activate(tasks[0])
    return workflow


def _running(item: Disclosure) -> Workflow | None:
    return item.workflows.filter(status=WorkflowStatus.RUNNING).first()


def _cancel_running(item: Disclosure) -> None:
    for workflow in item.workflows.filter(status__in=[WorkflowStatus.RUNNING, WorkflowStatus.APPROVED]):
        if workflow.status == WorkflowStatus.RUNNING or workflow.kind == WorkflowKind.PUBLISH:
            workflow.tasks.filter(status__in=[TaskStatus.WAITING, TaskStatus.ACTIVE]).update(
                status=TaskStatus.CANCELLED
            )
            workflow.status, workflow.finished_at = WorkflowStatus.CANCELLED, timezone.now()
            workflow.save(update_fields=["status", "finished_at"])


@transaction.atomic
def disclosure_submit(*, actor: Any, item: Disclosure) -> Disclosure:
    item = revisions.lock(item)
    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise Conflict({"status": [_("“%(s)s”的事项不能提交") % {"s": item.get_status_display()}]})
    assert item.current is not None
    old = item.status
    workflow = _start_workflow(item, item.current, actor, WorkflowKind.PUBLISH)
    item.status = ItemStatus.IN_REVIEW
    item.save(update_fields=["status", "updated_at"])
    _ensure_event_obligation(item)
    findings = screening_actions.screen(item, item.current)
    _audit(
        actor,
        "disclosure.submit",
        item,
        old={"status": old},
        new={
            "status": item.status,
            "revision": item.current.number,
            "steps": list(workflow.tasks.values_list("step", flat=True)),
            "escalated": workflow.escalation_reason,
            "findings": [f.label for f in findings],
        },
    )
    return item


def current_task_for(actor: Any, item: Disclosure) -> Task | None:
    """The active task of the running procedure, if `actor` is one who may decide it."""
    workflow = _running(item)
    if workflow is None:
        return None
    task = workflow.tasks.select_related("org").filter(status=TaskStatus.ACTIVE).first()
    if task is None or not can(actor, STEP_ACTION[Step(task.step)], task.org):
        return None
    return task


def _decide(actor: Any, item: Disclosure) -> tuple[Workflow, Task]:
    workflow = _running(item)
    if workflow is None:
        raise Conflict({"status": [_("该事项没有正在办理的流程")]})
    task = workflow.tasks.select_related("org").filter(status=TaskStatus.ACTIVE).first()
    if task is None:
        raise Conflict({"status": [_("该事项没有待办的步骤")]})
    if not can(actor, STEP_ACTION[Step(task.step)], task.org):
        raise PermissionDenied(_("当前步骤（%(s)s）不由您办理") % {"s": task.get_step_display()})
    if workflow.started_by_id is not None and workflow.started_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("不能审核或审批自己提交的事项"))
    if workflow.revision.content_hash != item.current.content_hash:  # type: ignore[union-attr]
        raise Conflict({"status": [_("内容已修改，须重新审核")]})
    return workflow, task


def _clean_details(task: Task, details: dict[str, Any] | None) -> dict[str, Any]:
    details = details or {}
    if task.step == Step.RISK:
        risk = details.get("risk") or {}
        missing = [str(RISK_LABELS[a]) for a in RISK_ASPECTS if not str(risk.get(a, "")).strip()]
        if missing:
            raise ValidationError(
                {"risk": [_("风险评估须对每一方面给出意见：缺少%(m)s") % {"m": "、".join(missing)}]}
            )
        return {"risk": {a: str(risk[a]).strip()[:1000] for a in RISK_ASPECTS}}
    meeting = details.get("meeting")
    if meeting and task.step in (Step.APPROVAL, Step.SUPERIOR):
        needed = {"name": _("会议名称"), "date": _("日期"), "attendees": _("参会人员"), "result": _("决定")}
        missing = [label for key, label in needed.items() if not str(meeting.get(key, "")).strip()]
        if missing:
            raise ValidationError({"meeting": [_("集体决策须记录：%(m)s") % {"m": "、".join(missing)}]})
        return {"meeting": {k: str(meeting[k]).strip()[:1000] for k in needed}}
    return {}


@transaction.atomic
def disclosure_approve(
    *, actor: Any, item: Disclosure, opinion: str = "", details: dict[str, Any] | None = None
) -> Disclosure:
    """Pass the caller's current task (审核通过 / 保密审查通过 / 同意)."""
    item = revisions.lock(item)
    workflow, task = _decide(actor, item)
    task.details = _clean_details(task, details)
    task.opinion = _opinion(opinion, required=False)
    task.status, task.decided_by, task.decided_at = TaskStatus.APPROVED, actor, timezone.now()
    task.revision_hash = workflow.revision.content_hash
    task.save()
    following = workflow.tasks.filter(status=TaskStatus.WAITING).order_by("position").first()
    old = item.status
    if following is not None:
        _activate(following)
    else:
        _finish(actor, item, workflow)
    _audit(
        actor,
        f"disclosure.approve.{task.step}",
        item,
        old={"status": old},
        new={
            "status": item.status,
            "step": task.step,
            "revision": workflow.revision.number,
            **({"meeting": task.details["meeting"]} if "meeting" in task.details else {}),
        },
        reason=task.opinion,
    )
    return item


def _finish(actor: Any, item: Disclosure, workflow: Workflow) -> None:
    workflow.status, workflow.finished_at = WorkflowStatus.APPROVED, timezone.now()
    workflow.save(update_fields=["status", "finished_at"])
    if workflow.kind == WorkflowKind.PUBLISH:
        item.status = ItemStatus.APPROVED
    elif workflow.kind == WorkflowKind.AMEND:
        _apply_published(item, workflow.revision)
        notices.set_end(item)
    else:
        item.status, item.withdrawn_at = ItemStatus.WITHDRAWN, timezone.now()
        item.withdrawal_explanation = workflow.explanation
    item.save()
    if workflow.kind != WorkflowKind.PUBLISH:
        register.record_entry(workflow.kind, item, workflow, actor)
        search_docs.sync(item)  # the amended text, or out of the index when withdrawn
    if workflow.kind == WorkflowKind.WITHDRAW:
        _withdraw_interpretations(actor, item, workflow)


def _withdraw_interpretations(actor: Any, item: Disclosure, workflow: Workflow) -> None:
    """An interpretation of a withdrawn item explains nothing any more: it goes with it, under
    the same approval, and says so publicly."""
    for companion in interpretations.published_with(item):
        companion = revisions.lock(companion)
        companion.status, companion.withdrawn_at = ItemStatus.WITHDRAWN, item.withdrawn_at
        companion.withdrawal_explanation = _("随所解读的事项《%(t)s》一并撤销：%(e)s") % {
            "t": item.title,
            "e": workflow.explanation,
        }
        companion.save()
        search_docs.sync(companion)
        register.record_entry("withdraw", companion, workflow, actor)
        _audit(
            actor,
            "disclosure.withdrawn_with",
            companion,
            old={"status": ItemStatus.PUBLISHED},
            new={"status": companion.status, "with": item.index_number},
            reason=workflow.explanation,
        )


@transaction.atomic
def disclosure_return(*, actor: Any, item: Disclosure, opinion: str) -> Disclosure:
    """Send the item back to the officer (退回) with an opinion."""
    item = revisions.lock(item)
    workflow, task = _decide(actor, item)
    task.opinion = _opinion(opinion, required=True, what=_("退回意见"))
    task.status, task.decided_by, task.decided_at = TaskStatus.RETURNED, actor, timezone.now()
    task.save()
    workflow.tasks.filter(status=TaskStatus.WAITING).update(status=TaskStatus.CANCELLED)
    workflow.status, workflow.finished_at = WorkflowStatus.RETURNED, timezone.now()
    workflow.save(update_fields=["status", "finished_at"])
    old = item.status
    if workflow.kind == WorkflowKind.PUBLISH:
        item.status = ItemStatus.RETURNED
        item.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        f"disclosure.return.{task.step}",
        item,
        old={"status": old},
        new={"status": item.status, "workflow": workflow.kind},
        reason=task.opinion,
    )
    return item


@transaction.atomic
def disclosure_escalate(*, actor: Any, item: Disclosure, opinion: str) -> Disclosure:
    """The org's leader sends the decision up (报批) when it is beyond the org's authority."""
    item = revisions.lock(item)
    workflow, task = _decide(actor, item)
    if task.step != Step.APPROVAL:
        raise Conflict({"status": [_("只有审批步骤可以报上级审批")]})
    if item.org.parent is None:
        raise Conflict({"status": [_("没有上级组织可以报批")]})
    task.opinion = _opinion(opinion, required=True, what=_("报批理由"))
    task.status, task.decided_by, task.decided_at = TaskStatus.ESCALATED, actor, timezone.now()
    task.revision_hash = workflow.revision.content_hash
    task.save()
    if not workflow.tasks.filter(step=Step.SUPERIOR).exists():
        superior = Task.objects.create(
            workflow=workflow, position=task.position + 1, step=Step.SUPERIOR, org=item.org.parent
        )
        _activate(superior)
    else:
        _activate(workflow.tasks.get(step=Step.SUPERIOR))
    workflow.escalated, workflow.escalation_reason = True, task.opinion[:200]
    workflow.save(update_fields=["escalated", "escalation_reason"])
    _audit(actor, "disclosure.escalate", item, new={"to": item.org.parent.code}, reason=task.opinion)
    return item


# ---------------------------------------------------------------------------------------------
# Publication (实施), amendment (变更), withdrawal (撤销)


def _apply_published(item: Disclosure, revision: Revision) -> None:
    if item.public_from != revision.public_from:
        item.public_opening_notified_at = None  # a new public date is a new opening to tell
    item.published_revision = item.current = revision
    item.title, item.scope = revision.title, revision.scope
    item.go_live_at = revision.go_live_at or item.go_live_at or timezone.now()
    item.display_until, item.public_from = revision.display_until, revision.public_from
    gate.write_labels(item, revision)


@transaction.atomic
def disclosure_publish(*, actor: Any, item: Disclosure) -> Disclosure:
    """Put the approved revision out at its planned time (now when none): labels for the gate,
    the register entry, and the obligation it fulfils. Its approved policy interpretations
    go out with it (同步发布); an interpretation waits for its item."""
    item = revisions.lock(item)
    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.interprets is not None and item.interprets.status != ItemStatus.PUBLISHED:
        raise Conflict(
            {
                "interprets": [
                    _("政策解读与所解读的事项同时发布：请发布《%(t)s》，本解读随之发布")
                    % {"t": item.interprets.title}
                ]
            }
        )
    waiting = interpretations.not_ready(item)
    if waiting:
        raise Conflict(
            {
                "interpretations": [
                    _("解读材料须与本事项同时发布，尚未批准：%(t)s") % {"t": interpretations.titles(waiting)}
                ]
            }
        )
    _publish_one(actor, item)
    for companion in interpretations.waiting_to_go_out(item):
        _publish_one(actor, revisions.lock(companion), along_with=item)
    return item


def _publish_one(actor: Any, item: Disclosure, along_with: Disclosure | None = None) -> None:
    if item.status != ItemStatus.APPROVED:
        raise Conflict(
            {"status": [_("只有已批准的事项可以发布（当前：%(s)s）") % {"s": item.get_status_display()}]}
        )
    approved = item.workflows.filter(status=WorkflowStatus.APPROVED, kind=WorkflowKind.PUBLISH).first()
    assert item.current is not None
    if approved is None or approved.revision.content_hash != item.current.content_hash:
        raise Conflict({"status": [_("《%(t)s》批准的内容与当前内容不一致，须重新审批") % {"t": item.title}]})
    # Screened again just before it goes out: a finding left open with high severity stops it.
    screening_actions.screen(item, item.current)
    stopping = screening_actions.blocking(item)
    if stopping:
        raise Conflict(
            {
                "findings": [
                    _("《%(t)s》保密审查发现尚未处理，不能发布：%(f)s")
                    % {"t": item.title, "f": "、".join(f"{f.label}（{f.excerpt}）" for f in stopping)}
                ]
            }
        )
    now = timezone.now()
    revision = item.current
    item.status, item.published_at, item.published_by = ItemStatus.PUBLISHED, now, actor
    _apply_published(item, revision)
    go_live = revision.go_live_at or now
    if along_with is not None and along_with.go_live_at:
        # With its item, and never before it (a later planned time of its own stands).
        go_live = max(revision.go_live_at or along_with.go_live_at, along_with.go_live_at)
    item.go_live_at = go_live
    notices.set_end(item)
    item.save()
    search_docs.sync(item)
    fulfilled = _fulfil_obligation(item)
    register.record_entry("publish", item, approved, actor)
    _audit(
        actor,
        "disclosure.publish",
        item,
        old={"status": ItemStatus.APPROVED},
        new={
            "status": item.status,
            "revision": revision.number,
            "go_live_at": item.go_live_at.isoformat(),
            "labels": sorted(item.labels.values_list("label", flat=True)),
            "obligation": fulfilled,
            **({"along_with": along_with.index_number} if along_with else {}),
        },
    )


def _timing(entry: Entry) -> TimingRule | None:
    try:
        return TimingRule.parse(entry.timing)
    except ValidationError:
        return None


def _ensure_event_obligation(item: Disclosure) -> None:
    """A prompt or phased entry owes its item N working days after the event: the obligation
    is created when the item is submitted with its event date (the catalogue cannot know it)."""
    if item.entry is None or item.current is None or item.current.event_date is None:
        return
    rule = _timing(item.entry)
    if rule is None or rule.kind not in (TimingKind.PROMPT, TimingKind.PHASED):
        return
    event: date = item.current.event_date
    due = calendar.due(event, rule.within_workdays or 0)
    Obligation.objects.update_or_create(
        org=item.org,
        entry_key=item.entry_key,
        period=f"item-{item.pk}",
        defaults={
            "entry": item.entry,
            "kind": ObligationKind.EVENT,
            "period_start": event,
            "period_end": event,
            "anchor": event,
            "workdays": rule.within_workdays or 0,
            "due_date": due,
        },
    )


def _fulfil_obligation(item: Disclosure) -> dict[str, Any] | None:
    """Publishing fulfils the item's own obligation (an event entry) or else the earliest open
    period of its entry that has begun; on time or late is recorded."""
    if item.entry is None:
        return None
    today = timezone.localdate()
    open_ones = Obligation.objects.select_for_update().filter(
        org=item.org, entry_key=item.entry_key, fulfilled_at__isnull=True
    )
    obligation = (
        open_ones.filter(period=f"item-{item.pk}").first()
        or open_ones.filter(period_start__lte=today).order_by("due_date", "id").first()
    )
    if obligation is None:
        return None
    on_time = today <= obligation.due_date
    obligation.fulfilled_at, obligation.fulfilled_by, obligation.item_id = (
        timezone.now(),
        item.published_by,
        item.pk,
    )
    obligation.fulfilment_note = (
        _("由公开事项 %(n)s 按时办结") if on_time else _("由公开事项 %(n)s 逾期办结")
    ) % {"n": item.index_number}
    obligation.save(update_fields=["fulfilled_at", "fulfilled_by", "item_id", "fulfilment_note"])
    return {
        "id": obligation.pk,
        "period": obligation.period,
        "due_date": obligation.due_date.isoformat(),
        "on_time": on_time,
    }


@transaction.atomic
def disclosure_amend(*, actor: Any, item: Disclosure, data: dict[str, Any], explanation: str) -> Disclosure:
    """Change a published item (变更): the new content goes through review and approval and is
    published with its explanation; until then readers see the old one, which stays in the
    history afterwards."""
    item = revisions.lock(item)
    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.status != ItemStatus.PUBLISHED:
        raise Conflict({"status": [_("只有已发布的事项可以变更")]})
    if _running(item) is not None:
        raise Conflict({"status": [_("该事项已有正在办理的变更或撤销")]})
    explanation = _opinion(explanation, required=True, what=_("变更说明"))
    assert item.current is not None
    values = content.clean({**revisions.values_of(item.current), **data})
    _check_targets(item.org, values)
    if item.reposted_from_id is not None:
        _check_repost_scope(item.reposted_from, values["scope"])  # type: ignore[arg-type]
    interpretations.check_scope(item.interprets, values["scope"])
    interpretations.check_narrowing(item, values["scope"])
    revision = revisions.new_revision(item, values, actor, explanation)
    item.current = revision
    item.save(update_fields=["current", "updated_at"])
    _start_workflow(item, revision, actor, WorkflowKind.AMEND, explanation)
    _audit(actor, "disclosure.amend", item, new={"revision": revision.number}, reason=explanation)
    return item


@transaction.atomic
def disclosure_withdraw(*, actor: Any, item: Disclosure, explanation: str) -> Disclosure:
    """Ask to withdraw a published item (撤销): the leader approves; the explanation is public."""
    item = revisions.lock(item)
    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.status != ItemStatus.PUBLISHED:
        raise Conflict({"status": [_("只有已发布的事项可以撤销")]})
    if _running(item) is not None:
        raise Conflict({"status": [_("该事项已有正在办理的变更或撤销")]})
    explanation = _opinion(explanation, required=True, what=_("撤销说明"))
    assert item.current is not None
    _start_workflow(item, item.published_revision or item.current, actor, WorkflowKind.WITHDRAW, explanation)
    _audit(actor, "disclosure.withdraw", item, new={"requested": True}, reason=explanation)
    return item


def _check_repost_scope(original: Disclosure, scope: str) -> None:
    if is_wider(scope, original.scope) or (original.scope != Scope.PUBLIC and scope == Scope.PUBLIC):
        raise ValidationError(
            {"scope": [_("转载的公开范围不能宽于原事项（%(s)s）") % {"s": Scope(original.scope).label}]}
        )


@transaction.atomic
def disclosure_repost(*, actor: Any, original: Disclosure, org: Org, scope: str | None = None) -> Disclosure:
    """A subordinate reposts (转载) a superior's published item: a draft linked to the original,
    never wider than it, which goes through the org's own procedure."""
    require(actor, Action.DISCLOSURE_PROPOSE, org)
    if not gate.can_view(actor, original):
        raise PermissionDenied(_("看不到原事项，不能转载"))
    if not org.path.startswith(original.org.path) or org.pk == original.org_id:
        raise ValidationError({"org": [_("只能转载上级组织的事项")]})
    source = original.published_revision or original.current
    assert source is not None
    values = {
        **revisions.values_of(source),
        "scope": scope or source.scope,
        "target_org_ids": [],
        "target_person_ids": [],
        "go_live_at": None,
        "display_until": None,
        "public_from": None,
    }
    if values["scope"] == Scope.TARGETED:
        raise ValidationError({"scope": [_("转载不能选择“向特定对象公开”")]})
    _check_repost_scope(original, values["scope"])
    item = disclosure_create(
        actor=actor,
        org=org,
        data=values,
        off_catalogue_reason=_("转载上级组织事项 %(n)s") % {"n": original.index_number},
    )
    item.reposted_from = original
    item.save(update_fields=["reposted_from"])
    return item


@transaction.atomic
def attachment_add(*, actor: Any, item: Disclosure, upload: Any, name: str | None = None) -> Disclosure:
    """Attach a file: checked by content and size (gongkai.files), then a new revision that
    lists it, so the procedure sees (and screens) it like any other edit."""
    from gongkai.files.store import store_upload

    require(actor, Action.DISCLOSURE_PROPOSE, item.org)
    if item.status not in EDITABLE_STATUSES:
        raise Conflict({"status": [_("“%(s)s”的事项不能添加附件") % {"s": item.get_status_display()}]})
    stored = store_upload(upload, actor=actor, name=name)
    assert item.current is not None
    item = disclosure_update(
        actor=actor,
        item=item,
        data={"attachment_ids": [*item.current.attachment_ids, stored.pk]},
        note=_("添加附件：%(n)s") % {"n": stored.original_name},
    )
    record(
        actor=actor,
        action="disclosure.attachment_add",
        obj=item,
        org=item.org,
        object_repr=f"{item.index_number} {item.title}",
        new={"file": stored.pk, "name": stored.original_name, "sha256": stored.sha256, "size": stored.size},
    )
    return item
