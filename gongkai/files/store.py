"""Taking an upload into the file store, and handing a stored file back out.

The store is a folder (settings.FILES_DIR): each content lives once, at `ab/cd/<sha256>`, and
is never served by the web server directly. Moving to S3-compatible storage later means
replacing `_put` and `open_stored`; nothing else touches the folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse
from django.utils.translation import gettext as _

from gongkai.files.detect import CORRUPT, ENCRYPTED, KIND_BY_EXTENSION, KINDS, MACRO, Detected, detect
from gongkai.files.extract import extract_text
from gongkai.files.models import StoredFile, TextStatus

logger = logging.getLogger(__name__)

NAME_MAX_BYTES = 240  # most file systems allow 255 bytes; leaves room for a browser's " (1)"
_CHUNK = 64 * 1024
_UNSAFE = re.compile(r'[<>:"|?*]')
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,10})$")


def store_upload(upload: File | bytes, *, actor: AbstractBaseUser | AnonymousUser | None,
                 name: str | None = None) -> StoredFile:
    """Checks an uploaded file and keeps it: refuses (ValidationError, a Chinese reason naming
    the file) an empty file, one over settings.UPLOAD_MAX_BYTES (without reading the rest), a
    kind not on the allow-list, an extension that disagrees with the content, a macro-enabled
    or encrypted document, and one the virus scanner rejects. Nothing is left on disk or in the
    database when it refuses.

    `upload` is a Django upload (or any django File); raw bytes need `name`. No permission
    check here: the caller decides who may attach files to what."""
    original = clean_name(name if name is not None else (getattr(upload, "name", None) or ""))
    limit = settings.UPLOAD_MAX_BYTES
    if _declared_size(upload) > limit:
        raise _refuse(original, _("文件超过大小上限 %(mb)s MB") % {"mb": _mb(limit)}, "too_large")
    temp_dir = files_root() / "tmp"
    temp_dir.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=temp_dir, suffix=".upload")
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise _refuse(original, _("文件超过大小上限 %(mb)s MB") % {"mb": _mb(limit)},
                                  "too_large")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise _refuse(original, _("文件是空的"), "empty")
        detected = detect(temp)
        kind_key, original = _check_kind(detected, original)
        _scan(temp, original)
        sha256 = digest.hexdigest()
        text, status = _text(temp, sha256, kind_key, detected.encoding)
        relative = _put(temp, sha256, size)
    finally:
        temp.unlink(missing_ok=True)
    return StoredFile.objects.create(
        sha256=sha256, size=size, content_type=KINDS[kind_key].mime, original_name=original,
        extension=_extension(original), path=relative, text=text, text_status=status,
        created_by_id=actor.pk if actor is not None and actor.is_authenticated else None,
    )


def clean_name(raw: str) -> str:
    """The name to show and to offer on download: the last path part only (a browser may send
    C:\\Users\\…), without control or direction-override characters (which can make
    "gpj.exe" read as "exe.jpg") or characters Windows forbids; Chinese is kept; at most
    NAME_MAX_BYTES in UTF-8, cut from the stem so the extension survives."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    if not name:
        return _("未命名")
    match = _EXTENSION.search(name)
    suffix = match.group(0) if match else ""
    stem = name[: len(name) - len(suffix)]
    while stem and len((stem + suffix).encode()) > NAME_MAX_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(" .") or _("未命名")) + suffix


def files_root() -> Path:
    return Path(settings.FILES_DIR)


def open_stored(stored: StoredFile) -> BinaryIO:
    """The stored bytes, opened for reading. The caller must already have checked that the
    user may see the item this file belongs to."""
    root = files_root().resolve()
    path = (root / stored.path).resolve()
    if root not in path.parents:  # the path is ours, but a bad row must not read /etc
        raise ValueError(f"stored file {stored.pk} points outside the file store")
    return path.open("rb")


def file_response(stored: StoredFile) -> FileResponse:
    """A download response for a stored file.

    WARNING: this checks nothing. Every caller must first check that the user may see the
    item the file is attached to (disclosures' visibility gate) and answer 404 otherwise.

    The type is the detected one; images are shown inline, everything else is downloaded;
    `nosniff` and a sandboxing CSP keep a browser from running anything it contains."""
    response = FileResponse(open_stored(stored), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(stored.original_name,
                                                          inline=stored.is_image)
    response["X-Content-Type-Options"] = "nosniff"
    # GitHub serves user files the same way (raw.githubusercontent.com); the inline style lets
    # Firefox centre an image shown on its own.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def content_disposition(name: str, *, inline: bool) -> str:
    """`filename*` (RFC 5987/6266) carries the real, often Chinese, name; the plain `filename`
    is an ASCII stand-in for the rare client that ignores `filename*`."""
    disposition = "inline" if inline else "attachment"
    fallback = name.encode("ascii", "ignore").decode().replace("\\", "_").replace('"', "_")
    stem = fallback.rsplit(".", 1)[0].strip(" ._") if "." in fallback else fallback.strip(" ._")
    if not stem:
        match = _EXTENSION.search(name)
        fallback = "attachment" + (match.group(0) if match else "")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _declared_size(upload: File | bytes) -> int:
    """The size the upload says it has (0 when unknown, e.g. a pipe): refusing on it saves
    reading a file that is too large at all; the bytes are counted in any case."""
    if isinstance(upload, bytes):
        return len(upload)
    try:
        return int(upload.size or 0)
    except (AttributeError, OSError):  # File.size raises these for an unseekable stream
        return 0


def _chunks(upload: File | bytes) -> Iterator[bytes]:
    if isinstance(upload, bytes):
        for start in range(0, len(upload), _CHUNK):
            yield upload[start:start + _CHUNK]
    else:
        yield from upload.chunks(_CHUNK)


def _check_kind(detected: Detected, name: str) -> tuple[str, str]:
    """The allowed kind the file is, and its name (with the extension added when it had
    none); refuses when the content is not allowed or the extension says otherwise."""
    extension = _extension(name)
    if detected.refused == MACRO:
        raise _refuse(name, _("文档含有宏，不允许上传；请另存为不含宏的格式（如 .docx、.xlsx）后再上传"),
                      "macro")
    if detected.refused == ENCRYPTED:
        raise _refuse(name, _("文档已加密，无法检查内容；请去除密码后再上传"), "encrypted")
    if detected.refused == CORRUPT:
        raise _refuse(name, _("文件已损坏或不完整"), "corrupt")
    if extension and extension not in KIND_BY_EXTENSION:
        raise _refuse(name, _("不允许上传 .%(ext)s 文件；允许的类型：%(allowed)s")
                      % {"ext": extension, "allowed": allowed_extensions()}, "type_not_allowed")
    if not extension:
        if not detected.kinds:
            raise _refuse(name, _("不允许上传此类文件（内容是%(label)s）；允许的类型：%(allowed)s")
                          % {"label": detected.label(), "allowed": allowed_extensions()},
                          "type_not_allowed")
        key = sorted(detected.kinds)[0]
        return key, f"{name}.{KINDS[key].extensions[0]}"
    kind = KIND_BY_EXTENSION[extension]
    if kind.key not in detected.kinds:
        raise _refuse(name, _("文件扩展名与内容不符：扩展名是 .%(ext)s，内容却是%(label)s")
                      % {"ext": extension, "label": detected.label()}, "forged_extension")
    return kind.key, name


def allowed_extensions() -> str:
    return "、".join(ext for kind in KINDS.values() for ext in kind.extensions)


def _scan(path: Path, name: str) -> None:
    """Runs settings.VIRUS_SCAN_COMMAND on the file, if set: exit 0 means clean; anything else,
    a time-out or a scanner that cannot start refuses the file (a configured scanner that is
    not working must not let files through unchecked)."""
    command = list(settings.VIRUS_SCAN_COMMAND)
    if not command:
        return
    argv = [part.replace("{path}", str(path)) for part in command]
    if argv == command:
        argv.append(str(path))
    try:
        # The command comes from the operator's configuration, never from a user, and runs
        # without a shell; the only thing substituted is our own temporary file's path.
        result = subprocess.run(argv, capture_output=True, timeout=settings.VIRUS_SCAN_TIMEOUT,  # noqa: S603
                                check=False)
    except subprocess.TimeoutExpired:
        logger.error("virus scan timed out after %ss: %s", settings.VIRUS_SCAN_TIMEOUT, name)
        raise _refuse(name, _("病毒扫描超时，文件未保存；请稍后再试"), "scan_failed") from None
    except OSError as error:
        logger.error("virus scanner could not run (%s): %s", error, argv[0])
        raise _refuse(name, _("病毒扫描程序无法运行，文件未保存；请联系管理员"), "scan_failed") from None
    if result.returncode == 0:
        return
    output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
    if result.returncode == 1:  # clamscan, clamdscan and most scanners: 1 = something found
        logger.warning("virus scan refused %s: %s", name, output)
        raise _refuse(name, _("病毒扫描发现可疑内容，文件已拒收"), "virus")
    logger.error("virus scanner failed (exit %s) on %s: %s", result.returncode, name, output)
    raise _refuse(name, _("病毒扫描出错（退出码 %(code)s），文件未保存；请联系管理员")
                  % {"code": result.returncode}, "scan_failed")


def _text(path: Path, sha256: str, kind: str, encoding: str) -> tuple[str, TextStatus]:
    # The same bytes give the same text: reuse it rather than parse a large PDF again.
    previous = (StoredFile.objects.filter(sha256=sha256)
                .exclude(text_status=TextStatus.FAILED).values_list("text", "text_status").first())
    if previous is not None:
        return previous[0], TextStatus(previous[1])
    return extract_text(path, kind, encoding)


def _put(temp: Path, sha256: str, size: int) -> str:
    """Moves the checked file to its content address; an identical file already there stays
    (it is the same bytes). Returns the path relative to the store."""
    relative = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
    target = files_root() / relative
    if target.exists() and target.stat().st_size == size:
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)  # atomic on one file system: readers never see half a file
    return relative


def _extension(name: str) -> str:
    match = _EXTENSION.search(name)
    return match.group(1).lower() if match else ""


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def _refuse(name: str, reason: str, code: str) -> ValidationError:
    return ValidationError(_("「%(name)s」：%(reason)s") % {"name": name, "reason": reason}, code=code)
