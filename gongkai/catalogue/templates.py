"""Catalogue templates (基本目录) kept as YAML files in template_data/, one per template, and
loaded into the database by `gongkai catalogue load-templates` (and by `gongkai demo`).

Loading is all or nothing and idempotent: every file is checked first and any error (naming
file, row and field) changes nothing; a template gets a new version only when its file's
content differs from the version last loaded from a file. An administrator's edit in the staff
pages also makes a new version; a later change to the file supersedes it, unchanged files
leave it alone."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.catalogue.models import CatalogueTemplate, TemplateOrigin, TemplateVersion
from gongkai.catalogue.rows import clean_row, label
from gongkai.orgs.models import OrgKind

TEMPLATE_DIR = Path(__file__).resolve().parent / "template_data"
FILE_KEYS = {"code", "name", "version", "kinds", "source", "rows"}
MAX_FILE_BYTES = 2 * 1024 * 1024


class TemplateError(Exception):
    """One or more template files are wrong; nothing was loaded."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ParsedTemplate:
    code: str
    name: str
    source: str
    kinds: list[str]
    rows: list[dict[str, Any]]
    file_version: int | None = None
    file_name: str = ""

    @property
    def content_hash(self) -> str:
        return content_hash(self.name, self.source, self.kinds, self.rows)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def content_hash(name: str, source: str, kinds: list[str], rows: list[dict[str, Any]]) -> str:
    payload = {"name": name, "source": source, "kinds": sorted(kinds), "rows": rows}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_error_messages(error: ValidationError, where: str) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{where}{m}" for msgs in error.message_dict.values() for m in msgs]
    return [f"{where}{m}" for m in error.messages]


def clean_rows(raw_rows: Any, where: str = "") -> tuple[list[dict[str, Any]], list[str]]:
    """Every row cleaned, and every problem found (not only the first)."""
    if not isinstance(raw_rows, list) or not raw_rows:
        return [], [_("%(w)s缺少事项（rows）或格式不对：应为非空的列表") % {"w": where}]
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rows, start=1):
        at = _("%(w)s第%(i)s行：") % {"w": where, "i": index}
        try:
            row = clean_row(raw)
        except ValidationError as error:
            errors += row_error_messages(error, at)
            continue
        if row["number"] in seen:
            errors.append(at + _("%(f)s重复：%(n)s") % {"f": label("number"), "n": row["number"]})
        seen.add(row["number"])
        rows.append(row)
    return rows, errors


def parse_template(data: Any, file_name: str,
                   known_kinds: set[str]) -> tuple[ParsedTemplate | None, list[str]]:
    where = f"{file_name}："
    if not isinstance(data, dict):
        return None, [where + _("文件内容应为一个对象（code、name、kinds、rows ...）")]
    errors: list[str] = []
    unknown = sorted(str(k) for k in set(data) - FILE_KEYS)
    if unknown:
        errors.append(where + _("不认识的字段：%(k)s") % {"k": "、".join(unknown)})
    code, name, source = data.get("code"), data.get("name"), data.get("source") or ""
    if not isinstance(code, str) or not code.strip():
        errors.append(where + _("缺少模板代码（code）"))
    if not isinstance(name, str) or not name.strip():
        errors.append(where + _("缺少模板名称（name）"))
    if not isinstance(source, str):
        errors.append(where + _("出处（source）应为文字"))
    version = data.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        errors.append(where + _("版本（version）应为整数"))
    kinds = data.get("kinds")
    # An empty list is an optional template: no kind's default, chosen explicitly.
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        errors.append(where + _("适用的组织类型（kinds）应为代码列表（可为空：可选模板）"))
        kinds = []
    else:
        missing = [k for k in kinds if k not in known_kinds]
        if missing:
            errors.append(where + _("未知的组织类型：%(k)s") % {"k": "、".join(missing)})
    rows, row_errors = clean_rows(data.get("rows"), where)
    errors += row_errors
    if errors:
        return None, errors
    assert isinstance(code, str) and isinstance(name, str)
    return ParsedTemplate(code.strip(), name.strip(), source.strip(), list(dict.fromkeys(kinds)),
                          rows, version, file_name), []


def read_templates(directory: Path = TEMPLATE_DIR) -> list[ParsedTemplate]:
    """Every *.yaml file under `directory`, checked; TemplateError lists every problem."""
    known = set(OrgKind.objects.values_list("code", flat=True))
    parsed: list[ParsedTemplate] = []
    errors: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.stat().st_size > MAX_FILE_BYTES:
            errors.append(_("%(f)s：文件过大") % {"f": path.name})
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            errors.append(_("%(f)s：不是有效的 UTF-8 YAML 文件：%(e)s") % {"f": path.name, "e": error})
            continue
        template, problems = parse_template(data, path.name, known)
        errors += problems
        if template is not None:
            parsed.append(template)
    codes = [t.code for t in parsed]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(_("模板代码重复：%(c)s") % {"c": code})
    if errors:
        raise TemplateError(errors)
    return parsed


def add_version(*, actor: Any, template: CatalogueTemplate, name: str, source: str,
                rows: list[dict[str, Any]], origin: str, note: str = "") -> TemplateVersion:
    """Append a version to `template` (call inside a transaction) and audit it."""
    kinds = sorted(template.kinds.values_list("code", flat=True))
    last = template.versions.aggregate(n=Max("version"))["n"] or 0
    version = TemplateVersion.objects.create(
        template=template, version=last + 1, name=name, source=source, rows=rows,
        content_hash=content_hash(name, source, kinds, rows), origin=origin, note=note,
        created_by=actor if getattr(actor, "pk", None) else None)
    record(actor=actor, action="catalogue_template.version", obj=template,
           old={"version": last or None},
           new={"version": version.version, "rows": len(rows), "origin": origin,
                "hash": version.content_hash},
           reason=note)
    return version


@transaction.atomic
def load_templates(*, actor: Any = None, directory: Path = TEMPLATE_DIR) -> LoadReport:
    parsed = read_templates(directory)
    report = LoadReport()
    kinds = {k.code: k for k in OrgKind.objects.all()}
    for item in parsed:
        template, created = CatalogueTemplate.objects.get_or_create(
            code=item.code, defaults={"name": item.name, "source": item.source})
        template.kinds.set([kinds[k] for k in item.kinds])
        if template.name != item.name or template.source != item.source:
            template.name, template.source = item.name, item.source
            template.save(update_fields=["name", "source"])
        last_loaded = template.versions.filter(origin=TemplateOrigin.FILE).order_by("-version").first()
        if last_loaded is not None and last_loaded.content_hash == item.content_hash:
            report.unchanged.append(item.code)
            continue
        note = _("从模板文件 %(f)s 加载") % {"f": item.file_name}
        if item.file_version is not None:
            note += _("（文件版本 %(v)s）") % {"v": item.file_version}
        add_version(actor=actor, template=template, name=item.name, source=item.source,
                    rows=item.rows, origin=TemplateOrigin.FILE, note=note)
        (report.created if created else report.updated).append(item.code)
    return report
