"""REST endpoints that hand out a catalogue version as a file: PDF (for printing) and XLSX, in
the customary columns. Readable by the same callers as `catalogues_get`: the published versions
by anyone, without a token; working versions only by those who may read the org's working
papers; 404 for everyone else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from gongkai.api.errors import READ_ERRORS
from gongkai.api.fields import Id
from gongkai.catalogue import queries
from gongkai.catalogue.api import PUBLIC_READ
from gongkai.catalogue.pdf import catalogue_pdf
from gongkai.catalogue.printable import XLSX_TYPE, catalogue_xlsx, export_filename, printable_rows

router = Router(tags=["catalogues"])
PDF_TYPE = "application/pdf"


def _file_response(media_type: str, description: str) -> dict[str, Any]:
    # ninja describes only JSON bodies; a file's 200 is declared here by hand.
    return {"responses": {200: {"description": description, "content": {
        media_type: {"schema": {"type": "string", "format": "binary"}}}}}}


def _attachment(body: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/catalogues/{int:id}/export.pdf", response=READ_ERRORS, auth=PUBLIC_READ,
            operation_id="catalogues_export_pdf",
            summary="目录版本导出为 PDF（A4 横向，惯用列）；生效和已废止的版本无需登录即可下载",
            openapi_extra=_file_response(PDF_TYPE, "PDF 文件"))
def catalogues_export_pdf(request: HttpRequest, id: Id) -> HttpResponse:
    version = queries.get_version_for(request.user, id)
    return _attachment(catalogue_pdf(version, printable_rows(version)), PDF_TYPE,
                       export_filename(version, "pdf"))


@router.get("/catalogues/{int:id}/export.xlsx", response=READ_ERRORS, auth=PUBLIC_READ,
            operation_id="catalogues_export_xlsx",
            summary="目录版本导出为 XLSX（惯用列加“风险评估”列）；生效和已废止的版本无需登录即可下载",
            openapi_extra=_file_response(XLSX_TYPE, "XLSX 文件"))
def catalogues_export_xlsx(request: HttpRequest, id: Id) -> HttpResponse:
    version = queries.get_version_for(request.user, id)
    return _attachment(catalogue_xlsx(version), XLSX_TYPE,
                       export_filename(version, "xlsx"))
