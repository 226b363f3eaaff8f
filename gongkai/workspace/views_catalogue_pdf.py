"""The staff pages' PDF export of a catalogue version (导出 PDF), beside the printable page and
the XLSX export in views_catalogue. Readable by whoever may read the version, as the XLSX is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from gongkai.catalogue import queries
from gongkai.catalogue.pdf import catalogue_pdf
from gongkai.catalogue.printable import export_filename, printable_rows


@login_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = queries.get_version_for(request.user, pk)
    response = HttpResponse(catalogue_pdf(version, printable_rows(version)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(version, "pdf")}"'
    return response
