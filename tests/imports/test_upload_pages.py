"""The staff upload pages: who may use them, the row report, nothing imported on errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.orgs.models import Org
from gongkai.people.models import User
from tests.imports.helpers import ORG_HEADER, PEOPLE_HEADER, csv_bytes, xlsx_bytes

PEOPLE_URL = reverse("workspace:import_people")
ORGS_URL = reverse("workspace:import_orgs")


def upload(client, url, rows, name="people.csv", **extra):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def test_urls_are_the_agreed_ones():
    assert (ORGS_URL, PEOPLE_URL) == ("/staff/import/orgs/", "/staff/import/people/")


def test_officer_sees_the_form(client, world):
    client.force_login(world.officer)
    page = client.get(PEOPLE_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "仅检查不导入" in text and 'enctype="multipart/form-data"' in text and "secrecy_reviewer" in text


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(PEOPLE_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [PEOPLE_URL, ORGS_URL])
def test_people_without_rights_are_refused(client, world, url):
    client.force_login(world.member)
    assert client.get(url).status_code == 403
    assert upload(client, url, [PEOPLE_HEADER, ["u1", "甲", "village", "member"]]).status_code == 403
    assert not User.objects.filter(username="u1").exists()


def test_good_file_is_imported_with_a_summary(client, world):
    client.force_login(world.officer)
    page = upload(client, PEOPLE_URL, [PEOPLE_HEADER, ["u1", "甲", "village", "member", "reviewer"],
                                       ["u2", "乙", "village", "staff"]], name="p.xlsx")
    text = page.content.decode()
    assert page.status_code == 200 and "导入完成" in text
    assert 'id="count-created">2<' in text
    assert User.objects.filter(username__in=["u1", "u2"]).count() == 2


def test_bad_row_report_and_nothing_imported(client, world):
    client.force_login(world.officer)
    page = upload(client, PEOPLE_URL, [PEOPLE_HEADER, ["u1", "甲", "village", "member"],
                                       ["u2", "乙", "bureau", "member"],
                                       ["u3", "丙", "village", "member", "boss"]])
    text = page.content.decode()
    assert "未导入任何数据" in text and "共 2 处错误" in text
    assert "<td>3</td><td>org_code</td><td>无权管理该组织的人员：bureau</td>" in text
    assert "<td>4</td><td>roles</td>" in text
    assert not User.objects.filter(username__in=["u1", "u2", "u3"]).exists()


def test_dry_run_checks_only(client, world):
    client.force_login(world.officer)
    page = upload(client, ORGS_URL, [ORG_HEADER, ["b9", "某支部", "branch", "village"]],
                  name="orgs.csv", dry_run="on")
    assert "检查通过，未导入任何数据" in page.content.decode()
    assert not Org.objects.filter(code="b9").exists()
    upload(client, ORGS_URL, [ORG_HEADER, ["b9", "某支部", "branch", "village"]], name="orgs.csv")
    assert Org.objects.filter(code="b9").exists()


def test_wrong_type_and_oversized_files_are_refused(client, world, settings):
    client.force_login(world.officer)
    page = client.post(PEOPLE_URL, {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4")})
    assert page.status_code == 400 and "请上传 .xlsx 或 .csv 文件" in page.content.decode()
    settings.UPLOAD_MAX_BYTES = 1024
    big = csv_bytes([PEOPLE_HEADER] + [[f"u{i}", "甲", "village", "member"] for i in range(200)])
    page = client.post(PEOPLE_URL, {"file": SimpleUploadedFile("p.csv", big)})
    assert page.status_code == 400 and "文件过大" in page.content.decode()
    assert not User.objects.filter(username="u1").exists()


def test_garbage_file_gets_a_report_not_a_500(client, world):
    client.force_login(world.officer)
    page = client.post(PEOPLE_URL, {"file": SimpleUploadedFile("p.xlsx", b"PK\x03\x04garbage")})
    assert page.status_code == 200 and "无法读取 XLSX 文件" in page.content.decode()


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = upload(client, PEOPLE_URL, [PEOPLE_HEADER, ["u1", "甲", "village", "member"]])
    assert response.status_code == 403
    assert not User.objects.filter(username="u1").exists()
