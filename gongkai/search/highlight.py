"""Showing why a document matched: the terms marked in its title, and a snippet of its text.

Marks follow the search rule exactly (gongkai.search.text): a term is found in the folded text,
and the original characters it came from are marked, so ＡＢＣ is marked for "abc". The text is
HTML-escaped piece by piece and only our own <mark> tags are added: the result is safe to put
in a page as it is."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.search.text import Query, QueryError, Term, fold, fold_char, parse

ELLIPSIS = "…"


def _terms(query: Query | str) -> tuple[Term, ...]:
    if isinstance(query, Query):
        return query.terms
    try:
        return parse(query).terms
    except QueryError:
        return ()


def _owners(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when folding changed the length, the original index of every
    folded character (None: the same index)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None  # each character folded to exactly one
    owners: list[int] = []
    for i, char in enumerate(text):
        owners.extend([i] * len(fold_char(char)))
    return folded, owners


def spans(text: str, query: Query | str) -> list[tuple[int, int]]:
    """Where the terms occur in `text`, as merged (start, end) character ranges."""
    terms = _terms(query)
    if not terms or not text:
        return []
    folded, owners = _owners(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term.text)
        while start != -1:
            end = start + len(term.text)
            found.append((start, end) if owners is None else (owners[start], owners[end - 1] + 1))
            start = folded.find(term.text, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, marked: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    position = 0
    for start, end in marked:
        out += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def highlight(text: str, query: Query | str) -> SafeString:
    """`text` escaped, with <mark> around every occurrence of every term."""
    return _render(text, spans(text, query))


def _first(text: str, terms: tuple[Term, ...]) -> int | None:
    """The original index where the earliest occurrence of any term begins."""
    folded = fold(text)
    positions = [p for term in terms if (p := folded.find(term.text)) >= 0]
    if not positions:
        return None
    first = min(positions)
    if len(folded) == len(text):
        return first
    seen = 0
    for i, char in enumerate(text):
        seen += len(fold_char(char))
        if seen > first:
            return i
    return None  # not reached: `first` lies inside the folded text


def snippet(text: str, query: Query | str, width: int = 120) -> SafeString:
    """About `width` characters of `text` (white space collapsed) around the first occurrence of
    a term, escaped, terms marked, "…" where it was cut; the beginning when no term occurs."""
    terms = _terms(query)
    flat = " ".join(text.split())
    width = max(width, 1)
    first = _first(flat, terms) if terms else None
    start = 0 if first is None else max(0, first - width // 3)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    # Occurrences are looked for a little beyond the window, so one cut by its edge is still
    # marked as far as it shows (a term never spans more original characters than its length).
    margin = max((len(t.text) for t in terms), default=0)
    around = max(0, start - margin)
    marked = [
        (max(a + around, start) - start, min(b + around, end) - start)
        for a, b in spans(flat[around : end + margin], Query("", terms))
        if a + around < end and b + around > start
    ]
    return mark_safe(  # noqa: S308 - `_render` escapes the text
        (ELLIPSIS if start > 0 else "")
        + _render(flat[start:end], marked)
        + (ELLIPSIS if end < len(flat) else "")
    )
