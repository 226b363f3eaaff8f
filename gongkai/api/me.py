from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.api.errors import ERROR_RESPONSES
from gongkai.people.models import RoleGrant

router = Router(tags=["me"])


class GrantOut(Schema):
    org_code: str
    org_name: str
    role: str


class AffiliationOut(Schema):
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
    roles: list[GrantOut]
    affiliations: list[AffiliationOut]


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, operation_id="me_get",
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
