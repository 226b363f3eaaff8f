"""A catalogue version as a printable PDF (导出 PDF): landscape A4, the customary columns, the
header row repeated on every page, "第 x 页 共 y 页" at the foot.

Built with reportlab, pure Python, in the font of gongkai.pdf_fonts, embedded in the file: it
prints the same on a machine without any Chinese font. (reportlab's built-in STSong-Light was
only named in the PDF and came out as boxes there.) WeasyPrint (DESIGN.md) would need Pango from
the system and an installed CJK font, which a fresh machine with only Python does not have."""

from __future__ import annotations

import functools
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongkai.catalogue.models import CatalogueVersion
from gongkai.catalogue.printable import COLUMNS
from gongkai.pdf_fonts import pdf_font

MARGIN = 15 * mm
# Shares of the printable width, in the order of COLUMNS: the free-text columns get the room.
WIDTHS = (0.05, 0.13, 0.20, 0.09, 0.10, 0.13, 0.09, 0.12, 0.09)
# The least of a row, in points, left at the foot of a page when the row breaks: two lines.
MIN_PIECE = 30


@functools.cache
def _styles(font: str) -> dict[str, ParagraphStyle]:
    # CJK wrapping breaks a line between any two characters, as Chinese typesetting does.
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11.5, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER,
                                wordWrap="CJK"),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER,
                               wordWrap="CJK"),
        "head": ParagraphStyle("head", parent=cell, fontSize=9.5, alignment=TA_CENTER),
        "cell": cell,
    }


def paragraph_text(value: str) -> str:
    """`value` for a reportlab Paragraph: Paragraph reads a small XML markup, and the user's text
    must not be taken for tags; line breaks are kept."""
    return escape(value.replace("\r\n", "\n")).replace("\n", "<br/>")


def _date(moment: Any) -> str:
    return format_date(timezone.localtime(moment), "Y年n月j日")


def _meta(version: CatalogueVersion) -> str:
    parts = [_("状态：%(s)s") % {"s": version.get_status_display()}]
    if version.acknowledged_at:
        parts.append(_("施行日期：%(d)s") % {"d": _date(version.acknowledged_at)})
    if version.superseded_at:
        parts.append(_("废止日期：%(d)s") % {"d": _date(version.superseded_at)})
    return "　　".join(parts)


class NumberedCanvas(Canvas):
    """Holds every page back until the end, so that each can say how many pages there are.
    (The register's PDF, gongkai.disclosures.register, numbers its pages with it too.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Else every page would start in Helvetica, which is not embedded: the PDF would name a font
        # for the reader to supply, though no text is set in it. (Templates pass None.)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or pdf_font()
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(pdf_font(), 9)
            width, _height = self._pagesize
            self.drawCentredString(width / 2, MARGIN / 2,
                                   _("第 %(x)s 页 共 %(y)s 页") % {"x": number, "y": total})
            super().showPage()
        super().save()


def ruled_table(data: list[list[Any]], widths: list[float], font_name: str) -> Table:
    """A ruled table with a shaded header row repeated on every page. A row may break across
    pages, as in a Word table, when at least MIN_PIECE of it fits; else it moves whole to the
    next page, so an entry longer than a page continues instead of failing. (Splitting between
    rows first, splitByRow=1, makes reportlab try the rest of the table in the space left on the
    same page and print a second header row there.)"""
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=MIN_PIECE)
    table.setStyle(TableStyle([
        # The cells are Paragraphs in their own font; without this the table still selects its
        # default Helvetica for each cell, and the PDF names that font too.
        ("FONTNAME", (0, 0), (-1, -1), font_name),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def catalogue_pdf(version: CatalogueVersion, rows: list[list[str]]) -> bytes:
    """The version's catalogue as PDF bytes; `rows` are in the customary columns
    (gongkai.catalogue.printable.printable_rows)."""
    styles = _styles(pdf_font())
    org = version.catalogue.org
    title = _("%(org)s党务公开目录（第%(n)s版）") % {"org": org.name, "n": version.number}
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title,
                            author=org.name, creator=_("党务公开平台"))
    width = page[0] - 2 * MARGIN
    data = [[Paragraph(paragraph_text(str(c)), styles["head"]) for c in COLUMNS]]
    data += [[Paragraph(paragraph_text(cell), styles["cell"]) for cell in row] for row in rows]
    table = ruled_table(data, [width * share for share in WIDTHS], styles["cell"].fontName)
    story: list[Any] = [Paragraph(paragraph_text(title), styles["title"]), Spacer(1, 2 * mm),
                        Paragraph(paragraph_text(_meta(version)), styles["meta"]), Spacer(1, 4 * mm), table]
    if not rows:
        story.append(Paragraph(paragraph_text(_("本目录没有事项。")), styles["meta"]))
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
