"""REST endpoints for obligations (应公开事项): list with filters, one with the explanation of
its due date, and the officer's fulfil / reopen. Reads go through queries.obligations_for
(the org's own roles and its superiors'); 404 for a hidden obligation as for a missing one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import Code, Id, Reason
from gongkai.api.lookups import optional_org_ref
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.catalogue import actions, queries
from gongkai.catalogue.deadlines import period_label
from gongkai.catalogue.models import Obligation, ObligationKind
from gongkai.catalogue.timing import describe
from gongkai.workdays import calendar

router = Router(tags=["obligations"])
StateName = Literal["upcoming", "due_soon", "overdue", "fulfilled"]
STATE_LABELS = dict(queries.ObligationState.choices)
KIND_LABELS = dict(ObligationKind.choices)


class ObligationQuery(PageParams):
    org: Code | None = Field(None, description="组织代码；不填则为当前用户可查看的全部组织")
    subtree: bool = Field(False, description="包括该组织的全部下级组织")
    status: list[StateName] | None = Field(
        None, description="upcoming 未到期、due_soon 即将到期（5个工作日内）、overdue 已逾期、"
                          "fulfilled 已完成；可重复")
    due_from: date | None = Field(None, description="截止日期不早于")
    due_to: date | None = Field(None, description="截止日期不晚于")


class StepOut(Schema):
    date: date
    counted: bool
    kind: str
    reason: str


class ObligationOut(Schema):
    id: int
    org: str
    org_name: str
    entry_id: int
    entry_number: str
    entry_item: str
    entry_category: str
    rule: str = Field(description="目录中该事项的公开时限（中文）")
    kind: str = Field(description="periodic 定期公开、refresh 定期更新、first 首次公开")
    kind_label: str
    period: str = Field(description="期次：2026-03、2026-Q1、2026-H1、2026，或 first")
    period_label: str
    period_start: date
    period_end: date
    anchor: date = Field(description="起算日（不计入）")
    workdays: int = Field(description="起算日之后的工作日数")
    due_date: date
    status: StateName
    status_label: str
    fulfilled_at: datetime | None
    fulfilled_by: str | None
    fulfilment_note: str
    item_id: int | None = Field(description="办结该事项的公开事项（公开事项功能上线后）")
    warnings: list[str] = Field(description="截止日期涉及尚无节假日安排的年份时的提示")


class ObligationDetailOut(ObligationOut):
    explanation: list[str] = Field(description="截止日期的计算过程（逐行中文）")
    steps: list[StepOut]


class FulfilIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: Reason = Field(description="何时、以何种方式公开，如“7月5日已在党务公开栏公开”")


class ReopenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


def obligation_out(ob: Obligation, today: date, soon: date,
                   cal: calendar.Calendar | None = None) -> dict[str, Any]:
    state = queries.obligation_state(ob, today, soon)
    return {
        "id": ob.pk, "org": ob.org.code, "org_name": ob.org.name, "entry_id": ob.entry_id,
        "entry_number": ob.entry.number, "entry_item": ob.entry.item, "entry_category": ob.entry.category,
        "rule": describe(ob.entry.timing), "kind": ob.kind,
        "kind_label": str(KIND_LABELS.get(ob.kind, ob.kind)),
        "period": ob.period, "period_label": period_label(ob.period), "period_start": ob.period_start,
        "period_end": ob.period_end, "anchor": ob.anchor, "workdays": ob.workdays, "due_date": ob.due_date,
        "status": state, "status_label": str(STATE_LABELS[state]), "fulfilled_at": ob.fulfilled_at,
        "fulfilled_by": ob.fulfilled_by.get_short_name() if ob.fulfilled_by else None,
        "fulfilment_note": ob.fulfilment_note, "item_id": ob.item_id,
        "warnings": (cal or calendar.snapshot()).warnings_for([ob.anchor, ob.due_date]),
    }


def _detail(user: Any, pk: int) -> dict[str, Any]:
    ob = queries.get_obligation_for(user, pk)  # Http404 for hidden and missing alike
    today = timezone.localdate()
    result = queries.explain_obligation(ob)
    return {**obligation_out(ob, today, queries.soon_limit(today)),
            "explanation": result.explanation(),
            "steps": [{"date": s.day, "counted": s.counted, "kind": s.kind, "reason": s.reason}
                      for s in result.steps]}


@router.get("/obligations", response={200: Page[ObligationOut], **READ_ERRORS},
            operation_id="obligations_list",
            summary="应公开事项：按组织（可含下级）、状态、截止日期筛选，按截止日期排序")
def obligations_list(request: HttpRequest, params: Query[ObligationQuery]) -> dict[str, Any]:
    user = request.user
    org = optional_org_ref(user, params.org, "org")
    qs = queries.obligations_for(user, org=org, subtree=params.subtree, states=list(params.status or []),
                                 due_from=params.due_from, due_to=params.due_to)
    today = timezone.localdate()
    soon = queries.soon_limit(today)
    cal = calendar.snapshot()
    return paginate(request, qs, params, lambda ob: obligation_out(ob, today, soon, cal))


@router.get("/obligations/{int:id}", response={200: ObligationDetailOut, **READ_ERRORS},
            operation_id="obligations_get", summary="一项应公开事项及其截止日期的计算过程")
def obligations_get(request: HttpRequest, id: Id) -> dict[str, Any]:
    return _detail(request.user, id)


@router.post("/obligations/{int:id}/fulfil", response={200: ObligationDetailOut, **ERROR_RESPONSES},
             operation_id="obligations_fulfil",
             summary="登记已完成（如已在会议、公开栏等线下渠道公开），须填写完成说明")
def obligations_fulfil(request: HttpRequest, id: Id, payload: FulfilIn) -> dict[str, Any]:
    ob = queries.get_obligation_for(request.user, id)
    actions.obligation_fulfil(actor=request.user, obligation=ob, note=payload.note)
    return _detail(request.user, id)


@router.post("/obligations/{int:id}/reopen", response={200: ObligationDetailOut, **ERROR_RESPONSES},
             operation_id="obligations_reopen", summary="撤销误登记的完成，须填写理由")
def obligations_reopen(request: HttpRequest, id: Id, payload: ReopenIn) -> dict[str, Any]:
    ob = queries.get_obligation_for(request.user, id)
    actions.obligation_reopen(actor=request.user, obligation=ob, reason=payload.reason)
    return _detail(request.user, id)
