"""Reads on catalogues, restricted to what the user may see.

The catalogue in force (and every superseded one) is published: anyone may read it, signed in
or not, as the seeds require. Drafts, approvals, filings and returned versions are the
organisation's working papers: readable by those who may view the org's staff pages (its own
roles and the roles of its superiors that reach down)."""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from gongkai.catalogue.models import (
    OPEN,
    PUBLISHED,
    CatalogueTemplate,
    CatalogueVersion,
    Entry,
    Obligation,
    Status,
    TemplateVersion,
)
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can, orgs_where
from gongkai.workdays import calendar


def _versions() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.select_related(
        "catalogue__org__kind", "based_on__template", "approved_by", "filed_by",
        "acknowledged_by", "returned_by")


def catalogue_in_force(org: Org) -> CatalogueVersion | None:
    return _versions().filter(catalogue__org=org, status=Status.IN_FORCE).first()


def can_read_working_papers(user: Any, org: Org) -> bool:
    return can(user, Action.ORG_VIEW, org)


def can_read(user: Any, version: CatalogueVersion) -> bool:
    return version.status in PUBLISHED or can_read_working_papers(user, version.catalogue.org)


def get_version_for(user: Any, pk: int) -> CatalogueVersion:
    """The version if `user` may read it; Http404 for a missing and a hidden one alike."""
    version = _versions().filter(pk=pk).first()
    if version is None or not can_read(user, version):
        raise Http404
    return version


def versions_for(user: Any, org: Org) -> QuerySet[CatalogueVersion]:
    """Every version of the org's catalogue the user may read, newest first."""
    qs = _versions().filter(catalogue__org=org).order_by("-number")
    if not can_read_working_papers(user, org):
        qs = qs.filter(status__in=PUBLISHED)
    return qs


def version_for(user: Any, org: Org, number: int | None = None) -> CatalogueVersion:
    """Version `number` of the org's catalogue, or the one in force; Http404 when there is none
    or the user may not read it."""
    qs = versions_for(user, org)
    version = qs.filter(number=number).first() if number is not None else \
        qs.filter(status=Status.IN_FORCE).first()
    if version is None:
        raise Http404
    return version


def current_version(user: Any, org: Org) -> CatalogueVersion | None:
    """What a staff page shows first: the version being worked on if the user may see it,
    else the one in force."""
    versions = list(versions_for(user, org)[:2])
    return versions[0] if versions else None


def entries_of(version: CatalogueVersion) -> QuerySet[Entry]:
    return version.entries.order_by("position", "id")


def get_entry_for(user: Any, pk: int) -> Entry:
    entry = Entry.objects.select_related("version__catalogue__org").filter(pk=pk).first()
    if entry is None or not can_read(user, entry.version):
        raise Http404
    return entry


def incoming_filings(user: Any) -> QuerySet[CatalogueVersion]:
    """Filings (报备) waiting for the user as a superior's officer, oldest first; each
    version's `filed_age_days` tells how long it has waited."""
    orgs = orgs_where(user, Action.CATALOGUE_ACKNOWLEDGE)
    return (_versions().filter(status=Status.FILED, catalogue__org__in=orgs)
            .order_by("filed_at", "pk"))


def subordinates_without_filing(user: Any) -> QuerySet[Org]:
    """Active subordinates (of the orgs where the user receives filings) that have never
    filed a catalogue."""
    return (orgs_where(user, Action.CATALOGUE_ACKNOWLEDGE).filter(is_active=True)
            .exclude(catalogue__versions__filed_at__isnull=False)
            .select_related("kind", "parent").order_by("path"))


def templates() -> QuerySet[CatalogueTemplate]:
    """Templates are standard documents, readable by every signed-in user."""
    return CatalogueTemplate.objects.prefetch_related("kinds").order_by("code")


def template_version(code: str, number: int | None = None) -> TemplateVersion:
    qs = TemplateVersion.objects.select_related("template").filter(template__code=code)
    version = qs.filter(version=number).first() if number is not None else qs.order_by("-version").first()
    if version is None:
        raise Http404
    return version


def org_by_code(code: str) -> Org:
    """An org for reading its published catalogue: an org's name and code are public."""
    org = Org.objects.select_related("kind").filter(code=code).first()
    if org is None:
        raise Http404
    return org


def allowed_actions(user: Any, version: CatalogueVersion) -> list[str]:
    """What `user` may do to `version` now, for buttons and the API's `allowed`; every action
    checks again."""
    org = version.catalogue.org
    status = version.status
    result: list[str] = []
    if status in (Status.DRAFT, Status.RETURNED):
        if can(user, Action.CATALOGUE_EDIT, org):
            result.append("edit")
        if can(user, Action.CATALOGUE_APPROVE, org):
            result.append("approve")
    elif status == Status.APPROVED and can(user, Action.CATALOGUE_EDIT, org):
        result.append("file")
    elif status == Status.FILED and can(user, Action.CATALOGUE_ACKNOWLEDGE, org):
        result += ["acknowledge", "return"]
    elif status == Status.IN_FORCE and can(user, Action.CATALOGUE_EDIT, org) and not \
            CatalogueVersion.objects.filter(catalogue_id=version.catalogue_id,
                                            status__in=OPEN).exists():
        result.append("revise")
    return result


# ---------------------------------------------------------------------------------------------
# Obligations (应公开事项): an org's working papers, read by those who may view its staff pages
# (its own roles and its superiors'), so a superior sees its subordinates' overdue ones.

# "Due soon" means due within this many working days from today.
SOON_WORKDAYS = 5


class ObligationState(models.TextChoices):
    UPCOMING = "upcoming", _l("未到期")
    DUE_SOON = "due_soon", _l("即将到期")
    OVERDUE = "overdue", _l("已逾期")
    FULFILLED = "fulfilled", _l("已完成")


def soon_limit(today: date | None = None) -> date:
    return calendar.due(today or timezone.localdate(), SOON_WORKDAYS)


def obligation_state(obligation: Obligation, today: date, soon: date) -> str:
    if obligation.fulfilled_at is not None:
        return ObligationState.FULFILLED
    if obligation.due_date < today:
        return ObligationState.OVERDUE
    if obligation.due_date <= soon:
        return ObligationState.DUE_SOON
    return ObligationState.UPCOMING


def _state_filter(state: str, today: date, soon: date) -> Q:
    """The state as a condition on the due date, so it is decided in the query (never stale)."""
    if state == ObligationState.FULFILLED:
        return Q(fulfilled_at__isnull=False)
    open_ = Q(fulfilled_at__isnull=True)
    if state == ObligationState.OVERDUE:
        return open_ & Q(due_date__lt=today)
    if state == ObligationState.DUE_SOON:
        return open_ & Q(due_date__gte=today, due_date__lte=soon)
    return open_ & Q(due_date__gt=soon)


def obligations_for(user: Any, *, org: Org | None = None, subtree: bool = False,
                    states: list[str] | None = None, due_from: date | None = None,
                    due_to: date | None = None) -> QuerySet[Obligation]:
    """The obligations `user` may see, by due date: of `org` (and its subordinates with
    `subtree`), in any of `states`, due within [due_from, due_to]."""
    qs = Obligation.objects.filter(org__in=orgs_where(user, Action.ORG_VIEW))
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path) if subtree else qs.filter(org=org)
    if states:
        today = timezone.localdate()
        soon = soon_limit(today)
        qs = qs.filter(reduce(or_, (_state_filter(s, today, soon) for s in states)))
    if due_from is not None:
        qs = qs.filter(due_date__gte=due_from)
    if due_to is not None:
        qs = qs.filter(due_date__lte=due_to)
    return (qs.select_related("org", "entry", "fulfilled_by")
            .order_by("due_date", "org__path", "entry__position", "id"))


def get_obligation_for(user: Any, pk: int) -> Obligation:
    obligation = Obligation.objects.select_related("org", "entry", "fulfilled_by").filter(pk=pk).first()
    if obligation is None or not can(user, Action.ORG_VIEW, obligation.org):
        raise Http404
    return obligation


def explain_obligation(obligation: Obligation, cal: calendar.Calendar | None = None) -> calendar.Result:
    """How the due date was computed: start, working days, every day skipped and why. Pass one
    `calendar.snapshot()` when explaining a page of them (one version lookup, not one each)."""
    return (cal or calendar.snapshot()).add_workdays(obligation.anchor, obligation.workdays)


# ---------------------------------------------------------------------------------------------
# Templates, for their staff pages (readable by every signed-in user, like `templates()`)

def template_by_code(code: str) -> CatalogueTemplate:
    template = templates().filter(code=code).first()
    if template is None:
        raise Http404
    return template


def latest_template_versions() -> dict[int, TemplateVersion]:
    """The newest version of every template, by template id, in one query."""
    newest = (TemplateVersion.objects.filter(template=OuterRef("template"))
              .order_by("-version").values("version")[:1])
    return {v.template_id: v for v in
            TemplateVersion.objects.filter(version=Subquery(newest)).select_related("created_by")}


def template_history(template: CatalogueTemplate) -> QuerySet[TemplateVersion]:
    """Every version of a template, newest first, without their rows (for the history table)."""
    return (TemplateVersion.objects.filter(template=template).select_related("created_by")
            .defer("rows").order_by("-version"))
