"""gongkai workdays add | explain | load | show | clear: output formats and Chinese errors."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gongkai.audit.models import AuditEvent
from gongkai.workdays import calendar
from gongkai.workdays.models import YearSchedule

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_only_the_iso_date():
    assert run("add", "2026-09-30", "3") == ("2026-10-10\n", "")
    assert run("add", "2026-02-13", "1")[0] == "2026-02-14\n"


def test_add_into_a_year_without_data_warns_on_stderr():
    out, err = run("add", "2026-12-30", "5")
    assert out == "2027-01-06\n"
    assert err == "2027年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确\n"


def test_explain_shows_each_day_and_why():
    out, _err = run("explain", "2026-09-30", "3")
    lines = out.splitlines()
    assert lines[0] == "起算日 2026-09-30（不计入），向后数 3 个工作日："
    assert lines[1] == "2026-10-01 跳过（法定节假日：国庆节）"
    assert lines[8] == "2026-10-08 第1个工作日（工作日）"
    assert lines[10] == "2026-10-10 第3个工作日（调休上班：国庆节）"
    assert lines[-1] == "截止日：2026-10-10"


@pytest.mark.parametrize(("args", "message"), [
    (("add", "2026-02-30", "3"), "日期格式不正确"),
    (("add", "tomorrow", "3"), "日期格式不正确"),
    (("add", "2026-02-03", "-1"), "工作日数须在 0 到 3650 之间"),
    (("add", "2026-02-03", "3651"), "工作日数须在 0 到 3650 之间"),
    (("explain", "2026-02-03", "三"), "工作日数须为整数"),
    (("add", "9999-12-31", "3"), "起算日须在"),
    (("show", "二〇二七"), "年份须为整数"),
    (("show", "99999"), "年份须在"),
])
def test_bad_input_gives_a_chinese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_show_lists_the_year_with_its_source():
    out, _err = run("show", "2026")
    lines = out.splitlines()
    assert lines[0] == "2026 年，来源：内置国务院节假日安排（chinesecalendar）"
    assert "2026-09-20 周日 调休上班 国庆节" in lines
    assert "2026-10-01 周四 放假 国庆节" in lines
    out, _err = run("show", "2027")
    assert out.splitlines() == ["2027 年，来源：无（仅按周末计算）",
                                "2027年的法定节假日安排尚未录入，仅按周末计算，期限可能不准确"]


def test_load_a_gbk_csv_with_chinese_headers_and_infer_the_year(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("日期,类型,节日\n2027-01-01,放假,元旦\n2027/2/20,调休上班,春节\n", encoding="gbk")
    out, _err = run("load", str(path), "--note", "国办发明电〔2026〕")
    assert out == "已录入 2027 年节假日安排：2 天\n"
    assert calendar.add_workdays(date(2027, 2, 19), 1).due == date(2027, 2, 20)
    schedule = YearSchedule.objects.get(year=2027)
    assert schedule.source == "2027.csv" and schedule.loaded_by == "system"
    assert schedule.note == "国办发明电〔2026〕"
    out, _err = run("show", "2027")
    assert out.splitlines()[0] == "2027 年，来源：管理员录入的安排"
    assert "文件：2027.csv，依据：国办发明电〔2026〕" in out.splitlines()[1]
    assert "2027-02-20 周六 调休上班 春节" in out
    run("clear", "2027")
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE


def test_load_an_xlsx_with_date_cells(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "name"])
    sheet.append([date(2027, 10, 1), "holiday", "国庆节"])
    sheet.append([date(2027, 10, 9), "workday", "国庆节"])
    path = tmp_path / "2027.xlsx"
    book.save(path)
    run("load", str(path), "--year", "2027")
    assert calendar.year_data(2027).exceptions == {date(2027, 10, 1): (False, "国庆节"),
                                                   date(2027, 10, 9): (True, "国庆节")}


HEAD = "date,kind,name\n2027-01-01,holiday,元旦\n"


@pytest.mark.parametrize(("text", "year", "expected"), [
    (HEAD + "2027-13-01,holiday,x\n", None, "第 3 行 [date] 日期格式不正确"),
    (HEAD + "2027-01-02,nap,x\n", None, "第 3 行 [kind] 类型须为"),
    (HEAD + "2028-01-01,holiday,元旦\n", None, "第 3 行 [date] 2028-01-01 不在 2027 年内"),
    (HEAD, "2028", "第 2 行 [date] 2027-01-01 不在 2028 年内"),
    (HEAD + "2027-01-01,holiday,元旦\n", None, "与第 2 行重复"),
    (HEAD + "2027-01-04,workday,\n", None, "本来就上班"),
    ("day,kind\n2027-01-01,holiday\n", None, "缺少必需的列"),
])
def test_a_file_with_bad_rows_changes_nothing(tmp_path, text, year, expected):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="未录入任何数据"):
        run("load", str(path), *(["--year", year] if year else []))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("workdays", "load", str(path), *(["--year", year] if year else []), stderr=err)
    assert expected in err.getvalue()
    assert not YearSchedule.objects.exists() and not AuditEvent.objects.exists()


def test_load_refuses_a_missing_file_or_an_empty_one_without_a_year(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("load", str(tmp_path / "none.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_text("date,kind,name\n", encoding="utf-8")
    with pytest.raises(CommandError, match="无法确定年份"):
        run("load", str(empty))
    # With a year, an empty file is a deliberate "no holidays": weekends only, without warning.
    run("load", str(empty), "--year", "2027")
    assert calendar.add_workdays(date(2027, 3, 1), 1).warnings == []
