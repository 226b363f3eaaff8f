"""Importing a catalogue version from the Excel file its export writes: every cell read back
exactly, every bad cell named by row and column, all or nothing, the same rights as editing,
audited; and the same through the command line and the API."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.importing import catalogue_import, parse_timing
from gongkai.catalogue.models import CatalogueVersion, Entry
from gongkai.catalogue.timing import MAX_WORKDAYS, TimingRule
from gongkai.catalogue.vocab import Period, Refresh, TimingKind
from gongkai.orgs.permissions import PermissionDenied
from gongkai.tabular import write_table
from gongkai.workspace.views_catalogue import printable_row
from tests.api.conftest import BACKEND
from tests.catalogue.helpers import row, village_draft
from tests.imports.helpers import csv_bytes, xlsx_bytes

HEADER = ["序号", "公开事项", "公开内容", "责任部门", "公开范围", "公开时限", "公开方式", "依据", "备注"]
FIELDS = (*actions.ENTRY_FIELDS, "position")


def snapshot(version: CatalogueVersion) -> list[dict[str, Any]]:
    return [{f: getattr(e, f) for f in FIELDS} for e in version.entries.order_by("position")]


def exported(user: Any, version: CatalogueVersion) -> bytes:
    """The file the staff page's "导出 Excel" button gives."""
    client = Client()
    client.force_login(user)
    response = client.get(f"/staff/catalogue/versions/{version.pk}/export.xlsx")
    assert response.status_code == 200
    return response.content


def sheet_rows(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


def rows_of(version: CatalogueVersion) -> list[list[str]]:
    return [HEADER, *(printable_row(e) for e in version.entries.order_by("position"))]


def xlsx_of(rows: list[list[str]]) -> bytes:
    # write_table, as the export: a cell starting with "=" stays text, not a formula.
    buffer = io.BytesIO()
    write_table(buffer, rows[0], rows[1:])
    return buffer.getvalue()


def run(cw, version: CatalogueVersion, rows: list[list[str]], *, dry_run: bool = False,
        name: str = "catalogue.xlsx"):
    return catalogue_import(actor=cw.village_officer, version=version, data=xlsx_of(rows),
                            file_name=name, dry_run=dry_run)


def errors_of(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def a_varied_draft(cw) -> CatalogueVersion:
    """The template's rows plus rows of every kind the export writes differently."""
    version = village_draft(cw)
    officer = cw.village_officer
    actions.entry_add(actor=officer, version=version, position=2, data=row(
        number="1-1", category="", item="村民代表会议议题", scope="targeted",
        targets="村民代表（含户代表）", timing={"kind": "standing", "refresh": "none"},
        channels=["meeting", "bulletin_board", "new_media"], notice_workdays=10,
        remarks="会后公布；另行通知", content="多行\n内容"))
    actions.entry_add(actor=officer, version=version, data=row(
        number="5", category="村务", item="财务收支", scope="public",
        timing={"kind": "periodic", "period": "monthly", "within_workdays": 120},
        channels=["portal", "e_screen", "intranet", "document", "briefing"], basis="=SUM(A1)"))
    second = version.entries.get(number="2")
    actions.entry_update(actor=officer, entry=second, changes={
        "content": "党费收缴、使用和管理情况", "channels": ["meeting"],
        "timing": {"kind": "periodic", "period": "quarterly", "within_workdays": 15}})
    return version


# ---------------------------------------------------------------------------------------------
# Reading cells back

def test_every_timing_sentence_reads_back_to_its_rule():
    rules = [TimingRule(TimingKind.STANDING, refresh=r) for r in Refresh.values]
    for n in (1, 5, 37, MAX_WORKDAYS):
        rules += [TimingRule(TimingKind.PERIODIC, period=p, within_workdays=n) for p in Period.values]
        rules += [TimingRule(kind, within_workdays=n) for kind in (TimingKind.PHASED, TimingKind.PROMPT)]
    for rule in rules:
        assert parse_timing(rule.describe()) == rule.to_dict(), rule.describe()
    # Typed by hand: half-width punctuation and stray spaces are the same sentence.
    assert parse_timing("定期公开: 每季度结束后 10 个工作日内") == \
        {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
    assert parse_timing("长期公开,每年更新一次") == {"kind": "standing", "refresh": "yearly"}


def test_the_machine_form_of_a_timing_rule_is_accepted():
    assert parse_timing("periodic/quarterly/10") == \
        {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
    assert parse_timing("prompt/5") == {"kind": "prompt", "within_workdays": 5}
    assert parse_timing("phased/3") == {"kind": "phased", "within_workdays": 3}
    assert parse_timing("standing") == {"kind": "standing", "refresh": "none"}
    assert parse_timing("standing/yearly") == {"kind": "standing", "refresh": "yearly"}


# ---------------------------------------------------------------------------------------------
# Round trip

def test_export_then_import_into_another_catalogue_gives_identical_entries(cw):
    source = a_varied_draft(cw)
    data = exported(cw.village_officer, source)
    target = actions.catalogue_create_from_template(actor=cw.w.officer, org=cw.w.village2)
    report = catalogue_import(actor=cw.w.officer, version=target, data=data, file_name="v.xlsx")
    assert report.ok, errors_of(report)
    assert (report.created, report.updated, report.unchanged, report.details["removed"]) == (2, 1, 2, 0)
    assert snapshot(target) == snapshot(source)
    assert target.entries.get(number="2").template_row_number == "2"
    assert target.entries.get(number="1-1").template_row_number is None
    assert target.entries.get(number="1-1").targets == "村民代表（含户代表）"
    # The cell that looks like a formula stayed text all the way.
    assert target.entries.get(number="5").basis == "=SUM(A1)"


def test_importing_the_export_of_the_same_version_changes_nothing(cw):
    version = a_varied_draft(cw)
    before = snapshot(version)
    events = AuditEvent.objects.count()
    report = catalogue_import(actor=cw.village_officer, version=version,
                              data=exported(cw.village_officer, version), file_name="v.xlsx")
    assert report.ok and report.unchanged == 5 and not report.details.get("written")
    assert snapshot(version) == before
    assert AuditEvent.objects.count() == events


def test_a_colon_in_an_item_without_category_is_kept_when_the_entry_says_so(cw):
    version = village_draft(cw)
    actions.entry_add(actor=cw.village_officer, version=version, data=row(
        number="4", category="", item="会议：议题", remarks="公示7个工作日；是备注", notice_workdays=None))
    rows = rows_of(version)
    assert rows[4][1] == "会议：议题" and rows[4][8] == "公示7个工作日；是备注"
    rows[4][2] = "改"
    assert run(cw, version, rows).ok
    entry = version.entries.get(number="4")
    assert (entry.category, entry.item) == ("", "会议：议题")
    assert (entry.notice_workdays, entry.remarks) == (None, "公示7个工作日；是备注")
    # A new row of the same text is read the export's way: 类别：事项, and the notice first.
    rows[4][0] = "4a"
    assert run(cw, version, rows).ok
    entry = version.entries.get(number="4a")
    assert (entry.category, entry.item, entry.notice_workdays, entry.remarks) == ("会议", "议题", 7, "是备注")


def test_an_edited_file_changes_only_the_edited_rows_and_keeps_template_links(cw):
    version = a_varied_draft(cw)
    # Row 3 of the template is widened with a reason given on the page; the file cannot carry
    # the reason, so the import keeps it.
    third = version.entries.get(number="3")
    actions.entry_update(actor=cw.village_officer, entry=third,
                         changes={"scope": "public", "wider_scope_reason": "群众关心"})
    rows = sheet_rows(exported(cw.village_officer, version))
    rows[1][2] = "委员分工和联系方式"          # 公开内容 of 序号 1
    rows.pop(2)                                 # 序号 1-1 removed
    rows.append(["6", "其他：新事项", "", "", "党内公开", "及时公开：事项产生后3个工作日内", "会议", "", ""])
    report = run(cw, version, rows)
    assert report.ok, errors_of(report)
    assert (report.created, report.updated, report.unchanged, report.details["removed"]) == (1, 1, 3, 1)
    entries = {e.number: e for e in version.entries.all()}
    assert sorted(entries) == ["1", "2", "3", "5", "6"]
    assert entries["1"].content == "委员分工和联系方式" and entries["1"].template_row_number == "1"
    assert entries["3"].wider_scope_reason == "群众关心" and entries["3"].template_row_number == "3"
    assert entries["6"].category == "其他" and entries["6"].template_row_number is None
    assert entries["6"].timing == {"kind": "prompt", "within_workdays": 3}


def test_a_template_row_added_back_is_linked_to_the_template_again(cw):
    version = village_draft(cw)
    rows = sheet_rows(exported(cw.village_officer, version))
    actions.entry_remove(actor=cw.village_officer, entry=version.entries.get(number="3"))
    assert run(cw, version, rows).ok
    assert version.entries.get(number="3").template_row_number == "3"
    # Same number, different item: the organisation's own row, not the template's.
    actions.entry_remove(actor=cw.village_officer, entry=version.entries.get(number="3"))
    rows[3][1] = "党员管理：其他事项"
    assert run(cw, version, rows).ok
    assert version.entries.get(number="3").template_row_number is None


def test_widening_a_template_row_in_the_file_needs_the_reason_on_the_page(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][4] = "向社会公开"  # template row 1 is 本单位公开
    report = run(cw, version, rows)
    assert [(r, c) for r, c, _m in errors_of(report)] == [(2, "公开范围")]
    assert "比模板（本单位公开）宽，须说明理由" in report.errors[0].message
    assert version.entries.get(number="1").scope == "unit"


def test_gbk_csv_with_chinese_labels(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[2][6] = "党务公开栏，会议; 新媒体"
    report = catalogue_import(actor=cw.village_officer, version=version,
                              data=csv_bytes(rows, encoding="gbk"), file_name="目录.csv")
    assert report.ok, errors_of(report)
    assert version.entries.get(number="2").channels == ["bulletin_board", "meeting", "new_media"]


# ---------------------------------------------------------------------------------------------
# Bad cells

BAD_CELLS = [
    (4, "向全世界公开", "公开范围",
     "无法识别的公开范围“向全世界公开”，可选：向社会公开、党内公开、本单位公开、向特定对象公开"),
    (4, "向特定对象公开", "公开范围", "公开对象：向特定对象公开时须写明公开对象"),
    (4, "", "公开范围", "请填写公开范围"),
    (5, "每天公开", "公开时限", "无法识别的公开时限“每天公开”"),
    (5, "及时公开：事项产生后0个工作日内", "公开时限", "工作日数应在1到120之间"),
    (5, "periodic/weekly/5", "公开时限", "周期（period）无效：“weekly”"),
    (6, "门户网站、微信群", "公开方式", "未知的公开方式：“微信群”，可选：门户网站、内网、党务公开栏"),
    (6, "", "公开方式", "请填写公开方式"),
    (8, "公示3个工作日", "备注", "公示期应为5至30个工作日"),
    (0, "", "序号", "序号：必填"),
    (1, "党员管理：", "公开事项", "公开事项：必填"),
    (7, "依" * 256, "依据", "依据：不能超过255个字符"),
]


@pytest.mark.parametrize(("index", "value", "column", "message"), BAD_CELLS)
def test_each_bad_cell_is_named_by_row_and_column_and_nothing_changes(cw, index, value, column, message):
    version = village_draft(cw)
    before = snapshot(version)
    rows = rows_of(version)
    rows[1][2] = "改过的内容"  # a good change elsewhere is not applied either
    rows[2][index] = value
    report = run(cw, version, rows)
    assert [(r, c) for r, c, _m in errors_of(report)] == [(3, column)]
    assert message in report.errors[0].message, report.errors[0].message
    assert snapshot(version) == before
    assert not AuditEvent.objects.filter(
        action__in=["catalogue.import", "catalogue.entries_replace"]).exists()


def test_every_bad_cell_of_every_row_is_reported_in_row_order(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[3][0] = "1"                            # duplicate 序号
    rows[2][1], rows[2][4], rows[2][5], rows[2][6] = "", "党外", "随时", "广播"
    report = run(cw, version, rows)
    assert [(r, c) for r, c, _m in errors_of(report)] == [
        (3, "公开范围"), (3, "公开时限"), (3, "公开方式"), (3, "公开事项"), (4, "序号")]
    assert report.errors[-1].message == "序号重复：与第 2 行相同"
    # Two rows without 序号 are two missing numbers, not a duplicate.
    rows = rows_of(version)
    rows[1][0] = rows[2][0] = ""
    assert errors_of(run(cw, version, rows)) == [(2, "序号", "序号：必填"), (3, "序号", "序号：必填")]


def test_file_level_problems(cw):
    version = village_draft(cw)
    missing = run(cw, version, [HEADER[:-1], printable_row(version.entries.first())[:-1]])
    assert errors_of(missing) == [(1, "remarks", "缺少必需的列：remarks、备注")]
    empty = run(cw, version, [HEADER])
    assert errors_of(empty) == [(2, "", "文件中没有数据行")]
    old = catalogue_import(actor=cw.village_officer, version=version, data=b"\xd0\xcf\x11\xe0junk",
                           file_name="目录.xls")
    assert old.errors[0].row == 0 and "不支持旧版 .xls 格式" in old.errors[0].message
    extra = run(cw, version, [[*HEADER, "说明"], *[[*r, "x"] for r in rows_of(version)[1:]]], dry_run=True)
    assert extra.ok and extra.ignored_columns == ["说明"]
    assert version.entries.count() == 3


# ---------------------------------------------------------------------------------------------
# Rules: dry run, rights, state, audit

def test_dry_run_reports_what_would_change_and_changes_nothing(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "新内容"
    rows.append(["9", "新事项", "", "", "党内公开", "prompt/5", "会议", "", ""])
    report = run(cw, version, rows, dry_run=True)
    assert report.ok and (report.created, report.updated, report.unchanged) == (1, 1, 2)
    assert version.entries.count() == 3 and version.entries.get(number="1").content == "委员分工"
    assert not AuditEvent.objects.filter(action="catalogue.import").exists()


def test_the_import_is_audited_with_the_file(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "新内容"
    report = run(cw, version, rows, name="村目录.xlsx")
    assert report.ok and report.details["written"] == 1
    event = AuditEvent.objects.get(action="catalogue.import")
    assert event.actor == cw.village_officer and event.org_id == cw.w.village.pk
    assert event.new["file_name"] == "村目录.xlsx" and event.new["sha256"] == report.sha256
    assert event.new["updated"] == 1
    assert AuditEvent.objects.filter(action="catalogue.entries_replace", object_id=str(version.pk)).exists()


def test_a_returned_version_goes_back_to_draft_when_imported(cw):
    version = village_draft(cw)
    actions.version_approve(actor=cw.village_leader, version=version)
    actions.version_file(actor=cw.village_officer, version=version)
    actions.version_return(actor=cw.w.officer, version=version, comment="补充")
    rows = rows_of(version)
    rows[1][2] = "补充后的内容"
    assert run(cw, version, rows).ok
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_version_that_is_not_editable_is_refused(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    actions.version_approve(actor=cw.village_leader, version=version)
    with pytest.raises(ValidationError) as refused:
        run(cw, version, rows, dry_run=True)
    assert "当前状态为“已审批”，不能导入" in refused.value.messages[0]


def test_the_officers_of_the_org_and_above_may_import(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "镇专员改的"
    report = catalogue_import(actor=cw.w.officer, version=version, data=xlsx_bytes(rows), file_name="x.xlsx")
    assert report.ok and version.entries.get(number="1").content == "镇专员改的"


@pytest.mark.parametrize("who", ["member", "outsider", "reviewer"])
def test_others_may_not_import(cw, who):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "x"
    with pytest.raises(PermissionDenied):
        catalogue_import(actor=getattr(cw.w, who), version=version, data=xlsx_bytes(rows), file_name="x.xlsx")
    with pytest.raises(PermissionDenied):
        catalogue_import(actor=cw.village_leader, version=version, data=xlsx_bytes(rows),
                         file_name="x.xlsx", dry_run=True)
    assert version.entries.get(number="1").content == "委员分工"


# ---------------------------------------------------------------------------------------------
# Command line

def test_cli_imports_as_the_named_user(cw, tmp_path, capsys):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "命令行导入"
    path = tmp_path / "village.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    call_command("catalogue", "import", "village", str(path), "--dry-run", "--as", "vofficer")
    assert "检查通过，未导入" in capsys.readouterr().out
    assert version.entries.get(number="1").content == "委员分工"
    call_command("catalogue", "import", "village", str(path), "--as", "vofficer")
    assert "导入完成：第1版：新增 0，修改 1，未变 2，删除 0（共 3 行）" in capsys.readouterr().out
    assert version.entries.get(number="1").content == "命令行导入"
    assert AuditEvent.objects.get(action="catalogue.import").actor == cw.village_officer


def test_cli_prints_every_bad_row_and_fails(cw, tmp_path, capsys):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[2][6] = "广播站"
    rows[3][5] = "每天"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    with pytest.raises(CommandError, match="共 2 处错误，未导入任何数据"):
        call_command("catalogue", "import", "village", str(path), "--as", "vofficer")
    err = capsys.readouterr().err
    assert "第 3 行 [公开方式] 未知的公开方式：“广播站”" in err and "第 4 行 [公开时限]" in err
    assert version.entries.get(number="2").channels == ["bulletin_board", "meeting"]


def test_cli_refusals(cw, tmp_path):
    path = tmp_path / "v.xlsx"
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("catalogue", "import", "village", str(path), "--as", "vofficer")
    version = village_draft(cw)
    path.write_bytes(xlsx_bytes(rows_of(version)))
    with pytest.raises(CommandError, match="--as"):
        call_command("catalogue", "import", "village", str(path))
    with pytest.raises(CommandError, match="无权修改组织 village 的目录"):
        call_command("catalogue", "import", "village", str(path), "--as", "member")
    with pytest.raises(CommandError, match="没有代码为 nowhere 的组织"):
        call_command("catalogue", "import", "nowhere", str(path), "--as", "vofficer")
    with pytest.raises(CommandError, match="没有可修改的目录版本"):
        call_command("catalogue", "import", "village2", str(path), "--as", "officer")
    actions.version_approve(actor=cw.village_leader, version=version)
    with pytest.raises(CommandError, match="没有可修改的目录版本"):
        call_command("catalogue", "import", "village", str(path), "--as", "vofficer")


# ---------------------------------------------------------------------------------------------
# API (every response is checked against the OpenAPI document by the root conftest)

def api_post(user: Any, version_id: int, data: bytes, name: str = "v.xlsx", **form: Any):
    client = Client()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    upload = SimpleUploadedFile(name, data)
    response = client.post(f"/api/v1/catalogues/{version_id}/import", {"file": upload, **form})
    return response.status_code, response.json()


def test_api_dry_run_then_import(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "接口导入"
    status, body = api_post(cw.village_officer, version.pk, xlsx_bytes(rows), dry_run="true")
    assert status == 200 and body["dry_run"] is True and body["applied"] is False
    counts = (body["rows"], body["created"], body["updated"], body["unchanged"], body["removed"])
    assert counts == (3, 0, 1, 2, 0)
    assert version.entries.get(number="1").content == "委员分工"
    status, body = api_post(cw.village_officer, version.pk, xlsx_bytes(rows))
    assert status == 200 and body["applied"] is True and body["errors"] == []
    assert version.entries.get(number="1").content == "接口导入"


def test_api_bad_rows_are_a_422_listing_each_cell(cw):
    version = village_draft(cw)
    rows = rows_of(version)
    rows[2][6] = "广播站"
    status, body = api_post(cw.village_officer, version.pk, xlsx_bytes(rows))
    assert status == 422 and body["error"]["code"] == "invalid_rows"
    assert body["error"]["details"] == [
        {"row": 3, "column": "公开方式",
         "message": "未知的公开方式：“广播站”，可选：门户网站、内网、党务公开栏、电子屏、会议、文件、"
                    "情况通报、新媒体、为民办事服务窗口、板报、广播电视、报刊、触摸查询机"}]
    status, body = api_post(cw.village_officer, version.pk, b"%PDF-1.4", name="v.pdf")
    assert status == 422 and body["error"]["code"] == "invalid_file"
    assert Entry.objects.filter(version=version, channels=["bulletin_board", "meeting"]).exists()


def test_api_refusals(cw):
    version = village_draft(cw)
    data = xlsx_bytes(rows_of(version))
    assert api_post(None, version.pk, data)[0] == 401
    assert api_post(cw.w.member, version.pk, data)[0] == 404
    assert api_post(cw.w.outsider, version.pk, data)[0] == 404
    assert api_post(cw.village_officer, 999999, data)[0] == 404
    status, body = api_post(cw.village_leader, version.pk, data)
    assert status == 403 and body["error"]["code"] == "forbidden"
    actions.version_approve(actor=cw.village_leader, version=version)
    status, body = api_post(cw.village_officer, version.pk, data)
    assert status == 400 and "不能导入" in body["error"]["message"]


def test_a_late_refusal_by_entries_replace_lands_on_the_files_rows(cw, monkeypatch):
    # Someone else's rule added to entries_replace later must still come back on the right row.
    def refuse(**kwargs: Any) -> None:
        raise ValidationError({"entries.2": ["第2行：公开方式：新规则不允许"]})

    monkeypatch.setattr("gongkai.catalogue.importing.entries_replace", refuse)
    version = village_draft(cw)
    rows = rows_of(version)
    rows[1][2] = "改"
    report = run(cw, version, rows)
    assert errors_of(report) == [(3, "", "公开方式：新规则不允许")]
    assert not AuditEvent.objects.filter(action="catalogue.import").exists()
