"""Every read path against the gate's oracle (issue 5 §7).

The random forests, people and items of tests/disclosures/test_gate_property.py, and its
plain-Python oracle; here each example is read the way readers read it, over HTTP with the clock
stopped at the oracle's instant, as an anonymous visitor and as every generated person:

- the portal: the list of all items (every page), search, the home page's latest items, each org's
  page, each item's page (a hidden item is a 404, or for a withdrawn one the tombstone, which
  never carries the body), 我的公开;
- feeds (site and org, RSS), the sitemap, the e-screen's data: the anonymous view whoever asks;
- the API: `disclosures_list` and `disclosures_get` (for people without a role, exactly the
  gate; with one, the gate plus their working papers).

Examples: GONGKAI_PATH_PROPERTY_EXAMPLES (15 by default; each reads a few hundred pages)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings

from gongkai.disclosures import search_docs
from gongkai.disclosures.models import Disclosure, Revision
from gongkai.orgs.models import RoleGrant
from gongkai.people.models import User
from tests.disclosures.test_gate_property import NOW, Case, _build, cases, oracle

EXAMPLES = int(os.environ.get("GONGKAI_PATH_PROPERTY_EXAMPLES", "15"))
ITEM_LINK = re.compile(r'href="/items/(T-\d+)/"')
HOME_LATEST = 10


def _linked(html: str) -> set[int]:
    return {int(number[2:]) for number in ITEM_LINK.findall(html)}


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response


class Reader:
    def __init__(self, name: str, client: Client, index: int | None, roles: bool) -> None:
        self.name, self.client, self.index, self.roles = name, client, index, roles


def _readers(case: Case, person_pks: list[int]) -> list[Reader]:
    readers = [Reader("anonymous", Client(), None, False)]
    # Working papers (drafts, items in the procedure) are readable through the API by role
    # holders and superusers: for them the API is the gate plus those.
    with_roles = set(RoleGrant.objects.filter(person_id__in=person_pks).values_list("person_id", flat=True))
    with_roles |= set(User.objects.filter(pk__in=person_pks, is_superuser=True).values_list("pk", flat=True))
    for i, pk in enumerate(person_pks):
        client = Client()
        # A disabled account cannot sign in: it reads as a visitor, as the oracle says.
        client.force_login(User.objects.get(pk=pk))
        readers.append(Reader(f"people[{i}]", client, i, pk in with_roles))
    return readers


def _all_items_pages(client: Client) -> set[int]:
    seen: set[int] = set()
    page = 1
    while True:
        response = _get(client, f"/items/?page={page}")
        if response.status_code == 404:
            assert page > 1, "the first page of the item list is always there"
            return seen
        seen |= _linked(response.content.decode())
        page += 1


def _check_paths(case: Case) -> None:
    person_pks, item_pks = _build(case)
    pk_of = dict(enumerate(item_pks))
    index_of = {pk: n for n, pk in pk_of.items()}
    # Bodies that must never leak: each names its item.
    for n, pk in pk_of.items():
        Revision.objects.filter(disclosure_id=pk).update(body=f"<p>正文机密{n}号</p>", category="类别")
    for item in Disclosure.objects.filter(pk__in=item_pks).select_related("org", "published_revision"):
        search_docs.sync(item)  # as publishing does
    org_of = {n: spec.org for n, spec in enumerate(case.items)}
    public = oracle(case, None)

    anonymous = Client()
    for feed in ("/feed.rss", "/sitemap-items.xml"):
        body = _get(anonymous, feed).content.decode()
        assert {int(m) for m in re.findall(r"/items/T-(\d+)/", body)} == public, feed
    for org in sorted(set(org_of.values())):
        expected = {n for n in public if org_of[n] == org}
        feed = _get(anonymous, f"/orgs/o{org}/feed.rss").content.decode()
        assert {int(m) for m in re.findall(r"/items/T-(\d+)/", feed)} == expected, f"org o{org} feed"
        screen = _get(anonymous, f"/orgs/o{org}/screen.json").json()
        shown = {int(re.sub(r"\D", "", s["index_number"])) for s in screen["slides"]}
        assert shown == expected, f"org o{org} screen"

    for reader in _readers(case, person_pks):
        allowed = oracle(case, reader.index)
        client, who = reader.client, reader.name
        assert _all_items_pages(client) == allowed, f"{who}: /items/"
        assert _linked(_get(client, "/search/?q=事项").content.decode()) == allowed, f"{who}: search"
        home = _linked(_get(client, "/").content.decode())
        assert home <= allowed and len(home) >= min(HOME_LATEST, len(allowed)), f"{who}: home"
        for org in sorted(set(org_of.values())):
            listed = _linked(_get(client, f"/orgs/o{org}/").content.decode())
            assert listed == {n for n in allowed if org_of[n] == org}, f"{who}: org o{org}"
        if reader.index is not None and case.people[reader.index].active:
            mine = _linked(_get(client, "/me/disclosures/").content.decode())
            assert mine <= allowed, f"{who}: 我的公开"
        for n in range(len(case.items)):
            page = _get(client, f"/items/T-{n}/")
            text = page.content.decode()
            if n in allowed:
                assert page.status_code == 200 and f"正文机密{n}号" in text, f"{who}: item {n}"
            else:
                assert f"正文机密{n}号" not in text, f"{who}: item {n} leaked"
                assert page.status_code == 404 or "本信息已撤销" in text, f"{who}: item {n}"
        api = client.get("/api/v1/disclosures?limit=200")
        assert api.status_code == 200
        listed = {index_of[row["id"]] for row in api.json()["items"] if row["id"] in index_of}
        if reader.roles:
            assert listed >= allowed, f"{who}: API list"  # plus working papers of their orgs
        else:
            assert listed == allowed, f"{who}: API list"
            for n, pk in pk_of.items():
                status = client.get(f"/api/v1/disclosures/{pk}").status_code
                assert status == (200 if n in allowed else 404), f"{who}: API item {n}"


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_every_read_path_shows_exactly_what_the_gate_allows(case: Case) -> None:
    with transaction.atomic():
        try:
            with time_machine.travel(NOW, tick=False):
                _check_paths(case)
        finally:
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_paths_see_the_generated_items(world: Any) -> None:
    """The property above is not empty: a public live item is found on every path."""
    from tests.disclosures.test_gate_property import ItemSpec, OrgSpec, PersonSpec

    case = Case(
        orgs=(OrgSpec(None, True),),
        people=(PersonSpec(True, False, frozenset({(0, "member")}), frozenset()),),
        items=(ItemSpec(0, "public", "published", False, -3600, None, None, (), ()),),
    )
    with time_machine.travel(NOW, tick=False):
        _check_paths(case)
        assert Disclosure.objects.filter(index_number="T-0").exists()
        assert "T-0" in Client().get("/feed.rss").content.decode()
