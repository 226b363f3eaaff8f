"""Reads on catalogues, restricted to what the user may see.

The catalogue in force (and every superseded one) is published: anyone may read it, signed in
or not, as the seeds require. Drafts, approvals, filings and returned versions are the
organisation's working papers: readable by those who may view the org's staff pages (its own
roles and the roles of its superiors that reach down)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongkai.catalogue.models import (
    OPEN,
    PUBLISHED,
    CatalogueTemplate,
    CatalogueVersion,
    Entry,
    Status,
    TemplateVersion,
)
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can, orgs_where


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
