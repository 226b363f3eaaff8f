from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueVersion
from gongkai.people.models import User
from gongkai.testing import World

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "templates"


@dataclass
class CatalogueWorld:
    w: World
    village_officer: User   # officer of the village: edits and files its catalogue
    village_leader: User    # leader of the village: approves the village's catalogue
    county_officer: User    # officer of the county: receives the town's filing


def village_draft(cw: CatalogueWorld) -> CatalogueVersion:
    return actions.catalogue_create_from_template(actor=cw.village_officer, org=cw.w.village)


def village_in_force(cw: CatalogueWorld) -> CatalogueVersion:
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    return actions.version_acknowledge(actor=cw.w.officer, version=version)


def row(**overrides: object) -> dict[str, object]:
    """A valid custom row."""
    data: dict[str, object] = {
        "number": "9", "category": "其他", "item": "新增事项", "content": "内容",
        "responsible": "支委会", "scope": "party", "targets": "",
        "timing": {"kind": "prompt", "within_workdays": 5}, "channels": ["bulletin_board"],
        "notice_workdays": None, "basis": "", "remarks": "",
    }
    data.update(overrides)
    return data
