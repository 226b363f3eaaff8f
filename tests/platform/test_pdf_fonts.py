"""The font of exported PDFs: vendored and installed with the package, embedded in every PDF,
drawn as glyphs (not boxes); GONGKAI_PDF_FONT replaces it, and a wrong file is refused with the
variable's name."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import reportlab
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from gongkai import pdf_fonts
from gongkai.config import ConfigError, Env
from gongkai.pdf_fonts import VENDORED_FONT, pdf_font
from tests.pdf_checks import (
    MIN_DIFFERENCE,
    SCALE,
    assert_fonts_embedded,
    difference,
    ink,
    render,
    shape,
)

ROOT = Path(__file__).resolve().parents[2]
TRUETYPE = (b"\x00\x01\x00\x00", b"true", b"ttcf")
CELL = 100  # points: each character of the test page stands alone in a square this wide


def one_per_cell(text: str, font: str, offsets: tuple[float, ...] = ()) -> bytes:
    """A PDF with each character of `text` at 60 pt in its own CELL×CELL square, left to right
    (moved right by offsets[i] points when given)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(CELL * len(text), CELL), initialFontName=font)
    canvas.setFont(font, 60)
    for index, char in enumerate(text):
        shift = offsets[index] if index < len(offsets) else 0
        canvas.drawString(index * CELL + 20 + shift, 25, char)
    canvas.save()
    return buffer.getvalue()


def cells(pdf: bytes, count: int, save_to: Path | None = None) -> list[Image.Image]:
    image, _boxes = render(pdf, save_to=save_to)
    side = CELL * SCALE
    return [image.crop((i * side, 0, (i + 1) * side, side)) for i in range(count)]


def test_the_font_ships_inside_the_package_with_its_licence():
    assert VENDORED_FONT.is_file() and VENDORED_FONT.read_bytes()[:4] in TRUETYPE
    notice = (VENDORED_FONT.parent / "NOTICE").read_text(encoding="utf-8")
    assert "Apache License, Version 2.0" in notice and "WenQuanYi" in notice
    assert "Apache License" in (VENDORED_FONT.parent / "LICENSE").read_text(encoding="utf-8")
    # setuptools installs package data only by these patterns (a fresh `pip install .`).
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "gongkai"
    installed = {path for pattern in patterns for path in package.glob(pattern)}
    assert {VENDORED_FONT, VENDORED_FONT.parent / "NOTICE", VENDORED_FONT.parent / "LICENSE"} <= installed


def test_each_character_is_embedded_and_drawn_as_itself(tmp_path):
    text = "党务公开登记簿A1⑴※"
    pdf = one_per_cell(text, pdf_font())
    assert_fonts_embedded(pdf)
    glyphs = cells(pdf, len(text), save_to=tmp_path / "glyphs.png")
    for char, glyph in zip(text, glyphs, strict=True):
        assert ink(glyph) > 100, f"{char!r} renders blank"
    shapes = [shape(glyph) for glyph in glyphs]
    for i, a in enumerate(shapes):
        for j in range(i + 1, len(shapes)):
            assert difference(a, shapes[j]) >= MIN_DIFFERENCE, f"{text[i]!r} and {text[j]!r} look alike"


def test_the_check_would_see_boxes_and_missing_glyphs():
    # A box drawn twice, at different fractions of a pixel, is "alike"; a character the font
    # lacks (CJK Extension A) is drawn as nothing.
    boxes = cells(one_per_cell("□□", pdf_font(), offsets=(0, 0.37)), 2)
    assert difference(shape(boxes[0]), shape(boxes[1])) < MIN_DIFFERENCE
    (missing,) = cells(one_per_cell("㐀", pdf_font()), 1)
    assert ink(missing) == 0


# GONGKAI_PDF_FONT


def test_a_configured_font_must_be_an_existing_truetype_file(tmp_path):
    otf = tmp_path / "NotoSansCJKsc-Regular.otf"
    otf.write_bytes(b"OTTO" + bytes(100))
    with pytest.raises(ConfigError, match=r"GONGKAI_PDF_FONT=.*not a TrueType font"):
        Env({"GONGKAI_PDF_FONT": str(otf)}).file(
            "GONGKAI_PDF_FONT", signatures=TRUETYPE, kind="a TrueType font"
        )
    with pytest.raises(ConfigError, match=r"GONGKAI_PDF_FONT=.*no such file"):
        Env({"GONGKAI_PDF_FONT": str(tmp_path / "absent.ttf")}).file("GONGKAI_PDF_FONT")
    assert Env({}).file("GONGKAI_PDF_FONT") is None
    assert (
        Env({"GONGKAI_PDF_FONT": str(VENDORED_FONT)}).file("GONGKAI_PDF_FONT", signatures=TRUETYPE)
        == VENDORED_FONT
    )


def test_a_wrong_font_stops_startup_with_the_name(tmp_path):
    otf = tmp_path / "font.otf"
    otf.write_bytes(b"OTTO" + bytes(100))
    env = {**os.environ, "GONGKAI_PDF_FONT": str(otf), "GONGKAI_VAR_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "GONGKAI_PDF_FONT" in result.stderr and "TrueType" in result.stderr


def test_the_configured_font_is_used(tmp_path):
    copy = tmp_path / "official-song.ttc"
    shutil.copyfile(VENDORED_FONT, copy)
    with override_settings(PDF_FONT=copy):
        assert pdf_fonts.font_path() == copy
        name = pdf_font()
    assert name != pdf_font() and "official-song" in name
    assert pdfmetrics.getFont(name).face.name == b"WenQuanYiMicroHei"
    assert_fonts_embedded(one_per_cell("党", name))
    assert pdf_fonts.font_path() == VENDORED_FONT


def test_a_font_reportlab_cannot_read_is_refused_with_the_name(tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + bytes(100))
    with override_settings(PDF_FONT=broken), pytest.raises(ImproperlyConfigured, match="GONGKAI_PDF_FONT"):
        pdf_font()


# Bitstream Vera, shipped inside reportlab itself: a real TrueType font with no Chinese, on every
# machine that has the project installed.
LATIN_ONLY = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def test_a_font_without_chinese_is_refused(tmp_path):
    assert LATIN_ONLY.is_file()
    with override_settings(PDF_FONT=LATIN_ONLY), pytest.raises(ImproperlyConfigured, match="covers Chinese"):
        pdf_font()
    assert pdf_fonts.font_path() == VENDORED_FONT
