"""Highlighted titles and snippets: every occurrence marked, by the search rule, and safe HTML."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.highlight import highlight, snippet, spans
from tests.search.corpus import terms_of

MARK = re.compile(r"</?mark>")


def test_every_occurrence_is_marked_and_the_text_escaped() -> None:
    assert (
        highlight("<b>党费</b>与党费 & 鄱阳", "党费")
        == "&lt;b&gt;<mark>党费</mark>&lt;/b&gt;与<mark>党费</mark> &amp; 鄱阳"
    )
    assert highlight("鄱阳湖 党费", "党费 鄱阳") == "<mark>鄱阳</mark>湖 <mark>党费</mark>"


def test_overlapping_occurrences_are_one_mark() -> None:
    assert highlight("哈哈哈！哈", "哈哈") == "<mark>哈哈哈</mark>！哈"


def test_folded_matches_mark_the_original_characters() -> None:
    assert highlight("标准ＡＢＣ１２３", "abc12") == "标准<mark>ＡＢＣ１２</mark>３"
    assert highlight("ﬁle ½", "fi 1") == "<mark>ﬁ</mark>le <mark>½</mark>"
    assert spans("ﬁﬁ", "if") == [(0, 2)]  # the end of one ligature and the start of the next


def test_no_term_no_mark() -> None:
    assert highlight("<党费>", "，") == "&lt;党费&gt;"
    assert highlight("党费", "党" * 51) == "党费"  # a refused query marks nothing


def test_snippet_is_cut_around_the_first_occurrence() -> None:
    text = "开头" + "甲" * 200 + "鄱阳湖" + "乙" * 200
    result = snippet(text, "鄱阳", width=40)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>鄱阳</mark>湖" in result
    assert len(MARK.sub("", result)) == 40 + 2


def test_snippet_without_occurrence_is_the_beginning_and_collapses_white_space() -> None:
    assert snippet("第一段\n\n  第二段", "鄱阳", width=10) == "第一段 第二段"
    assert snippet("甲" * 30, "鄱阳", width=10) == "甲" * 10 + "…"
    assert (
        snippet("<script>", "script", width=5) == "&lt;<mark>scri</mark>…"
    )  # cut by the edge, marked as far as it shows


@given(st.text(max_size=60), st.text(max_size=8))
def test_marks_never_change_the_text_and_mark_exactly_the_terms(value: str, query: str) -> None:
    marked = str(highlight(value, query))
    assert "<" not in MARK.sub("", marked)
    assert html.unescape(MARK.sub("", marked)) == value
    if terms_of(query) and len(query.strip()) <= 50:
        for start, end in spans(value, query):
            assert start < end
