"""REST endpoints for organisations and org kinds: parse, call one action or query, render."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import UNSET, Code, Reason, Text
from gongkai.api.lookups import kind_ref, optional_org_ref, org_ref
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.orgs import actions, queries
from gongkai.orgs.models import Org, OrgKind
from gongkai.orgs.permissions import Action, can, get_org_for

router = Router(tags=["orgs"])

SortOrder = Annotated[int, Field(ge=0, le=2**31 - 1)]
# What the caller may do on an org, listed on its detail so clients can show the right buttons.
ORG_ABILITIES = (Action.ORG_EDIT, Action.ORG_CREATE_CHILD, Action.ORG_MOVE, Action.ORG_DEACTIVATE,
                 Action.PEOPLE_MANAGE, Action.ROLES_GRANT, Action.AUDIT_VIEW)


class In(Schema):
    # A misspelt field must be an error, not a silently ignored no-op.
    model_config = ConfigDict(extra="forbid")


class KindOut(Schema):
    code: str
    name: str
    description: str
    sort_order: int
    is_active: bool
    approval_by_superior: bool = Field(
        description="本级公开事项须报上级审批：该类型组织的公开事项经本级审批后一律再报上级组织主要负责人审批")


KindName = Annotated[Text, Field(max_length=64)]
KindDescription = Annotated[Text, Field(max_length=255)]


class KindIn(In):
    code: Code
    name: KindName
    description: KindDescription = ""
    sort_order: SortOrder = 100
    approval_by_superior: bool = Field(False, description="本级公开事项须报上级审批")


class KindUpdateIn(In):
    """Only the fields sent are changed; the code never changes."""

    name: KindName = Field(UNSET)
    description: KindDescription = Field(UNSET)
    sort_order: SortOrder = Field(UNSET)
    approval_by_superior: bool = Field(UNSET, description="本级公开事项须报上级审批")
    reason: Reason = ""


class OrgRef(Schema):
    code: str
    name: str


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_name: str
    parent: str | None = Field(description="上级组织代码；顶级组织为 null")
    path: str
    depth: int
    address: str
    phone: str
    office_hours: str
    email: str
    is_active: bool
    sort_order: int
    created_at: datetime
    updated_at: datetime


class OrgDetailOut(OrgOut):
    ancestors: list[OrgRef] = Field(description="从顶级组织到上级组织")
    allowed: list[str] = Field(description="当前用户在该组织可执行的操作")


class OrgFilter(PageParams):
    parent: Code | None = Field(None, description="只列出该组织（代码）的直接下级")
    under: Code | None = Field(None, description="只列出该组织（代码）及其全部下级")
    q: Annotated[Text, Field(max_length=100)] | None = Field(None, description="按名称、简称或代码查找")
    kind: Code | None = Field(None, description="组织类型代码")
    active: bool | None = Field(None, description="true 只列有效组织，false 只列已撤销组织")


Name = Annotated[Text, Field(max_length=128)]
ShortName = Annotated[Text, Field(max_length=64)]
Address = Annotated[Text, Field(max_length=255)]
Phone = Annotated[Text, Field(max_length=32)]
Hours = Annotated[Text, Field(max_length=128)]
Email = Annotated[Text, Field(max_length=254)]


class OrgCreateIn(In):
    code: Code
    name: Name
    kind: Code
    parent: Code | None = Field(None, description="上级组织代码；不填则建顶级组织（仅系统管理员）")
    short_name: ShortName = ""
    address: Address = ""
    phone: Phone = ""
    office_hours: Hours = ""
    email: Email = ""
    sort_order: SortOrder = 0
    reason: Reason = ""


class OrgUpdateIn(In):
    """Only the fields sent are changed; the code never changes."""

    name: Name = Field(UNSET)
    short_name: ShortName = Field(UNSET)
    kind: Code = Field(UNSET)
    address: Address = Field(UNSET)
    phone: Phone = Field(UNSET)
    office_hours: Hours = Field(UNSET)
    email: Email = Field(UNSET)
    sort_order: SortOrder = Field(UNSET)
    reason: Reason = ""


class OrgMoveIn(In):
    parent: Code = Field(description="新的上级组织代码")
    reason: Reason = ""


class ReasonIn(In):
    reason: Reason = ""


def _org_out(org: Org) -> dict[str, Any]:
    codes = org.ancestor_codes()
    return {
        "code": org.code, "name": org.name, "short_name": org.short_name,
        "kind": org.kind.code, "kind_name": org.kind.name,
        "parent": codes[-1] if codes else None, "path": org.path, "depth": org.depth,
        "address": org.address, "phone": org.phone, "office_hours": org.office_hours,
        "email": org.email, "is_active": org.is_active, "sort_order": org.sort_order,
        "created_at": org.created_at, "updated_at": org.updated_at,
    }


def _org_detail(user: Any, org: Org) -> dict[str, Any]:
    return {
        **_org_out(org),
        "ancestors": [{"code": a.code, "name": a.name} for a in queries.ancestors(org)],
        "allowed": [str(a) for a in ORG_ABILITIES if can(user, a, org)],
    }


def _kind_out(kind: OrgKind) -> dict[str, Any]:
    return {"code": kind.code, "name": kind.name, "description": kind.description,
            "sort_order": kind.sort_order, "is_active": kind.is_active,
            "approval_by_superior": kind.approval_by_superior}


@router.get("/kinds", response={200: list[KindOut], **READ_ERRORS}, operation_id="kinds_list",
            summary="组织类型列表")
def kinds_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_kind_out(k) for k in OrgKind.objects.all()]


@router.post("/kinds", response={201: KindOut, **ERROR_RESPONSES}, operation_id="kinds_create",
             summary="新增组织类型")
def kinds_create(request: HttpRequest, payload: KindIn) -> Status[dict[str, Any]]:
    kind = actions.kind_create(actor=request.user, code=payload.code, name=payload.name,
                               description=payload.description, sort_order=payload.sort_order,
                               approval_by_superior=payload.approval_by_superior)
    return Status(201, _kind_out(kind))


@router.patch("/kinds/{code}", response={200: KindOut, **ERROR_RESPONSES}, operation_id="kinds_update",
              summary="修改组织类型（名称、说明、排序、是否须报上级审批）；代码不可改")
def kinds_update(request: HttpRequest, code: Code, payload: KindUpdateIn) -> dict[str, Any]:
    # Kinds are readable by every signed-in person: a missing one is a 404, a refused edit a 403.
    kind = get_object_or_404(OrgKind, code=code)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    kind = actions.kind_update(actor=request.user, kind=kind, changes=changes, reason=reason)
    return _kind_out(kind)


@router.get("/orgs", response={200: Page[OrgOut], **READ_ERRORS}, operation_id="orgs_list",
            summary="组织列表")
def orgs_list(request: HttpRequest, filters: Query[OrgFilter]) -> dict[str, Any]:
    user = request.user
    qs = queries.filter_orgs(
        user, parent=optional_org_ref(user, filters.parent, "parent"),
        under=optional_org_ref(user, filters.under, "under"),
        q=filters.q, kind=filters.kind, active=filters.active,
    )
    return paginate(request, qs, filters, _org_out)


@router.get("/orgs/{code}", response={200: OrgDetailOut, **READ_ERRORS}, operation_id="orgs_get",
            summary="组织详情")
def orgs_get(request: HttpRequest, code: Code) -> dict[str, Any]:
    org = get_org_for(request.user, Action.ORG_VIEW, code=code)
    return _org_detail(request.user, org)


@router.post("/orgs", response={201: OrgDetailOut, **ERROR_RESPONSES}, operation_id="orgs_create",
             summary="新建组织")
def orgs_create(request: HttpRequest, payload: OrgCreateIn) -> Status[dict[str, Any]]:
    user = request.user
    data = payload.model_dump()
    data["parent"] = optional_org_ref(user, payload.parent, "parent")
    data["kind"] = kind_ref(payload.kind)
    org = actions.org_create(actor=user, **data)
    return Status(201, _org_detail(user, org))


@router.patch("/orgs/{code}", response={200: OrgDetailOut, **ERROR_RESPONSES},
              operation_id="orgs_update", summary="修改组织")
def orgs_update(request: HttpRequest, code: Code, payload: OrgUpdateIn) -> dict[str, Any]:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "kind" in changes:
        changes["kind"] = kind_ref(changes["kind"])
    org = actions.org_update(actor=user, org=org, reason=reason, **changes)
    return _org_detail(user, org)


@router.post("/orgs/{code}/move", response={200: OrgDetailOut, **ERROR_RESPONSES},
             operation_id="orgs_move", summary="移动组织（连同全部下级）")
def orgs_move(request: HttpRequest, code: Code, payload: OrgMoveIn) -> dict[str, Any]:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    new_parent = org_ref(user, payload.parent, "parent")
    org = actions.org_move(actor=user, org=org, new_parent=new_parent, reason=payload.reason)
    return _org_detail(user, org)


@router.post("/orgs/{code}/deactivate", response={200: OrgDetailOut, **ERROR_RESPONSES},
             operation_id="orgs_deactivate", summary="撤销组织（保留历史）")
def orgs_deactivate(request: HttpRequest, code: Code, payload: ReasonIn) -> dict[str, Any]:
    org = get_org_for(request.user, Action.ORG_VIEW, code=code)
    org = actions.org_set_active(actor=request.user, org=org, active=False, reason=payload.reason)
    return _org_detail(request.user, org)


@router.post("/orgs/{code}/reactivate", response={200: OrgDetailOut, **ERROR_RESPONSES},
             operation_id="orgs_reactivate", summary="恢复已撤销的组织")
def orgs_reactivate(request: HttpRequest, code: Code, payload: ReasonIn) -> dict[str, Any]:
    org = get_org_for(request.user, Action.ORG_VIEW, code=code)
    org = actions.org_set_active(actor=request.user, org=org, active=True, reason=payload.reason)
    return _org_detail(request.user, org)
