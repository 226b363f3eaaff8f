from __future__ import annotations

import pytest

from gongkai.catalogue.templates import load_templates
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, World, grant
from tests.catalogue.helpers import FIXTURES, CatalogueWorld


@pytest.fixture
def templates(db):
    return load_templates(directory=FIXTURES)


@pytest.fixture
def cw(world: World, templates) -> CatalogueWorld:
    village_officer = UserFactory.create(username="vofficer", real_name="村专员")
    grant(village_officer, world.village, Role.OFFICER)
    village_leader = UserFactory.create(username="vleader", real_name="村书记")
    grant(village_leader, world.village, Role.LEADER)
    county_officer = UserFactory.create(username="cofficer", real_name="县专员")
    grant(county_officer, world.county, Role.OFFICER)
    return CatalogueWorld(world, village_officer, village_leader, county_officer)
