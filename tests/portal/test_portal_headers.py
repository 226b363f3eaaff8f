"""Anonymous portal pages may be kept briefly by a shared cache; nothing a signed-in reader
gets may be, and every answer varies on the cookie, so a member's page can never be served
from a cache to someone else."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.portal.factories import publish

pytestmark = pytest.mark.django_db

URLS = ["/", "/orgs/", "/orgs/town/", "/orgs/town/catalogue/", "/items/", "/guide/"]


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("url", [*URLS, "item"])
def test_anonymous_pages_are_public_for_a_short_time(client, world, url):
    if url == "item":
        url = f"/items/{publish(world.town).index_number}/"
    response = client.get(url)
    assert response.status_code == 200
    control = {v.strip() for v in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=60"}
    assert "cookie" in vary(response)
    assert not response.cookies  # nothing personal to keep


@pytest.mark.parametrize("url", [*URLS, "item", "/me/disclosures/"])
def test_a_signed_in_readers_pages_are_private_and_not_stored(login, world, url):
    if url == "item":
        url = f"/items/{publish(world.village, scope='party').index_number}/"
    response = login(world.member).get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "cookie" in vary(response)


def test_head_requests_get_the_same_headers(client, world):
    response = client.head("/")
    assert response["Cache-Control"] in ("public, max-age=60", "max-age=60, public")


@pytest.mark.parametrize(
    "url", ["/items/?from=bad", "/orgs/town/?page=999", "/items/nobody-2026-00001/", "/me/disclosures/"]
)
def test_errors_and_redirects_are_not_cached(client, world, url):
    response = client.get(url)
    assert response.status_code in (302, 400, 404)
    assert "no-store" in response["Cache-Control"] and "cookie" in vary(response)


def test_a_page_that_sets_a_cookie_is_not_public(client, world):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    # A message waiting for an anonymous visitor (after logging out, say) is shown once and its
    # cookie cleared: that answer belongs to this visitor alone.
    storage = CookieStorage(type("R", (), {"COOKIES": {}})())
    storage.add(constants.INFO, "您已退出")
    encoded = storage._encode(storage._queued_messages)
    client.cookies["messages"] = encoded
    response = client.get("/")
    assert "您已退出" in response.content.decode()
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_zero_seconds_turns_shared_caching_off(client, world, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    assert "no-store" in client.get("/")["Cache-Control"]


def test_a_bad_cache_setting_stops_startup_with_its_name(tmp_path):
    env = {**os.environ, "GONGKAI_PORTAL_CACHE_SECONDS": "-1", "GONGKAI_VAR_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "GONGKAI_PORTAL_CACHE_SECONDS" in result.stderr
