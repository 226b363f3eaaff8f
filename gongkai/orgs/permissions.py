"""The one place that answers "may user U do A on org O" (and "on which orgs may U do A").

Every surface (HTML views, API, CLI, imports) goes through `can`, `require` or `orgs_where`,
always from inside an action or a query, never only in a template.

How a role reaches orgs:
- roles marked `reaches_subordinates` below (officer, leader, supervisor, admin) held at an org
  apply to that org and all its subordinates: a superior oversees its subordinates;
- reviewer and secrecy reviewer apply to their own org only;
- a superuser may do everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.orgs.models import Org, Role, RoleGrant

REACHES_SUBORDINATES = {Role.OFFICER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN}
ALL_ROLES = set(Role)


class Action(StrEnum):
    ORG_VIEW = "org.view"              # see an org's staff pages (details, people, roles)
    ORG_EDIT = "org.edit"              # edit name, contact details
    ORG_CREATE_CHILD = "org.create_child"
    ORG_MOVE = "org.move"              # move this org (checked on the org and on the new parent)
    ORG_DEACTIVATE = "org.deactivate"
    PEOPLE_VIEW = "people.view"
    PEOPLE_MANAGE = "people.manage"    # create/edit people and affiliations, import people
    ROLES_GRANT = "roles.grant"        # grant or revoke roles other than admin
    ROLES_GRANT_ADMIN = "roles.grant_admin"
    AUDIT_VIEW = "audit.view"
    KINDS_MANAGE = "kinds.manage"      # add or edit org kinds (county level)
    ORG_CREATE_ROOT = "org.create_root"  # a new top of the hierarchy: superusers only
    CATALOGUE_EDIT = "catalogue.edit"            # create, edit, file and revise the org's catalogue
    CATALOGUE_APPROVE = "catalogue.approve"      # approve a catalogue version (the org's own leader)
    CATALOGUE_ACKNOWLEDGE = "catalogue.acknowledge"  # acknowledge or return a subordinate's filing
    TEMPLATES_MANAGE = "catalogue.templates_manage"  # edit catalogue templates (county level)
    DISCLOSURE_PROPOSE = "disclosure.propose"    # draft, edit, submit and publish the org's items
    DISCLOSURE_REVIEW = "disclosure.review"      # the review step (审核), the org's own reviewer
    DISCLOSURE_SECRECY = "disclosure.secrecy"    # the secrecy review (保密审查), the org's own
    DISCLOSURE_APPROVE = "disclosure.approve"    # approval (审批): the org's leader (or superior's)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    # "self_or_below": a grant at the org or at any superior; "below": only at a superior
    # (you may not, e.g., move or deactivate your own org); "self": only at the org itself.
    reach: str = "self_or_below"


RULES: dict[Action, Rule] = {
    Action.ORG_VIEW: Rule(frozenset(ALL_ROLES)),
    Action.ORG_EDIT: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    Action.ORG_CREATE_CHILD: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    Action.ORG_MOVE: Rule(frozenset({Role.OFFICER, Role.ADMIN}), reach="below"),
    Action.ORG_DEACTIVATE: Rule(frozenset({Role.OFFICER, Role.ADMIN}), reach="below"),
    Action.PEOPLE_VIEW: Rule(frozenset(ALL_ROLES)),
    Action.PEOPLE_MANAGE: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    Action.ROLES_GRANT: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    Action.ROLES_GRANT_ADMIN: Rule(frozenset({Role.ADMIN})),
    Action.AUDIT_VIEW: Rule(frozenset({Role.OFFICER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN})),
    # Kinds are shared by the whole deployment: only administrators at a root org.
    Action.KINDS_MANAGE: Rule(frozenset({Role.ADMIN})),
    Action.ORG_CREATE_ROOT: Rule(frozenset()),
    Action.CATALOGUE_EDIT: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    # The seeds have the organisation's own principal approve its catalogue: a superior's
    # leader oversees, but does not approve on the subordinate's behalf.
    Action.CATALOGUE_APPROVE: Rule(frozenset({Role.LEADER}), reach="self"),
    # Filing (报备) goes up: only a superior receives it, never the filing org itself.
    Action.CATALOGUE_ACKNOWLEDGE: Rule(frozenset({Role.OFFICER, Role.ADMIN}), reach="below"),
    # Templates are shared by the whole deployment, like org kinds.
    Action.TEMPLATES_MANAGE: Rule(frozenset({Role.ADMIN})),
    # The procedure's steps are done by the org's own people; a superior's leader approves
    # only what is escalated to it, which names the superior's org as the task's org.
    Action.DISCLOSURE_PROPOSE: Rule(frozenset({Role.OFFICER, Role.ADMIN})),
    Action.DISCLOSURE_REVIEW: Rule(frozenset({Role.REVIEWER}), reach="self"),
    Action.DISCLOSURE_SECRECY: Rule(frozenset({Role.SECRECY_REVIEWER}), reach="self"),
    Action.DISCLOSURE_APPROVE: Rule(frozenset({Role.LEADER}), reach="self"),
}


class PermissionDenied(Exception):
    """The actor may not do this. Surfaces turn it into 403 (or 404 where the object itself
    is not visible to the actor)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "无权执行此操作")
        self.message = message or "无权执行此操作"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, org path) for each active grant of the user, cached on the user object for the
    duration of a request."""
    cached = getattr(user, "_gongkai_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(person_id=user.pk, org__is_active=True)
            .values_list("role", "org__path")
        )
        user._gongkai_grants = cached
    return cached


def clear_cache(user: Any) -> None:
    if hasattr(user, "_gongkai_grants"):
        del user._gongkai_grants


def _reaches(role: str, grant_path: str, org_path: str, reach: str) -> bool:
    if reach == "self":
        return org_path == grant_path
    if role in REACHES_SUBORDINATES:
        below = org_path.startswith(grant_path) and org_path != grant_path
        return below or (reach == "self_or_below" and org_path == grant_path)
    # Roles that do not reach subordinates act on their own org only.
    return reach == "self_or_below" and org_path == grant_path


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def can(user: Any, action: Action, org: Org | None = None) -> bool:
    """May `user` do `action` on `org`? For deployment-wide actions (kinds) pass no org."""
    if not _is_authenticated(user):
        return False
    if user.is_superuser:
        return True
    rule = RULES[action]
    grants = _grants(user)
    if org is None:
        # Deployment-wide: a qualifying grant at a root organisation.
        return any(role in rule.roles and path.count("/") == 2 for role, path in grants)
    return any(
        role in rule.roles and _reaches(role, path, org.path, rule.reach) for role, path in grants
    )


def require(user: Any, action: Action, org: Org | None = None, message: str = "") -> None:
    if not can(user, action, org):
        raise PermissionDenied(message)


def orgs_where(user: Any, action: Action, base: QuerySet[Org] | None = None) -> QuerySet[Org]:
    """All orgs on which `user` may do `action`, as one queryset (a few prefix conditions)."""
    qs = Org.objects.all() if base is None else base
    if not _is_authenticated(user):
        return qs.none()
    if user.is_superuser:
        return qs
    rule = RULES[action]
    conditions: list[Q] = []
    for role, path in _grants(user):
        if role not in rule.roles:
            continue
        if rule.reach == "self":
            conditions.append(Q(path=path))
        elif role in REACHES_SUBORDINATES:
            below = Q(path__startswith=path) & ~Q(path=path)
            conditions.append(below | Q(path=path) if rule.reach == "self_or_below" else below)
        elif rule.reach == "self_or_below":
            conditions.append(Q(path=path))
    if not conditions:
        return qs.none()
    return qs.filter(reduce(or_, conditions))


def get_org_for(user: Any, action: Action, *, code: str | None = None,
                pk: int | None = None) -> Org:
    """The org named by code or id if `user` may do `action` on it; Http404 for a missing and a
    forbidden org alike (forbidden looks like missing)."""
    lookup: dict[str, Any] = {"code": code} if code is not None else {"pk": pk}
    org = Org.objects.select_related("kind", "parent").filter(**lookup).first()
    if org is None or not can(user, action, org):
        raise Http404
    return org


def roles_at(user: Any, org: Org) -> set[str]:
    """The roles that apply to `user` at `org`, inherited ones included (for display)."""
    if not _is_authenticated(user):
        return set()
    return {role for role, path in _grants(user)
            if _reaches(role, path, org.path, "self_or_below")}


def grantable_roles(user: Any, org: Org) -> Iterable[str]:
    if can(user, Action.ROLES_GRANT_ADMIN, org):
        return [r.value for r in Role]
    if can(user, Action.ROLES_GRANT, org):
        return [r.value for r in Role if r != Role.ADMIN]
    return []


def audit_paths_for(user: Any) -> list[str] | None:
    """Org paths under which `user` may read the audit log; None means all (superuser)."""
    if getattr(user, "is_superuser", False) and _is_authenticated(user):
        return None
    rule = RULES[Action.AUDIT_VIEW]
    if not _is_authenticated(user):
        return []
    return sorted({path for role, path in _grants(user) if role in rule.roles})
