"""Plain text out of an attachment, so that screening (ID numbers, phone numbers, secrecy
markings) can read attachments too.

Text, CSV, PDF (pypdf), Word/PowerPoint/OpenDocument (their XML parts, read with the standard
library) and Excel (openpyxl) are read. Images, OFD and the 97-2003 binary formats are not: their
status says so, and screening shows them to a person instead. A file that the parser cannot read
is still stored (a reader may manage where the parser did not); its status is `failed`.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pypdf

from gongkai.files.models import TextStatus

logger = logging.getLogger(__name__)

# About 2 MB of Chinese text in the database per file: several hundred pages, more than any
# screening pass needs to find a marking or a number.
MAX_CHARS = 1_000_000
# An XML part bigger than this once decompressed is refused as a ZIP bomb.
MAX_PART_BYTES = 100 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Word parts that carry text: the body, then headers, footers and notes, where a secrecy
# marking (机密, 内部) is often printed.
_WORD_PARTS = re.compile(r"word/(document\d*|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_SLIDE = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml")


class TooLong(Exception):
    pass


class _Collector:
    """Gathers text up to MAX_CHARS, then stops the extractor by raising TooLong."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        if not text:
            return
        room = MAX_CHARS - self.length
        self.parts.append(text[:room])
        self.length += min(len(text), room)
        if len(text) > room:
            raise TooLong

    def text(self) -> str:
        return "".join(self.parts)


def extract_text(path: Path, kind: str, encoding: str = "") -> tuple[str, TextStatus]:
    reader = _READERS.get(kind)
    if reader is None:
        return "", TextStatus.UNSUPPORTED
    collector = _Collector()
    try:
        reader(path, collector, encoding)
    except TooLong:
        return collector.text(), TextStatus.TRUNCATED
    # A parser of untrusted files can fail in many ways; the file is kept, the failure logged
    # and shown as "not scanned" rather than refusing a document a reader could open.
    except Exception:
        logger.warning("text extraction failed for %s (%s)", path.name, kind, exc_info=True)
        return "", TextStatus.FAILED
    text = collector.text()
    return (text, TextStatus.OK) if text.strip() else ("", TextStatus.EMPTY)


def _plain(path: Path, out: _Collector, encoding: str) -> None:
    with path.open(encoding=encoding or "utf-8-sig", newline="") as handle:
        while chunk := handle.read(1 << 16):
            out.add(chunk)


def _pdf(path: Path, out: _Collector, encoding: str) -> None:
    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        # Most "protected" PDFs only forbid printing or copying and open with an empty password.
        reader.decrypt("")
    for page in reader.pages:
        out.add(page.extract_text() + "\n")


def _xml_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise ValueError(f"{name}: part too large")
    with archive.open(name) as part:
        # expat (2.4.1 and later) bounds entity expansion and ElementTree never fetches external
        # entities, so an uploaded XML part cannot blow up memory or reach the network.
        return ElementTree.parse(part).getroot()  # noqa: S314


def _paragraphs(root: ElementTree.Element, paragraph: str, run_text: str) -> Iterator[str]:
    for element in root.iter(paragraph):
        yield "".join(node.text or "" for node in element.iter(run_text))


def _docx(path: Path, out: _Collector, encoding: str) -> None:
    with zipfile.ZipFile(path) as archive:
        names = sorted((n for n in archive.namelist() if _WORD_PARTS.fullmatch(n)),
                       key=lambda n: (not n.startswith("word/document"), n))
        for name in names:
            for line in _paragraphs(_xml_part(archive, name), f"{_W}p", f"{_W}t"):
                out.add(line + "\n")


def _pptx(path: Path, out: _Collector, encoding: str) -> None:
    with zipfile.ZipFile(path) as archive:
        # By number (slide10 after slide9), each slide before its speaker notes.
        parts = sorted((int(m.group(2)), m.group(1) != "slides/slide", m.group(0))
                       for m in map(_SLIDE.fullmatch, archive.namelist()) if m)
        for *_order, name in parts:
            for line in _paragraphs(_xml_part(archive, name), f"{_A}p", f"{_A}t"):
                out.add(line + "\n")


def _odf(path: Path, out: _Collector, encoding: str) -> None:
    with zipfile.ZipFile(path) as archive:
        root = _xml_part(archive, "content.xml")

    def walk(element: ElementTree.Element) -> None:
        if element.tag == f"{_ODF_TABLE}table-row":
            cells = ["".join(cell.itertext()) for cell in element]
            if any(cells):
                out.add("\t".join(cells).rstrip("\t") + "\n")
        elif element.tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"):
            out.add("".join(element.itertext()) + "\n")
        else:
            for child in element:
                walk(child)

    walk(root)


def _xlsx(path: Path, out: _Collector, encoding: str) -> None:
    # A file object, not the path: openpyxl refuses paths not ending in .xlsx (ours end .upload).
    with path.open("rb") as handle:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                out.add(f"{sheet.title}\n")
                for row in sheet.iter_rows(values_only=True):
                    cells = ["" if value is None else str(value) for value in row]
                    if any(cells):
                        out.add("\t".join(cells).rstrip("\t") + "\n")
        finally:
            workbook.close()


_READERS = {
    "txt": _plain, "csv": _plain, "pdf": _pdf, "docx": _docx, "pptx": _pptx, "xlsx": _xlsx,
    "odt": _odf, "ods": _odf, "odp": _odf,
}
