"""Writes on people, affiliations, role grants and API tokens. Each checks permission, changes,
and audits in one transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.orgs import permissions
from gongkai.orgs.models import Affiliation, AffiliationKind, Org, Role, RoleGrant
from gongkai.orgs.permissions import Action, PermissionDenied, require
from gongkai.people.models import ApiToken, User, hash_token

PERSON_FIELDS = ("real_name", "phone", "email", "is_active")
TOKEN_PREFIX = "gk_"  # noqa: S105 -- a public marker, not a secret


def _person_snapshot(person: User) -> dict[str, Any]:
    return {field: getattr(person, field) for field in ("username", *PERSON_FIELDS)}


def _person_orgs(person: User) -> list[Org]:
    org_ids = set(person.affiliations.values_list("org_id", flat=True))
    org_ids |= set(person.role_grants.values_list("org_id", flat=True))
    return list(Org.objects.filter(pk__in=org_ids))


def may_manage_person(actor: Any, person: User) -> bool:
    """A person is managed by whoever may manage people at one of their orgs."""
    if getattr(actor, "is_superuser", False):
        return True
    return any(permissions.can(actor, Action.PEOPLE_MANAGE, org) for org in _person_orgs(person))


@transaction.atomic
def person_create(*, actor: Any, org: Org, username: str, real_name: str,
                  affiliation: str = AffiliationKind.MEMBER, phone: str = "", email: str = "",
                  password: str | None = None) -> User:
    """Create a person affiliated with `org`. Without a password the account cannot sign in
    until a password reset (or an administrator) sets one."""
    require(actor, Action.PEOPLE_MANAGE, org)
    if affiliation not in AffiliationKind.values:
        raise ValidationError({"affiliation": _("组织关系须为 member（党员）或 staff（职工）")})
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已被使用：%(u)s") % {"u": username}})
    person = User(username=username, real_name=real_name.strip(), phone=phone.strip(),
                  email=email.strip())
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, person)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    if not person.real_name:
        raise ValidationError({"real_name": _("请填写姓名")})
    person.save()
    Affiliation.objects.create(person=person, org=org, kind=affiliation)
    record(actor=actor, action="person.create", obj=person, org=org,
           new={**_person_snapshot(person), "org": org.code, "affiliation": affiliation})
    return person


@transaction.atomic
def person_update(*, actor: Any, person: User, reason: str = "", **changes: Any) -> User:
    if not may_manage_person(actor, person):
        raise PermissionDenied()
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    person = User.objects.select_for_update().get(pk=person.pk)
    before = _person_snapshot(person)
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person.full_clean(exclude=["password"])
    after = _person_snapshot(person)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        person.save(update_fields=changed)
        orgs = _person_orgs(person)
        record(actor=actor, action="person.update", obj=person, org=orgs[0] if orgs else None,
               old={k: before[k] for k in changed}, new={k: after[k] for k in changed},
               reason=reason)
    return person


@transaction.atomic
def affiliation_add(*, actor: Any, person: User, org: Org, kind: str) -> Affiliation:
    require(actor, Action.PEOPLE_MANAGE, org)
    if kind not in AffiliationKind.values:
        raise ValidationError({"kind": _("组织关系须为 member（党员）或 staff（职工）")})
    affiliation, created = Affiliation.objects.get_or_create(person=person, org=org, kind=kind)
    if created:
        record(actor=actor, action="affiliation.add", obj=affiliation, org=org,
               new={"person": person.username, "org": org.code, "kind": kind})
    return affiliation


@transaction.atomic
def affiliation_remove(*, actor: Any, affiliation: Affiliation, reason: str = "") -> None:
    require(actor, Action.PEOPLE_MANAGE, affiliation.org)
    record(actor=actor, action="affiliation.remove", obj=affiliation, org=affiliation.org,
           old={"person": affiliation.person.username, "org": affiliation.org.code,
                "kind": affiliation.kind}, reason=reason)
    affiliation.delete()


def _require_grant_right(actor: Any, org: Org, role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    action = Action.ROLES_GRANT_ADMIN if role == Role.ADMIN else Action.ROLES_GRANT
    require(actor, action, org)


@transaction.atomic
def role_grant(*, actor: Any, person: User, org: Org, role: str, reason: str = "") -> RoleGrant:
    """Grant `role` at `org`. Idempotent: granting a role already held changes nothing."""
    _require_grant_right(actor, org, role)
    if not org.is_active:
        raise ValidationError({"org": _("组织已撤销，不能授予角色")})
    if not person.is_active:
        raise ValidationError({"person": _("该人员账号已停用")})
    grant, created = RoleGrant.objects.get_or_create(
        person=person, org=org, role=role,
        defaults={"granted_by": actor if getattr(actor, "pk", None) else None},
    )
    if created:
        permissions.clear_cache(person)
        record(actor=actor, action="role.grant", obj=grant, org=org,
               new={"person": person.username, "org": org.code, "role": role}, reason=reason)
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant, reason: str = "") -> None:
    _require_grant_right(actor, grant.org, grant.role)
    record(actor=actor, action="role.revoke", obj=grant, org=grant.org,
           old={"person": grant.person.username, "org": grant.org.code, "role": grant.role},
           reason=reason)
    grant.delete()
    permissions.clear_cache(grant.person)


def _may_manage_tokens_of(actor: Any, person_id: int) -> bool:
    # actor None is the operator at the server console (`gongkai token ...`), who holds the
    # database anyway; the audit event then names "system" on the "cli" channel.
    if actor is None:
        return True
    return bool(actor.pk == person_id or getattr(actor, "is_superuser", False))


@transaction.atomic
def token_create(*, actor: Any, person: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal access token; returns the row and the token, which is never stored
    and cannot be shown again. Only the person themselves (or a superuser) may do this."""
    if not _may_manage_tokens_of(actor, person.pk):
        raise PermissionDenied(_("只能为自己创建访问令牌"))
    name = name.strip() or _("未命名令牌")
    if len(name) > 64:
        raise ValidationError({"name": _("令牌名称不能超过64个字符")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name, prefix=raw[:10],
                                    token_hash=hash_token(raw))
    record(actor=actor, action="token.create", obj=token,
           new={"person": person.username, "name": name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if not _may_manage_tokens_of(actor, token.person_id):
        raise PermissionDenied(_("只能吊销自己的访问令牌"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action="token.revoke", obj=token,
               old={"revoked": False}, new={"revoked": True})
    return token


def authenticate_token(raw: str) -> User | None:
    """The active person a bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (ApiToken.objects.select_related("person")
             .filter(token_hash=hash_token(raw), revoked_at__isnull=True).first())
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a token used in a loop must not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
