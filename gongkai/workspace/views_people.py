"""Staff pages for people: lists, the person page, creating people, roles and affiliations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.orgs import queries as org_queries
from gongkai.orgs.models import Affiliation, Org, RoleGrant
from gongkai.orgs.permissions import Action, can, get_org_for, grantable_roles, orgs_where
from gongkai.people import actions, queries
from gongkai.people.models import User
from gongkai.workspace.forms import (
    AffiliationForm,
    GrantForm,
    PeopleFilterForm,
    PersonCreateForm,
    ReasonForm,
)
from gongkai.workspace.helpers import attempt, flash_errors, forbid_unless, paginate


def _with_relations(user: Any, qs: QuerySet[User], org: Org | None) -> QuerySet[User]:
    # Only affiliations and roles at orgs the reader may see (or at the listed org): a
    # person's other orgs are not the reader's business. Two queries per page, not per person.
    where = orgs_where(user, Action.PEOPLE_VIEW)
    if org is not None:
        where = where.filter(pk=org.pk)
    return qs.prefetch_related(
        Prefetch("affiliations", to_attr="visible_affiliations",
                 queryset=Affiliation.objects.filter(org__in=where).select_related("org")
                 .order_by("org__path")),
        Prefetch("role_grants", to_attr="visible_grants",
                 queryset=RoleGrant.objects.filter(org__in=where).select_related("org")
                 .order_by("org__path", "role")),
    )


@login_required
def people_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.PEOPLE_VIEW, code=code) if code else None
    form = PeopleFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v.strip() or None for k, v in form.cleaned_data.items()}
    qs = queries.people_visible_to(user, org=org, **filters)
    page = paginate(request, _with_relations(user, qs, org))
    return render(request, "workspace/people/list.html", {
        "org": org, "form": form, "page": page,
        "breadcrumbs": [*org_queries.ancestors(org), org] if org else [],
        "may_create": org is not None and can(user, Action.PEOPLE_MANAGE, org),
    })


def _person_context(user: Any, person: User, **extra: Any) -> dict[str, Any]:
    person = _with_relations(user, User.objects.filter(pk=person.pk), None).get()
    affiliations: list[Affiliation] = person.visible_affiliations  # type: ignore[attr-defined]
    grants: list[RoleGrant] = person.visible_grants  # type: ignore[attr-defined]
    # The org offered first in the grant form: the one the visitor came from, else the
    # person's first org where the visitor may grant roles.
    candidates = [a.org for a in affiliations] + [g.org for g in grants]
    default_org = next((o for o in candidates if can(user, Action.ROLES_GRANT, o)), None)
    roles = list(grantable_roles(user, default_org)) if default_org else []
    context = {
        "person": person,
        "affiliations": [(a, can(user, Action.PEOPLE_MANAGE, a.org)) for a in affiliations],
        "grants": [(g, g.role in grantable_roles(user, g.org)) for g in grants],
        "grant_form": GrantForm(user=user, roles=roles or None,
                                initial={"org": default_org.code if default_org else ""}),
        "affiliation_form": AffiliationForm(user=user, initial={
            "org": affiliations[0].org.code if affiliations else ""}),
        "may_grant": bool(roles),
        "may_affiliate": any(can(user, Action.PEOPLE_MANAGE, o) for o in candidates),
    }
    context.update(extra)
    return context


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.get_person_for(request.user, pk=pk)
    return render(request, "workspace/people/detail.html", _person_context(request.user, person))


@login_required
def person_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.PEOPLE_MANAGE, org))
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["password"] = data["password"] or None
        ok, person = attempt(form, actions.person_create, actor=user, org=org, **data)
        if ok and person is not None:
            messages.success(request, _("已新建人员：%(name)s") % {"name": person.real_name})
            return redirect("workspace:person", pk=person.pk)
    return render(request, "workspace/people/create.html", {
        "form": form, "org": org, "breadcrumbs": [*org_queries.ancestors(org), org],
    })


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.get_person_for(user, pk=pk)
    form = GrantForm(request.POST, user=user)
    if form.is_valid():
        org = form.cleaned_data["org"]
        allowed = list(grantable_roles(user, org))
        if allowed and form.cleaned_data["role"] not in allowed:
            form.add_error("role", _("您不能在该组织授予此角色"))
        else:
            ok, _grant = attempt(form, actions.role_grant, actor=user, person=person, org=org,
                                 role=form.cleaned_data["role"], reason=form.cleaned_data["reason"])
            if ok:
                messages.success(request, _("已授予角色"))
                return redirect("workspace:person", pk=person.pk)
    return render(request, "workspace/people/detail.html",
                  _person_context(user, person, grant_form=form, may_grant=True))


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    grant = queries.get_grant_for(user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        ok, _none = attempt(form, actions.role_revoke, actor=user, grant=grant,
                            reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已撤销角色"))
    flash_errors(request, form)
    return redirect("workspace:person", pk=grant.person_id)


@login_required
@require_POST
def affiliation_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.get_person_for(user, pk=pk)
    form = AffiliationForm(request.POST, user=user)
    if form.is_valid():
        ok, _aff = attempt(form, actions.affiliation_add, actor=user, person=person,
                           org=form.cleaned_data["org"], kind=form.cleaned_data["kind"])
        if ok:
            messages.success(request, _("已添加组织关系"))
            return redirect("workspace:person", pk=person.pk)
    return render(request, "workspace/people/detail.html",
                  _person_context(user, person, affiliation_form=form, may_affiliate=True))


@login_required
@require_POST
def affiliation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    affiliation = queries.get_affiliation_for(user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        ok, _none = attempt(form, actions.affiliation_remove, actor=user, affiliation=affiliation,
                            reason=form.cleaned_data["reason"])
        if ok:
            messages.success(request, _("已移除组织关系"))
    flash_errors(request, form)
    return redirect("workspace:person", pk=affiliation.person_id)

