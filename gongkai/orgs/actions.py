"""Writes on the hierarchy. Each function checks permission, changes, audits, in one
transaction; the views, the API, the CLI and imports all call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.orgs import hooks
from gongkai.orgs.models import Org, OrgKind, build_path, code_validator, depth_of
from gongkai.orgs.permissions import Action, require

EDITABLE_FIELDS = ("name", "short_name", "kind", "address", "phone", "office_hours", "email",
                   "sort_order")


def _snapshot(org: Org, fields: tuple[str, ...] = EDITABLE_FIELDS) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(org, field)
        values[field] = value.code if isinstance(value, OrgKind) else value
    return values


def _check_sibling_name(name: str, parent: Org | None, exclude_pk: int | None = None) -> None:
    siblings = Org.objects.filter(parent=parent, name=name)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ValidationError({"name": _("同一上级组织下已有同名组织：%(name)s") % {"name": name}})


def _validate_phone(phone: str) -> None:
    from gongkai.validators import phone_validator

    if phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None


@transaction.atomic
def org_create(*, actor: Any, parent: Org | None, code: str, name: str, kind: OrgKind,
               short_name: str = "", address: str = "", phone: str = "",
               office_hours: str = "", email: str = "", sort_order: int = 0,
               reason: str = "") -> Org:
    """Create an organisation under `parent` (or a root when parent is None: superuser only)."""
    if parent is None:
        require(actor, Action.ORG_CREATE_ROOT, None, _("只有系统管理员可以创建顶级组织"))
    else:
        require(actor, Action.ORG_CREATE_CHILD, parent)
        if not parent.is_active:
            raise ValidationError({"parent": _("上级组织已撤销，不能在其下新建组织")})
    code = code.strip()
    name = name.strip()
    try:
        code_validator(code)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from None
    if not name:
        raise ValidationError({"name": _("请填写组织名称")})
    if not kind.is_active:
        raise ValidationError({"kind": _("该组织类型已停用：%(kind)s") % {"kind": kind.name}})
    if Org.objects.filter(code=code).exists():
        raise ValidationError({"code": _("组织代码已存在：%(code)s") % {"code": code}})
    _check_sibling_name(name, parent)
    _validate_phone(phone)
    path = build_path(parent.path if parent else None, code)
    org = Org(code=code, name=name, short_name=short_name.strip(), kind=kind, parent=parent,
              path=path, depth=depth_of(path), address=address.strip(), phone=phone.strip(),
              office_hours=office_hours.strip(), email=email.strip(), sort_order=sort_order)
    org.full_clean(exclude=["path", "parent", "kind"])
    org.save()
    record(actor=actor, action="org.create", obj=org, org=org,
           new={"code": code, "parent": parent.code if parent else None, **_snapshot(org)},
           reason=reason)
    return org


@transaction.atomic
def org_update(*, actor: Any, org: Org, reason: str = "", **changes: Any) -> Org:
    """Change an organisation's name, kind or contact details. The code never changes."""
    require(actor, Action.ORG_EDIT, org)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    org = Org.objects.select_for_update().get(pk=org.pk)
    before = _snapshot(org)
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(org, field, value)
    if not org.name:
        raise ValidationError({"name": _("请填写组织名称")})
    if "kind" in changes and not org.kind.is_active and before["kind"] != org.kind.code:
        raise ValidationError({"kind": _("该组织类型已停用：%(kind)s") % {"kind": org.kind.name}})
    if "name" in changes:
        _check_sibling_name(org.name, org.parent, exclude_pk=org.pk)
    _validate_phone(org.phone)
    org.full_clean(exclude=["path", "parent", "kind", "code"])
    after = _snapshot(org)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:
        return org
    org.save(update_fields=[*changed, "updated_at"])
    record(actor=actor, action="org.update", obj=org, org=org,
           old={k: before[k] for k in changed}, new={k: after[k] for k in changed},
           reason=reason)
    return org


@transaction.atomic
def org_move(*, actor: Any, org: Org, new_parent: Org, reason: str = "") -> Org:
    """Move `org` and its whole subtree under `new_parent`, rewriting every path in one
    statement inside this transaction."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    new_parent = Org.objects.get(pk=new_parent.pk)
    require(actor, Action.ORG_MOVE, org)
    require(actor, Action.ORG_CREATE_CHILD, new_parent, _("无权把组织移到该上级组织下"))
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("不能把组织移到它自己或它的下级组织之下")})
    if org.parent_id == new_parent.pk:
        raise ValidationError({"parent": _("该组织已在此上级组织之下")})
    if not new_parent.is_active:
        raise ValidationError({"parent": _("目标上级组织已撤销")})
    _check_sibling_name(org.name, new_parent, exclude_pk=org.pk)
    old_path = org.path
    old_parent = org.parent
    new_path = build_path(new_parent.path, org.code)
    delta = depth_of(new_path) - depth_of(old_path)
    # One UPDATE for the whole subtree: replace the old prefix with the new one.
    Org.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    # The apps above bring what depends on the tree up to date in this same transaction (the
    # audience labels of published items: their superiors changed); their counts go on record.
    followed = hooks.subtree_moved([new_path])
    record(actor=actor, action="org.move", obj=org, org=org,
           old={"parent": old_parent.code if old_parent else None, "path": old_path},
           new={"parent": new_parent.code, "path": new_path, **followed}, reason=reason)
    return org


@transaction.atomic
def org_set_active(*, actor: Any, org: Org, active: bool, reason: str = "") -> Org:
    """Deactivate (撤销) or reactivate an organisation. Deactivating keeps its history, people
    and records; it only stops new work there. An org with active subordinates cannot be
    deactivated until they are moved or deactivated."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    require(actor, Action.ORG_DEACTIVATE, org)
    if org.is_active == active:
        return org
    if not active:
        if not reason.strip():
            raise ValidationError({"reason": _("撤销组织须说明原因")})
        if Org.objects.filter(parent=org, is_active=True).exists():
            raise ValidationError(_("该组织还有有效的下级组织，请先撤销或移走下级组织"))
    elif org.parent is not None and not org.parent.is_active:
        raise ValidationError(_("上级组织已撤销，不能恢复"))
    org.is_active = active
    org.save(update_fields=["is_active", "updated_at"])
    record(actor=actor, action="org.deactivate" if not active else "org.reactivate", obj=org,
           org=org, old={"is_active": not active}, new={"is_active": active}, reason=reason)
    return org


@transaction.atomic
def kind_create(*, actor: Any, code: str, name: str, description: str = "",
                sort_order: int = 100, approval_by_superior: bool = False) -> OrgKind:
    """Add an org kind (组织类型)."""
    require(actor, Action.KINDS_MANAGE, None, _("只有县级管理员可以新增组织类型"))
    kind = OrgKind(code=code.strip(), name=name.strip(), description=description.strip(),
                   sort_order=sort_order, approval_by_superior=bool(approval_by_superior))
    kind.full_clean()
    kind.save()
    record(actor=actor, action="kind.create", obj=kind,
           new={"code": kind.code, "name": kind.name, "description": kind.description,
                "approval_by_superior": kind.approval_by_superior})
    return kind


KIND_EDITABLE_FIELDS = ("name", "description", "sort_order", "approval_by_superior")


@transaction.atomic
def kind_update(*, actor: Any, kind: OrgKind, changes: dict[str, Any], reason: str = "") -> OrgKind:
    """Change an org kind's name, description, order or procedure settings; its code never
    changes (templates and imports refer to it). Switching `approval_by_superior` applies to
    procedures started afterwards: a running one keeps the steps it started with."""
    require(actor, Action.KINDS_MANAGE, None, _("只有县级管理员可以修改组织类型"))
    unknown = sorted(set(changes) - set(KIND_EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": "、".join(unknown)})
    kind = OrgKind.objects.select_for_update().get(pk=kind.pk)
    before = {f: getattr(kind, f) for f in KIND_EDITABLE_FIELDS}
    for field, value in changes.items():
        if field in ("name", "description"):
            value = (value or "").strip()
        elif field == "approval_by_superior":
            value = bool(value)
        setattr(kind, field, value)
    kind.full_clean()
    changed = [f for f in KIND_EDITABLE_FIELDS if getattr(kind, f) != before[f]]
    if not changed:
        return kind
    kind.save(update_fields=changed)
    record(actor=actor, action="kind.update", obj=kind,
           old={"code": kind.code, **{f: before[f] for f in changed}},
           new={"code": kind.code, **{f: getattr(kind, f) for f in changed}}, reason=reason)
    return kind
