"""The shipped catalogue templates (基本目录, gongkai/catalogue/template_data/*.yaml) checked as
data, without the app's loader: every field present and of the right type, values from the
allowed sets, kinds that exist, numbering unique, and each template covering the content list
of the seed section it claims to come from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeGuard

import pytest
import yaml

from gongkai.orgs.kinds import SEED_KINDS

DATA_DIR = Path(__file__).resolve().parents[2] / "gongkai" / "catalogue" / "template_data"
FILES = sorted(DATA_DIR.glob("*.yaml"))
IDS = [p.stem for p in FILES]

EXPECTED_KINDS = {
    "party_committee": {"county_committee", "town_committee", "party_committee",
                        "organs_work_committee", "soe_committee"},
    "grassroots": {"village", "community", "general_branch", "branch", "institution"},
    "discipline": {"discipline"},
    "department": {"organ_party_group"},
    "land_bureau_fixed_periodic_prompt": set(),
}
SEED_KIND_CODES = {code for code, _name, _description in SEED_KINDS}

TOP_KEYS = {"code", "name", "version", "kinds", "source", "rows"}
ROW_KEYS = {"number", "category", "item", "content", "responsible", "scope", "targets", "timing",
            "channels", "notice_workdays", "basis", "remarks"}
# Written only when on (gongkai/catalogue/rows.py FLAG_FIELDS), with the seed that asks for it.
OPTIONAL_ROW_KEYS = {"requires_risk_assessment"}
RISK_BASIS = "两江新区方案 七(四)"
SCOPES = {"public", "party", "unit", "targeted"}
CHANNELS = {"portal", "intranet", "bulletin_board", "e_screen", "meeting", "document",
            "briefing", "new_media"}
PERIODS = {"monthly", "quarterly", "half_yearly", "yearly"}
REFRESHES = {"half_yearly", "yearly", "quarterly", "none"}
TIMING_KEYS = {
    "standing": {"kind", "refresh"},
    "periodic": {"kind", "period", "within_workdays"},
    "phased": {"kind", "within_workdays"},
    "prompt": {"kind", "within_workdays"},
}
# The same limits the app's row check applies (gongkai/catalogue/rows.py TEXT_LIMITS).
TEXT_LIMITS = {"number": 16, "category": 64, "item": 200, "content": 4000, "responsible": 128,
               "targets": 1000, "basis": 255, "remarks": 1000}
REQUIRED_TEXT = ("number", "category", "item", "content", "responsible", "basis")

# How a row's `basis` names each seed document (shared/seeds/), and the seed's file number,
# which the template's `source` must list.
SEED_NAMES = {
    "县全面深化党务公开实施方案": "000",
    "两江新区方案": "001",
    "幼儿园党支部方案": "002",
    "农业局党务公开方案": "002",
    "园林绿化局党务公开方案": "002",
    "工商局党务公开方案": "002",
    "学校党支部党务公开方案": "002",
    "机关党务公开规范": "003",
    "国土局党务公开方案": "004",
}
EIGHT_CATEGORIES_002 = [
    "党组织决议、决定及执行情况", "党的思想建设情况", "党的组织管理情况", "领导班子建设情况",
    "干部选任和管理情况", "联系和服务党员、群众情况", "党风廉政建设情况", "其他应当公开的事项",
]


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word; in a hand-edited file that
    silently drops a value, so refuse it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506


def load_all() -> dict[str, Any]:
    return {path.stem: load(path) for path in FILES}


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def basis_parts(row: dict[str, Any]) -> list[str]:
    return [part.strip() for part in row["basis"].split("；") if part.strip()]


def cited_items(rows: list[dict[str, Any]], section: str) -> set[int]:
    """The numbered items of `section` (e.g. "两江新区方案 三(一)") that some row's basis cites,
    as in "两江新区方案 三(一)1、5"."""
    found: set[int] = set()
    pattern = re.compile(re.escape(section) + r"([0-9、]+)$")
    for row in rows:
        for part in basis_parts(row):
            match = pattern.match(part)
            if match:
                found |= {int(n) for n in match.group(1).split("、") if n}
    return found


def timing_errors(timing: Any) -> list[str]:
    if not isinstance(timing, dict) or timing.get("kind") not in TIMING_KEYS:
        return [f"timing kind invalid: {timing!r}"]
    kind = timing["kind"]
    errors = []
    if set(timing) != TIMING_KEYS[kind]:
        errors.append(f"timing keys for {kind} should be {sorted(TIMING_KEYS[kind])}: "
                      f"{sorted(timing)}")
    if kind == "standing" and timing.get("refresh") not in REFRESHES:
        errors.append(f"refresh invalid: {timing.get('refresh')!r}")
    if kind == "periodic" and timing.get("period") not in PERIODS:
        errors.append(f"period invalid: {timing.get('period')!r}")
    if kind != "standing":
        days = timing.get("within_workdays")
        if not is_int(days) or not 1 <= days <= 30:
            errors.append(f"within_workdays should be an integer 1-30: {days!r}")
    return errors


def row_errors(row: Any, source_seeds: set[str]) -> list[str]:
    if not isinstance(row, dict):
        return ["row is not a mapping"]
    if not ROW_KEYS <= set(row) <= ROW_KEYS | OPTIONAL_ROW_KEYS:
        return [f"keys missing {sorted(ROW_KEYS - set(row))}, "
                f"unknown {sorted(set(row) - ROW_KEYS - OPTIONAL_ROW_KEYS)}"]
    errors = []
    for field, limit in TEXT_LIMITS.items():
        value = row[field]
        if not isinstance(value, str):
            errors.append(f"{field} should be a string: {value!r}")
        elif len(value) > limit:
            errors.append(f"{field} longer than {limit}")
        elif field in REQUIRED_TEXT and not value.strip():
            errors.append(f"{field} is empty")
    if errors:
        return errors
    if row["scope"] not in SCOPES:
        errors.append(f"scope invalid: {row['scope']!r}")
    if (row["scope"] == "targeted") != bool(row["targets"].strip()):
        errors.append("targets must be given exactly when scope is targeted")
    errors += timing_errors(row["timing"])
    channels = row["channels"]
    if not isinstance(channels, list) or not channels or not set(channels) <= CHANNELS \
            or len(set(channels)) != len(channels):
        errors.append(f"channels should be a non-empty list of distinct {sorted(CHANNELS)}: "
                      f"{channels!r}")
    notice = row["notice_workdays"]
    if notice is not None and not (is_int(notice) and 5 <= notice <= 30):
        errors.append(f"notice_workdays should be null or an integer 5-30: {notice!r}")
    if "requires_risk_assessment" in row and (row["requires_risk_assessment"] is not True
                                              or RISK_BASIS not in basis_parts(row)):
        errors.append(f"requires_risk_assessment is written only as true, with {RISK_BASIS} in basis")
    for part in basis_parts(row):
        name = next((n for n in SEED_NAMES if part.startswith(n + " ")), None)
        if name is None:
            errors.append(f"basis part names no seed document: {part!r}")
        elif SEED_NAMES[name] not in source_seeds:
            errors.append(f"basis cites seed {SEED_NAMES[name]} which `source` does not list")
    return errors


def test_the_five_templates_are_shipped():
    assert set(EXPECTED_KINDS) <= set(IDS)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_file_has_the_template_fields_with_their_types(path):
    data = load(path)
    assert isinstance(data, dict)
    assert set(data) == TOP_KEYS
    assert isinstance(data["code"], str) and re.fullmatch(r"[a-z0-9_]+", data["code"])
    assert data["code"] == path.stem
    assert isinstance(data["name"], str) and data["name"].strip()
    assert is_int(data["version"]) and data["version"] >= 1
    assert isinstance(data["source"], str) and re.search(r"00[0-4]", data["source"])
    assert isinstance(data["kinds"], list) and all(isinstance(k, str) for k in data["kinds"])
    assert isinstance(data["rows"], list) and 10 <= len(data["rows"]) <= 60


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_row_follows_the_schema(path):
    data = load(path)
    source_seeds = set(re.findall(r"00[0-4]", data["source"]))
    problems = [f"row {index} ({row.get('number') if isinstance(row, dict) else '?'}): {error}"
                for index, row in enumerate(data["rows"], start=1)
                for error in row_errors(row, source_seeds)]
    assert problems == []


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_rows_are_numbered_one_to_n_in_order(path):
    numbers = [row["number"] for row in load(path)["rows"]]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_two_rows_disclose_the_same_item(path):
    items = [row["item"] for row in load(path)["rows"]]
    assert len(items) == len(set(items))


def test_template_codes_are_unique():
    codes = [data["code"] for data in load_all().values()]
    assert len(codes) == len(set(codes))


def test_kinds_are_seed_kinds_and_the_ones_each_template_is_for():
    for code, data in load_all().items():
        assert set(data["kinds"]) <= SEED_KIND_CODES, code
        assert len(data["kinds"]) == len(set(data["kinds"])), code
        if code in EXPECTED_KINDS:
            assert set(data["kinds"]) == EXPECTED_KINDS[code], code


def test_every_seed_kind_has_exactly_one_default_template():
    # Two templates claiming a kind would make "create from the template of my kind" ambiguous.
    owners: dict[str, list[str]] = {}
    for code, data in load_all().items():
        for kind in data["kinds"]:
            owners.setdefault(kind, []).append(code)
    assert {kind: len(codes) for kind, codes in owners.items()} == dict.fromkeys(SEED_KIND_CODES, 1)


@pytest.mark.parametrize(("code", "section", "count"), [
    ("party_committee", "两江新区方案 三(一)", 9),
    ("grassroots", "两江新区方案 三(二)", 11),
    ("discipline", "两江新区方案 三(三)", 9),
    ("department", "两江新区方案 三(四)", 2),
])
def test_every_item_of_the_seed_list_has_a_row(code, section, count):
    rows = load(DATA_DIR / f"{code}.yaml")["rows"]
    assert cited_items(rows, section) == set(range(1, count + 1))


def test_grassroots_uses_the_eight_categories_of_002():
    categories = {row["category"] for row in load(DATA_DIR / "grassroots.yaml")["rows"]}
    assert set(EIGHT_CATEGORIES_002) <= categories


def test_grassroots_follows_002_on_prompt_disclosure_and_notices():
    rows = load(DATA_DIR / "grassroots.yaml")["rows"]
    notices = [row for row in rows if row["notice_workdays"] is not None]
    assert notices, "002 names public notices (干部考察、提拔使用和奖惩)"
    # 002: 公示时间不少于7天; in working days that is never shorter.
    assert all(row["notice_workdays"] >= 7 for row in notices)
    # 002: 研究后一周内公开 = at most 5 working days.
    week_rows = [row for row in rows if "幼儿园党支部方案 三(五)" in basis_parts(row)
                 and row["timing"]["kind"] == "prompt"]
    assert week_rows and all(row["timing"]["within_workdays"] <= 5 for row in week_rows)
    report = [row for row in rows if row["basis"] == "幼儿园党支部方案 四(五)"]
    assert [(r["scope"], r["timing"]["kind"], r["timing"]["period"]) for r in report] == [
        ("targeted", "periodic", "half_yearly")]


def test_land_bureau_template_follows_the_three_lists_of_004():
    data = load(DATA_DIR / "land_bureau_fixed_periodic_prompt.yaml")
    assert data["kinds"] == []
    by_list: dict[str, list[dict[str, Any]]] = {"1": [], "2": [], "3": []}
    for row in data["rows"]:
        for part in basis_parts(row):
            match = re.fullmatch(r"国土局党务公开方案 二\(二\)([123])", part)
            if match:
                by_list[match.group(1)].append(row)
    assert [len(by_list[k]) for k in "123"] == [5, 10, 11]
    assert {row["category"] for row in by_list["1"]} == {"固定公开内容"}
    assert all(row["timing"] == {"kind": "standing", "refresh": "half_yearly"}
               for row in by_list["1"])
    # 004: 定期公开内容可视情况分别按月、季度、半年公开.
    assert all(row["timing"]["kind"] == "periodic"
               and row["timing"]["period"] in {"monthly", "quarterly", "half_yearly"}
               for row in by_list["2"])
    assert all(row["timing"]["kind"] == "prompt" for row in by_list["3"])
    notices = [row["notice_workdays"] for row in data["rows"] if row["notice_workdays"]]
    assert notices and all(7 <= n <= 15 for n in notices)


def test_every_template_publishes_its_catalogue_to_the_public():
    for code, data in load_all().items():
        rows = [row for row in data["rows"] if row["item"] == "党务公开目录"]
        assert [row["scope"] for row in rows] == ["public"], code


def test_rows_with_a_default_the_seed_does_not_give_say_so():
    # Each row either quotes its timing from a seed or says the default is ours; a row with
    # neither is a default nobody can trace. Standing refreshes and 002's week are quoted.
    traced = ("种子文件未规定", "一周内", "1年更新1次", "每半年更新一次", "动态调整后及时更新")
    for code, data in load_all().items():
        for row in data["rows"]:
            assert any(word in row["remarks"] for word in traced), (code, row["number"])
