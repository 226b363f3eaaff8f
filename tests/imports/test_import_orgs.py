"""Importing organisations: every rule's error, all-or-nothing, idempotence, moves, rights."""

from __future__ import annotations

import pytest

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.orgs.importing import import_orgs
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import PermissionDenied
from gongkai.testing import make_org
from tests.imports.helpers import ORG_HEADER, csv_bytes, errors_of, xlsx_bytes

GOOD = [
    ORG_HEADER,
    ["b1", "第一党支部", "branch", "village", "一支部", "某某村1号", "0791-1234567"],
    ["b2", "第二党支部", "党支部", "village", "", "", "13800138000"],
    ["g1", "某某党总支", "general_branch", "town", "", "", ""],
    ["g1b", "总支下属支部", "branch", "g1", "", "", ""],
]


def run(actor, rows, name="orgs.csv", dry_run=False, **kw):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **kw)
    return import_orgs(actor=actor, data=data, file_name=name, dry_run=dry_run)


def snapshot():
    return sorted(Org.objects.values_list("code", "name", "path", "short_name", "phone", "kind__code"))


def test_officer_imports_a_subtree_with_parents_after_children(world):
    rows = [GOOD[0], GOOD[4], *GOOD[1:4]]  # a child before its parent is fine
    report = run(world.officer, rows)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (4, 0)
    g1b = Org.objects.get(code="g1b")
    assert g1b.path == "/county/town/g1/g1b/" and g1b.depth == 3 and g1b.parent.code == "g1"
    b1 = Org.objects.get(code="b1")
    assert (b1.short_name, b1.address, b1.phone) == ("一支部", "某某村1号", "0791-1234567")
    assert b1.kind.code == "branch"
    assert Org.objects.get(code="b2").kind.code == "branch"  # kind by its Chinese name


def test_one_audit_event_per_import_with_counts_and_digest(world):
    report = run(world.officer, GOOD, name="支部.csv")
    event = AuditEvent.objects.get(action="import.orgs")
    assert event.new["created"] == 4 and event.new["sha256"] == report.sha256
    assert event.new["file_name"] == "支部.csv" and event.actor == world.officer
    assert event.org_path == "/county/town/"
    assert not AuditEvent.objects.filter(action="org.create").exists()
    assert verify().ok


def test_importing_the_same_file_twice_updates_never_duplicates(world):
    run(world.officer, GOOD)
    before = snapshot()
    again = run(world.officer, GOOD)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == before
    changed = [row[:] for row in GOOD]
    changed[1][1] = "第一党支部（改）"
    changed[1][4] = ""
    third = run(world.officer, changed)
    assert (third.created, third.updated) == (0, 1)
    b1 = Org.objects.get(code="b1")
    assert (b1.name, b1.short_name) == ("第一党支部（改）", "")


def test_absent_optional_columns_are_left_alone(world):
    run(world.officer, GOOD)
    report = run(world.officer, [["code", "name", "kind", "parent_code"],
                                 ["b1", "第一党支部", "branch", "village"]])
    assert report.ok and report.unchanged == 1
    assert Org.objects.get(code="b1").address == "某某村1号"


def test_changed_parent_moves_the_subtree(world):
    run(world.officer, GOOD)
    moved = [ORG_HEADER, ["g1", "某某党总支", "general_branch", "village2", "", "", ""]]
    report = run(world.officer, moved)
    assert report.ok, report.errors
    assert report.details["moved"] == 1 and report.details["moved_below"] == 1
    assert Org.objects.get(code="g1").path == "/county/town/village2/g1/"
    g1b = Org.objects.get(code="g1b")
    assert g1b.path == "/county/town/village2/g1/g1b/" and g1b.depth == 4


def test_names_may_be_swapped_between_siblings_in_one_file(world):
    make_org("s1", "甲支部", world.village)
    make_org("s2", "乙支部", world.village)
    report = run(world.officer, [ORG_HEADER, ["s1", "乙支部", "branch", "village"],
                                 ["s2", "甲支部", "branch", "village"]])
    assert report.ok, report.errors
    assert Org.objects.get(code="s1").name == "乙支部"


def test_xlsx_and_chinese_headers(world):
    rows = [["代码", "名称", "组织类型", "上级代码", "简称", "地址", "电话"],
            ["x1", "某支部", "党支部", "village", "", "", 13800138000]]
    report = run(world.officer, rows, name="orgs.xlsx")
    assert report.ok, report.errors
    assert Org.objects.get(code="x1").phone == "13800138000"


def test_gbk_csv(world):
    report = run(world.officer, [ORG_HEADER, ["gb", "某村第三党支部", "党支部", "village"]],
                 encoding="gbk")
    assert report.ok, report.errors
    assert Org.objects.get(code="gb").name == "某村第三党支部"


def test_dry_run_reports_counts_and_changes_nothing(world):
    before = snapshot()
    report = run(world.officer, GOOD, dry_run=True)
    assert report.ok and report.created == 4
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="import.orgs").exists()


BAD_CASES = [
    (["", "无代码", "branch", "village"], "code", "请填写组织代码"),
    (["有 空格", "坏代码", "branch", "village"], "code", "组织代码格式不正确"),
    (["n1", "", "branch", "village"], "name", "请填写组织名称"),
    (["n2", "某支部", "", "village"], "kind", "请填写组织类型"),
    (["n3", "某支部", "nosuchkind", "village"], "kind", "未知的组织类型"),
    (["n4", "某支部", "branch", "nowhere"], "parent_code", "上级组织不存在"),
    (["n5", "某支部", "branch", "n5"], "parent_code", "不能是本组织自己"),
    (["n6", "某支部", "branch", "village", "", "", "12345"], "phone", "电话号码格式不正确"),
    (["n7", "某某村党支部", "branch", "town"], "name", "同一上级组织下组织名称重复"),
    (["n8", "某支部", "branch", "bureau"], "parent_code", "无权在上级组织 bureau 下"),
    (["county", "某某县委", "county_committee", ""], "code", "无权修改组织 county"),
    (["n9", "新县", "county_committee", ""], "parent_code", "只有系统管理员可以创建顶级组织"),
    (["town", "某某镇党委", "town_committee", "village"], "parent_code", "下级组织"),
    (["x" * 41, "某支部", "branch", "village"], "code", "组织代码格式不正确"),
    (["n10", "名" * 129, "branch", "village"], "name", "内容过长"),
]


@pytest.mark.parametrize(("row", "column", "reason"), BAD_CASES)
def test_each_bad_row_is_reported_and_nothing_changes(world, row, column, reason):
    before = snapshot()
    report = run(world.officer, [ORG_HEADER, *GOOD[1:], row + [""] * (7 - len(row))])
    assert not report.ok
    assert any(r == 6 and c == column and reason in m for r, c, m in errors_of(report)), errors_of(report)
    assert all(r == 6 for r, _c, _m in errors_of(report)), "only the bad row is blamed"
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action="import.orgs").exists()


def test_every_bad_row_is_listed_with_the_file_header_as_column(world):
    rows = [["代码", "名称", "组织类型", "上级代码"],
            ["a1", "甲", "branch", "village"],
            ["a1", "乙", "branch", "village"],
            ["a2", "丙", "nokind", "village"],
            ["a3", "丁", "branch", "ghost"]]
    report = run(world.officer, rows)
    assert errors_of(report) == [
        (3, "代码", "组织代码在文件中重复：与第 2 行相同"),
        (4, "组织类型", "未知的组织类型：nokind"),
        (5, "上级代码", "上级组织不存在：ghost（文件和系统中都没有该代码）"),
    ]
    assert not Org.objects.filter(code__startswith="a").exists()


def test_a_cycle_within_the_file_is_reported_on_each_row(world):
    rows = [ORG_HEADER, ["c1", "甲", "branch", "c3"], ["c2", "乙", "branch", "c1"],
            ["c3", "丙", "branch", "c2"], ["ok", "丁", "branch", "village"]]
    report = run(world.superuser, rows)
    cycle_rows = [r for r, _c, m in errors_of(report) if "循环" in m]
    assert cycle_rows == [2, 3, 4]
    assert not Org.objects.filter(code="ok").exists()


def test_duplicate_sibling_names_within_the_file(world):
    report = run(world.officer, [ORG_HEADER, ["d1", "同名", "branch", "village"],
                                 ["d2", "同名", "branch", "village"]])
    assert [r for r, _c, _m in errors_of(report)] == [2, 3]


def test_missing_required_column_and_unreadable_files(world):
    report = run(world.officer, [["code", "name"], ["z", "z"]])
    assert [m for _r, _c, m in errors_of(report)] == [
        "缺少必需的列：kind、组织类型", "缺少必需的列：parent_code、上级代码"]
    for data, name in [(b"\xd0\xcf\x11\xe0rest", "old.xls"), (b"PK\x03\x04broken", "x.xlsx"),
                       (b"", "empty.csv"), (b"\xff\xfe\x00\xd8", "bad.csv")]:
        report = import_orgs(actor=world.officer, data=data, file_name=name)
        assert not report.ok and report.errors[0].row == 0


def test_unknown_columns_are_ignored_and_named(world):
    rows = [[*ORG_HEADER, "备注"], ["r1", "某支部", "branch", "village", "", "", "", "x"]]
    report = run(world.officer, rows)
    assert report.ok and report.ignored_columns == ["备注"]


def test_people_without_org_rights_may_not_import_at_all(world):
    for persona in ("member", "reviewer", "leader"):
        with pytest.raises(PermissionDenied):
            run(getattr(world, persona), GOOD)
    assert not Org.objects.filter(code="b1").exists()


def test_admin_of_the_county_may_import_anywhere_below(world):
    rows = [ORG_HEADER, ["e1", "教育局机关党支部", "branch", "bureau"], GOOD[1]]
    assert run(world.admin, rows).ok
    assert Org.objects.filter(code__in=["e1", "b1"]).count() == 2


def test_superuser_creates_a_new_root_with_children(world):
    rows = [ORG_HEADER, ["r2", "另一县委", "county_committee", ""],
            ["r2t", "某镇党委", "town_committee", "r2"]]
    report = run(world.superuser, rows)
    assert report.ok, report.errors
    assert Org.objects.get(code="r2t").path == "/r2/r2t/"
