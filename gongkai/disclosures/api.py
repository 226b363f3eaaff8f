"""REST endpoints for disclosure items: parse, call one action or query, render. Reads go
through queries.readable_by / get_item_for (the gate, plus working papers for the org's staff);
anonymous callers get the published public items only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from gongkai.api import auth
from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS, ApiError, ErrorOut
from gongkai.api.fields import Code, Id, Reason
from gongkai.api.lookups import org_ref
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.disclosures import actions, queries, screening_actions
from gongkai.disclosures.models import Disclosure
from gongkai.files.detect import KINDS

router = Router(tags=["disclosures"])
WRITE_ERRORS = {**ERROR_RESPONSES, 409: ErrorOut}


PUBLIC_READ = auth.PUBLIC_READ


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class ItemIn(In):
    title: str = Field(max_length=200)
    body: str = Field("", max_length=200_000, description="富文本（HTML），保存前按白名单清理")
    doc_number: str = Field("", max_length=64, description="文号")
    category: str = Field("", max_length=64)
    scope: str = Field(description="public、party、unit、targeted")
    target_org_ids: list[int] = Field(default_factory=list, max_length=500)
    target_person_ids: list[int] = Field(default_factory=list, max_length=2000)
    channels: list[str] = Field(max_length=20)
    go_live_at: datetime | None = Field(None, description="计划发布时间；不填则批准后发布即上线")
    display_until: datetime | None = Field(None, description="展示截止（如公示 7-15 天）")
    public_from: datetime | None = Field(None, description="先党内后党外：向社会公开的时间（仅党内公开）")
    notice_workdays: int | None = Field(None, description="公示期（工作日，5-30）")
    risk_assessment: bool = False
    event_date: date | None = Field(None, description="及时/分阶段公开的事项：事项发生（决定）日期")


class CreateIn(ItemIn):
    org: Code
    entry_id: int | None = Field(None, description="本组织生效目录中的事项 id；目录外事项不填并说明理由")
    off_catalogue_reason: Reason = ""
    interprets: int | None = Field(
        None, description="政策解读：所解读的本组织事项 id；解读材料与该事项同时发布，范围不宽于该事项"
    )


class UpdateIn(In):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=200_000)
    doc_number: str | None = Field(None, max_length=64)
    category: str | None = Field(None, max_length=64)
    scope: str | None = None
    target_org_ids: list[int] | None = Field(None, max_length=500)
    target_person_ids: list[int] | None = Field(None, max_length=2000)
    channels: list[str] | None = Field(None, max_length=20)
    go_live_at: datetime | None = None
    display_until: datetime | None = None
    public_from: datetime | None = None
    notice_workdays: int | None = None
    risk_assessment: bool | None = None
    event_date: date | None = None
    interprets: int | None = Field(None, description="政策解读所解读的事项 id；传 null 解除关联")
    note: Reason = ""


class ActIn(In):
    opinion: Reason = ""
    explanation: Reason = Field("", description="amend / withdraw：公开的变更或撤销说明")
    changes: UpdateIn | None = Field(None, description="amend：要变更的字段")
    meeting: dict[str, str] | None = Field(None, description="集体决策：name、date、attendees、result")
    finding: str | None = Field(None, max_length=32, description="redact / override：发现的 key")
    risk: dict[str, str] | None = Field(
        None, description="风险评估：legality、reasonableness、feasibility、controllability、public_opinion"
    )


class TaskOut(Schema):
    position: int
    step: str
    step_label: str
    org: str
    status: str
    status_label: str
    due_date: date | None
    decided_by: str | None
    decided_at: datetime | None
    opinion: str
    details: dict[str, Any]


class ItemOut(Schema):
    id: int
    index_number: str = Field(description="索引号：组织代码-年份-序号")
    org: str
    org_name: str
    title: str
    status: str
    status_label: str
    scope: str
    entry_id: int | None
    reposted_from: int | None
    interprets: int | None = Field(description="本事项是政策解读时，所解读的事项 id")
    published_at: datetime | None
    go_live_at: datetime | None
    display_until: datetime | None
    public_from: datetime | None
    withdrawn_at: datetime | None
    withdrawal_explanation: str


class FindingOut(Schema):
    key: str
    kind: str
    label: str
    severity: str = Field(description="high 阻止发布；medium、low 提示")
    field: str
    excerpt: str = Field(description="上下文，发现的内容在【】中")
    redactable: bool
    status: str = Field(description="open、redacted、overridden、gone")
    reason: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    text_status: str = Field(description="ok 已提取文字并经过筛查；其他值表示须人工查看")


class ItemDetailOut(ItemOut):
    revision: int
    body: str
    doc_number: str
    category: str
    channels: list[str]
    target_org_ids: list[int]
    target_person_ids: list[int]
    notice_workdays: int | None
    risk_assessment: bool
    risk_assessment_required: bool = Field(
        False, description="目录事项规定须进行风险评估：为 true 时流程一定有风险评估步骤")
    event_date: date | None
    off_catalogue_reason: str
    tasks: list[TaskOut] = Field(description="当前（或最近一次）流程的各步骤；仅对能查看工作文件的用户列出")
    attachments: list[AttachmentOut]
    findings: list[FindingOut] = Field(
        description="保密审查发现（身份证号、手机号、密级标志等）；仅工作人员可见"
    )
    allowed: list[str] = Field(description="当前用户现在可执行的操作")
    interpretations: list[int] = Field(description="本事项的政策解读（当前用户能看到的）")


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    scope: str
    note: str
    content_hash: str
    created_by: str | None
    created_at: datetime


class WorkflowOut(Schema):
    kind: str
    status: str
    explanation: str
    escalation_reason: str
    started_at: datetime
    finished_at: datetime | None
    revision: int
    tasks: list[TaskOut]


class HistoryOut(Schema):
    revisions: list[RevisionOut]
    workflows: list[WorkflowOut]


class ListQuery(PageParams):
    org: Code | None = None
    status: Literal["draft", "in_review", "returned", "approved", "published", "withdrawn"] | None = None
    q: str | None = Field(None, max_length=100, description="标题包含")


def _name(user: Any) -> str | None:
    return None if user is None else str(user.real_name or user.username)


def _task_out(task: Any) -> dict[str, Any]:
    return {
        "position": task.position,
        "step": task.step,
        "step_label": str(task.get_step_display()),
        "org": task.org.code,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "due_date": task.due_date,
        "decided_by": _name(task.decided_by),
        "decided_at": task.decided_at,
        "opinion": task.opinion,
        "details": task.details,
    }


def _item_out(item: Disclosure) -> dict[str, Any]:
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "org": item.org.code,
        "org_name": item.org.name,
        "title": item.title,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "scope": item.scope,
        "entry_id": item.entry_id,
        "reposted_from": item.reposted_from_id,
        "interprets": item.interprets_id,
        "published_at": item.published_at,
        "go_live_at": item.go_live_at,
        "display_until": item.display_until,
        "public_from": item.public_from,
        "withdrawn_at": item.withdrawn_at,
        "withdrawal_explanation": item.withdrawal_explanation,
    }


# Moved to queries (the staff pages use it too); still importable from here.
allowed_actions = queries.allowed_actions


def _detail(user: Any, item: Disclosure) -> dict[str, Any]:
    staff = queries.is_staff_reader(user, item)
    revision = queries.revision_for(user, item)  # outside readers: what was published, never a draft
    workflow = item.workflows.order_by("-id").first() if staff else None
    tasks = list(workflow.tasks.select_related("org", "decided_by").order_by("position")) if workflow else []
    return {
        **_item_out(item),
        "revision": revision.number,
        "body": revision.body,
        "doc_number": revision.doc_number,
        "category": revision.category,
        "channels": revision.channels,
        "target_org_ids": revision.target_org_ids if staff else [],
        "target_person_ids": revision.target_person_ids if staff else [],
        "notice_workdays": revision.notice_workdays,
        "risk_assessment": revision.risk_assessment,
        "risk_assessment_required": bool(item.entry and item.entry.requires_risk_assessment),
        "event_date": revision.event_date,
        "off_catalogue_reason": item.off_catalogue_reason if staff else "",
        "tasks": [_task_out(t) for t in tasks],
        "allowed": allowed_actions(user, item),
        "interpretations": list(queries.interpretations_for(user, item).values_list("id", flat=True)),
        "attachments": [
            {
                "id": f.pk,
                "name": f.original_name,
                "size": f.size,
                "content_type": f.content_type,
                "text_status": f.text_status,
            }
            for f in _files(revision.attachment_ids)
        ],
        "findings": [
            {
                "key": f.key,
                "kind": f.kind,
                "label": f.label,
                "severity": f.severity,
                "field": f.field,
                "excerpt": f.excerpt,
                "redactable": f.redactable,
                "status": f.status,
                "reason": f.reason,
            }
            for f in item.findings.all()
        ]
        if staff
        else [],
    }


def _files(ids: list[int]) -> list[Any]:
    from gongkai.files.models import StoredFile

    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=ids).defer("text")}
    return [found[i] for i in ids if i in found]


def _values(payload: Schema) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    for key in ("go_live_at", "display_until", "public_from"):
        if data.get(key) is not None:
            data[key] = data[key].isoformat()
    if data.get("event_date") is not None:
        data["event_date"] = data["event_date"].isoformat()
    return data


@router.get(
    "/disclosures",
    response={200: Page[ItemOut], **READ_ERRORS},
    auth=PUBLIC_READ,
    operation_id="disclosures_list",
    summary="公开事项列表：已发布且可见的事项；本组织及上级的工作人员还能看到草稿和办理中的事项",
)
def disclosures_list(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    qs = queries.readable_by(request.user)
    if params.org:
        qs = qs.filter(org__code=params.org)
    if params.status:
        qs = qs.filter(status=params.status)
    if params.q:
        qs = qs.filter(title__contains=params.q)
    return paginate(request, qs.order_by("-published_at", "-id"), params, _item_out)


@router.get(
    "/disclosures/{int:id}",
    response={200: ItemDetailOut, **READ_ERRORS},
    auth=PUBLIC_READ,
    operation_id="disclosures_get",
    summary="一个公开事项；看不到的与不存在的一样返回 404",
)
def disclosures_get(request: HttpRequest, id: Id) -> dict[str, Any]:
    return _detail(request.user, queries.get_item_for(request.user, id))


@router.post(
    "/disclosures",
    response={201: ItemDetailOut, **ERROR_RESPONSES},
    operation_id="disclosures_create",
    summary="提出公开事项（草稿，第1次修订）",
)
def disclosures_create(request: HttpRequest, payload: CreateIn) -> Status[dict[str, Any]]:
    user = request.user
    org = org_ref(user, payload.org, "org")
    data = _values(payload)
    for key in ("org", "entry_id", "off_catalogue_reason", "interprets"):
        data.pop(key, None)
    item = actions.disclosure_create(
        actor=user,
        org=org,
        data=data,
        entry_id=payload.entry_id,
        off_catalogue_reason=payload.off_catalogue_reason,
        interprets_id=payload.interprets,
    )
    return Status(201, _detail(user, queries.get_item_for(user, item.pk)))


@router.patch(
    "/disclosures/{int:id}",
    response={200: ItemDetailOut, **WRITE_ERRORS},
    operation_id="disclosures_update",
    summary="修改事项（保存为新的修订）；提交后修改会使流程从审核重新开始",
)
def disclosures_update(request: HttpRequest, id: Id, payload: UpdateIn) -> dict[str, Any]:
    user = request.user
    item = queries.get_item_for(user, id)
    data = _values(payload)
    note = data.pop("note", "")
    actions.disclosure_update(actor=user, item=item, data=data, note=note)
    return _detail(user, queries.get_item_for(user, id))


ActName = Literal[
    "submit", "approve", "return", "escalate", "publish", "withdraw", "amend", "redact", "override"
]


@router.post(
    "/disclosures/{int:id}/actions/{action}",
    response={200: ItemDetailOut, **WRITE_ERRORS},
    operation_id="disclosures_act",
    summary="办理：submit 提交、approve 通过当前步骤、return 退回、escalate 报上级审批、publish 发布、"
    "withdraw 申请撤销、amend 申请变更",
)
def disclosures_act(request: HttpRequest, id: Id, action: ActName, payload: ActIn) -> dict[str, Any]:
    user = request.user
    item = queries.get_item_for(user, id)
    if action == "submit":
        actions.disclosure_submit(actor=user, item=item)
    elif action == "approve":
        details = {k: v for k, v in (("meeting", payload.meeting), ("risk", payload.risk)) if v}
        actions.disclosure_approve(actor=user, item=item, opinion=payload.opinion, details=details)
    elif action == "return":
        actions.disclosure_return(actor=user, item=item, opinion=payload.opinion)
    elif action == "escalate":
        actions.disclosure_escalate(actor=user, item=item, opinion=payload.opinion)
    elif action == "publish":
        actions.disclosure_publish(actor=user, item=item)
    elif action in ("redact", "override"):
        if not payload.finding:
            raise ApiError(400, "invalid_input", _("请指明发现（finding）"))
        if action == "redact":
            screening_actions.finding_redact(actor=user, item=item, key=payload.finding)
        else:
            screening_actions.finding_override(
                actor=user, item=item, key=payload.finding, reason=payload.opinion
            )
    elif action == "withdraw":
        actions.disclosure_withdraw(actor=user, item=item, explanation=payload.explanation)
    else:
        if payload.changes is None:
            raise ApiError(400, "invalid_input", _("变更须给出要修改的字段（changes）"))
        changes = _values(payload.changes)
        changes.pop("note", None)
        actions.disclosure_amend(actor=user, item=item, data=changes, explanation=payload.explanation)
    return _detail(user, queries.get_item_for(user, id))


@router.get(
    "/disclosures/{int:id}/history",
    response={200: HistoryOut, **READ_ERRORS},
    operation_id="disclosures_history",
    summary="修订与办理记录（仅本组织及上级的工作人员）",
)
def disclosures_history(request: HttpRequest, id: Id) -> dict[str, Any]:
    from django.http import Http404

    from gongkai.orgs.permissions import Action, can

    user = request.user
    item = queries.get_item_for(user, id)
    if not can(user, Action.ORG_VIEW, item.org):
        raise Http404
    data = queries.history(item)
    return {
        "revisions": [
            {
                "number": r.number,
                "title": r.title,
                "body": r.body,
                "scope": r.scope,
                "note": r.note,
                "content_hash": r.content_hash,
                "created_by": _name(r.created_by),
                "created_at": r.created_at,
            }
            for r in data["revisions"]
        ],
        "workflows": [
            {
                "kind": w.kind,
                "status": w.status,
                "explanation": w.explanation,
                "escalation_reason": w.escalation_reason,
                "started_at": w.started_at,
                "finished_at": w.finished_at,
                "revision": w.revision.number,
                "tasks": [_task_out(t) for t in tasks],
            }
            for w, tasks in data["workflows"]
        ],
    }


@router.post(
    "/disclosures/{int:id}/attachments",
    response={200: ItemDetailOut, **WRITE_ERRORS},
    operation_id="disclosures_attachments_upload",
    summary="上传附件（multipart 字段 file）：按内容判断类型，扩展名须相符，限制大小，病毒扫描；"
    "保存为新的修订，提交后上传会使流程从审核重新开始",
)
def disclosures_attachments_upload(request: HttpRequest, id: Id, file: File[UploadedFile]) -> dict[str, Any]:
    user = request.user
    item = queries.get_item_for(user, id)
    actions.attachment_add(actor=user, item=item, upload=file)
    return _detail(user, queries.get_item_for(user, id))


@router.get(
    "/disclosures/{int:id}/attachments/{int:file_id}",
    response=READ_ERRORS,
    auth=PUBLIC_READ,
    operation_id="disclosures_attachment_get",
    summary="下载附件：只有能看到该事项（及其对应修订）的读者可以下载，否则 404",
    openapi_extra={
        "responses": {
            200: {
                "description": "附件文件（类型为上传时按内容识别的类型）",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in sorted({k.mime for k in KINDS.values()})
                },
            }
        }
    },
)
def disclosures_attachment_get(request: HttpRequest, id: Id, file_id: Id) -> HttpResponseBase:
    from gongkai.files.store import file_response

    item = queries.get_item_for(request.user, id)
    return file_response(queries.attachment_for(request.user, item, file_id))
