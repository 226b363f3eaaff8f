"""The register (登记簿): one entry for every publication, amendment and withdrawal, with its
register number, index number, title, org, scope, channels, dates, and the people and opinions
of each step of the procedure.

Entries ARE audit events (action `register.publish` / `register.amend` / `register.withdraw`):
they sit in the audit trail's hash chain, so `gongkai audit verify` proves the register
untampered along with everything else, and there is no second copy to drift."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from gongkai.audit.chain import record
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.pdf import MARGIN, NumberedCanvas, paragraph_text, ruled_table
from gongkai.catalogue.vocab import Channel, Scope
from gongkai.disclosures.models import Disclosure, IndexSequence, Workflow
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can
from gongkai.pdf_fonts import pdf_font
from gongkai.tabular import write_table

ACTIONS = {"publish": "register.publish", "amend": "register.amend", "withdraw": "register.withdraw"}
KIND_LABELS = {"register.publish": _l("发布"), "register.amend": _l("变更"), "register.withdraw": _l("撤销")}
COLUMNS = (
    _l("登记号"),
    _l("类型"),
    _l("索引号"),
    _l("标题"),
    _l("文号"),
    _l("公开范围"),
    _l("公开方式"),
    _l("发布时间"),
    _l("提出人"),
    _l("办理过程"),
)
# Shares of the printable width of the PDF, in the order of COLUMNS: the title and the steps of
# the procedure (people, dates, opinions) get the room.
PDF_WIDTHS = (0.10, 0.045, 0.115, 0.17, 0.09, 0.06, 0.08, 0.075, 0.06, 0.205)


def _next_number(org: Org, year: int) -> str:
    sequence, _created = IndexSequence.objects.select_for_update().get_or_create(
        org=org, year=year, series="register"
    )
    IndexSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{org.code}-{year}-D{sequence.last:05d}"


def _person(user: Any) -> str:
    return "" if user is None else str(user.real_name or user.username)


def record_entry(kind: str, item: Disclosure, workflow: Workflow | None, actor: Any) -> AuditEvent:
    """Write the register entry for `item` (in the caller's transaction)."""
    revision = item.published_revision or item.current
    assert revision is not None
    now = timezone.now()
    steps = []
    if workflow is not None:
        for task in workflow.tasks.select_related("org", "decided_by").order_by("position"):
            steps.append(
                {
                    "step": task.step,
                    "step_label": str(task.get_step_display()),
                    "org": task.org.code,
                    "status": task.status,
                    "by": _person(task.decided_by),
                    "at": task.decided_at.isoformat() if task.decided_at else None,
                    "opinion": task.opinion,
                    **({"meeting": task.details["meeting"]} if "meeting" in task.details else {}),
                }
            )
    snapshot = {
        "register_number": _next_number(item.org, timezone.localdate(now).year),
        "kind": kind,
        "index_number": item.index_number,
        "title": revision.title,
        "doc_number": revision.doc_number,
        "org": item.org.code,
        "org_name": item.org.name,
        "scope": revision.scope,
        "channels": revision.channels,
        "go_live_at": item.go_live_at.isoformat() if item.go_live_at else None,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "revision": revision.number,
        "content_hash": revision.content_hash,
        "proposed_by": _person(workflow.started_by) if workflow else "",
        "explanation": workflow.explanation if workflow else "",
        "steps": steps,
    }
    return record(
        actor=actor,
        action=ACTIONS[kind],
        obj=item,
        object_repr=f"{item.index_number} {revision.title}",
        org=item.org,
        new=snapshot,
    )


def _local(moment: str | None, pattern: str) -> str:
    """A moment of the snapshot (ISO 8601, stored in UTC) as the reader's clock shows it: cut from
    the UTC text, a publication at 07:00 in Beijing would be dated the day before."""
    if not moment:
        return ""
    return timezone.localtime(datetime.fromisoformat(moment)).strftime(pattern)


@dataclass(frozen=True)
class Row:
    seq: int
    recorded_at: datetime
    data: dict[str, Any]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(f"register.{self.data.get('kind')}", ""))

    def cells(self) -> list[str]:
        d = self.data
        scope = str(dict(Scope.choices).get(d.get("scope", ""), d.get("scope", "")))
        channels = "、".join(str(dict(Channel.choices).get(c, c)) for c in d.get("channels", []))
        steps = "；".join(
            f"{s['step_label']}：{s['by']} {_local(s.get('at'), '%Y-%m-%d')} {s.get('opinion') or ''}".strip()
            for s in d.get("steps", [])
        )
        return [
            d.get("register_number", ""),
            self.kind_label,
            d.get("index_number", ""),
            d.get("title", ""),
            d.get("doc_number", ""),
            scope,
            channels,
            _local(d.get("published_at"), "%Y-%m-%d %H:%M"),
            d.get("proposed_by", ""),
            steps,
        ]


def entries(user: Any, org: Org, year: int) -> QuerySet[AuditEvent] | None:
    """The register of `org` for `year`, oldest first; None when the user may not see it (the
    register is the org's working record: its own and its superiors' staff)."""
    if not can(user, Action.ORG_VIEW, org):
        return None
    return AuditEvent.objects.filter(
        action__in=ACTIONS.values(), org_id=org.pk, created_at__year=year
    ).order_by("seq")


def rows(events: QuerySet[AuditEvent]) -> list[Row]:
    return [Row(e.seq, e.created_at, e.new) for e in events]


def to_xlsx(register_rows: list[Row]) -> bytes:
    buffer = io.BytesIO()
    headers = [str(c) for c in COLUMNS]
    write_table(buffer, headers, (r.cells() for r in register_rows), sheet_title=_("登记簿"))
    return buffer.getvalue()


def _pdf_styles(font: str) -> dict[str, ParagraphStyle]:
    # CJK wrapping breaks a line between any two characters (also inside a long register or
    # index number), as Chinese typesetting does.
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10.5, wordWrap="CJK")
    centred = {"alignment": TA_CENTER, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, **centred),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=10, leading=14, **centred),
        "head": ParagraphStyle("head", parent=cell, fontSize=9, **centred),
        "cell": cell,
    }


def to_pdf(register_rows: list[Row], org: Org, year: int) -> bytes:
    """The register of `org` for `year` as a PDF to print and file: landscape A4, the columns of
    the XLSX, the header row on every page, "第 x 页 共 y 页" at the foot, the font embedded
    (gongkai.pdf_fonts) so that it prints the same on any machine."""
    styles = _pdf_styles(pdf_font())
    title = _("%(org)s%(year)s年党务公开登记簿") % {"org": org.name, "year": year}
    meta = _("共 %(n)s 条登记　　导出时间：%(at)s") % {
        "n": len(register_rows),
        "at": format_date(timezone.localtime(), "Y年n月j日 H:i"),
    }
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title, author=org.name,
                            creator=_("党务公开平台"))
    width = page[0] - 2 * MARGIN
    data = [[Paragraph(paragraph_text(str(c)), styles["head"]) for c in COLUMNS]]
    data += [[Paragraph(paragraph_text(cell), styles["cell"]) for cell in r.cells()] for r in register_rows]
    table = ruled_table(data, [width * share for share in PDF_WIDTHS], styles["cell"].fontName)
    story: list[Any] = [Paragraph(paragraph_text(title), styles["title"]), Spacer(1, 2 * mm),
                        Paragraph(paragraph_text(meta), styles["meta"]), Spacer(1, 4 * mm), table]
    if not register_rows:
        story.append(Paragraph(paragraph_text(_("本年度尚无登记。")), styles["meta"]))
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
