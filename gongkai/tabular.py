"""Spreadsheets in and out: read an XLSX or CSV file that an officer edited in Excel (or WPS),
write XLSX/CSV for export, and the row-error report every import gives back.

CSV may be UTF-8 (with or without the BOM Excel adds), UTF-16 with a BOM (Excel's "Unicode text",
tab-separated), or GBK/GB18030 (what Excel on a Chinese Windows writes by default). Cells come
back as stripped strings; wholly blank rows are skipped; row numbers are the ones Excel shows,
the header being row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
# Excel's own row limit: a bigger "spreadsheet" is not one an officer edited.
MAX_ROWS = 1_048_576


class TableError(Exception):
    """The file cannot be read as a table at all (not a row's fault)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    # (row number as Excel shows it, cell texts); blank rows are already skipped.
    rows: Iterator[tuple[int, list[str]]]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did or, when `errors` is not empty, why it did nothing."""

    kind: str
    file_name: str
    sha256: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run


# ---------------------------------------------------------------------------------------------
# Reading

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Excel stores a typed-in phone number or numeric code as a float.
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _rows_from(values: Iterable[Sequence[Any]]) -> Iterator[tuple[int, list[str]]]:
    for number, raw in enumerate(values, start=2):
        if number > MAX_ROWS:
            raise TableError(_("文件超过 %(n)s 行，请拆分后导入") % {"n": MAX_ROWS})
        cells = [_cell_text(v) for v in raw]
        if any(cells):
            yield number, cells


def _decodes(data: bytes, encoding: str) -> bool:
    # Validate in slices so a large file is never held twice as a str.
    decoder = codecs.getincrementaldecoder(encoding)()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start:start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]  # GB18030 is a superset of GBK and GB2312
    for encoding in candidates:
        if _decodes(data, encoding):
            return encoding
    raise TableError(_("无法识别文件编码：CSV 文件请使用 UTF-8 或 GBK 编码保存"))


def _read_csv(data: bytes) -> Table:
    encoding = _detect_encoding(data)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first = text.readline()
    text.seek(0)
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TableError(_("CSV 文件格式错误：%(e)s") % {"e": error}) from None
    if header is None:
        raise TableError(_("文件是空的"))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from _rows_from(reader)
        except csv.Error as error:
            raise TableError(_("CSV 文件格式错误：%(e)s") % {"e": error}) from None

    return Table([_cell_text(h) for h in header], rows())


# What openpyxl raises on a damaged or hostile file; anything else is our bug and should show.
_XLSX_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, TypeError,
                IndexError, OSError, ParseError, EOFError)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Some generators write a wrong <dimension>; without this, rows past it are dropped.
        sheet.reset_dimensions()
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
    except (InvalidFileException, *_XLSX_ERRORS):
        raise TableError(_("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")) from None
    if header is None:
        raise TableError(_("文件是空的"))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from _rows_from(values)
        except _XLSX_ERRORS:
            raise TableError(_("无法读取 XLSX 文件：文件已损坏")) from None
        finally:
            book.close()

    return Table([_cell_text(h) for h in header], rows())


def read_table(data: bytes, file_name: str = "") -> Table:
    """The first sheet of an XLSX file, or a CSV file, as a header and rows of strings."""
    suffix = Path(file_name).suffix.lower()
    if suffix in {".xls", ".et"} or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_("不支持旧版 .xls 格式：请在 Excel 中另存为 .xlsx 或 CSV 后再导入"))
    if not data.strip():
        raise TableError(_("文件是空的"))
    if data.startswith(XLSX_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    return _read_csv(data)


# ---------------------------------------------------------------------------------------------
# Columns

@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]
    required: bool = False


def normalise_header(text: str) -> str:
    """`上级代码*`, ` Parent_Code `, `组织关系（党员/职工）` -> `上级代码`, `parent_code`, `组织关系`."""
    text = text.replace("\ufeff", "").strip().lower()
    text = re.split(r"[(（]", text, maxsplit=1)[0]
    return re.sub(r"[\s\u3000*＊:：]", "", text)


@dataclass
class ColumnMap:
    index: dict[str, int]
    labels: dict[str, str]  # field -> the header as written in the file
    ignored: list[str]
    errors: list[RowError]

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def values(self, cells: list[str]) -> dict[str, str]:
        return {name: (cells[i].strip() if i < len(cells) else "") for name, i in self.index.items()}


def map_columns(headers: list[str], columns: Sequence[Column]) -> ColumnMap:
    lookup: dict[str, Column] = {}
    for column in columns:
        for alias in (column.field, *column.aliases):
            lookup[normalise_header(alias)] = column
    result = ColumnMap({}, {}, [], [])
    for position, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            continue
        found = lookup.get(key)
        if found is None:
            result.ignored.append(header)
            continue
        column = found
        if column.field in result.index:
            result.errors.append(RowError(1, header, _("列重复：“%(a)s”和“%(b)s”是同一列")
                                          % {"a": result.labels[column.field], "b": header}))
        else:
            result.index[column.field] = position
            result.labels[column.field] = header
    for column in columns:
        if column.required and column.field not in result.index:
            names = "、".join(dict.fromkeys((column.field, *column.aliases[:1])))
            result.errors.append(RowError(1, column.field,
                                          _("缺少必需的列：%(c)s") % {"c": names}))
    return result


# ---------------------------------------------------------------------------------------------
# Writing

def write_table(target: str | Path | IO[bytes], headers: Sequence[str],
                rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1") -> int:
    """Write XLSX (or CSV in UTF-8 with a BOM, so Excel opens it, when the name ends in .csv).
    Returns the number of data rows written."""
    as_csv = isinstance(target, str | Path) and str(target).lower().endswith(".csv")
    count = 0
    if as_csv:
        with open(target, "w", encoding="utf-8-sig", newline="") as handle:  # type: ignore[arg-type]
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title)
    sheet.append(list(headers))

    def literal(value: Any) -> Any:
        # openpyxl would store "=..." as a formula that Excel then runs: keep it text.
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    for row in rows:
        sheet.append([literal(v) for v in row])
        count += 1
    book.save(target)
    return count
