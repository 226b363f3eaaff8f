"""REST endpoints for one's own notifications: list (optionally unread only) and mark read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field, model_validator

from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import Id
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.notify import actions, queries
from gongkai.notify.models import Notification

router = Router(tags=["notifications"])


class NotificationQuery(PageParams):
    unread: bool | None = Field(None, description="true 只列未读，false 只列已读；不填列出全部")


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="类别代码，由发出通知的功能决定，如 task_assigned")
    subject: str
    body: str = Field(description="纯文本")
    url: str = Field(description="本站内的相对路径，可为空")
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None = Field(description="已发邮件的时间（立即发送或每日汇总）")


class NotificationPage(Page[NotificationOut]):
    unread: int = Field(description="当前用户的未读通知总数（不受过滤条件影响）")


class ReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Id], Field(max_length=actions.MARK_READ_MAX)] | None = Field(
        None, description="要标为已读的通知编号（最多 500 个）")
    all: bool = Field(False, description="true：把全部通知标为已读")

    @model_validator(mode="after")
    def _one_of(self) -> ReadIn:
        if self.all == bool(self.ids):
            raise ValueError("请给出 ids（通知编号列表）或 all: true，二者选一")
        return self


class ReadOut(Schema):
    marked: int = Field(description="本次由未读变为已读的条数")
    unread: int = Field(description="剩余的未读通知数")


def notification_out(n: Notification) -> dict[str, Any]:
    return {"id": n.pk, "kind": n.kind, "subject": n.subject, "body": n.body, "url": n.url,
            "created_at": n.created_at, "read_at": n.read_at, "emailed_at": n.emailed_at}


@router.get("/notifications", response={200: NotificationPage, **READ_ERRORS},
            operation_id="notifications_list", summary="我的通知（新的在前）；可只列未读")
def notifications_list(request: HttpRequest, params: Query[NotificationQuery]) -> dict[str, Any]:
    qs = queries.notifications_for(request.user, unread=params.unread)
    return {**paginate(request, qs, params, notification_out),
            "unread": queries.unread_count(request.user)}


@router.post("/notifications/read", response={200: ReadOut, **ERROR_RESPONSES},
             operation_id="notifications_read",
             summary="把我的通知标为已读：列出编号，或 all: true 全部；含他人的或不存在的编号时一条也不标")
def notifications_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    marked = actions.mark_read(request.user, "all" if payload.all else list(payload.ids or []))
    return {"marked": marked, "unread": queries.unread_count(request.user)}
