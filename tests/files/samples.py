"""Small real files of each kind, made on the spot (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

# Split so that no virus scanner flags this source file itself.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*").encode()


def pdf(*lines: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 12)
    for number, line in enumerate(lines):
        page.drawString(72, 720 - 20 * number, line)
    page.showPage()
    page.save()
    return out.getvalue()


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "公开目录"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_of(parts: dict[str, str | bytes], *, first: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:  # OpenDocument: "mimetype" first and stored uncompressed
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_part(root: str, lines: tuple[str, ...]) -> str:
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    if root == "document":
        paragraphs = f"<w:body>{paragraphs}</w:body>"
    return f'<?xml version="1.0" encoding="UTF-8"?><w:{root} {_W}>{paragraphs}</w:{root}>'


def docx(*lines: str, header: str = "", macro: bool = False) -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        "word/document.xml": _word_part("document", lines),
    }
    if header:
        parts["word/header1.xml"] = _word_part("hdr", (header,))
    if macro:
        parts["word/vbaProject.bin"] = b"\x00" * 64
    return zip_of(parts)


def pptx(*slides: str) -> bytes:
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": "<Types/>",
        "ppt/presentation.xml": "<presentation/>",
    }
    for number, text in enumerate(slides, start=1):
        parts[f"ppt/slides/slide{number}.xml"] = (
            f'<sld {a}><a:p><a:r><a:t>{text}</a:t></a:r></a:p></sld>')
    return zip_of(parts)


def odf(kind: str, content: str) -> bytes:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
    return zip_of({
        "content.xml": f"<office:document-content {ns}><office:body>{content}</office:body>"
                       "</office:document-content>",
        "META-INF/manifest.xml": "<manifest/>",
    }, first=("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()))


def plain_zip() -> bytes:
    return zip_of({"名单.txt": "张三\n李四\n"})


def ole(*streams: str) -> bytes:
    """A compound file (the container of .doc/.xls/.ppt, and of .msi) holding directory entries
    with the given stream names. Synthetic: only the parts the type check reads are real."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\x00")
    entries = b""
    for number, name in enumerate(("Root Entry", *streams)):
        encoded = (name + "\x00").encode("utf-16-le")
        kind = 5 if number == 0 else 2
        entry = encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little") + bytes([kind])
        entries += entry.ljust(128, b"\x00")
    return header + entries.ljust(512 * ((len(entries) // 512) + 1), b"\x00") + b"\x00" * 512


EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode." + bytes(200)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 300
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
