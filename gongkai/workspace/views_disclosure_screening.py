"""The screening and attachment parts of an item's staff page: findings with one-click
redaction and the secrecy reviewer's override; attachments uploaded and downloaded. Writes go
through disclosures.screening_actions / actions; downloads only for those who may read the item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.disclosures import actions, queries, screening_actions
from gongkai.disclosures.models import Disclosure
from gongkai.files.models import StoredFile
from gongkai.files.store import file_response
from gongkai.orgs.permissions import Action, PermissionDenied, can


def screening_context(user: Any, item: Disclosure) -> dict[str, Any]:
    """What the item page shows of screening and attachments (staff only)."""
    revision = item.current
    files = {f.pk: f for f in StoredFile.objects.filter(pk__in=revision.attachment_ids).defer("text")} \
        if revision else {}
    return {
        "findings": list(item.findings.order_by("status", "-severity", "id")),
        "may_redact": any(can(user, a, item.org) for a in (
            Action.DISCLOSURE_SECRECY, Action.DISCLOSURE_REVIEW, Action.DISCLOSURE_PROPOSE)),
        "may_override": can(user, Action.DISCLOSURE_SECRECY, item.org),
        "attachments": [files[i] for i in (revision.attachment_ids if revision else []) if i in files],
        "may_attach": can(user, Action.DISCLOSURE_PROPOSE, item.org),
    }


def _back(item: Disclosure) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("workspace:disclosure", args=[item.pk]) + "#screening")


def _run(request: HttpRequest, item: Disclosure, operation: Any, done: str, **kwargs: Any) -> HttpResponse:
    try:
        operation(actor=request.user, item=item, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error
    else:
        messages.success(request, done)
    return _back(item)


@login_required
@require_POST
def redact(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    item = queries.get_item_for(request.user, pk)
    return _run(request, item, screening_actions.finding_redact, _("已脱敏，并保存为新的修订"), key=key)


@login_required
@require_POST
def override(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    item = queries.get_item_for(request.user, pk)
    return _run(request, item, screening_actions.finding_override, _("已确认可以公开"), key=key,
                reason=request.POST.get("reason", ""))


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_item_for(request.user, pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("请选择要上传的文件"))
        return _back(item)
    return _run(request, item, actions.attachment_add, _("已添加附件：%(n)s") % {"n": uploaded.name},
                upload=uploaded)


@login_required
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    item = queries.get_item_for(request.user, pk)
    return file_response(queries.attachment_for(request.user, item, file_id))
