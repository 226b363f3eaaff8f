"""Importing people: affiliations and roles are added, people keyed by username, all or nothing."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Affiliation, RoleGrant
from gongkai.orgs.permissions import PermissionDenied
from gongkai.people.importing import import_people
from gongkai.people.models import User
from gongkai.testing import affiliate, grant
from tests.imports.helpers import PEOPLE_HEADER, csv_bytes, errors_of, xlsx_bytes

GOOD = [
    PEOPLE_HEADER,
    ["wangfang", "王芳", "village", "member", "officer,reviewer", "wf@example.org", "13800138001"],
    ["lijun", "李军", "village2", "党员", "", "", ""],
    ["lijun", "李军", "town", "staff", "保密审查人", "", ""],
    ["zhaolei", "赵磊", "village", "", "leader", "", ""],
]


def run(actor, rows, name="people.csv", dry_run=False, **kw):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **kw)
    return import_people(actor=actor, data=data, file_name=name, dry_run=dry_run)


def state():
    return (sorted(User.objects.values_list("username", "real_name", "email", "phone")),
            sorted(Affiliation.objects.values_list("person__username", "org__code", "kind")),
            sorted(RoleGrant.objects.values_list("person__username", "org__code", "role")))


def test_officer_imports_people_with_affiliations_and_roles(world):
    report = run(world.officer, GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (3, 0)
    assert report.details == {"affiliations_added": 3, "roles_added": 4}
    lijun = User.objects.get(username="lijun")
    assert sorted(lijun.affiliations.values_list("org__code", "kind")) == [
        ("town", "staff"), ("village2", "member")]
    assert list(lijun.role_grants.values_list("org__code", "role")) == [("town", "secrecy_reviewer")]
    assert not User.objects.get(username="zhaolei").affiliations.exists()
    wang = User.objects.get(username="wangfang")
    assert (wang.real_name, wang.email, wang.phone) == ("王芳", "wf@example.org", "13800138001")
    assert not wang.has_usable_password()
    assert wang.role_grants.get(role="officer").granted_by == world.officer


def test_one_audit_event_per_import(world):
    report = run(world.officer, GOOD)
    event = AuditEvent.objects.get(action="import.people")
    assert event.new["created"] == 3 and event.new["sha256"] == report.sha256
    assert event.org_path == "/county/town/"
    assert not AuditEvent.objects.filter(action__in=["person.create", "role.grant"]).exists()


def test_reimport_updates_and_never_duplicates(world):
    run(world.officer, GOOD)
    before = state()
    again = run(world.officer, GOOD)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert state() == before
    changed = [row[:] for row in GOOD]
    changed[1][1] = "王芳芳"
    changed[2][4] = "leader"
    third = run(world.officer, changed)
    assert (third.created, third.updated, third.unchanged) == (0, 2, 1)
    assert User.objects.get(username="wangfang").real_name == "王芳芳"
    assert RoleGrant.objects.filter(person__username="lijun", org__code="village2", role="leader").exists()


def test_roles_and_affiliations_missing_from_the_file_are_kept(world):
    run(world.officer, GOOD)
    report = run(world.officer, [PEOPLE_HEADER, ["wangfang", "王芳", "village", "member", "", "",
                                                 "13800138001"]])
    assert report.ok
    # email column present but blank: the file is the truth for details
    assert User.objects.get(username="wangfang").email == ""
    assert RoleGrant.objects.filter(person__username="wangfang").count() == 2


def test_existing_person_gets_a_new_affiliation(world):
    report = run(world.officer, [PEOPLE_HEADER, ["member", "陈党员", "village2", "staff", "", "", ""]])
    assert report.ok and report.updated == 1
    assert world.member.affiliations.count() == 2


def test_gbk_csv_and_chinese_headers(world):
    rows = [["用户名", "姓名", "组织代码", "组织关系（党员/职工）", "角色", "电子邮箱", "手机号"],
            ["chenjing", "陈静", "village", "职工", "审核人、公开专员", "", ""]]
    report = run(world.officer, rows, encoding="gbk")
    assert report.ok, report.errors
    assert set(RoleGrant.objects.filter(person__username="chenjing").values_list("role", flat=True)) == {
        "reviewer", "officer"}


def test_utf8_with_bom_and_xlsx(world):
    data = "\ufeff".encode() + csv_bytes([PEOPLE_HEADER, ["bom1", "甲", "village", "member"]])
    assert import_people(actor=world.officer, data=data, file_name="p.csv").ok
    report = run(world.officer, [PEOPLE_HEADER, ["x1", "乙", "village", "member", None, None, 13800138002]],
                 name="p.xlsx")
    assert report.ok, report.errors
    assert User.objects.get(username="x1").phone == "13800138002"


BAD_CASES = [
    (["", "某人", "village", "member"], "username", "请填写用户名"),
    (["bad name", "某人", "village", "member"], "username", "用户名只能包含"),
    (["p1", "", "village", "member"], "real_name", "请填写姓名"),
    (["p2", "某人", "", "member"], "org_code", "请填写组织代码"),
    (["p3", "某人", "ghost", "member"], "org_code", "组织不存在"),
    (["p4", "某人", "village", "friend"], "affiliation", "组织关系须为"),
    (["p5", "某人", "village", ""], "affiliation", "至少填写一个角色"),
    (["p6", "某人", "village", "member", "boss"], "roles", "未知角色：boss"),
    (["p7", "某人", "village", "member", "admin"], "roles", "管理员角色"),
    (["p8", "某人", "village", "member", "", "not-an-email"], "email", "电子邮箱格式不正确"),
    (["p9", "某人", "village", "member", "", "", "1380013800"], "phone", "手机号格式不正确"),
    (["p10", "某人", "bureau", "member"], "org_code", "无权管理该组织的人员：bureau"),
    (["p11", "某人", "county", "member"], "org_code", "无权管理该组织的人员：county"),
    (["wangfang", "王芳", "village", "member"], "username", "与第 2 行重复"),
    (["wangfang", "王小芳", "village", "staff"], "real_name", "与第 2 行同一用户名的信息不一致"),
    (["outsider", "改名", "village", "member"], "username", "无权修改该人员的姓名"),
]


@pytest.mark.parametrize(("row", "column", "reason"), BAD_CASES)
def test_each_bad_row_is_reported_and_nothing_changes(world, row, column, reason):
    before = state()
    report = run(world.officer, [*GOOD, row + [""] * (7 - len(row))])
    assert not report.ok
    assert any(r == 6 and c == column and reason in m for r, c, m in errors_of(report)), errors_of(report)
    assert all(r == 6 for r, _c, _m in errors_of(report)), errors_of(report)
    assert state() == before
    assert not AuditEvent.objects.filter(action="import.people").exists()


def test_deactivated_person_gets_no_new_role(world):
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    report = run(world.officer, [PEOPLE_HEADER, ["member", "陈党员", "village", "member", "reviewer"]])
    assert errors_of(report) == [(2, "roles", "该人员账号已停用，不能授予角色")]


def test_deactivated_org_takes_no_people(world):
    world.village2.is_active = False
    world.village2.save(update_fields=["is_active"])
    report = run(world.officer, [PEOPLE_HEADER, ["n1", "某人", "village2", "member"]])
    assert errors_of(report) == [(2, "org_code", "组织已撤销：village2")]


def test_officer_may_rename_people_they_manage(world):
    affiliate(world.outsider, world.village)
    report = run(world.officer, [PEOPLE_HEADER, ["outsider", "周改名", "village", "member"]])
    assert report.ok and User.objects.get(username="outsider").real_name == "周改名"


@pytest.mark.parametrize("persona", ["member", "reviewer", "leader", "supervisor"])
def test_people_without_people_rights_may_not_import(world, persona):
    with pytest.raises(PermissionDenied):
        run(getattr(world, persona), GOOD)
    assert not User.objects.filter(username="wangfang").exists()


def test_outsider_may_import_only_into_their_own_org(world):
    report = run(world.outsider, GOOD)
    assert {c for _r, c, _m in errors_of(report)} == {"org_code"}
    assert len(report.errors) == 4
    assert run(world.outsider, [PEOPLE_HEADER, ["t1", "某人", "bureau", "staff", "reviewer"]]).ok


def test_superuser_imports_into_a_fresh_hierarchy_and_dry_run_writes_nothing(world):
    before = state()
    report = run(world.superuser, GOOD, dry_run=True)
    assert report.ok and report.created == 3 and state() == before
    assert run(world.superuser, GOOD).ok


def test_existing_role_written_twice_is_one_grant(world):
    grant(world.member, world.village, "reviewer")
    rows = [PEOPLE_HEADER, ["member", "陈党员", "village", "member", "reviewer,officer"],
            ["member", "陈党员", "village", "staff", "officer"]]
    report = run(world.officer, rows)
    assert report.ok, report.errors
    assert report.details == {"affiliations_added": 1, "roles_added": 1}
