"""Staff pages: build, approve, file and acknowledge a catalogue in the browser's way (forms),
with refusals, the incoming filings, the diff, the printable page and the XLSX export."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueVersion, Status
from gongkai.people.models import User
from tests.catalogue.helpers import village_draft, village_in_force

COLUMNS = ["序号", "公开事项", "公开内容", "责任部门", "公开范围", "公开时限", "公开方式", "依据", "备注"]


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "number": "4", "category": "村务", "item": "村务监督委员会工作", "content": "监督情况",
        "responsible": "村监委", "scope": "party", "targets": "", "wider_scope_reason": "",
        "timing": "periodic", "period": "quarterly", "refresh": "none", "within_workdays": "10",
        "channels": ["bulletin_board", "meeting"], "notice_workdays": "", "basis": "", "remarks": "",
    }
    data.update(overrides)
    return data


def test_the_menu_links_the_catalogue_pages(cw):
    html = login(cw.w.officer).get("/staff/").content.decode()
    assert 'id="nav-catalogue"' in html and "/staff/catalogue/" in html


def test_officer_builds_leader_approves_officer_files_superior_acknowledges(cw):
    officer = login(cw.village_officer)
    page = officer.get("/staff/orgs/village/catalogue/")
    assert page.status_code == 200 and 'id="catalogue-create-form"' in page.content.decode()
    response = officer.post("/staff/orgs/village/catalogue/create/", {"template": ""})
    assert response.status_code == 302
    version = CatalogueVersion.objects.get(catalogue__org=cw.w.village)
    # Add an entry through the form.
    response = officer.post(f"/staff/catalogue/versions/{version.pk}/entries/new/", entry_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    added = version.entries.get(number="4")
    assert added.timing == {"kind": "periodic", "period": "quarterly", "within_workdays": 10}
    # A bad value comes back on the form, naming the field; nothing changes.
    response = officer.post(f"/staff/catalogue/entries/{added.pk}/edit/",
                            entry_post(scope="targeted", targets=""))
    assert response.status_code == 200
    assert "向特定对象公开时须写明公开对象" in response.content.decode()
    response = officer.post(f"/staff/catalogue/entries/{added.pk}/edit/",
                            entry_post(timing="standing", refresh="half_yearly", item="村务监督"))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.item == "村务监督" and added.timing == {"kind": "standing", "refresh": "half_yearly"}
    officer.post(f"/staff/catalogue/entries/{added.pk}/move/up/")
    assert [e.number for e in version.entries.order_by("position")] == ["1", "2", "4", "3"]
    first = version.entries.get(number="1")
    officer.post(f"/staff/catalogue/entries/{first.pk}/remove/", {"reason": ""})
    assert version.entries.count() == 3
    page = officer.get("/staff/orgs/village/catalogue/?version=1").content.decode()
    assert "长期公开，每半年更新一次" in page and 'id="catalogue-approve"' not in page
    # The officer cannot approve; the leader can.
    assert officer.get(f"/staff/catalogue/versions/{version.pk}/approve/").status_code == 403
    leader = login(cw.village_leader)
    assert 'id="catalogue-approve"' in leader.get("/staff/orgs/village/catalogue/").content.decode()
    response = leader.post(f"/staff/catalogue/versions/{version.pk}/approve/", {"opinion": "同意"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    response = officer.post(f"/staff/catalogue/versions/{version.pk}/file/", {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    superior = login(cw.w.officer)
    home = superior.get("/staff/catalogue/").content.decode()
    assert "待办理的报备" in home and cw.w.village.name in home
    # Returning without a comment is refused on the form.
    response = superior.post(f"/staff/catalogue/versions/{version.pk}/return/", {"opinion": ""})
    assert response.status_code == 200 and "退回须填写意见" in response.content.decode()
    response = superior.post(f"/staff/catalogue/versions/{version.pk}/acknowledge/", {"opinion": "好"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE
    assert AuditEvent.objects.filter(action="catalogue.acknowledge", actor=cw.w.officer).exists()


def test_pages_refuse_those_who_may_not(cw):
    draft = village_draft(cw)
    entry = draft.entries.first()
    outsider = login(cw.w.outsider)
    assert outsider.get("/staff/orgs/village/catalogue/").status_code == 404
    assert outsider.get(f"/staff/catalogue/versions/{draft.pk}/print/").status_code == 404
    assert outsider.get(f"/staff/catalogue/entries/{entry.pk}/edit/").status_code == 404
    leader = login(cw.village_leader)
    assert leader.get(f"/staff/catalogue/entries/{entry.pk}/edit/").status_code == 403
    assert leader.post(f"/staff/catalogue/entries/{entry.pk}/remove/", {}).status_code == 403
    assert draft.entries.count() == 3
    officer = login(cw.village_officer)
    assert officer.get(f"/staff/catalogue/versions/{draft.pk}/acknowledge/").status_code == 403
    assert officer.get(f"/staff/catalogue/versions/{draft.pk}/publish/").status_code == 404
    assert Client().get("/staff/orgs/village/catalogue/").status_code == 302  # to the login page


def test_print_and_xlsx_have_the_customary_columns(cw):
    version = village_in_force(cw)
    client = login(cw.w.member)  # published: any signed-in user reads it
    html = client.get(f"/staff/catalogue/versions/{version.pk}/print/").content.decode()
    for column in COLUMNS:
        assert f'<th scope="col">{column}</th>' in html
    assert "定期公开：每半年结束后10个工作日内" in html
    assert "公示7个工作日" in html
    response = client.get(f"/staff/catalogue/versions/{version.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*COLUMNS, "风险评估"]  # the export adds the entry's setting after them
    assert rows[1][:2] == ["1", "组织建设：支部委员会组成"] and rows[1][9] == "否"
    assert rows[1][4] == "本单位公开" and rows[1][6] == "党务公开栏"
    assert len(rows) == 4


def test_diff_page_shows_changes_side_by_side(cw):
    first = village_in_force(cw)
    second = actions.version_revise(actor=cw.village_officer, version=first, change_explanation="x")
    entry = second.entries.get(number="1")
    actions.entry_update(actor=cw.village_officer, entry=entry, changes={"item": "支委会组成"})
    url = f"/staff/catalogue/diff/?a={first.pk}&b={second.pk}"
    html = login(cw.village_officer).get(url).content.decode()
    assert "<del>支部委员会组成</del>" in html and "<ins>支委会组成</ins>" in html
    assert login(cw.w.outsider).get(url).status_code == 404
    assert login(cw.village_officer).get("/staff/catalogue/diff/?a=x&b=1").status_code == 404


def test_home_lists_subordinates_that_never_filed(cw):
    html = login(cw.w.officer).get("/staff/catalogue/").content.decode()
    assert "从未报备目录的下级组织（2 个）" in html


@pytest.mark.parametrize("path", ["/staff/catalogue/", "/staff/orgs/village/catalogue/"])
def test_pages_render_for_a_superior(cw, path):
    village_draft(cw)
    assert login(cw.w.supervisor).get(path).status_code == 200
