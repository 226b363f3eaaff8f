"""REST endpoints for catalogue templates and catalogues: parse, call one action or query,
render. The catalogue in force of an organisation is public: its two reads answer without a
token too (a signed-in caller also sees the working versions they may read)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from gongkai.api import auth
from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import UNSET, Code, Id, Reason, Text
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.catalogue import actions, queries
from gongkai.catalogue.diff import diff
from gongkai.catalogue.models import CatalogueTemplate, CatalogueVersion, Entry
from gongkai.catalogue.rows import label
from gongkai.catalogue.timing import describe
from gongkai.catalogue.vocab import Scope
from gongkai.orgs.permissions import Action, get_org_for

router = Router(tags=["catalogues"])


PUBLIC_READ = auth.PUBLIC_READ
SCOPE_LABELS = dict(Scope.choices)


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class RowOut(Schema):
    number: str
    category: str
    item: str
    content: str
    responsible: str
    scope: str
    scope_label: str
    targets: str
    timing: dict[str, Any]
    timing_text: str = Field(description="公开时限的中文表述")
    channels: list[str]
    notice_workdays: int | None
    basis: str
    remarks: str
    requires_risk_assessment: bool = Field(
        False, description="须进行风险评估：该事项的公开事项一律经过风险评估步骤")


class EntryOut(RowOut):
    id: int
    position: int
    wider_scope_reason: str
    template_row_number: str | None = Field(description="来自模板的哪一项；自行增加的事项为 null")


class TemplateOut(Schema):
    code: str
    name: str
    source: str
    kinds: list[str] = Field(description="适用的组织类型代码")
    version: int | None = Field(description="最新版本号")


class TemplateDetailOut(TemplateOut):
    note: str
    created_at: datetime
    rows: list[RowOut]


class VersionOut(Schema):
    id: int = Field(description="版本的 id，用于 /catalogues/{id}/…")
    org: str
    org_name: str
    number: int
    status: str
    status_label: str
    template: str | None
    template_version: int | None
    change_explanation: str
    created_at: datetime
    approved_at: datetime | None
    approved_by: str | None = Field(description="仅对可查看该组织工作文件的用户显示")
    approval_opinion: str
    filed_at: datetime | None
    filed_by: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledge_opinion: str
    returned_at: datetime | None
    returned_by: str | None
    return_comment: str
    superseded_at: datetime | None
    allowed: list[str] = Field(
        description="当前用户现在可执行的操作：edit、approve、file、acknowledge、return、revise")


class VersionDetailOut(VersionOut):
    entries: list[EntryOut]


class EntryIn(In):
    number: Annotated[Text, Field(max_length=16)]
    category: Annotated[Text, Field(max_length=64)] = ""
    item: Annotated[Text, Field(max_length=200)]
    content: Annotated[Text, Field(max_length=4000)] = ""
    responsible: Annotated[Text, Field(max_length=128)] = ""
    scope: Annotated[Text, Field(max_length=16, description="public、party、unit、targeted")]
    targets: Annotated[Text, Field(max_length=1000)] = ""
    timing: dict[str, Any] = Field(description="如 {\"kind\": \"prompt\", \"within_workdays\": 5}")
    channels: list[Annotated[Text, Field(max_length=32)]] = Field(max_length=20)
    notice_workdays: int | None = None
    basis: Annotated[Text, Field(max_length=255)] = ""
    remarks: Annotated[Text, Field(max_length=1000)] = ""
    requires_risk_assessment: bool = Field(False, description="须进行风险评估")
    wider_scope_reason: Reason = ""
    template_row_number: Annotated[Text, Field(max_length=16)] | None = None


class CatalogueCreateIn(In):
    template: Code | None = Field(None, description="模板代码；不填则用该组织类型的模板")


class CatalogueUpdateIn(In):
    """Only the fields sent are changed; `entries` replaces every entry of the draft."""

    change_explanation: Reason = Field(UNSET)
    entries: list[EntryIn] = Field(UNSET, max_length=500)


class ActIn(In):
    opinion: Reason = Field("", description="审批、备案意见；退回时必填")
    change_explanation: Reason = Field("", description="调整说明（审批或发起调整时）")


class VersionQuery(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="版本号；不填为生效中的版本")


class TemplateQuery(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="版本号；不填为最新版本")


class DiffQuery(Schema):
    a: Id = Field(description="较早版本的 id")
    b: Id = Field(description="较新版本的 id")


class FieldChangeOut(Schema):
    field: str
    label: str
    old: Any = None
    new: Any = None


class RowChangeOut(Schema):
    key: str
    old: EntryOut
    new: EntryOut
    fields: list[FieldChangeOut]


class DiffOut(Schema):
    a: VersionOut
    b: VersionOut
    added: list[EntryOut]
    removed: list[EntryOut]
    changed: list[RowChangeOut]
    unchanged: int


def _row_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "scope_label": str(SCOPE_LABELS.get(row["scope"], row["scope"])),
            "timing_text": describe(row["timing"])}


def _entry_out(entry: Entry) -> dict[str, Any]:
    data = {f: getattr(entry, f) for f in actions.ENTRY_FIELDS}
    return {**_row_out(data), "id": entry.pk, "position": entry.position}


def _person(user: Any, show: bool) -> str | None:
    if user is None or not show:
        return None
    return str(user.real_name or user.username)


def _version_out(user: Any, version: CatalogueVersion) -> dict[str, Any]:
    org = version.catalogue.org
    show = queries.can_read_working_papers(user, org)
    based_on = version.based_on
    return {
        "id": version.pk, "org": org.code, "org_name": org.name, "number": version.number,
        "status": version.status, "status_label": version.get_status_display(),
        "template": based_on.template.code if based_on else None,
        "template_version": based_on.version if based_on else None,
        "change_explanation": version.change_explanation, "created_at": version.created_at,
        "approved_at": version.approved_at, "approved_by": _person(version.approved_by, show),
        "approval_opinion": version.approval_opinion,
        "filed_at": version.filed_at, "filed_by": _person(version.filed_by, show),
        "acknowledged_at": version.acknowledged_at,
        "acknowledged_by": _person(version.acknowledged_by, show),
        "acknowledge_opinion": version.acknowledge_opinion,
        "returned_at": version.returned_at, "returned_by": _person(version.returned_by, show),
        "return_comment": version.return_comment, "superseded_at": version.superseded_at,
        "allowed": queries.allowed_actions(user, version),
    }


def _version_detail(user: Any, version: CatalogueVersion) -> dict[str, Any]:
    return {**_version_out(user, version),
            "entries": [_entry_out(e) for e in queries.entries_of(version)]}


def _template_out(template: CatalogueTemplate) -> dict[str, Any]:
    latest = template.latest_version()
    return {"code": template.code, "name": template.name, "source": template.source,
            "kinds": [k.code for k in template.kinds.all()],
            "version": latest.version if latest else None}


@router.get("/catalogue-templates", response={200: Page[TemplateOut], **READ_ERRORS},
            operation_id="catalogue_templates_list", summary="目录模板列表")
def catalogue_templates_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    return paginate(request, queries.templates(), params, _template_out)


@router.get("/catalogue-templates/{code}", response={200: TemplateDetailOut, **READ_ERRORS},
            operation_id="catalogue_templates_get", summary="目录模板（某一版本）的全部事项")
def catalogue_templates_get(request: HttpRequest, code: Code,
                            params: Query[TemplateQuery]) -> dict[str, Any]:
    version = queries.template_version(code, params.version)
    return {**_template_out(version.template), "version": version.version, "name": version.name,
            "source": version.source, "note": version.note, "created_at": version.created_at,
            "rows": [_row_out(r) for r in version.rows]}


@router.get("/orgs/{code}/catalogue", response={200: VersionDetailOut, **READ_ERRORS},
            operation_id="catalogues_get", auth=PUBLIC_READ,
            summary="组织的党务公开目录（生效中的版本，或指定版本）；生效和已废止的版本无需登录即可读取")
def catalogues_get(request: HttpRequest, code: Code, params: Query[VersionQuery]) -> dict[str, Any]:
    org = queries.org_by_code(code)
    return _version_detail(request.user, queries.version_for(request.user, org, params.version))


@router.get("/orgs/{code}/catalogue/versions", response={200: Page[VersionOut], **READ_ERRORS},
            operation_id="catalogues_versions_list", auth=PUBLIC_READ,
            summary="目录的全部版本（未登录或无权查看工作文件时只列生效和已废止的版本）")
def catalogues_versions_list(request: HttpRequest, code: Code,
                             params: Query[PageParams]) -> dict[str, Any]:
    org = queries.org_by_code(code)
    return paginate(request, queries.versions_for(request.user, org), params,
                    lambda v: _version_out(request.user, v))


@router.post("/orgs/{code}/catalogue", response={201: VersionDetailOut, **ERROR_RESPONSES},
             operation_id="catalogues_create", summary="按模板新建组织的党务公开目录（第1版草稿）")
def catalogues_create(request: HttpRequest, code: Code,
                      payload: CatalogueCreateIn) -> Status[dict[str, Any]]:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    template = None
    if payload.template is not None:
        template = queries.templates().filter(code=payload.template).first()
        if template is None:
            raise ValidationError({"template": [_("未知的目录模板：%(c)s") % {"c": payload.template}]})
    version = actions.catalogue_create_from_template(actor=user, org=org, template=template)
    return Status(201, _version_detail(user, version))


@router.patch("/catalogues/{int:id}", response={200: VersionDetailOut, **ERROR_RESPONSES},
              operation_id="catalogues_update", summary="修改草稿或被退回的版本：调整说明、整体替换事项")
def catalogues_update(request: HttpRequest, id: Id, payload: CatalogueUpdateIn) -> dict[str, Any]:
    user = request.user
    version = queries.get_version_for(user, id)
    changes = payload.model_dump(exclude_unset=True)
    if "entries" in changes:
        actions.entries_replace(actor=user, version=version, rows=changes["entries"])
    if "change_explanation" in changes:
        actions.version_set_explanation(actor=user, version=version, text=changes["change_explanation"])
    return _version_detail(user, queries.get_version_for(user, id))


ActName = Literal["approve", "file", "acknowledge", "return", "revise"]


@router.post("/catalogues/{int:id}/actions/{action}", response={200: VersionDetailOut, **ERROR_RESPONSES},
             operation_id="catalogues_act",
             summary="办理目录版本：approve 审批、file 报备、acknowledge 确认备案、return 退回、"
                     "revise 发起调整（返回新的草稿版本）")
def catalogues_act(request: HttpRequest, id: Id, action: ActName, payload: ActIn) -> dict[str, Any]:
    user = request.user
    version = queries.get_version_for(user, id)
    if action == "approve":
        version = actions.version_approve(actor=user, version=version, opinion=payload.opinion,
                                          change_explanation=payload.change_explanation)
    elif action == "file":
        version = actions.version_file(actor=user, version=version)
    elif action == "acknowledge":
        version = actions.version_acknowledge(actor=user, version=version, opinion=payload.opinion)
    elif action == "return":
        version = actions.version_return(actor=user, version=version, comment=payload.opinion)
    else:
        version = actions.version_revise(actor=user, version=version,
                                         change_explanation=payload.change_explanation)
    return _version_detail(user, queries.get_version_for(user, version.pk))


def _diff_field(field: str, old: Any, new: Any) -> dict[str, Any]:
    return {"field": field, "label": label(field), "old": old, "new": new}


@router.get("/catalogues/diff", response={200: DiffOut, **READ_ERRORS},
            operation_id="catalogues_diff", auth=PUBLIC_READ,
            summary="比较两个版本：新增、删除、逐字段修改的事项")
def catalogues_diff(request: HttpRequest, params: Query[DiffQuery]) -> dict[str, Any]:
    user = request.user
    a = queries.get_version_for(user, params.a)
    b = queries.get_version_for(user, params.b)
    result = diff(a, b)
    return {
        "a": _version_out(user, a), "b": _version_out(user, b),
        "added": [_entry_out(e) for e in result.added],
        "removed": [_entry_out(e) for e in result.removed],
        "changed": [{"key": c.key, "old": _entry_out(c.old), "new": _entry_out(c.new),
                     "fields": [_diff_field(f.field, f.old, f.new) for f in c.fields]}
                    for c in result.changed],
        "unchanged": result.unchanged,
    }
