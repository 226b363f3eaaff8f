"""须进行风险评估 on a catalogue entry (and on a template row): checked like every field, carried
by the entry form, the API, version comparison, the templates and the Excel export and import,
whose old files without the column still import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.diff import diff
from gongkai.catalogue.importing import catalogue_import
from gongkai.catalogue.models import CatalogueTemplate, CatalogueVersion, Entry
from gongkai.catalogue.rows import clean_row, label
from gongkai.catalogue.template_diff import template_diff
from gongkai.catalogue.templates import TEMPLATE_DIR, load_templates, read_templates
from gongkai.people.models import User
from gongkai.tabular import write_table
from gongkai.workspace.views_catalogue import printable_row
from tests.api.conftest import BACKEND, ApiClient
from tests.catalogue.helpers import FIXTURES, CatalogueWorld, row, village_draft, village_in_force

HEADER = ["序号", "公开事项", "公开内容", "责任部门", "公开范围", "公开时限", "公开方式", "依据", "备注"]
RISK = "requires_risk_assessment"


def _login(person: User) -> Client:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client


def _flag(cw: CatalogueWorld, version: CatalogueVersion, number: str, value: bool = True) -> Entry:
    entry = version.entries.get(number=number)
    return actions.entry_update(actor=cw.village_officer, entry=entry, changes={RISK: value})


def _flags(version: CatalogueVersion) -> dict[str, bool]:
    return dict(version.entries.values_list("number", RISK))


def _exported(cw: CatalogueWorld, version: CatalogueVersion) -> list[list[str]]:
    response = _login(cw.village_officer).get(f"/staff/catalogue/versions/{version.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


def _import(cw: CatalogueWorld, version: CatalogueVersion, rows: list[list[str]], dry_run: bool = False):
    buffer = io.BytesIO()
    write_table(buffer, rows[0], rows[1:])
    return catalogue_import(
        actor=cw.village_officer, version=version, data=buffer.getvalue(), file_name="c.xlsx", dry_run=dry_run
    )


# ---------------------------------------------------------------------------------------------
# The row rule


def test_a_row_states_the_setting_only_when_it_is_on():
    assert RISK not in clean_row(row())
    assert RISK not in clean_row(row(requires_risk_assessment=False))
    assert RISK not in clean_row(row(requires_risk_assessment=None))
    assert clean_row(row(requires_risk_assessment=True))[RISK] is True
    assert label(RISK) == "须进行风险评估"


@pytest.mark.parametrize("value", ["是", 1, "true", [True]])
def test_a_setting_that_is_not_yes_or_no_is_refused_in_chinese(value):
    with pytest.raises(ValidationError) as raised:
        clean_row(row(requires_risk_assessment=value))
    assert raised.value.message_dict == {RISK: ["须进行风险评估：应为“是”或“否”（true / false）"]}


# ---------------------------------------------------------------------------------------------
# Editing an entry


def test_the_officer_sets_it_on_an_entry_and_it_is_audited(cw):
    draft = village_draft(cw)
    assert not any(_flags(draft).values())
    _flag(cw, draft, "2")
    assert _flags(draft) == {"1": False, "2": True, "3": False}
    event = AuditEvent.objects.filter(action="catalogue.entry_update").latest("id")
    assert event.old == {"entry": "2", RISK: False}
    assert event.new == {"version": 1, "entry": "2", RISK: True}
    added = actions.entry_add(
        actor=cw.village_officer, version=draft, data=row(requires_risk_assessment=True)
    )
    assert added.requires_risk_assessment


def test_bad_input_changes_nothing(cw):
    draft = village_draft(cw)
    entry = draft.entries.get(number="2")
    with pytest.raises(ValidationError):
        actions.entry_update(actor=cw.village_officer, entry=entry, changes={RISK: "是"})
    assert not Entry.objects.get(pk=entry.pk).requires_risk_assessment
    assert not AuditEvent.objects.filter(action="catalogue.entry_update").exists()


def test_a_revision_copies_it_and_the_comparison_shows_its_change(cw):
    first = village_in_force(cw)
    second = actions.version_revise(actor=cw.village_officer, version=first, change_explanation="调整")
    assert _flags(second) == _flags(first)
    _flag(cw, second, "1")
    result = diff(first, second)
    assert [(c.key, [(f.field, f.old, f.new) for f in c.fields]) for c in result.changed] == [
        ("template:1", [(RISK, False, True)])
    ]
    page = _login(cw.village_officer).get(f"/staff/catalogue/diff/?a={first.pk}&b={second.pk}")
    html = page.content.decode()
    assert "须进行风险评估" in html and "<del>否</del>" in html and "<ins>是</ins>" in html
    api = ApiClient(_login(cw.village_officer)).get("catalogues/diff", a=first.pk, b=second.pk)
    assert api.data["changed"][0]["fields"] == [
        {"field": RISK, "label": "须进行风险评估", "old": False, "new": True}
    ]


def test_the_entry_form_carries_it(cw):
    draft = village_draft(cw)
    entry = draft.entries.get(number="1")
    client = _login(cw.village_officer)
    page = client.get(f"/staff/catalogue/entries/{entry.pk}/edit/").content.decode()
    assert 'name="requires_risk_assessment"' in page and "须进行风险评估" in page
    data = {
        "number": "1",
        "category": entry.category,
        "item": entry.item,
        "content": entry.content,
        "responsible": entry.responsible,
        "scope": entry.scope,
        "timing": "standing",
        "refresh": "yearly",
        "channels": entry.channels,
        "requires_risk_assessment": "on",
    }
    response = client.post(f"/staff/catalogue/entries/{entry.pk}/edit/", data)
    assert response.status_code == 302
    assert Entry.objects.get(pk=entry.pk).requires_risk_assessment
    # A leader of the village (no catalogue.edit) may not.
    assert (
        _login(cw.village_leader).post(f"/staff/catalogue/entries/{entry.pk}/edit/", data).status_code == 403
    )


def test_the_api_reads_and_replaces_it(cw):
    draft = village_draft(cw)
    _flag(cw, draft, "3")
    api = ApiClient(_login(cw.village_officer))
    got = api.get("orgs/village/catalogue", version=1)
    assert {e["number"]: e[RISK] for e in got.data["entries"]} == {"1": False, "2": False, "3": True}
    replaced = api.patch(
        f"catalogues/{draft.pk}", {"entries": [row(number="1", requires_risk_assessment=True)]}
    )
    assert replaced.status == 200 and replaced.data["entries"][0][RISK] is True
    refused = api.patch(
        f"catalogues/{draft.pk}", {"entries": [row(number="1", requires_risk_assessment="是")]}
    )
    assert refused.status in (400, 422)
    assert _flags(draft) == {"1": True}


# ---------------------------------------------------------------------------------------------
# Templates


def _template_file(tmp_path: Path, *, flagged: bool) -> Path:
    rows = [row(number="1"), row(number="2", item="重大事项决策")]
    if flagged:
        rows[1][RISK] = True
    data = {"code": "risk_test", "name": "风险测试模板", "kinds": [], "source": "001", "rows": rows}
    (tmp_path / "risk_test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_a_template_row_passes_it_to_the_catalogues_made_from_it(cw, tmp_path):
    load_templates(directory=_template_file(tmp_path, flagged=True))
    template = CatalogueTemplate.objects.get(code="risk_test")
    rows = template.latest_version().rows
    assert RISK not in rows[0] and rows[1][RISK] is True
    draft = actions.catalogue_create_from_template(
        actor=cw.village_officer, org=cw.w.village, template=template
    )
    assert _flags(draft) == {"1": False, "2": True}
    got = ApiClient(_login(cw.w.member)).get("catalogue-templates/risk_test")
    assert [r[RISK] for r in got.data["rows"]] == [False, True]


def test_the_setting_changes_a_templates_version_only_where_it_is_used(cw, tmp_path):
    # The fixture templates do not use it: loading them again makes no new version.
    assert load_templates(directory=FIXTURES).unchanged == ["branch_basic", "committee_basic"]
    load_templates(directory=_template_file(tmp_path, flagged=False))
    report = load_templates(directory=_template_file(tmp_path, flagged=True))
    assert report.updated == ["risk_test"]
    versions = CatalogueTemplate.objects.get(code="risk_test").versions.order_by("version")
    change = template_diff(versions[0], versions[1])
    assert [(c.number, [(f.field, f.old, f.new) for f in c.fields]) for c in change.changed] == [
        ("2", [(RISK, False, True)])
    ]


def test_an_administrator_sets_it_on_a_template_row(cw):
    template = CatalogueTemplate.objects.get(code="branch_basic")
    latest = template.latest_version()
    version = actions.template_row_change(
        actor=cw.w.admin,
        template=template,
        based_on=latest.version,
        op="edit",
        position=3,
        row={**latest.rows[2], RISK: True},
        note="发展党员事项须评估风险",
    )
    assert version.rows[2][RISK] is True and RISK not in version.rows[0]
    page = _login(cw.w.admin).get("/staff/catalogue/templates/branch_basic/rows/3/edit/").content.decode()
    at = page.index('name="requires_risk_assessment"')
    assert "checked" in page[page.rindex("<input", 0, at) : page.index(">", at)]


def test_the_shipped_templates_flag_the_major_decisions_the_seeds_name(db):
    flagged = {
        (t.code, r["number"]): r["item"] for t in read_templates(TEMPLATE_DIR) for r in t.rows if r.get(RISK)
    }
    assert flagged == {
        ("party_committee", "7"): "重大决策",
        ("party_committee", "11"): "重大项目建设的决策及落实情况",
        ("party_committee", "12"): "重大民生实事的决策及落实情况",
        ("grassroots", "39"): "涉及全体村（居）民切身利益重要事项决策情况",
        ("land_bureau_fixed_periodic_prompt", "17"): "经济建设和社会发展的重大决策、决定、决议",
    }


# ---------------------------------------------------------------------------------------------
# Excel export and import


def test_the_export_has_the_column_and_reads_back_unchanged(cw):
    draft = village_draft(cw)
    _flag(cw, draft, "2")
    rows = _exported(cw, draft)
    assert rows[0] == [*HEADER, "风险评估"]
    assert [r[9] for r in rows[1:]] == ["否", "是", "否"]
    before = list(draft.entries.values())
    events = AuditEvent.objects.count()
    report = _import(cw, draft, rows)
    assert report.ok and report.unchanged == 3 and not report.details.get("written")
    assert list(draft.entries.values()) == before and AuditEvent.objects.count() == events
    # Into another catalogue: the same settings.
    other = actions.catalogue_create_from_template(actor=cw.w.officer, org=cw.w.village2)
    buffer = io.BytesIO()
    write_table(buffer, rows[0], rows[1:])
    assert catalogue_import(actor=cw.w.officer, version=other, data=buffer.getvalue(), file_name="c.xlsx").ok
    assert _flags(other) == {"1": False, "2": True, "3": False}


def test_the_column_sets_and_clears_it(cw):
    draft = village_draft(cw)
    _flag(cw, draft, "2")
    rows = _exported(cw, draft)
    rows[1][9], rows[2][9] = "是", ""  # blank is 否
    rows[3][9] = "TRUE"  # what Excel shows for a boolean cell
    report = _import(cw, draft, rows)
    assert report.ok and report.updated == 3
    assert _flags(draft) == {"1": True, "2": False, "3": True}


def test_a_file_without_the_column_keeps_each_entrys_setting(cw):
    draft = village_draft(cw)
    _flag(cw, draft, "2")
    old = [HEADER, *(printable_row(e) for e in draft.entries.order_by("position"))]
    old[1][2] = "委员分工和联系方式"
    old.append(["9", "其他：新事项", "", "", "党内公开", "及时公开：事项产生后3个工作日内", "会议", "", ""])
    report = _import(cw, draft, old)
    assert report.ok and (report.created, report.updated, report.unchanged) == (1, 1, 2)
    assert _flags(draft) == {"1": False, "2": True, "3": False, "9": False}


def test_a_new_row_in_a_file_without_the_column_takes_its_template_rows_setting(cw, tmp_path):
    load_templates(directory=_template_file(tmp_path, flagged=True))
    template = CatalogueTemplate.objects.get(code="risk_test")
    draft = actions.catalogue_create_from_template(
        actor=cw.village_officer, org=cw.w.village, template=template
    )
    old = [HEADER, *(printable_row(e) for e in draft.entries.order_by("position"))]
    actions.entry_remove(actor=cw.village_officer, entry=draft.entries.get(number="2"))
    assert _import(cw, draft, old).ok
    entry = draft.entries.get(number="2")
    assert entry.template_row_number == "2" and entry.requires_risk_assessment


def test_a_bad_cell_is_named_and_nothing_changes(cw):
    draft = village_draft(cw)
    rows = _exported(cw, draft)
    rows[2][9] = "可能"
    before = list(draft.entries.values())
    report = _import(cw, draft, rows)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "风险评估", "请填写“是”或“否”：“可能”")
    ]
    assert list(draft.entries.values()) == before
