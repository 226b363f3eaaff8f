"""The staff page /staff/workdays/: read by any signed-in user, changed only by calendar
administrators; a bad file or day changes nothing and says why in Chinese."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEvent
from gongkai.workdays import calendar
from gongkai.workdays.models import YearSchedule

PAGE = "/staff/workdays/"


def _csv(text: str, name: str = "2027.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_officer_reads_a_year_and_calculates_but_sees_no_editing(world, client):
    client.force_login(world.officer)
    page = client.get(PAGE, {"year": 2026}).content.decode()
    assert "国庆节" in page and "内置国务院节假日安排" in page
    assert 'id="workdays-upload"' not in page and 'id="workdays-day"' not in page
    assert 'id="nav-workdays"' not in page
    page = client.get(PAGE, {"year": 2026, "start": "2026-09-30", "n": 3}).content.decode()
    assert "截止日：2026-10-10" in page and "2026-10-01 跳过（法定节假日：国庆节）" in page
    page = client.get(PAGE, {"year": 2027}).content.decode()
    assert "2027年的法定节假日安排尚未录入" in page


def test_calculator_refuses_bad_input_without_error(world, client):
    client.force_login(world.officer)
    for params in ({"start": "2026-02-30", "n": 3}, {"start": "2026-09-30", "n": -1},
                   {"start": "9999-12-31", "n": 5}, {"year": "abc"}):
        assert client.get(PAGE, params).status_code == 200


def test_officer_is_refused_every_change(world, client):
    client.force_login(world.officer)
    upload = _csv("date,kind\n2027-01-01,holiday\n")
    assert client.post(f"{PAGE}load/", {"year": 2027, "file": upload}).status_code == 403
    day = {"year": 2026, "date": "2026-12-31", "kind": "holiday"}
    assert client.post(f"{PAGE}day/", day).status_code == 403
    assert client.post(f"{PAGE}day/remove/", {"year": 2026, "date": "2026-10-01"}).status_code == 403
    assert client.post(f"{PAGE}clear/", {"year": 2026}).status_code == 403
    assert not YearSchedule.objects.exists() and not AuditEvent.objects.exists()
    assert calendar.year_data(2026).source == calendar.SOURCE_PACKAGE


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(PAGE).status_code == 302
    assert client.post(f"{PAGE}clear/", {"year": 2026}).status_code == 302


def test_admin_loads_a_schedule_and_a_bad_file_changes_nothing(world, client):
    client.force_login(world.admin)
    page = client.get(PAGE, {"year": 2027}).content.decode()
    assert 'id="nav-workdays"' in page and 'id="workdays-upload"' in page
    bad = client.post(f"{PAGE}load/", {"year": 2027, "file": _csv(
        "日期,类型,节日\n2027-01-01,放假,元旦\n2027-01-32,放假,元旦\n2026-01-05,放假,\n")})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "未录入任何数据" in text and "第 3 行" in text and "2026-01-05 不在 2027 年内" in text
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    good = client.post(f"{PAGE}load/", {"year": 2027, "note": "通知", "file": _csv(
        "日期,类型,节日\n2027-01-01,放假,元旦\n")})
    assert good.status_code == 302 and good["Location"].endswith("?year=2027")
    assert calendar.year_data(2027).source == calendar.SOURCE_ADMIN
    assert AuditEvent.objects.filter(action="workdays.load", actor=world.admin).exists()
    page = client.get(PAGE, {"year": 2027}).content.decode()
    assert "管理员录入的安排" in page and "2027.csv" in page and "通知" in page
    assert client.post(f"{PAGE}clear/", {"year": 2027}).status_code == 302
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE


def test_admin_sets_and_removes_single_days(world, client):
    client.force_login(world.admin)
    response = client.post(f"{PAGE}day/", {"year": 2026, "date": "2026-12-31", "kind": "holiday",
                                           "name": "元旦", "reason": "补充通知"})
    assert response.status_code == 302
    assert calendar.year_data(2026).exceptions[date(2026, 12, 31)] == (False, "元旦")
    refused = client.post(f"{PAGE}day/", {"year": 2026, "date": "2026-12-30", "kind": "workday"})
    assert refused.status_code == 200 and "本来就上班" in refused.content.decode()
    bad = client.post(f"{PAGE}day/", {"year": 2026, "date": "2026-13-01", "kind": "holiday"})
    assert bad.status_code == 200
    assert client.post(f"{PAGE}day/remove/", {"year": 2026, "date": "2026-10-10"}).status_code == 302
    assert calendar.add_workdays(date(2026, 10, 9), 1).due == date(2026, 10, 12)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["workdays.day_set", "workdays.day_remove"]
    # An ordinary day cannot be "removed": a message, nothing changes.
    response = client.post(f"{PAGE}day/remove/", {"year": 2026, "date": "2026-10-13"}, follow=True)
    assert "无需删除" in response.content.decode()
    assert AuditEvent.objects.count() == 2
