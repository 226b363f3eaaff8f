from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from gongkai.api import auth
from gongkai.api.errors import ERROR_RESPONSES, READ_ERRORS
from gongkai.api.fields import Id, Text
from gongkai.orgs.models import RoleGrant
from gongkai.people import actions
from gongkai.people.models import ApiToken

router = Router(tags=["me"])


class MeGrantOut(Schema):
    org_code: str
    org_name: str
    role: str


class MeAffiliationOut(Schema):
    org_code: str
    org_name: str
    kind: str


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    email: str
    phone: str
    is_superuser: bool
    roles: list[MeGrantOut]
    affiliations: list[MeAffiliationOut]


@router.get("/me", response={200: MeOut, **READ_ERRORS}, operation_id="me_get",
            summary="当前用户")
def me_get(request: HttpRequest) -> dict[str, object]:
    user = request.user
    grants = RoleGrant.objects.filter(person_id=user.pk).select_related("org")
    affiliations = user.affiliations.select_related("org")  # type: ignore[union-attr]
    return {
        "id": user.pk, "username": user.username, "real_name": user.real_name,  # type: ignore[union-attr]
        "email": user.email, "phone": user.phone,  # type: ignore[union-attr]
        "is_superuser": user.is_superuser,
        "roles": [{"org_code": g.org.code, "org_name": g.org.name, "role": g.role} for g in grants],
        "affiliations": [{"org_code": a.org.code, "org_name": a.org.name, "kind": a.kind}
                         for a in affiliations],
    }


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="令牌开头几位，用于辨认")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="令牌本身：只显示这一次，请立即保存")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(max_length=64)] = ""


def _token_out(token: ApiToken) -> dict[str, object]:
    return {"id": token.pk, "name": token.name, "prefix": token.prefix,
            "created_at": token.created_at, "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at}


@router.get("/me/tokens", response={200: list[TokenOut], **READ_ERRORS}, operation_id="tokens_list",
            summary="我的访问令牌")
def tokens_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_token_out(t) for t in ApiToken.objects.filter(person_id=request.user.pk)]


# Only a signed-in session may mint tokens: a leaked token must not be able to breed more.
@router.post("/me/tokens", auth=[auth.session], response={201: NewTokenOut, **ERROR_RESPONSES},
             operation_id="tokens_create", summary="创建访问令牌（仅限网页登录会话）")
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    token, raw = actions.token_create(actor=request.user, person=request.user,  # type: ignore[arg-type]
                                      name=payload.name)
    return Status(201, {**_token_out(token), "token": raw})


@router.delete("/me/tokens/{id}", response={204: None, **ERROR_RESPONSES},
               operation_id="tokens_revoke", summary="吊销访问令牌")
def tokens_revoke(request: HttpRequest, id: Id) -> Status[None]:
    token = ApiToken.objects.filter(pk=id, person_id=request.user.pk).first()
    if token is None:
        raise Http404
    actions.token_revoke(actor=request.user, token=token)
    return Status(204, None)
