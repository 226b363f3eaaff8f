"""The catalogue as a PDF (and, through the API, as XLSX): the customary columns, the title and
status line, the header on every page, page numbers; readable by exactly those who may read the
version, on the staff pages and in the API."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from gongkai.catalogue.pdf import catalogue_pdf
from gongkai.catalogue.printable import printable_rows
from gongkai.people.models import User
from tests.api.conftest import BACKEND, ApiClient
from tests.catalogue.helpers import village_draft, village_in_force
from tests.pdf_checks import assert_fonts_embedded, assert_glyphs_drawn, render

COLUMNS = ["序号", "公开事项", "公开内容", "责任部门", "公开范围", "公开时限", "公开方式", "依据", "备注"]


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text without whitespace: wrapping inside a cell breaks lines anywhere."""
    assert pdf.startswith(b"%PDF-")
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def login(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def row(n: int, content: str = "内容") -> list[str]:
    return [str(n), f"事项{n}号", content, "支委会", "党内公开", "长期公开", "党务公开栏", "依据", ""]


def test_pdf_has_title_status_in_force_date_columns_and_rows(cw):
    version = village_in_force(cw)
    pages = pages_text(catalogue_pdf(version, printable_rows(version)))
    assert len(pages) == 1
    text = pages[0]
    assert "某某村党支部党务公开目录（第1版）" in text
    assert "状态：生效中" in text and re.search(r"施行日期：\d{4}年\d{1,2}月\d{1,2}日", text)
    assert "".join(COLUMNS) in text
    # The same cells as the printable page and the XLSX export.
    assert "1组织建设：支部委员会组成委员分工支部委员会本单位公开" in text
    assert "定期公开：每半年结束后10个工作日内" in text and "公示7个工作日" in text
    assert text.endswith("第1页共1页")


def test_the_font_is_embedded_and_the_chinese_renders_as_glyphs(cw, tmp_path):
    # The font travels in the file (gongkai.pdf_fonts): a reader without Chinese fonts shows the
    # characters, not boxes. (The former built-in STSong-Light was only named, and rendered blank.)
    version = village_in_force(cw)
    pdf = catalogue_pdf(version, printable_rows(version))
    assert_fonts_embedded(pdf)
    image, boxes = render(pdf, save_to=tmp_path / "catalogue.png")
    assert_glyphs_drawn(image, boxes, "某村党支部务公开目录第版序号事项内容责任")


def test_a_draft_says_so_and_has_no_in_force_date(cw):
    draft = village_draft(cw)
    text = pages_text(catalogue_pdf(draft, printable_rows(draft)))[0]
    assert "状态：草稿" in text and "施行日期" not in text


def test_a_long_catalogue_runs_to_numbered_pages_with_the_header_once_on_each(cw):
    version = village_draft(cw)
    # Rows of mixed height, some of them breaking across a page.
    rows = [row(n, "较长的公开内容" * (n % 7 * 6 + 1)) for n in range(1, 151)]
    pages = pages_text(catalogue_pdf(version, rows))
    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages, start=1):
        assert text.count("".join(COLUMNS)) == 1, f"page {number} has not one header row"
        assert text.endswith(f"第{number}页共{total}页")
    assert "事项1号" in pages[0] and "事项150号" in pages[-1]
    assert "事项150号" not in pages[0]
    assert "某某村党支部党务公开目录" in pages[0] and "某某村党支部党务公开目录" not in pages[1]
    # Every row, in order, nothing lost at the page breaks.
    whole = "".join(pages)
    found = [whole.find(f"事项{n}号") for n in range(1, 151)]
    assert -1 not in found and found == sorted(found)
    # (A phrase may be cut by a page break; its first character is not.)
    assert whole.count("较") == sum(n % 7 * 6 + 1 for n in range(1, 151))


def test_an_entry_longer_than_a_page_continues_on_the_next(cw):
    version = village_draft(cw)
    content = "甲" * 3000 + "结尾"
    pages = pages_text(catalogue_pdf(version, [row(1, content)]))
    assert len(pages) >= 2
    assert "".join(pages).count("甲") == 3000 and "结尾" in pages[-1]


def test_text_is_printed_as_written_not_read_as_markup(cw):
    version = village_draft(cw)
    text = pages_text(catalogue_pdf(version, [row(1, "<b>加粗</b> & <br/>第二行\n第三行")]))[0]
    assert "<b>加粗</b>&<br/>第二行第三行" in text


def test_an_empty_catalogue_still_prints_its_header(cw):
    version = village_draft(cw)
    text = pages_text(catalogue_pdf(version, []))[0]
    assert "".join(COLUMNS) in text and "本目录没有事项。" in text


# Staff pages


def test_catalogue_page_links_the_pdf_next_to_the_xlsx(cw):
    version = village_draft(cw)
    html = login(cw.village_officer).get("/staff/orgs/village/catalogue/").content.decode()
    assert f'href="/staff/catalogue/versions/{version.pk}/export.xlsx"' in html
    assert f'href="/staff/catalogue/versions/{version.pk}/export.pdf" id="catalogue-pdf"' in html


def test_officer_downloads_the_draft_as_pdf(cw):
    draft = village_draft(cw)
    response = login(cw.village_officer).get(f"/staff/catalogue/versions/{draft.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="catalogue-village-v1.pdf"'
    assert "状态：草稿" in pages_text(response.content)[0]


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_a_draft_is_missing_for_members_of_other_orgs_and_the_party_member(cw, extension):
    draft = village_draft(cw)
    url = f"/staff/catalogue/versions/{draft.pk}/export.{extension}"
    assert login(cw.w.outsider).get(url).status_code == 404
    assert login(cw.w.member).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert login(cw.village_officer).get(url).status_code == 200
    assert login(cw.w.outsider).get(f"/staff/catalogue/versions/{draft.pk + 1000}/export.{extension}") \
        .status_code == 404


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_the_published_version_is_readable_by_any_signed_in_user(cw, extension):
    version = village_in_force(cw)
    response = login(cw.w.outsider).get(f"/staff/catalogue/versions/{version.pk}/export.{extension}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="catalogue-village-v1.{extension}"'


# API


def api_as(person: User) -> ApiClient:
    return ApiClient(login(person))


def test_api_exports_the_published_version_without_a_token(cw):
    version = village_in_force(cw)
    pdf = ApiClient().get(f"catalogues/{version.pk}/export.pdf")
    assert pdf.status == 200 and pdf.operation_id == "catalogues_export_pdf"
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert "某某村党支部党务公开目录（第1版）" in pages_text(pdf.data)[0]
    xlsx = ApiClient().get(f"catalogues/{version.pk}/export.xlsx")
    assert xlsx.status == 200 and xlsx.operation_id == "catalogues_export_xlsx"
    assert xlsx.headers["Content-Disposition"] == 'attachment; filename="catalogue-village-v1.xlsx"'
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.data)).worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == [*COLUMNS, "风险评估"] and len(rows) == 4
    assert rows[3][8] == "公示7个工作日"


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_api_hides_a_draft_from_those_who_may_not_read_it(cw, extension):
    draft = village_draft(cw)
    path = f"catalogues/{draft.pk}/export.{extension}"
    for client in (ApiClient(), api_as(cw.w.outsider), api_as(cw.w.member)):
        refused = client.get(path)
        assert refused.status == 404 and refused.data["error"]["code"] == "not_found"
    allowed = api_as(cw.village_officer).get(path)
    assert allowed.status == 200 and allowed.operation_id == f"catalogues_export_{extension}"
    assert api_as(cw.village_officer).get(f"catalogues/{draft.pk + 1000}/export.{extension}").status == 404


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/json", b'{"ok": true}'),
    ("text/html", b"<html></html>"),
    ("application/pdf", b""),
])
def test_the_response_checker_refuses_a_file_the_document_does_not_describe(content_type, body):
    from tests.api.openapi_check import validate_response

    with pytest.raises(AssertionError):
        validate_response("GET", "/api/v1/catalogues/1/export.pdf", 200, content_type, body)
    assert validate_response("GET", "/api/v1/catalogues/1/export.pdf", 200, "application/pdf",
                             b"%PDF-") == "catalogues_export_pdf"
