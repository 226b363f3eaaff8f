"""A catalogue as it is printed and exported (打印、导出): the customary columns, one row per
entry, and the XLSX file. The printable page, the XLSX and PDF exports of the staff pages and
the API all read from here, so a printed catalogue looks the same whichever way it was made."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue import queries
from gongkai.catalogue.models import CatalogueVersion, Entry
from gongkai.catalogue.timing import describe
from gongkai.catalogue.vocab import Channel, Scope
from gongkai.tabular import write_table

# The customary columns of a printed catalogue.
COLUMNS = (gettext_lazy("序号"), gettext_lazy("公开事项"), gettext_lazy("公开内容"),
           gettext_lazy("责任部门"), gettext_lazy("公开范围"), gettext_lazy("公开时限"),
           gettext_lazy("公开方式"), gettext_lazy("依据"), gettext_lazy("备注"))
# The XLSX export adds, after the customary columns, the row's settings that a printed
# catalogue leaves out, so that export → edit in Excel → import keeps them (catalogue.importing).
EXPORT_COLUMNS = (*COLUMNS, gettext_lazy("风险评估"))
SCOPES = dict(Scope.choices)
CHANNELS = dict(Channel.choices)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_text(entry: Entry) -> str:
    text = str(SCOPES.get(entry.scope, entry.scope))
    return f"{text}（{entry.targets}）" if entry.targets else text


def printable_row(entry: Entry) -> list[str]:
    """One row with the customary columns, as the printed page and the exports show it."""
    item = f"{entry.category}：{entry.item}" if entry.category else entry.item
    remarks = entry.remarks
    if entry.notice_workdays:
        notice = _("公示%(n)s个工作日") % {"n": entry.notice_workdays}
        remarks = f"{notice}；{remarks}" if remarks else notice
    return [entry.number, item, entry.content, entry.responsible, _scope_text(entry),
            describe(entry.timing), "、".join(str(CHANNELS.get(c, c)) for c in entry.channels),
            entry.basis, remarks]


def printable_rows(version: CatalogueVersion) -> list[list[str]]:
    return [printable_row(e) for e in queries.entries_of(version)]


def yes_no(value: object) -> str:
    return _("是") if value else _("否")


def export_row(entry: Entry) -> list[str]:
    """One row of the XLSX export: the customary columns, then EXPORT_COLUMNS' settings."""
    return [*printable_row(entry), yes_no(entry.requires_risk_assessment)]


def export_filename(version: CatalogueVersion, extension: str) -> str:
    # ASCII only: the org's code, not its Chinese name, so every browser keeps the name as is.
    return f"catalogue-{version.catalogue.org.code}-v{version.number}.{extension}"


def catalogue_xlsx(version: CatalogueVersion) -> bytes:
    """The version as an XLSX file that `catalogue.importing` reads back unchanged."""
    rows = [export_row(e) for e in queries.entries_of(version)]
    buffer = io.BytesIO()
    write_table(buffer, [str(c) for c in EXPORT_COLUMNS], rows, sheet_title=_("党务公开目录"))
    return buffer.getvalue()
