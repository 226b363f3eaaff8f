"""REST endpoints for people, their affiliations and role grants: parse, call one action or
query, render."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import UNSET, Code, Id, Reason, Text
from gongkai.api.lookups import optional_org_ref, org_ref, person_ref
from gongkai.api.pagination import Page, PageParams, paginate
from gongkai.orgs.models import Affiliation, AffiliationKind, Role, RoleGrant
from gongkai.orgs.permissions import Action, orgs_where
from gongkai.people import actions, queries
from gongkai.people.models import User

router = Router(tags=["people"])


class In(Schema):
    # A misspelt field must be an error, not a silently ignored no-op.
    model_config = ConfigDict(extra="forbid")


class AffiliationOut(Schema):
    id: int
    org: str = Field(description="组织代码")
    org_name: str
    kind: AffiliationKind


class GrantOut(Schema):
    id: int
    org: str = Field(description="组织代码")
    org_name: str
    role: Role


class PersonOut(Schema):
    id: int
    username: str
    real_name: str
    phone: str
    email: str
    is_active: bool
    affiliations: list[AffiliationOut] = Field(description="在当前用户可见的组织中的组织关系")
    roles: list[GrantOut] = Field(description="在当前用户可见的组织中的角色")


class RoleGrantOut(GrantOut):
    person: int = Field(description="人员 id")
    username: str
    real_name: str
    granted_at: datetime


class PersonFilter(PageParams):
    org: Code | None = Field(None, description="组织代码")
    subtree: bool = Field(False, description="true 时包括该组织的全部下级")
    role: Role | None = Field(None, description="在该组织担任的角色")
    affiliation: AffiliationKind | None = Field(None, description="在该组织的组织关系")
    q: Annotated[Text, Field(max_length=100)] | None = Field(None, description="按用户名或姓名查找")


class GrantFilter(PageParams):
    org: Code | None = Field(None, description="组织代码")
    subtree: bool = Field(False, description="true 时包括该组织的全部下级")
    person: Id | None = Field(None, description="人员 id")
    role: Role | None = None


Username = Annotated[Text, Field(min_length=1, max_length=150)]
RealName = Annotated[Text, Field(max_length=64)]
Phone = Annotated[Text, Field(max_length=32)]
Email = Annotated[Text, Field(max_length=254)]


class PersonCreateIn(In):
    username: Username
    real_name: RealName
    org: Code = Field(description="所属组织代码")
    affiliation: AffiliationKind = AffiliationKind.MEMBER
    phone: Phone = ""
    email: Email = ""
    password: Annotated[Text, Field(max_length=128)] | None = Field(
        None, description="不填则该账号须经重置密码后才能登录")


class PersonUpdateIn(In):
    """Only the fields sent are changed."""

    real_name: RealName = Field(UNSET)
    phone: Phone = Field(UNSET)
    email: Email = Field(UNSET)
    is_active: bool = Field(UNSET)
    reason: Reason = ""


class ReasonQuery(Schema):
    reason: Reason = Field("", description="原因")


class AffiliationIn(In):
    org: Code = Field(description="组织代码")
    kind: AffiliationKind


class GrantIn(In):
    person: Id = Field(description="人员 id")
    org: Code = Field(description="组织代码")
    role: Role
    reason: Reason = ""


def _with_visible_relations(user: Any, qs: QuerySet[User]) -> QuerySet[User]:
    # Only the affiliations and roles at orgs the reader may see: a person's other orgs are
    # not the reader's business. Two queries for a whole page, not two per person.
    visible = orgs_where(user, Action.PEOPLE_VIEW)
    return qs.prefetch_related(
        Prefetch("affiliations", to_attr="visible_affiliations",
                 queryset=Affiliation.objects.filter(org__in=visible).select_related("org")
                 .order_by("org__path")),
        Prefetch("role_grants", to_attr="visible_grants",
                 queryset=RoleGrant.objects.filter(org__in=visible).select_related("org")
                 .order_by("org__path", "role")),
    )


def _person_out(person: User) -> dict[str, Any]:
    affiliations: Iterable[Affiliation] = getattr(person, "visible_affiliations", [])
    grants: Iterable[RoleGrant] = getattr(person, "visible_grants", [])
    return {
        "id": person.pk, "username": person.username, "real_name": person.real_name,
        "phone": person.phone, "email": person.email, "is_active": person.is_active,
        "affiliations": [{"id": a.pk, "org": a.org.code, "org_name": a.org.name, "kind": a.kind}
                         for a in affiliations],
        "roles": [{"id": g.pk, "org": g.org.code, "org_name": g.org.name, "role": g.role}
                  for g in grants],
    }


def _person_detail(user: Any, pk: int) -> dict[str, Any]:
    person = queries.get_person_for(user, pk=pk)
    return _person_out(_with_visible_relations(user, User.objects.filter(pk=person.pk)).get())


def _grant_out(grant: RoleGrant) -> dict[str, Any]:
    return {"id": grant.pk, "org": grant.org.code, "org_name": grant.org.name, "role": grant.role,
            "person": grant.person_id, "username": grant.person.username,
            "real_name": grant.person.real_name, "granted_at": grant.granted_at}


@router.get("/people", response={200: Page[PersonOut], **READ_ERRORS}, operation_id="people_list",
            summary="人员列表")
def people_list(request: HttpRequest, filters: Query[PersonFilter]) -> dict[str, Any]:
    user = request.user
    qs = queries.people_visible_to(
        user, org=optional_org_ref(user, filters.org, "org"), subtree=filters.subtree,
        role=filters.role, affiliation=filters.affiliation, q=filters.q,
    )
    return paginate(request, _with_visible_relations(user, qs), filters, _person_out)


@router.get("/people/{id}", response={200: PersonOut, **READ_ERRORS}, operation_id="people_get",
            summary="人员详情")
def people_get(request: HttpRequest, id: Id) -> dict[str, Any]:
    return _person_detail(request.user, id)


@router.post("/people", response={201: PersonOut, **ERROR_RESPONSES}, operation_id="people_create",
             summary="新建人员")
def people_create(request: HttpRequest, payload: PersonCreateIn) -> Status[dict[str, Any]]:
    user = request.user
    data = payload.model_dump()
    data["org"] = org_ref(user, payload.org, "org")
    person = actions.person_create(actor=user, **data)
    return Status(201, _person_detail(user, person.pk))


@router.patch("/people/{id}", response={200: PersonOut, **ERROR_RESPONSES},
              operation_id="people_update", summary="修改人员")
def people_update(request: HttpRequest, id: Id, payload: PersonUpdateIn) -> dict[str, Any]:
    user = request.user
    person = queries.get_person_for(user, pk=id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    actions.person_update(actor=user, person=person, reason=reason, **changes)
    return _person_detail(user, person.pk)


@router.post("/people/{id}/affiliations", response={201: AffiliationOut, **ERROR_RESPONSES},
             operation_id="affiliations_add", summary="增加组织关系")
def affiliations_add(request: HttpRequest, id: Id, payload: AffiliationIn) -> Status[dict[str, Any]]:
    user = request.user
    person = queries.get_person_for(user, pk=id)
    org = org_ref(user, payload.org, "org")
    affiliation = actions.affiliation_add(actor=user, person=person, org=org, kind=payload.kind)
    return Status(201, {"id": affiliation.pk, "org": org.code, "org_name": org.name,
                        "kind": affiliation.kind})


@router.delete("/affiliations/{id}", response={204: None, **ERROR_RESPONSES},
               operation_id="affiliations_remove", summary="解除组织关系")
def affiliations_remove(request: HttpRequest, id: Id, params: Query[ReasonQuery]) -> Status[None]:
    affiliation = queries.get_affiliation_for(request.user, id)
    actions.affiliation_remove(actor=request.user, affiliation=affiliation, reason=params.reason)
    return Status(204, None)


@router.get("/roles", response={200: Page[RoleGrantOut], **READ_ERRORS}, operation_id="roles_list",
            summary="角色授权列表")
def roles_list(request: HttpRequest, filters: Query[GrantFilter]) -> dict[str, Any]:
    user = request.user
    qs = queries.grants_visible_to(
        user, org=optional_org_ref(user, filters.org, "org"), subtree=filters.subtree,
        person=person_ref(user, filters.person, "person") if filters.person else None,
        role=filters.role,
    )
    return paginate(request, qs, filters, _grant_out)


@router.post("/roles", response={200: RoleGrantOut, 201: RoleGrantOut, **ERROR_RESPONSES},
             operation_id="roles_grant", summary="授予角色（已有则不变，返回 200）")
def roles_grant(request: HttpRequest, payload: GrantIn) -> Status[dict[str, Any]]:
    user = request.user
    person = person_ref(user, payload.person, "person")
    org = org_ref(user, payload.org, "org")
    existed = RoleGrant.objects.filter(person=person, org=org, role=payload.role).exists()
    grant = actions.role_grant(actor=user, person=person, org=org, role=payload.role,
                               reason=payload.reason)
    return Status(200 if existed else 201, _grant_out(grant))


@router.delete("/roles/{id}", response={204: None, **ERROR_RESPONSES}, operation_id="roles_revoke",
               summary="撤销角色")
def roles_revoke(request: HttpRequest, id: Id, params: Query[ReasonQuery]) -> Status[None]:
    grant = queries.get_grant_for(request.user, id)
    actions.role_revoke(actor=request.user, grant=grant, reason=params.reason)
    return Status(204, None)
