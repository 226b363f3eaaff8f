"""What a file really is, read from its bytes alone, and which kinds may be uploaded.

`filetype` names the formats by their magic bytes. Two families share one signature and are
told apart here with the standard library, because a signature alone would let an installer
(.msi, also OLE2) pass as a .doc, or any ZIP archive pass as a .docx:
- ZIP: Office Open XML, OpenDocument and OFD are ZIP archives; their parts decide the kind.
- OLE2 (compound file): .doc, .xls and .ppt; the names of their streams decide the kind.
Text has no signature: it is text when it decodes as UTF-8 or GB18030 without control bytes and
is not HTML/SVG/XML markup.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype


@dataclass(frozen=True)
class Kind:
    """An allowed kind of attachment."""

    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]  # the first is the canonical one


# What a party organisation publishes: documents (PDF, Office, WPS-saved Office, OpenDocument,
# OFD, the national format for electronic official documents), photos and plain tables.
# Not allowed: archives (their contents cannot be screened or read in a browser and may hide
# programs; upload the files one by one), HTML/SVG (they run scripts), macro-enabled Office
# documents, encrypted documents (they cannot be screened), programs.
KINDS: dict[str, Kind] = {kind.key: kind for kind in [
    Kind("pdf", "PDF 文档", "application/pdf", ("pdf",)),
    Kind("doc", "Word 97-2003 文档", "application/msword", ("doc",)),
    Kind("docx", "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ("docx",)),
    Kind("xls", "Excel 97-2003 表格", "application/vnd.ms-excel", ("xls",)),
    Kind("xlsx", "Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ("xlsx",)),
    Kind("ppt", "PowerPoint 97-2003 演示文稿", "application/vnd.ms-powerpoint", ("ppt",)),
    Kind("pptx", "PowerPoint 演示文稿",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    Kind("odt", "OpenDocument 文本", "application/vnd.oasis.opendocument.text", ("odt",)),
    Kind("ods", "OpenDocument 表格", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    Kind("odp", "OpenDocument 演示文稿", "application/vnd.oasis.opendocument.presentation", ("odp",)),
    Kind("ofd", "OFD 版式文档", "application/ofd", ("ofd",)),
    Kind("jpeg", "JPEG 图片", "image/jpeg", ("jpg", "jpeg")),
    Kind("png", "PNG 图片", "image/png", ("png",)),
    Kind("gif", "GIF 图片", "image/gif", ("gif",)),
    Kind("webp", "WebP 图片", "image/webp", ("webp",)),
    Kind("txt", "纯文本", "text/plain", ("txt",)),
    Kind("csv", "CSV 表格", "text/csv", ("csv",)),
]}
KIND_BY_EXTENSION: dict[str, Kind] = {ext: kind for kind in KINDS.values() for ext in kind.extensions}

# Refused kinds that get a reason of their own rather than "not allowed".
MACRO = "macro"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
REFUSED_LABELS = {
    "zip": "压缩包", "rar": "压缩包", "7z": "压缩包", "gz": "压缩包", "tar": "压缩包",
    "exe": "Windows 可执行程序", "elf": "Linux 可执行程序", "dmg": "安装程序",
    "ole": "其他 OLE 复合文档（如安装程序、Visio 图）",
    "markup": "HTML/XML 网页或标记文件", "binary": "无法识别的二进制文件",
    MACRO: "含宏的 Office 文档", ENCRYPTED: "加密的文档", CORRUPT: "损坏的文件",
}

_FILETYPE_KINDS = {"pdf": "pdf", "jpg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 8192
_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|meta|style|a\s|div)",
    re.IGNORECASE,
)
# C0 controls other than tab, newline, vertical tab, form feed, carriage return and the DOS
# end-of-file mark: their presence means binary data, not text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f]")
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


@dataclass(frozen=True)
class Detected:
    """The kinds the bytes may be: usually one; several when the content cannot tell them apart
    (a .txt and a .csv; a .doc embedding an Excel sheet). `refused` names a kind that is never
    allowed (a key of REFUSED_LABELS, or filetype's extension for other formats)."""

    kinds: frozenset[str] = frozenset()
    refused: str = ""
    encoding: str = ""  # for text: the encoding it decodes with

    def label(self) -> str:
        if self.kinds:
            return "、".join(sorted(KINDS[key].label for key in self.kinds))
        return REFUSED_LABELS.get(self.refused, f"{self.refused} 文件")


def detect(path: Path) -> Detected:
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if head.startswith(_OLE):
        return _ole(path)
    if head.startswith(_ZIP):
        return _zip(path)
    guess = filetype.guess(head)
    if guess is not None:
        key = _FILETYPE_KINDS.get(guess.extension)
        return Detected(kinds=frozenset({key})) if key else Detected(refused=guess.extension)
    if _MARKUP.match(head):
        return Detected(refused="markup")
    encoding = text_encoding(path, head)
    if encoding:
        return Detected(kinds=frozenset({"txt", "csv"}), encoding=encoding)
    return Detected(refused="binary")


def text_encoding(path: Path, head: bytes) -> str:
    """The encoding a text file decodes with (UTF-16 when it starts with its byte-order mark,
    else UTF-8, else GB18030, a superset of GBK), or "" when it is not text."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    if _CONTROL.search(decoder.decode(chunk)):
                        return ""
                if _CONTROL.search(decoder.decode(b"", final=True)):
                    return ""
        except UnicodeDecodeError:
            continue
        return encoding
    return ""


def _zip(path: Path) -> Detected:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = b""
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size < 200:
                mimetype = archive.read(info).strip()
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return Detected(refused=CORRUPT)
    lowered = {name.lower() for name in names}
    if "[Content_Types].xml" in names:
        if any(name.endswith("vbaproject.bin") for name in lowered):
            return Detected(refused=MACRO)
        # The main part's folder, not its file name: a few producers name it document2.xml.
        for folder, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(folder) for name in names):
                return Detected(kinds=frozenset({key}))
    odf = _ODF_KINDS.get(mimetype.decode("ascii", "replace"))
    if odf:
        if any(name.startswith(("basic/", "scripts/")) for name in lowered):
            return Detected(refused=MACRO)
        return Detected(kinds=frozenset({odf}))
    if "OFD.xml" in names:
        return Detected(kinds=frozenset({"ofd"}))
    return Detected(refused="zip")


def _ole_name(name: str) -> bytes:
    # A compound file's directory entry: the UTF-16LE name and its terminator, padded to 64
    # bytes, then the name's length in bytes (terminator included).
    encoded = (name + "\x00").encode("utf-16-le")
    return encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little")


_OLE_STREAMS = {
    "WordDocument": "doc", "Workbook": "xls", "Book": "xls", "PowerPoint Document": "ppt",
    "EncryptedPackage": ENCRYPTED, "Macros": MACRO, "_VBA_PROJECT_CUR": MACRO, "VBA": MACRO,
}
_OLE_ENTRIES = {_ole_name(name): kind for name, kind in _OLE_STREAMS.items()}


def _ole(path: Path) -> Detected:
    """Finds the directory entries of the streams that define .doc/.xls/.ppt. Directory sectors
    start on multiples of the sector size (512 or 4096) and hold 128-byte entries, so an entry
    always starts at a multiple of 128 in the file: matching only there makes a stray string in
    the document's text harmless, without following the sector chains."""
    found: set[str] = set()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):  # a multiple of 128: no entry spans two chunks
            for entry, kind in _OLE_ENTRIES.items():
                start = chunk.find(entry)
                while start != -1:
                    if start % 128 == 0:
                        found.add(kind)
                        break
                    start = chunk.find(entry, start + 1)
    if ENCRYPTED in found:
        return Detected(refused=ENCRYPTED)
    if MACRO in found:
        return Detected(refused=MACRO)
    kinds = frozenset(found & set(KINDS))
    return Detected(kinds=kinds) if kinds else Detected(refused="ole")
