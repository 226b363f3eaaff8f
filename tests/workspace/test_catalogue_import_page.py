"""The staff page's "从 Excel 导入": offered only where the user may edit the version shown;
a dry run or a bad file shows every bad cell as a table (行, 列, 问题) and changes nothing; a
good file replaces the entries and returns to the catalogue."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueVersion
from gongkai.catalogue.templates import load_templates
from gongkai.orgs.models import Role
from gongkai.people.models import User
from gongkai.tabular import write_table
from gongkai.testing import UserFactory, World, grant
from gongkai.workspace.views_catalogue import printable_row
from tests.catalogue.helpers import FIXTURES

HEADER = ["序号", "公开事项", "公开内容", "责任部门", "公开范围", "公开时限", "公开方式", "依据", "备注"]


@pytest.fixture
def people(world: World) -> dict[str, User]:
    load_templates(directory=FIXTURES)
    officer = UserFactory.create(username="vofficer", real_name="村专员")
    grant(officer, world.village, Role.OFFICER)
    leader = UserFactory.create(username="vleader", real_name="村书记")
    grant(leader, world.village, Role.LEADER)
    return {"officer": officer, "leader": leader, "member": world.member, "outsider": world.outsider}


@pytest.fixture
def draft(world: World, people: dict[str, User]) -> CatalogueVersion:
    return actions.catalogue_create_from_template(actor=people["officer"], org=world.village)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(version: CatalogueVersion, change: dict[tuple[int, int], str] | None = None,
           name: str = "目录.xlsx") -> SimpleUploadedFile:
    rows = [HEADER, *(printable_row(e) for e in version.entries.order_by("position"))]
    for (r, c), value in (change or {}).items():
        rows[r][c] = value
    buffer = io.BytesIO()
    write_table(buffer, rows[0], rows[1:])
    return SimpleUploadedFile(name, buffer.getvalue())


def url(version: CatalogueVersion) -> str:
    return f"/staff/catalogue/versions/{version.pk}/import/"


def test_the_form_is_on_the_catalogue_page_only_for_who_may_edit(world, people, draft):
    html = login(people["officer"]).get("/staff/orgs/village/catalogue/").content.decode()
    assert 'id="catalogue-import-form"' in html and "从 Excel 导入" in html and "只检查，不导入" in html
    assert url(draft) in html
    html = login(people["leader"]).get("/staff/orgs/village/catalogue/").content.decode()
    assert 'id="catalogue-import-form"' not in html
    actions.version_approve(actor=people["leader"], version=draft)
    html = login(people["officer"]).get("/staff/orgs/village/catalogue/").content.decode()
    assert 'id="catalogue-import-form"' not in html


def test_a_dry_run_shows_what_would_change_and_changes_nothing(people, draft):
    response = login(people["officer"]).post(url(draft), {
        "file": upload(draft, {(1, 2): "新内容"}), "dry_run": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-summary"' in html and 'id="count-updated">1<' in html
    assert draft.entries.get(number="1").content == "委员分工"


def test_bad_cells_are_listed_by_row_and_column_and_nothing_changes(people, draft):
    response = login(people["officer"]).post(url(draft), {
        "file": upload(draft, {(1, 2): "新内容", (2, 6): "广播", (3, 5): "每天"})})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-failed"' in html and "共 2 处错误" in html
    assert "<th scope=\"col\">行</th><th scope=\"col\">列</th><th scope=\"col\">问题</th>" in html
    assert "<td>3</td><td>公开方式</td><td>未知的公开方式：“广播”" in html
    assert "<td>4</td><td>公开时限</td>" in html
    assert draft.entries.get(number="1").content == "委员分工"
    assert not AuditEvent.objects.filter(action="catalogue.import").exists()


def test_a_good_file_replaces_the_entries_and_returns_to_the_catalogue(people, draft):
    client = login(people["officer"])
    response = client.post(url(draft), {"file": upload(draft, {(1, 2): "新内容"})}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/orgs/village/catalogue/?version=1"
    assert "已从 Excel 导入：新增 0，修改 1，未变 2，删除 0" in response.content.decode()
    assert draft.entries.get(number="1").content == "新内容"
    assert AuditEvent.objects.get(action="catalogue.import").actor == people["officer"]
    # The same file again changes nothing and says so.
    response = client.post(url(draft), {"file": upload(draft)}, follow=True)
    assert "文件内容与本版本完全相同，未做修改" in response.content.decode()
    assert AuditEvent.objects.filter(action="catalogue.import").count() == 1


def test_the_upload_form_refuses_what_is_not_a_spreadsheet(people, draft):
    client = login(people["officer"])
    assert client.get(url(draft)).status_code == 200
    response = client.post(url(draft), {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 400 and "请上传 .xlsx 或 .csv 文件" in response.content.decode()
    response = client.post(url(draft), {})
    assert response.status_code == 400
    assert draft.entries.count() == 3


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("leader", 403)])
def test_others_are_refused(people, draft, who, status):
    client = login(people[who])
    assert client.get(url(draft)).status_code == status
    assert client.post(url(draft), {"file": upload(draft, {(1, 2): "x"})}).status_code == status
    assert draft.entries.get(number="1").content == "委员分工"


def test_a_version_that_is_not_editable_is_refused(people, draft):
    actions.version_approve(actor=people["leader"], version=draft)
    response = login(people["officer"]).post(url(draft), {"file": upload(draft, {(1, 2): "x"})})
    assert response.status_code == 403
    assert draft.entries.get(number="1").content == "委员分工"
