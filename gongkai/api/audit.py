"""REST endpoint for the audit log (a surface: it may use the permission module, which the
audit platform itself never imports)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gongkai.api.errors import READ_ERRORS
from gongkai.api.fields import Code, Moment, Text
from gongkai.api.lookups import optional_org_ref
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.audit.models import AuditEvent
from gongkai.audit.queries import events_for
from gongkai.orgs.permissions import audit_paths_for

router = Router(tags=["audit"])

Short = Annotated[Text, Field(max_length=150)]


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor: str = Field(description="操作人用户名；系统操作为 system")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    org: str | None = Field(description="所属组织代码")
    old: dict[str, Any]
    new: dict[str, Any]
    reason: str
    channel: str
    request_id: str
    hash: str


class AuditFilter(PageParams):
    org: Code | None = Field(None, description="组织代码")
    subtree: bool = Field(True, description="是否包括下级组织的事件")
    action: Short | None = Field(None, description="动作代码或其前缀，如 org. 或 role.grant")
    actor: Short | None = Field(None, description="操作人用户名")
    object_type: Short | None = Field(None, description="对象类型，如 orgs.org")
    object_id: Short | None = None
    since: Moment | None = Field(None, description="起始时间（含）")
    until: Moment | None = Field(None, description="截止时间（不含）")


def _event_out(event: AuditEvent) -> dict[str, Any]:
    codes = event.org_path.strip("/").split("/") if event.org_path else []
    return {
        "seq": event.seq, "created_at": event.created_at, "actor": event.actor_name,
        "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
        "object_repr": event.object_repr, "org": codes[-1] if codes else None,
        "old": event.old, "new": event.new, "reason": event.reason, "channel": event.channel,
        "request_id": event.request_id, "hash": event.hash,
    }


@router.get("/audit", response={200: Page[AuditEventOut], **READ_ERRORS}, operation_id="audit_list",
            summary="审计日志")
def audit_list(request: HttpRequest, filters: Query[AuditFilter]) -> dict[str, Any]:
    user = request.user
    org = optional_org_ref(user, filters.org, "org")
    qs = events_for(
        user, allowed_paths=audit_paths_for(user), org_path=org.path if org else None,
        subtree=filters.subtree, action=filters.action, actor=filters.actor,
        object_type=filters.object_type, object_id=filters.object_id,
        since=filters.since, until=filters.until,
    )
    return paginate(request, qs, filters, _event_out)
