"""The visible text of a rich-text (HTML) body, and writing changes to it back into the HTML.

A body is split into tags and text. Text is cut into units: a run of plain characters, or one
character reference (`&nbsp;`, `&#21345;`, `&amp;`). The visible text is the decoded units in
order; every visible character knows the unit it came from, so a redaction that changes some
visible characters rewrites only those units and leaves every tag, attribute and untouched
entity exactly as it was.

Inline tags (`<b>`, `<span>` …) join the text on either side, so a number half in bold is still
one number. Any other tag (`<p>`, `<br>`, `<td>` …) counts as a line break: text in two table
cells must not run together into one long number. Text inside `<script>`, `<style>`, comments
and attribute values is not visible and is not scanned (the caller is expected to sanitise rich
text to an allow-list before saving it).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Tags that do not break a line. Everything else, known or not, is treated as a break: missing a
# number split by an odd tag is better than inventing one from two cells.
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i",
     "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
     "time", "tt", "u", "var", "wbr"})
_HIDDEN_TAGS = frozenset({"script", "style"})

# A tag may not contain an unquoted "<", so a stray "<" costs one short look-ahead, not a scan to
# the end of the body.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<![^<>]*>"
    r"|<\?[^<>]*>"
    r"|</?(?P<name>[A-Za-z][^\s/<>]*)(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>",
    re.S,
)
_CHARREF = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
BREAK = "\n"


@dataclass(frozen=True)
class Unit:
    """A piece of the HTML source that shows as `text` from visible offset `vis_start`."""

    raw_start: int
    raw_end: int
    vis_start: int
    text: str
    plain: bool  # the raw source is the text itself, character for character


@dataclass(frozen=True)
class Document:
    """An HTML body cut into units; `text` is what a reader sees (with "\\n" for block breaks)."""

    source: str
    text: str
    units: tuple[Unit, ...]
    # For each visible character, the index of its unit, or -1 for a break inserted at a tag.
    owner: tuple[int, ...]


def parse(source: str) -> Document:
    units: list[Unit] = []
    owner: list[int] = []
    pieces: list[str] = []
    visible = 0

    def add_text(start: int, end: int) -> None:
        nonlocal visible
        pos = start
        for ref in _CHARREF.finditer(source, start, end):
            decoded = html.unescape(ref.group())
            if decoded == ref.group():
                continue  # not a known reference: plain text, stays in the surrounding run
            add_unit(pos, ref.start(), source[pos:ref.start()], plain=True)
            add_unit(ref.start(), ref.end(), decoded, plain=False)
            pos = ref.end()
        add_unit(pos, end, source[pos:end], plain=True)

    def add_unit(raw_start: int, raw_end: int, text: str, *, plain: bool) -> None:
        nonlocal visible
        if raw_start == raw_end:
            return
        index = len(units)
        units.append(Unit(raw_start, raw_end, visible, text, plain))
        pieces.append(text)
        owner.extend([index] * len(text))
        visible += len(text)

    def add_break() -> None:
        nonlocal visible
        pieces.append(BREAK)
        owner.append(-1)
        visible += 1

    pos = 0
    length = len(source)
    while pos < length:
        tag = _MARKUP.search(source, pos)
        if tag is None:
            add_text(pos, length)
            break
        add_text(pos, tag.start())
        pos = tag.end()
        name = (tag.group("name") or "").lower()
        if not name:
            continue  # comment, doctype, processing instruction
        if name not in INLINE_TAGS:
            add_break()
        if name in _HIDDEN_TAGS and not tag.group().startswith("</"):
            close = re.compile(rf"</{name}\s*>", re.I).search(source, pos)
            pos = close.end() if close else length
    return Document(source, "".join(pieces), tuple(units), tuple(owner))


def visible_text(source: str) -> str:
    """What a reader of the HTML body sees, with a line break for each block tag."""
    return parse(source).text


def rewrite(doc: Document, changes: dict[int, str]) -> str:
    """The HTML with visible character i shown as changes[i] ("" deletes it, several characters
    insert); characters not in `changes`, and all markup, are kept byte for byte."""
    touched = sorted({doc.owner[i] for i in changes if doc.owner[i] >= 0})
    out: list[str] = []
    pos = 0
    for index in touched:
        unit = doc.units[index]
        out.append(doc.source[pos:unit.raw_start])
        if unit.plain:
            out.append("".join(
                html.escape(changes[unit.vis_start + k], quote=False)
                if unit.vis_start + k in changes else char
                for k, char in enumerate(unit.text)))
        else:
            new = "".join(changes.get(unit.vis_start + k, char) for k, char in enumerate(unit.text))
            out.append(html.escape(new, quote=False))
        pos = unit.raw_end
    out.append(doc.source[pos:])
    return "".join(out)
