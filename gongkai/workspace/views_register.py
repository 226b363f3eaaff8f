"""The register (登记簿) of an org for a year, and its XLSX and PDF exports. Reads through
disclosures.register.entries (its own and its superiors' staff)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.disclosures import register
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, get_org_for
from gongkai.orgs.queries import ancestors


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() else timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _register_of(request: HttpRequest, code: str) -> tuple[Org, int, list[register.Row]]:
    """The org, the year asked for and its register rows; Http404 when the user may not read it."""
    org = get_org_for(request.user, Action.ORG_VIEW, code=code)
    year = _year(request)
    events = register.entries(request.user, org, year)
    if events is None:
        raise Http404
    return org, year, register.rows(events)


@login_required
def register_page(request: HttpRequest, code: str) -> HttpResponse:
    org, year, rows = _register_of(request, code)
    return render(
        request,
        "workspace/register/list.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "columns": register.COLUMNS,
            "breadcrumbs": ancestors(org),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@login_required
def register_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    org, year, rows = _register_of(request, code)
    response = HttpResponse(
        register.to_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="register-{org.code}-{year}.xlsx"'
    return response


@login_required
def register_pdf(request: HttpRequest, code: str) -> HttpResponse:
    org, year, rows = _register_of(request, code)
    response = HttpResponse(register.to_pdf(rows, org, year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="register-{org.code}-{year}.pdf"'
    return response
