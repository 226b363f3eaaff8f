"""The bulletin board (公开栏) as a print view and a PDF, and the e-screen (电子屏) with its data.

Thin, as the other portal views: parse the query string (portal.display_forms), ask
portal.display what goes on the board, render. What is shown is what an anonymous visitor may
see, whoever asks (display.py says why); `portal_page` adds the cache headers and answers bad
input with the Chinese 400 page and a missing org with the 404 page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.portal import display, display_forms, queries
from gongkai.portal.bulletin_pdf import bulletin_pdf
from gongkai.portal.display_forms import PAPERS
from gongkai.portal.http import portal_page


def _site(request: HttpRequest) -> str:
    """The site's address as printed on paper, for readers to find the full text."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@portal_page
def bulletin(request: HttpRequest, code: str) -> HttpResponse:
    """The board as a web page laid out for printing on A4 or A3, landscape."""
    org = queries.org_by_code(code)
    paper = display_forms.paper(request.GET)
    board = display.board(org)
    return render(
        request,
        "portal/bulletin.html",
        {
            "org": org,
            "board": board,
            "groups": board.groups(),
            "paper": paper,
            "papers": PAPERS,
            "site": _site(request),
            "breadcrumbs": queries.org_ancestors(org),
            "fallback_text": display.fallback_text(board),
            "left_off_text": display.left_off_text(board),
        },
    )


@portal_page
def bulletin_download(request: HttpRequest, code: str) -> HttpResponse:
    """The same board as a PDF, with its Chinese font embedded."""
    org = queries.org_by_code(code)
    paper = display_forms.paper(request.GET)
    pdf = bulletin_pdf(display.board(org), paper=paper, site=_site(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    # Opened in the browser's viewer, ready to print; saved under a name that says what it is.
    response["Content-Disposition"] = f'inline; filename="bulletin-{org.code}-{paper}.pdf"'
    return response


@portal_page
def screen(request: HttpRequest, code: str) -> HttpResponse:
    """The full-screen page; its first slides come with it, later ones from screen.json."""
    org = queries.org_by_code(code)
    options = display_forms.screen_options(request.GET)
    now = timezone.now()
    selection = display.screen(org, now)
    return render(
        request,
        "portal/escreen.html",
        {
            "org": org,
            "selection": selection,
            "payload": display.screen_payload(selection, now),
            "options": options,
            "time_zone": settings.TIME_ZONE,
        },
    )


@portal_page
def screen_data(request: HttpRequest, code: str) -> JsonResponse:
    """What the screen shows now, fetched by escreen.js every few minutes."""
    org = queries.org_by_code(code)
    now = timezone.now()
    payload = display.screen_payload(display.screen(org, now), now)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
