"""Building small spreadsheets in memory for the import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

ORG_HEADER = ["code", "name", "kind", "parent_code", "short_name", "address", "phone"]
PEOPLE_HEADER = ["username", "real_name", "org_code", "affiliation", "roles", "email", "phone"]


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]
