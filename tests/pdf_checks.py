"""Checks on the PDFs the platform exports (catalogue, register), shared by their tests: every font
is embedded, and the characters render as their glyphs, not as blanks or boxes ("tofu").

Text extraction cannot tell: a PDF whose font is missing on the reader still yields the right
text (through its ToUnicode map) while the page shows boxes or nothing. So the page is rendered
with PDFium (pypdfium2, the engine of Chrome's viewer) and each character's box is looked at."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops
from pypdf import PdfReader

SCALE = 4  # pixels per point: a 9 pt character is 36 pixels high
SIDE = 24  # the side of a normalised glyph shape, in pixels
# Two different characters differ in at least this share of their normalised bitmaps; a box
# drawn for two missing characters differs in (almost) none.
MIN_DIFFERENCE = 0.08


def fonts(pdf: bytes) -> dict[str, list[str]]:
    """Each font the pages use (its BaseFont) → the font-file keys in its descriptor: an embedded
    TrueType font has /FontFile2, a font the reader must supply has none."""
    found: dict[str, list[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            keys = (
                []
                if descriptor is None
                else [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor.get_object()]
            )
            found[str(font["/BaseFont"])] = keys
    return found


def assert_fonts_embedded(pdf: bytes, face: str = "WenQuanYiMicroHei") -> None:
    used = fonts(pdf)
    assert used, "the PDF uses no font"
    for name, files in used.items():
        assert files == ["/FontFile2"], f"{name} is not embedded as TrueType: {files}"
        # "AAAAAA+Face-0": a subset of the face, as the PDF specification names subsets.
        assert name.startswith("/") and "+" in name and face in name, name


def render(
    pdf: bytes, page: int = 0, save_to: Path | None = None
) -> tuple[Image.Image, dict[str, list[float]]]:
    """Page `page` as a greyscale image, and each character's box in pixels (its first place on
    the page, as PDFium reads it: left, top, right, bottom)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pdf_page = document[page]
        height = pdf_page.get_height()
        image = pdf_page.render(scale=SCALE).to_pil().convert("L")
        text = pdf_page.get_textpage()
        boxes: dict[str, list[float]] = {}
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.strip() and char not in boxes:
                left, bottom, right, top = text.get_charbox(index)
                boxes[char] = [left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE]
        text.close()
        pdf_page.close()
    finally:
        document.close()
    if save_to is not None:
        image.save(save_to)
    return image, boxes


def ink(image: Image.Image) -> int:
    """How many dark pixels."""
    return sum(image.histogram()[:128])


def shape(image: Image.Image) -> Image.Image:
    """The glyph's ink (white on black), cut to its bounding box, centred in a square and scaled to
    SIDE×SIDE: the same character, or the same box, drawn twice gives (nearly) the same shape
    wherever it stands."""
    binary = image.point(lambda v: 255 if v < 128 else 0)
    box = binary.getbbox()
    assert box is not None, "no ink"
    glyph = binary.crop(box)
    side = max(glyph.size)
    square = Image.new("L", (side, side))
    square.paste(glyph, ((side - glyph.width) // 2, (side - glyph.height) // 2))
    return square.resize((SIDE, SIDE)).point(lambda v: 255 if v >= 128 else 0)


def difference(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels where two shapes differ."""
    return sum(ImageChops.difference(a, b).histogram()[128:]) / (SIDE * SIDE)


def assert_glyphs_drawn(image: Image.Image, boxes: dict[str, list[float]], chars: str) -> None:
    """Each of `chars` has ink in its box, and no two of them look alike (boxes would)."""
    margin = SCALE  # one point round the box: anti-aliasing spills over it
    shapes = {}
    for char in dict.fromkeys(chars):
        assert char in boxes, f"{char!r} is not on the page"
        left, top, right, bottom = boxes[char]
        crop = image.crop((int(left) - margin, int(top) - margin, int(right) + margin, int(bottom) + margin))
        assert ink(crop) > 10, f"{char!r} renders blank"
        shapes[char] = shape(crop)
    for (a, shape_a), (b, shape_b) in itertools.combinations(shapes.items(), 2):
        assert difference(shape_a, shape_b) >= MIN_DIFFERENCE, f"{a!r} and {b!r} render alike (boxes?)"
