"""REST endpoint for importing a catalogue version's entries from the spreadsheet its export
writes: take the upload, call the import action, render its report. Bad rows answer 422 in the
one error shape with every bad cell in `details`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile
from pydantic import Field

from gongkai.api.errors import ERROR_RESPONSES, ApiError, ErrorOut
from gongkai.api.fields import Id
from gongkai.catalogue import queries
from gongkai.catalogue.importing import catalogue_import
from gongkai.tabular import RowError

router = Router(tags=["catalogues"])
ACCEPTED = {".xlsx", ".xlsm", ".csv", ".txt"}


class RowErrorOut(Schema):
    row: int = Field(description="Excel 中的行号（第1行是列名）；0 表示整个文件")
    column: str = Field(description="文件中的列名；空表示整行或整个文件")
    message: str


class ImportOut(Schema):
    file_name: str
    sha256: str
    dry_run: bool
    applied: bool = Field(description="是否已写入；只检查或内容与该版本完全相同时为 false")
    rows: int = Field(description="文件中的数据行数")
    created: int = Field(description="新增的事项（该版本中没有的序号）")
    updated: int = Field(description="内容有变化的事项")
    unchanged: int
    removed: int = Field(description="文件中没有、将被删除的事项")
    ignored_columns: list[str]
    errors: list[RowErrorOut] = Field(description="200 时总为空；有错误时返回 422，错误在 details 中")


def _error_out(error: RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "message": error.message}


@router.post("/catalogues/{int:id}/import", response={200: ImportOut, 413: ErrorOut, **ERROR_RESPONSES},
             operation_id="catalogues_import",
             summary="从导出的 Excel（或 CSV）整体替换草稿或被退回版本的全部事项；有任何错误则不导入（422）")
def catalogues_import(request: HttpRequest, id: Id, file: File[UploadedFile],
                      dry_run: Form[bool] = False) -> dict[str, Any]:
    user = request.user
    version = queries.get_version_for(user, id)
    limit = settings.UPLOAD_MAX_BYTES
    if Path(file.name or "").suffix.lower() not in ACCEPTED:
        raise ApiError(422, "invalid_file", _("请上传 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）"))
    if (file.size or 0) > limit:
        raise ApiError(413, "too_large", _("文件过大：不能超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)})
    report = catalogue_import(actor=user, version=version, data=file.read(), file_name=file.name or "",
                              dry_run=dry_run)
    if not report.ok:
        raise ApiError(422, "invalid_rows",
                       _("文件中有 %(n)s 处错误，未导入任何数据") % {"n": len(report.errors)},
                       [_error_out(e) for e in report.errors])
    return {"file_name": report.file_name, "sha256": report.sha256, "dry_run": report.dry_run,
            "applied": bool(report.details.get("written")),
            "rows": report.rows, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "removed": report.details.get("removed", 0),
            "ignored_columns": report.ignored_columns, "errors": []}
