"""Reads on people: always restricted to what the reader may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from gongkai.orgs.models import Affiliation, Org, RoleGrant
from gongkai.orgs.permissions import Action, orgs_where
from gongkai.people.models import User


def people_visible_to(user: Any, *, org: Org | None = None, subtree: bool = False,
                      role: str | None = None, affiliation: str | None = None,
                      q: str | None = None) -> QuerySet[User]:
    """People the user may see: those affiliated with, or holding a role at, an org where the
    user has `people.view`. Optional filters narrow by org (and its subordinates), role held
    there, affiliation kind there, and a name/username search."""
    allowed = orgs_where(user, Action.PEOPLE_VIEW)
    scope_orgs = allowed
    if org is not None:
        scope_orgs = (allowed.filter(path__startswith=org.path) if subtree
                      else allowed.filter(pk=org.pk))
    aff = Affiliation.objects.filter(person=OuterRef("pk"), org__in=scope_orgs)
    grants = RoleGrant.objects.filter(person=OuterRef("pk"), org__in=scope_orgs)
    if affiliation:
        aff = aff.filter(kind=affiliation)
    if role:
        grants = grants.filter(role=role)
    condition: Any
    if role and affiliation:
        condition = Exists(aff) & Exists(grants)
    elif role:
        condition = Exists(grants)
    elif affiliation:
        condition = Exists(aff)
    else:
        condition = Exists(aff) | Exists(grants)
    qs = User.objects.filter(condition)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(real_name__icontains=q))
    return qs.order_by("username")


def get_person_for(user: Any, *, pk: int | None = None, username: str | None = None) -> User:
    """A person the user may see; Http404 for missing and forbidden alike."""
    if getattr(user, "pk", None) is not None and (pk == user.pk or username == user.username):
        return User.objects.get(pk=user.pk)
    lookup: dict[str, Any] = {"pk": pk} if pk is not None else {"username": username}
    person = people_visible_to(user).filter(**lookup).first()
    if person is None:
        raise Http404
    return person


def grants_visible_to(user: Any, *, org: Org | None = None, subtree: bool = False,
                      person: User | None = None, role: str | None = None) -> QuerySet[RoleGrant]:
    """Role grants at the orgs where the user may see people."""
    qs = RoleGrant.objects.filter(org__in=orgs_where(user, Action.PEOPLE_VIEW))
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path) if subtree else qs.filter(org=org)
    if person is not None:
        qs = qs.filter(person=person)
    if role:
        qs = qs.filter(role=role)
    return qs.select_related("person", "org").order_by("org__path", "role", "person__username")


def get_grant_for(user: Any, pk: int) -> RoleGrant:
    """A role grant the user may see; Http404 for missing and forbidden alike."""
    grant = grants_visible_to(user).filter(pk=pk).first()
    if grant is None:
        raise Http404
    return grant


def get_affiliation_for(user: Any, pk: int) -> Affiliation:
    """An affiliation at an org where the user may see people; Http404 otherwise."""
    affiliation = (Affiliation.objects.select_related("person", "org")
                   .filter(pk=pk, org__in=orgs_where(user, Action.PEOPLE_VIEW)).first())
    if affiliation is None:
        raise Http404
    return affiliation
