"""Templates: loading from YAML (all or nothing, idempotent, versioned) and editing."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEvent
from gongkai.catalogue import actions
from gongkai.catalogue.models import CatalogueTemplate, TemplateVersion
from gongkai.catalogue.templates import TEMPLATE_DIR, TemplateError, load_templates, read_templates
from gongkai.orgs.permissions import PermissionDenied
from tests.catalogue.helpers import FIXTURES, village_draft


@pytest.fixture
def tdir(tmp_path: Path) -> Path:
    for path in FIXTURES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_loading_creates_templates_with_their_kinds_and_audits(db, tdir):
    report = load_templates(directory=tdir)
    assert sorted(report.created) == ["branch_basic", "committee_basic"]
    branch = CatalogueTemplate.objects.get(code="branch_basic")
    assert set(branch.kinds.values_list("code", flat=True)) == {"village", "community", "branch"}
    version = branch.latest_version()
    assert version is not None and version.version == 1
    assert [r["number"] for r in version.rows] == ["1", "2", "3"]
    assert version.rows[0]["timing"] == {"kind": "standing", "refresh": "yearly"}
    assert AuditEvent.objects.filter(action="catalogue_template.version").count() == 2


def test_loading_twice_changes_nothing(db, tdir):
    load_templates(directory=tdir)
    report = load_templates(directory=tdir)
    assert sorted(report.unchanged) == ["branch_basic", "committee_basic"]
    assert not report.created and not report.updated
    assert TemplateVersion.objects.count() == 2
    assert AuditEvent.objects.filter(action="catalogue_template.version").count() == 2


def test_a_changed_file_adds_a_version_and_old_catalogues_keep_their_rows(cw, tdir):
    draft = village_draft(cw)  # made from the fixture's version 1 of branch_basic
    load_templates(directory=tdir)  # same content as the fixture load: unchanged
    _edit(tdir / "branch.yaml", lambda d: d["rows"][0].update(item="支部委员会组成及分工"))
    report = load_templates(directory=tdir)
    assert report.updated == ["branch_basic"]
    template = CatalogueTemplate.objects.get(code="branch_basic")
    assert template.versions.count() == 2
    assert template.latest_version().rows[0]["item"] == "支部委员会组成及分工"
    draft.refresh_from_db()
    assert draft.based_on.version == 1
    assert draft.entries.get(position=1).item == "支部委员会组成"


def test_a_bad_file_loads_nothing_and_every_problem_is_named(db, tdir):
    _edit(tdir / "branch.yaml", lambda d: d["rows"][1].update(scope="everyone", channels=["fax"]))
    _edit(tdir / "committee.yaml", lambda d: d.update(kinds=["county_committee", "nowhere"]))
    with pytest.raises(TemplateError) as caught:
        load_templates(directory=tdir)
    text = "\n".join(caught.value.messages)
    assert "branch.yaml：第2行：公开范围：无效的取值“everyone”" in text
    assert "committee.yaml：未知的组织类型：nowhere" in text
    assert not CatalogueTemplate.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_row_numbers_and_unknown_keys_are_refused(db, tdir):
    _edit(tdir / "branch.yaml", lambda d: (d["rows"][1].update(number="1"), d.update(owner="x")))
    with pytest.raises(TemplateError) as caught:
        read_templates(tdir)
    text = "\n".join(caught.value.messages)
    assert "第2行：序号重复：1" in text
    assert "不认识的字段：owner" in text


def test_a_file_that_is_not_yaml_is_reported(db, tdir):
    (tdir / "broken.yaml").write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        read_templates(tdir)
    assert any(m.startswith("broken.yaml：不是有效的") for m in caught.value.messages)


def test_the_command_loads_and_reports(db, tdir):
    out = StringIO()
    call_command("catalogue", "load-templates", "--dir", str(tdir), stdout=out)
    assert "新增 2，更新 0，未变 0" in out.getvalue()
    out = StringIO()
    call_command("catalogue", "load-templates", "--dir", str(tdir), stdout=out)
    assert "新增 0，更新 0，未变 2" in out.getvalue()


def test_the_command_fails_on_a_bad_file(db, tdir):
    _edit(tdir / "branch.yaml", lambda d: d["rows"][0].update(notice_workdays=3))
    with pytest.raises(CommandError, match="公示期应为5至30个工作日"):
        call_command("catalogue", "load-templates", "--dir", str(tdir), stdout=StringIO())


def test_an_administrator_edit_adds_a_version(cw):
    template = CatalogueTemplate.objects.get(code="branch_basic")
    rows = [dict(r) for r in template.latest_version().rows]
    rows[0]["scope"] = "party"
    version = actions.template_edit(actor=cw.w.admin, template=template, rows=rows, note="按新规定调整")
    assert version.version == 2 and version.origin == "edit"
    assert version.created_by == cw.w.admin
    # The file is unchanged, so loading it again keeps the administrator's version on top.
    assert load_templates(directory=FIXTURES).unchanged == ["branch_basic", "committee_basic"]
    assert template.latest_version().version == 2


def test_template_edit_is_refused_to_officers_and_checks_rows(cw):
    template = CatalogueTemplate.objects.get(code="branch_basic")
    rows = [dict(r) for r in template.latest_version().rows]
    with pytest.raises(PermissionDenied):
        actions.template_edit(actor=cw.w.officer, template=template, rows=rows, note="x")
    rows[2]["timing"] = {"kind": "prompt"}
    with pytest.raises(ValidationError) as caught:
        actions.template_edit(actor=cw.w.admin, template=template, rows=rows, note="x")
    assert "第3行：公开时限" in caught.value.message_dict["rows"][0]
    with pytest.raises(ValidationError, match="内容没有变化"):
        actions.template_edit(actor=cw.w.admin, template=template,
                              rows=template.latest_version().rows, note="x")


SHIPPED = sorted(TEMPLATE_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_template_file_is_valid(db, path, tmp_path):
    shutil.copy(path, tmp_path / path.name)
    assert len(read_templates(tmp_path)) == 1
