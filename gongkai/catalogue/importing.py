"""Importing a catalogue version's entries from the spreadsheet its export writes (XLSX, or CSV
in UTF-8 or GBK), with the customary columns 序号 | 公开事项 | 公开内容 | 责任部门 | 公开范围 |
公开时限 | 公开方式 | 依据 | 备注, and the optional 风险评估 (是/否) the export adds after them.

Every cell is read back exactly as the export wrote it (the scope's label with the targets in
（）, the timing rule's sentence, the channels' labels joined by 、, "公示N个工作日；" at the start
of 备注, "类别：事项"), so export → import changes nothing. All or nothing: every bad cell is
reported with its Excel row and column, and the file then changes nothing; a good file replaces
the version's entries through `entries_replace`, the same audited action the API uses.

The file carries neither the template row an entry came from nor the reason for a scope wider
than the template's: both are kept from the version's entry with the same 序号 (a row the
version does not have is linked to the template row with the same 序号 and 公开事项), so the
template-scope rule and the matching of rows across versions keep working. A file without the
风险评估 column (one exported before it existed, or typed by hand) keeps each entry's setting
the same way; a new row then takes its template row's."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.catalogue.actions import ENTRY_FIELDS, entries_replace
from gongkai.catalogue.models import EDITABLE, CatalogueVersion, Status
from gongkai.catalogue.rows import ROW_FIELDS, clean_row, flags_of
from gongkai.catalogue.timing import MAX_WORKDAYS, TimingRule
from gongkai.catalogue.vocab import Channel, Period, Refresh, Scope, TimingKind, is_wider
from gongkai.orgs.importing import file_digest
from gongkai.orgs.permissions import Action, require
from gongkai.tabular import Column, ColumnMap, ImportReport, RowError, TableError, map_columns, read_table

RISK = "requires_risk_assessment"
# Every customary column is required: the file replaces the whole version, so a column left out
# would silently blank that field in every entry. 风险评估 is not: left out, each entry keeps its
# setting (`_Check.link`), so files made before the column existed import as they always did.
COLUMNS = (
    Column("number", ("序号",), required=True),
    Column("item", ("公开事项",), required=True),
    Column("content", ("公开内容",), required=True),
    Column("responsible", ("责任部门",), required=True),
    Column("scope", ("公开范围",), required=True),
    Column("timing", ("公开时限",), required=True),
    Column("channels", ("公开方式",), required=True),
    Column("basis", ("依据",), required=True),
    Column("remarks", ("备注",), required=True),
    Column(RISK, ("风险评估", "须进行风险评估")),
)
YES, NO = {"是", "true", "√"}, {"否", "false", ""}
# The same limit as the API's `entries`: a catalogue is tens of rows, not thousands.
MAX_ENTRIES = 500
# Which column of the file holds each field of a row.
FIELD_COLUMN = {
    "number": "number", "category": "item", "item": "item", "content": "content",
    "responsible": "responsible", "scope": "scope", "targets": "scope", "timing": "timing",
    "channels": "channels", "notice_workdays": "remarks", "basis": "basis", "remarks": "remarks",
    "wider_scope_reason": "scope", "template_row_number": "number", RISK: RISK,
}
# Values that pass clean_row, put in place of a field already reported so that the row's
# other fields are still checked (clean_row stops at the first bad field).
_STAND_IN: dict[str, Any] = {
    "number": "0", "category": "", "item": "-", "content": "", "responsible": "", "scope": Scope.PUBLIC,
    "targets": "-", "timing": {"kind": TimingKind.STANDING}, "channels": [Channel.PORTAL],
    "notice_workdays": None, "basis": "", "remarks": "", RISK: False,
}
CHANNEL_SEPARATORS = re.compile(r"[、，,;；\s]+")
NOTICE = re.compile(r"^公示\s*(\d+)\s*个工作日(?:\s*[；;]\s*(.*))?$", re.DOTALL)


class CellError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


# ---------------------------------------------------------------------------------------------
# Cells

def _squeeze(text: str) -> str:
    """Full-width and half-width forms alike, no spaces: how a typed sentence is compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def _sentences(language: str | None) -> dict[str, dict[str, Any]]:
    # Every sentence TimingRule.describe() can write, in the current language, back to its rule.
    rules = [TimingRule(TimingKind.STANDING, refresh=r) for r in Refresh.values]
    for n in range(1, MAX_WORKDAYS + 1):
        rules += [TimingRule(TimingKind.PERIODIC, period=p, within_workdays=n) for p in Period.values]
        rules += [TimingRule(kind, within_workdays=n) for kind in (TimingKind.PHASED, TimingKind.PROMPT)]
    return {_squeeze(rule.describe()): rule.to_dict() for rule in rules}


def _machine_timing(text: str) -> dict[str, Any] | None:
    """`prompt/5`, `phased/5`, `periodic/quarterly/10`, `standing`, `standing/yearly`."""
    parts = [p.strip() for p in text.split("/")]
    kind = parts[0]
    if kind not in TimingKind.values:
        return None
    if kind == TimingKind.STANDING:
        if len(parts) > 2:
            return None
        return {"kind": kind, **({"refresh": parts[1]} if len(parts) == 2 else {})}
    rule: dict[str, Any] = {"kind": kind}
    if kind == TimingKind.PERIODIC:
        if len(parts) != 3:
            return None
        rule["period"] = parts[1]
    elif len(parts) != 2:
        return None
    rule["within_workdays"] = int(parts[-1]) if parts[-1].isdecimal() else parts[-1]
    return rule


def parse_timing(text: str) -> dict[str, Any]:
    """The rule of a 公开时限 cell: a sentence as the export writes it, or the machine form."""
    if not text:
        raise CellError("timing", _("请填写公开时限"))
    sentences = _sentences(get_language())
    squeezed = _squeeze(text)
    if squeezed in sentences:
        return dict(sentences[squeezed])
    machine = _machine_timing(text.strip().lower())
    if machine is not None:
        try:
            return TimingRule.parse(machine).to_dict()
        except ValidationError as error:
            raise CellError("timing", "；".join(error.messages)) from None
    # The right sentence with a count out of range deserves a sharper message than "unknown".
    if re.sub(r"\d+", "1", squeezed) in sentences:
        raise CellError("timing", _("工作日数应在1到%(max)s之间：“%(v)s”") % {"max": MAX_WORKDAYS, "v": text})
    raise CellError("timing", _(
        "无法识别的公开时限“%(v)s”：请使用导出文件中的写法，如“及时公开：事项产生后5个工作日内”"
        "“定期公开：每季度结束后10个工作日内”“分阶段公开：每个阶段结束后5个工作日内”“长期公开，每年更新一次”，"
        "或 prompt/5、periodic/quarterly/10、phased/5、standing/yearly") % {"v": text})


def parse_scope(text: str) -> tuple[str, str]:
    """(scope code, targets) of a 公开范围 cell such as “向特定对象公开（全体党员）”."""
    if not text:
        raise CellError("scope", _("请填写公开范围"))
    names = [(str(name), code) for code, name in Scope.choices] + [(code, code) for code in Scope.values]
    for name, code in sorted(names, key=lambda pair: -len(pair[0])):
        if not text.startswith(name):
            continue
        rest = text[len(name):].strip()
        if not rest:
            return code, ""
        if rest[0] in "（(" and rest[-1] in "）)":
            return code, rest[1:-1].strip()
        break
    raise CellError("scope", _("无法识别的公开范围“%(v)s”，可选：%(c)s；公开对象写在其后的括号中，"
                               "如“向特定对象公开（全体党员）”") % {
        "v": text, "c": "、".join(str(name) for name in Scope.labels)})


def parse_channels(text: str) -> list[str]:
    """Channel codes of a 公开方式 cell: labels (or codes) separated by 、，, ; or ；."""
    names = {str(name): code for code, name in Channel.choices} | {code: code for code in Channel.values}
    parts = [p for p in CHANNEL_SEPARATORS.split(text) if p]
    if not parts:
        raise CellError("channels", _("请填写公开方式"))
    unknown = [p for p in parts if p not in names]
    if unknown:
        raise CellError("channels", _("未知的公开方式：%(v)s，可选：%(c)s") % {
            "v": "、".join(f"“{u}”" for u in unknown), "c": "、".join(str(name) for name in Channel.labels)})
    return list(dict.fromkeys(names[p] for p in parts))


def parse_remarks(text: str) -> tuple[int | None, str]:
    """(notice period, remarks) of a 备注 cell: the export puts “公示N个工作日；” first."""
    found = NOTICE.match(text)
    if found is None:
        return None, text
    return int(found.group(1)), (found.group(2) or "").strip()


def parse_yes_no(text: str, field: str) -> bool:
    """A 是/否 cell (Excel's TRUE/FALSE too); blank is 否."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(field, _("请填写“是”或“否”：“%(v)s”") % {"v": text})


def parse_item(text: str) -> tuple[str, str]:
    """(category, item) of a 公开事项 cell “类别：事项”, split on the first full-width colon."""
    category, colon, item = text.partition("：")
    return (category.strip(), item.strip()) if colon else ("", text)


def row_of(values: dict[str, str]) -> tuple[dict[str, Any], list[CellError]]:
    """A catalogue row from one line of the file, and what is wrong with it (every field)."""
    row: dict[str, Any] = {"number": values["number"], "content": values["content"],
                           "responsible": values["responsible"], "basis": values["basis"]}
    errors: list[CellError] = []
    row["category"], row["item"] = parse_item(values["item"])
    row["notice_workdays"], row["remarks"] = parse_remarks(values["remarks"])
    try:
        row["scope"], row["targets"] = parse_scope(values["scope"])
    except CellError as error:
        errors.append(error)
        row["scope"], row["targets"] = _STAND_IN["scope"], _STAND_IN["targets"]
    try:
        row["timing"] = parse_timing(values["timing"])
    except CellError as error:
        errors.append(error)
        row["timing"] = _STAND_IN["timing"]
    try:
        row["channels"] = parse_channels(values["channels"])
    except CellError as error:
        errors.append(error)
        row["channels"] = _STAND_IN["channels"]
    if RISK in values:  # only when the file has the column
        try:
            row[RISK] = parse_yes_no(values[RISK], RISK)
        except CellError as error:
            errors.append(error)
    # clean_row stops at the first bad field: stand in for it and check again, so that one
    # upload reports every bad cell of the row.
    for _attempt in range(len(ROW_FIELDS) + 1):
        try:
            return clean_row(row), errors
        except ValidationError as error:
            details = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            for field, messages in details.items():
                errors += [CellError(field, m) for m in messages]
                if field not in _STAND_IN:
                    return row, errors
                row[field] = _STAND_IN[field]
    return row, errors


# ---------------------------------------------------------------------------------------------
# The file

@dataclass
class _Line:
    row: int  # as Excel shows it
    values: dict[str, Any]
    cells: dict[str, str]


class _Check:
    def __init__(self, version: CatalogueVersion, report: ImportReport, columns: ColumnMap) -> None:
        self.version = version
        self.report = report
        self.columns = columns
        self.lines: list[_Line] = []
        self.existing = {e.number: e for e in version.entries.order_by("position", "id")}

    def error(self, row: int, field: str, message: str) -> None:
        column = FIELD_COLUMN.get(field, "")
        self.report.errors.append(RowError(row, self.columns.label(column) if column else "", message))

    def parse(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        seen: dict[str, int] = {}
        for number, cells in rows:
            self.report.rows += 1
            if self.report.rows > MAX_ENTRIES:
                self.error(number, "number", _("目录最多%(n)s项，文件中的行数过多") % {"n": MAX_ENTRIES})
                return
            cells_of = self.columns.values(cells)
            values, errors = row_of(cells_of)
            for problem in errors:
                self.error(number, problem.field, problem.message)
            # A 序号 already reported holds a stand-in: not a number to compare.
            key = "" if any(e.field == "number" for e in errors) else str(values["number"])
            if key and key in seen:
                self.error(number, "number", _("序号重复：与第 %(n)s 行相同") % {"n": seen[key]})
            seen.setdefault(key, number)
            if not errors:
                self.lines.append(_Line(number, values, cells_of))

    def link(self) -> None:
        """Keep each row's template row and wider-scope reason, then check the template's scope."""
        claimed = {self.existing[line.values["number"]].template_row_number
                   for line in self.lines if line.values["number"] in self.existing}
        based_on = self.version.based_on
        for line in self.lines:
            values = line.values
            current = self.existing.get(values["number"])
            if current is not None:
                # "类别：事项" and "公示N个工作日；" cannot be told from an item or a remark that
                # happens to read so; the version's own entry says which it was.
                if not current.category and current.item == line.cells["item"]:
                    values["category"], values["item"] = "", current.item
                if current.notice_workdays is None and current.remarks == line.cells["remarks"]:
                    values["notice_workdays"], values["remarks"] = None, current.remarks
                values["template_row_number"] = current.template_row_number
                values["wider_scope_reason"] = current.wider_scope_reason
            else:
                template_row = based_on.row(values["number"]) if based_on else None
                linked = template_row is not None and values["number"] not in claimed and \
                    template_row.get("item") == values["item"]
                values["template_row_number"] = values["number"] if linked else None
                values["wider_scope_reason"] = ""
            template_row = based_on.row(values["template_row_number"]) if based_on else None
            if RISK not in line.cells:  # no 风险评估 column: keep the entry's (or template's) setting
                values[RISK] = current.requires_risk_assessment if current is not None else \
                    flags_of(template_row or {})[RISK]
            values[RISK] = bool(values.get(RISK, False))
            if template_row is not None and not values["wider_scope_reason"]:
                base = str(template_row["scope"])
                if is_wider(values["scope"], base):
                    self.error(line.row, "scope", _(
                        "公开范围（%(new)s）比模板（%(base)s）宽，须说明理由：文件中无法填写理由，"
                        "请先在页面上修改该事项并填写“扩大公开范围的理由”，或改回模板的公开范围") % {
                        "new": Scope(values["scope"]).label, "base": Scope(base).label})

    def count(self) -> bool:
        """Fill the report's counts; whether anything would change at all."""
        numbers = {line.values["number"] for line in self.lines}
        for line in self.lines:
            current = self.existing.get(line.values["number"])
            if current is None:
                self.report.created += 1
            elif any(getattr(current, f) != line.values[f] for f in ENTRY_FIELDS):
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        removed = [n for n in self.existing if n not in numbers]
        self.report.details = {"removed": len(removed)}
        same_order = [line.values["number"] for line in self.lines] == list(self.existing)
        return bool(self.report.created or self.report.updated or removed or not same_order)


def _replace_errors(error: ValidationError, lines: list[_Line]) -> list[RowError]:
    """entries_replace's errors (keyed `entries.N`, N counting from 1) on the file's rows."""
    found: list[RowError] = []
    details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for key, messages in details.items():
        index = key.removeprefix("entries.")
        at = lines[int(index) - 1].row if index.isdecimal() and 0 < int(index) <= len(lines) else 0
        prefix = _("第%(i)s行：") % {"i": index}
        found += [RowError(at, "", str(m).removeprefix(prefix)) for m in messages]
    return found


def catalogue_import(*, actor: Any, version: CatalogueVersion, data: bytes, file_name: str,
                     dry_run: bool = False) -> ImportReport:
    """Replace every entry of an editable catalogue version with the rows of a spreadsheet in
    the export's columns. Bad cells make the whole file change nothing; the report names them.
    A file identical to the version changes nothing either (no audit event, and a returned
    version stays returned); `details["written"]` is 1 only when the entries were replaced."""
    report = ImportReport("catalogue", Path(file_name).name, file_digest(data), dry_run)
    with transaction.atomic():
        # The rows are checked against the entries they replace: hold them still meanwhile.
        version = (CatalogueVersion.objects.select_for_update(of=("self",))
                   .select_related("catalogue__org", "based_on").get(pk=version.pk))
        require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
        if not version.is_editable:
            raise ValidationError({"status": [_("当前状态为“%(s)s”，不能导入") % {
                "s": Status(version.status).label}]})
        try:
            table = read_table(data, file_name)
            columns = map_columns(table.headers, COLUMNS)
            report.ignored_columns = columns.ignored
            if columns.errors:
                report.errors = columns.errors
                return report
            check = _Check(version, report, columns)
            check.parse(table.rows)
        except TableError as error:
            report.errors = [RowError(0, "", error.message)]
            return report
        if not report.rows:
            report.errors.append(RowError(2, "", _("文件中没有数据行")))
        if report.errors:
            report.errors.sort(key=lambda e: e.row)
            return report
        check.link()
        if report.errors:
            report.errors.sort(key=lambda e: e.row)
            return report
        changes = check.count()
        if dry_run or not changes:
            return report
        try:
            entries_replace(actor=actor, version=version, rows=[line.values for line in check.lines])
        except ValidationError as error:
            # Not expected after the checks above; still reported on the file's rows.
            report.errors = _replace_errors(error, check.lines)
            report.created = report.updated = report.unchanged = 0
            return report
        record(actor=actor, action="catalogue.import", obj=version, org=version.catalogue.org,
               new={"version": version.number, "file_name": report.file_name, "sha256": report.sha256,
                    "rows": report.rows, "created": report.created, "updated": report.updated,
                    "unchanged": report.unchanged, **report.details})
        report.details["written"] = 1
    return report


def editable_version(org: Any) -> CatalogueVersion | None:
    """The org's version that can be imported into (a draft or a returned version), if any."""
    return (CatalogueVersion.objects.filter(catalogue__org=org, status__in=EDITABLE)
            .select_related("catalogue__org", "based_on").first())
