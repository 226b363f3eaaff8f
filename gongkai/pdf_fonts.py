"""The Chinese font of every PDF the platform exports (the catalogue, the register).

reportlab's built-in CID fonts (STSong-Light) are only *named* in a PDF: a reader on a machine
without a Chinese font shows boxes instead of characters. A TrueType font registered as a
reportlab TTFont is embedded instead (each PDF carries only the glyphs it uses, as /FontFile2
subsets), so the file prints the same on any machine, intranet or not.

The font is WenQuanYi Micro Hei (Apache-2.0), vendored in gongkai/fonts/ with its NOTICE. It has
TrueType (glyf) outlines, which is what reportlab can embed, and covers all of GB2312 and all but
three characters of GBK: Chinese, Latin letters and digits, and the symbols of official documents
(⑴ ① Ⅱ ※ → √ 〔〕). Droid Sans Fallback, from which it is derived, lacks ASCII and 443 GB2312
characters: it was made to stand behind Droid Sans, not alone. Neither has CJK Extension A.

GONGKAI_PDF_FONT names another TrueType file (.ttf, or the first face of a .ttc) instead, e.g.
an official Song face; settings.py has checked that it exists and is TrueType."""

from __future__ import annotations

import functools
import hashlib
import struct
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

VENDORED_FONT = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
# A font without these would print titles, column heads and page numbers as boxes.
PROBE = "党务公开登记簿目录第页共0123456789AZaz-"


def font_path() -> Path:
    """The TrueType file PDFs are set in: GONGKAI_PDF_FONT, else the vendored font."""
    configured: Path | None = getattr(settings, "PDF_FONT", None)
    return configured or VENDORED_FONT


def pdf_font() -> str:
    """The reportlab font name to set text in, registered with reportlab on first use (the font
    file is read once per process, not once per PDF)."""
    return _register(font_path())


@functools.cache
def _register(path: Path) -> str:
    # One name per file, so that another file (another GONGKAI_PDF_FONT, in a test) never
    # replaces a font already registered under the same name.
    name = f"Gongkai-{path.stem}-{hashlib.sha256(str(path).encode()).hexdigest()[:8]}"
    try:
        font = TTFont(name, str(path))
    except (TTFError, KeyError, ValueError, struct.error) as error:
        # E.g. a .ttc whose first face has CFF outlines (Noto Sans CJK), or a damaged file: it
        # passed the signature check in settings.py, but reportlab cannot embed it (and reports
        # that with a TTFError, or a KeyError for a missing table).
        raise ImproperlyConfigured(
            f"GONGKAI_PDF_FONT={str(path)!r}: reportlab cannot use it ({type(error).__name__}: {error})"
        ) from error
    missing = [char for char in PROBE if ord(char) not in font.face.charToGlyph]
    if missing:
        raise ImproperlyConfigured(
            f"GONGKAI_PDF_FONT={str(path)!r}: the font has no glyph for {''.join(missing)!r}; "
            "choose a TrueType font that covers Chinese, Latin letters and digits"
        )
    # (reportlab keeps one font per PostScript face name: a second file with the same face is
    # served by the font first registered for it.)
    pdfmetrics.registerFont(font)
    return name
