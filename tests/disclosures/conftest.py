from __future__ import annotations

from dataclasses import dataclass

import pytest

from gongkai.catalogue import actions as catalogue_actions
from gongkai.catalogue.models import CatalogueVersion, Entry
from gongkai.catalogue.templates import load_templates
from gongkai.disclosures import actions
from gongkai.disclosures.models import Disclosure
from gongkai.orgs.models import Role
from gongkai.people.models import User
from gongkai.testing import UserFactory, World, grant
from tests.catalogue.helpers import FIXTURES


@dataclass
class DW:
    w: World
    county_officer: User
    county_leader: User
    catalogue: CatalogueVersion  # the town's, in force

    def entry(self, number: str) -> Entry:
        return self.catalogue.entries.get(number=number)


def item_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "关于2026年党费收缴情况的公示",
        "body": "<p>全体党员：</p><p>现将……</p>",
        "scope": "public",
        "channels": ["portal", "bulletin_board"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def dw(world: World) -> DW:
    load_templates(directory=FIXTURES)
    county_officer = UserFactory.create(username="cofficer", real_name="县专员")
    grant(county_officer, world.county, Role.OFFICER)
    county_leader = UserFactory.create(username="cleader", real_name="县书记")
    grant(county_leader, world.county, Role.LEADER)
    version = catalogue_actions.catalogue_create_from_template(actor=world.officer, org=world.town)
    catalogue_actions.version_approve(actor=world.leader, version=version)
    catalogue_actions.version_file(actor=world.officer, version=version)
    version = catalogue_actions.version_acknowledge(actor=county_officer, version=version)
    return DW(world, county_officer, county_leader, version)


def proposed(dw: DW, **overrides: object) -> Disclosure:
    return actions.disclosure_create(
        actor=dw.w.officer, org=dw.w.town, data=item_data(**overrides), entry_id=dw.entry("1").pk
    )


def approved(dw: DW, **overrides: object) -> Disclosure:
    item = proposed(dw, **overrides)
    actions.disclosure_submit(actor=dw.w.officer, item=item)
    for who in (dw.w.reviewer, dw.w.secrecy, dw.w.leader):
        item = actions.disclosure_approve(actor=who, item=item, opinion="同意")
    return item
