"""The bulletin board (公开栏) as a PDF: A4 or A3 landscape, as boards hang, in columns (three on
A4, four on A3) read top to bottom, left to right, like the print view.

The first page carries the board's head (org name, 党务公开栏, date, 监督电话); later pages a
running head. Each item is kept in one piece when it fits in a column (a page or column breaks
between items, not inside them); an item longer than a column flows on. Type is sized to be read
standing in front of the board: 11 pt body on A4, 14 pt on A3.

Built like the catalogue's PDF (gongkai.catalogue.pdf): reportlab, the embedded TrueType font of
gongkai.pdf_fonts, "第 x 页 共 y 页" at the foot."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.flowables import HRFlowable

from gongkai.catalogue.pdf import MARGIN, NumberedCanvas, paragraph_text
from gongkai.pdf_fonts import pdf_font
from gongkai.portal import display
from gongkai.portal.display import Posting, Selection

RED = colors.HexColor("#b40000")
MUTED = colors.HexColor("#4d4d4d")


@dataclass(frozen=True)
class Paper:
    size: tuple[float, float]
    columns: int
    gap: float
    scale: float  # type size relative to A4
    head: float  # height of the first page's head


PAPER = {
    "A4": Paper(landscape(A4), columns=3, gap=8 * mm, scale=1.0, head=30 * mm),
    "A3": Paper(landscape(A3), columns=4, gap=10 * mm, scale=1.3, head=40 * mm),
}


@functools.cache
def _styles(font: str, scale: float) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        # CJK wrapping breaks a line between any two characters, as Chinese typesetting does.
        return ParagraphStyle(
            name, fontName=font, fontSize=size * scale, leading=leading * scale, wordWrap="CJK", **kw
        )

    return {
        "board": style("board", 26, 34, alignment=TA_CENTER, textColor=RED),
        "head": style("head", 11, 16, alignment=TA_CENTER),
        "note": style("note", 10, 15, textColor=MUTED),
        "group": style(
            "group",
            13,
            19,
            textColor=colors.white,
            backColor=RED,
            borderPadding=(2, 4, 2, 4),
            spaceBefore=6,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "title": style("title", 13, 18, textColor=RED, spaceAfter=2),
        "meta": style("meta", 8.5, 12, textColor=MUTED, spaceAfter=2),
        "notice": style("notice", 10, 14, textColor=RED, spaceAfter=2),
        "body": style("body", 11, 17, firstLineIndent=22 * scale),
        "more": style("more", 8.5, 12, textColor=MUTED),
    }


def _posting(posting: Posting, styles: dict[str, ParagraphStyle], site: str) -> Flowable:
    parts: list[Flowable] = [
        Paragraph(paragraph_text(posting.title), styles["title"]),
        Paragraph(paragraph_text(display.posting_meta(posting)), styles["meta"]),
    ]
    if posting.notice is not None:
        parts.append(Paragraph(paragraph_text(display.notice_text(posting.notice)), styles["notice"]))
    parts += [Paragraph(paragraph_text(text), styles["body"]) for text in posting.paragraphs]
    if posting.truncated or posting.attachments:
        more = _("全文及附件见：%(url)s") if posting.attachments else _("全文见：%(url)s")
        parts.append(Paragraph(paragraph_text(more % {"url": site + posting.url}), styles["more"]))
    parts.append(
        HRFlowable(
            width="100%",
            thickness=0.4,
            color=colors.HexColor("#bbbbbb"),
            spaceBefore=3 * mm,
            spaceAfter=3 * mm,
            dash=(2, 2),
        )
    )
    return KeepTogether(parts)


def _head(selection: Selection, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    org = selection.org
    line = [format_date(selection.today, "Y年n月j日 l")]
    if org.phone:
        line.append(_("监督电话：%(p)s") % {"p": org.phone})
    if org.address:
        line.append(_("地址：%(a)s") % {"a": org.address})
    return [
        Paragraph(paragraph_text(_("%(org)s　党务公开栏") % {"org": org.name}), styles["board"]),
        Spacer(1, 2 * mm),
        Paragraph(paragraph_text("　　".join(line)), styles["head"]),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2 * mm),
    ]


def _columns(paper: Paper, top: float) -> list[Frame]:
    width, _height = paper.size
    column = (width - 2 * MARGIN - (paper.columns - 1) * paper.gap) / paper.columns
    return [
        Frame(
            MARGIN + i * (column + paper.gap),
            MARGIN,
            column,
            top - MARGIN,
            id=f"column{i}",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        for i in range(paper.columns)
    ]


def _rules(canvas: Canvas, frames: list[Frame], gap: float) -> None:
    """A thin line between the columns, as on a board."""
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#cccccc"))
    canvas.setLineWidth(0.5)
    for frame in frames[1:]:
        x = frame._x1 - gap / 2
        canvas.line(x, frame._y1, x, frame._y1 + frame._height)
    canvas.restoreState()


def bulletin_pdf(selection: Selection, *, paper: str = "A4", site: str = "") -> bytes:
    """The board as PDF bytes; `site` is the web address printed for the full texts."""
    layout = PAPER[paper]
    styles = _styles(pdf_font(), layout.scale)
    org = selection.org
    width, height = layout.size
    title = _("%(org)s党务公开栏") % {"org": org.name}
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=layout.size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=org.name,
        creator=_("党务公开平台"),
    )
    head = Frame(
        MARGIN,
        height - MARGIN - layout.head,
        width - 2 * MARGIN,
        layout.head,
        id="head",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    first = _columns(layout, height - MARGIN - layout.head - 4 * mm)
    running = 8 * mm * layout.scale
    later = _columns(layout, height - MARGIN - running)

    def running_head(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(pdf_font(), 9 * layout.scale)
        canvas.setFillColor(RED)
        canvas.drawString(MARGIN, height - MARGIN - 4 * mm, _("%(org)s党务公开栏（续）") % {"org": org.name})
        canvas.drawRightString(width - MARGIN, height - MARGIN - 4 * mm, display.long_date(selection.today))
        canvas.restoreState()
        _rules(canvas, later, layout.gap)

    doc.addPageTemplates(
        [
            PageTemplate(
                "first", [head, *first], onPage=lambda canvas, _doc: _rules(canvas, first, layout.gap)
            ),
            PageTemplate("later", later, onPage=running_head),
        ]
    )
    story: list[Flowable] = [NextPageTemplate("later"), *_head(selection, styles), FrameBreak()]
    if selection.fallback:
        story.append(Paragraph(paragraph_text(display.fallback_text(selection)), styles["note"]))
    if selection.notices:
        story.append(Paragraph(paragraph_text(_("公示")), styles["group"]))
        story += [_posting(posting, styles, site) for posting in selection.notices]
    for category, postings in selection.groups():
        story.append(Paragraph(paragraph_text(category), styles["group"]))
        story += [_posting(posting, styles, site) for posting in postings]
    if not selection.postings:
        story.append(Paragraph(paragraph_text(_("目前没有现行的公开事项。")), styles["body"]))
    if selection.left_off:
        story.append(Paragraph(paragraph_text(display.left_off_text(selection)), styles["note"]))
    story.append(
        Paragraph(
            paragraph_text(
                _("党务公开网站：%(url)s") % {"url": site + reverse("portal:org", args=[org.code])}
            ),
            styles["note"],
        )
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
