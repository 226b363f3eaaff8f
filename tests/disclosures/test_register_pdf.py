"""The register (登记簿) as a PDF to print and file: the title, the columns of the XLSX, the header
on every page, page numbers, the font embedded and drawn as glyphs; downloadable by exactly those
who may read the register."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from gongkai.disclosures import actions
from gongkai.disclosures.register import COLUMNS, Row, to_pdf
from tests.api.conftest import BACKEND
from tests.disclosures.conftest import DW, approved
from tests.pdf_checks import assert_fonts_embedded, assert_glyphs_drawn, render

pytestmark = pytest.mark.django_db

HEADER = "".join(str(c) for c in COLUMNS)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text without whitespace: wrapping inside a cell breaks lines anywhere."""
    assert pdf.startswith(b"%PDF-")
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def entry(n: int, steps: int = 3) -> Row:
    return Row(
        n,
        timezone.now(),
        {
            "register_number": f"town-2026-D{n:05d}",
            "kind": "publish",
            "index_number": f"town-2026-{n:04d}",
            "title": f"第{n}号事项" + "关于党费收缴情况的公示" * (n % 4 + 1),
            "doc_number": "某镇发〔2026〕12号",
            "scope": "party",
            "channels": ["bulletin_board"],
            "published_at": "2026-05-03T14:20:00+08:00",
            "proposed_by": "王专员",
            "steps": [
                {
                    "step_label": "审核",
                    "by": "李审核",
                    "at": "2026-05-02T10:00:00+08:00",
                    "opinion": "同意" * (n % 9 + 1),
                }
            ]
            * steps,
        },
    )


def test_the_officer_downloads_the_year_as_pdf(dw: DW, tmp_path) -> None:
    item = approved(dw, doc_number="某镇发〔2026〕12号")
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    year = timezone.localdate().year
    response = _client(dw.w.officer).get("/staff/orgs/town/register/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="register-town-{year}.pdf"'
    (text,) = pages_text(response.content)
    assert text.startswith(f"某某镇党委{year}年党务公开登记簿共1条登记")
    assert HEADER in text
    # The same cells as the page and the XLSX: register number, index number, document number,
    # and who decided each step.
    assert f"town-{year}-D00001发布{item.index_number}" in text
    assert "某镇发〔2026〕12号" in text and "审批：张书记" in text
    assert text.endswith("第1页共1页")
    assert_fonts_embedded(response.content)
    # Rendered, the title and the column heads are glyphs, not blanks or boxes.
    image, boxes = render(response.content, save_to=tmp_path / "register.png")
    assert_glyphs_drawn(image, boxes, "某镇党委务公开登记簿号类型索引标题文范围方式")


def test_another_year_is_an_empty_register(dw: DW) -> None:
    actions.disclosure_publish(actor=dw.w.officer, item=approved(dw))
    response = _client(dw.w.officer).get("/staff/orgs/town/register/export.pdf?year=2020")
    assert response["Content-Disposition"] == 'attachment; filename="register-town-2020.pdf"'
    (text,) = pages_text(response.content)
    assert "某某镇党委2020年党务公开登记簿共0条登记" in text and HEADER in text and "本年度尚无登记。" in text


def test_a_long_register_runs_to_numbered_pages_with_the_header_on_each(dw: DW) -> None:
    rows = [entry(n) for n in range(1, 121)]
    pages = pages_text(to_pdf(rows, dw.w.town, 2026))
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert text.count(HEADER) == 1, f"page {number} has not one header row"
        assert text.endswith(f"第{number}页共{total}页")
    assert "某某镇党委2026年党务公开登记簿" in pages[0] and "登记簿" not in pages[1].replace(HEADER, "")
    whole = "".join(pages)
    found = [whole.find(f"town-2026-D{n:05d}") for n in range(1, 121)]
    assert -1 not in found and found == sorted(found)


def test_a_cell_longer_than_a_page_continues_and_text_is_not_markup(dw: DW) -> None:
    long = entry(1, steps=400)
    markup = Row(2, timezone.now(), {**entry(2, steps=0).data, "title": "<b>加粗</b> & <br/>标题"})
    pages = pages_text(to_pdf([long, markup], dw.w.town, 2026))
    assert len(pages) >= 2
    whole = "".join(pages)
    assert whole.count("审核：李审核") == 400
    assert "<b>加粗</b>&<br/>标题" in whole


def test_times_are_on_the_beijing_clock_not_cut_from_utc(dw: DW) -> None:
    row = Row(
        1,
        timezone.now(),
        {
            **entry(1, steps=0).data,
            "published_at": "2026-05-02T23:30:00+00:00",
            "steps": [{"step_label": "审批", "by": "张书记", "at": "2026-05-02T17:00:00+00:00"}],
        },
    )
    assert row.cells()[7] == "2026-05-03 07:30" and row.cells()[9] == "审批：张书记 2026-05-03"
    assert "2026-05-0307:30" in pages_text(to_pdf([row], dw.w.town, 2026))[0]


def test_the_register_page_links_the_pdf_next_to_the_xlsx(dw: DW) -> None:
    html = _client(dw.w.officer).get("/staff/orgs/town/register/?year=2025").content.decode()
    assert 'href="/staff/orgs/town/register/export.xlsx?year=2025"' in html
    assert 'href="/staff/orgs/town/register/export.pdf?year=2025" id="register-pdf"' in html


def test_the_superior_may_download_and_outsiders_get_404(dw: DW) -> None:
    actions.disclosure_publish(actor=dw.w.officer, item=approved(dw))
    url = "/staff/orgs/town/register/export.pdf"
    assert _client(dw.county_officer).get(url).status_code == 200
    assert _client(dw.w.outsider).get(url).status_code == 404
    assert _client(dw.w.officer).get("/staff/orgs/nosuch/register/export.pdf").status_code == 404
    assert _client(dw.w.officer).get(f"{url}?year=1999").status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
