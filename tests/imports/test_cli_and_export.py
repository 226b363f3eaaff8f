"""`gongkai import` / `gongkai export`, and export -> import round trips."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.orgs.importing import export_orgs, import_orgs
from gongkai.orgs.models import Affiliation, Org, RoleGrant
from gongkai.people.importing import export_people, import_people
from gongkai.people.models import User
from gongkai.testing import grant
from tests.imports.helpers import ORG_HEADER, PEOPLE_HEADER, csv_bytes


def write(tmp_path, name, rows, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def test_cli_imports_orgs_as_system_and_prints_counts(world, tmp_path, capsys):
    path = write(tmp_path, "orgs.csv", [ORG_HEADER, ["c1", "某支部", "branch", "village"]], "gbk")
    call_command("import", "orgs", str(path))
    assert "新增 1" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="import.orgs")
    assert event.actor is None and event.actor_name == "system"


def test_cli_dry_run_and_bad_rows_exit_with_error(world, tmp_path, capsys):
    good = write(tmp_path, "p.csv", [PEOPLE_HEADER, ["u1", "甲", "village", "member"]])
    call_command("import", "people", str(good), "--dry-run")
    assert "未导入" in capsys.readouterr().out and not User.objects.filter(username="u1").exists()
    bad = write(tmp_path, "bad.csv", [PEOPLE_HEADER, ["u1", "甲", "village", "member"],
                                      ["u2", "乙", "ghost", "member"]])
    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("import", "people", str(bad))
    assert "第 3 行 [org_code] 组织不存在：ghost" in capsys.readouterr().err
    assert not User.objects.filter(username="u1").exists()


def test_cli_as_user_applies_their_rights(world, tmp_path):
    path = write(tmp_path, "p.csv", [PEOPLE_HEADER, ["u1", "甲", "bureau", "member"]])
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), "--as", "officer")
    with pytest.raises(CommandError, match="无权导入人员"):
        call_command("import", "people", str(path), "--as", "member")
    with pytest.raises(CommandError, match="没有用户名"):
        call_command("import", "people", str(path), "--as", "nobody")
    call_command("import", "people", str(path), "--as", "outsider")
    assert User.objects.filter(username="u1").exists()


def test_cli_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import", "orgs", str(tmp_path / "none.csv"))


def test_cli_export_writes_the_import_columns(world, tmp_path, capsys):
    target = tmp_path / "orgs.xlsx"
    call_command("export", "orgs", str(target))
    sheet = load_workbook(target).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ORG_HEADER
    assert ["village", "某某村党支部", "village", "town", "", "", ""] in rows
    assert "已导出 5 行" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("export", "people", str(tmp_path / "p.txt"))


def test_orgs_round_trip_into_an_empty_hierarchy(world, tmp_path):
    target = tmp_path / "orgs.xlsx"
    export_orgs(actor=None, target=target)
    before = sorted(Org.objects.values_list("code", "name", "path", "kind__code"))
    assert import_orgs(actor=None, data=target.read_bytes(), file_name="orgs.xlsx").unchanged == 5
    RoleGrant.objects.all().delete()
    Affiliation.objects.all().delete()
    for org in Org.objects.order_by("-depth"):  # children first: parents are protected
        org.delete()
    report = import_orgs(actor=None, data=target.read_bytes(), file_name="orgs.xlsx")
    assert report.ok and report.created == 5
    assert sorted(Org.objects.values_list("code", "name", "path", "kind__code")) == before


def test_people_round_trip_is_unchanged(world, tmp_path):
    grant(world.member, world.village2, "supervisor")  # a role where they have no affiliation
    target = tmp_path / "people.csv"
    count = export_people(actor=None, target=target)
    report = import_people(actor=None, data=target.read_bytes(), file_name="people.csv")
    assert report.ok, report.errors
    assert report.created == report.updated == 0 and report.rows == count


def test_officer_exports_only_what_they_may_see(world, tmp_path):
    target = tmp_path / "people.csv"
    export_people(actor=world.officer, target=target)
    text = target.read_text(encoding="utf-8-sig")
    assert "member" in text and "outsider" not in text and "admin," not in text
    assert AuditEvent.objects.get(action="export.people").actor == world.officer
