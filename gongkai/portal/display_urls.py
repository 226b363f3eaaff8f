"""Addresses of an org's bulletin board (print view, PDF) and e-screen (page, data), appended to
the portal's URLs in portal/urls.py after its converters are registered."""

from __future__ import annotations

from django.urls import path

from gongkai.portal import views_display

display_patterns = [
    path("orgs/<portal_code:code>/bulletin/", views_display.bulletin, name="bulletin"),
    path("orgs/<portal_code:code>/bulletin.pdf", views_display.bulletin_download, name="bulletin_pdf"),
    path("orgs/<portal_code:code>/screen/", views_display.screen, name="screen"),
    path("orgs/<portal_code:code>/screen.json", views_display.screen_data, name="screen_json"),
]
