from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEvent
from gongkai.workdays import calendar


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.csv", text.encode("utf-8"), content_type="text/csv")


def test_anyone_signed_in_sees_a_year_and_its_source(world, client):
    client.force_login(world.member)
    page = client.get("/staff/workdays/", {"year": 2026}).content.decode()
    assert "国庆节" in page and "内置国务院节假日安排" in page
    assert 'id="workdays-upload"' not in page
    page = client.get("/staff/workdays/", {"year": 2027}).content.decode()
    assert "2027年的法定节假日安排尚未录入" in page


def test_officer_may_not_load_a_schedule(world, client):
    client.force_login(world.officer)
    upload = _csv("date,kind\n2027-01-01,holiday\n")
    response = client.post("/staff/workdays/", {"year": 2027, "file": upload})
    assert response.status_code == 403
    assert client.post("/staff/workdays/clear/", {"year": 2027}).status_code == 403
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE


def test_admin_loads_a_schedule_and_a_bad_file_changes_nothing(world, client):
    client.force_login(world.admin)
    bad = client.post("/staff/workdays/", {"year": 2027, "file": _csv(
        "日期,类型,节日\n2027-01-01,放假,元旦\n2027-01-32,放假,元旦\n")})
    assert bad.status_code == 200
    assert "第 3 行" in bad.content.decode() and "未录入任何数据" in bad.content.decode()
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
    good = client.post("/staff/workdays/", {"year": 2027, "note": "通知", "file": _csv(
        "日期,类型,节日\n2027-01-01,放假,元旦\n")})
    assert good.status_code == 302
    assert calendar.year_data(2027).source == calendar.SOURCE_ADMIN
    assert AuditEvent.objects.filter(action="workdays.load", actor=world.admin).exists()
    assert client.post("/staff/workdays/clear/", {"year": 2027}).status_code == 302
    assert calendar.year_data(2027).source == calendar.SOURCE_NONE
