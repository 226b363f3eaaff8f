"""Turning references in a request body or filter (an org code, a person id) into objects.

A reference the caller may not see is reported exactly like one that does not exist, so the
answer leaks nothing; it is a 400 about the field, not a 404 about the URL."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from gongkai.orgs.models import Org, OrgKind
from gongkai.orgs.permissions import Action, get_org_for
from gongkai.people.models import User
from gongkai.people.queries import get_person_for


def org_ref(user: Any, code: str, field: str) -> Org:
    try:
        return get_org_for(user, Action.ORG_VIEW, code=code)
    except Http404:
        raise ValidationError({field: _("未找到组织：%(code)s") % {"code": code}}) from None


def optional_org_ref(user: Any, code: str | None, field: str) -> Org | None:
    return None if code is None else org_ref(user, code, field)


def kind_ref(code: str, field: str = "kind") -> OrgKind:
    kind = OrgKind.objects.filter(code=code).first()
    if kind is None:
        raise ValidationError({field: _("未知组织类型：%(code)s") % {"code": code}})
    return kind


def person_ref(user: Any, pk: int, field: str) -> User:
    try:
        return get_person_for(user, pk=pk)
    except Http404:
        raise ValidationError({field: _("未找到人员：%(id)s") % {"id": pk}}) from None
