"""Folding, tokens and query parsing (gongkai/search/text.py), and the app's place in the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import text
from gongkai.search.text import MAX_QUERY_CHARS, MAX_TERMS, QueryError, parse
from tests.search.corpus import ODD
from tests.search.corpus import fold as oracle_fold

# Characters that fold by context (Σ), to several (ﬁ), or compose with their neighbours (e +
# combining acute, Hangul jamo), where a shortcut through whole-string NFKC would differ.
TRICKY = sorted(set("Σ σΑ\u0301\u1100\u1161\u11a8가e" + "".join(ODD)))


@settings(max_examples=2000)
@given(
    st.text(max_size=30)
    | st.text(alphabet=st.sampled_from(sorted({c for c in "Σ σΑ\u0301가" + "".join(ODD)})))
)
def test_the_fast_fold_is_the_character_by_character_fold(value: str) -> None:
    assert text.fold(value) == oracle_fold(value)


def test_fold_examples() -> None:
    assert text.fold("ＡＢＣ１２３党") == "abc123党"
    assert text.fold("ΑΣ Σ") == "ασ σ"  # not the final ς that str.lower() would choose
    assert text.fold("ﬁ①½") == "fi11⁄2"
    assert text.fold("\u3000") == " "


def test_tokens_are_bigrams_of_each_non_space_run_then_its_last_character() -> None:
    assert text.tokens("〔2026〕鄱阳湖") == ["〔2", "20", "02", "26", "6〕", "〕鄱", "鄱阳", "阳湖", "湖"]
    assert text.tokens("党费，收缴 a") == ["党费", "费，", "，收", "收缴", "缴", "a"]
    assert text.tokens("哈哈哈") == ["哈哈", "哈哈", "哈"]
    assert text.tokens(" \n\u3000\x1c") == []


def test_fts5_escape_leaves_only_ascii_letters_digits_and_spaces() -> None:
    tokens = text.tokens('a.b "c" \ue000x 党,费 \x01!')
    escaped = text.fts5_escape(" ".join(tokens))
    assert all(not c.isascii() or c.isalnum() or c == " " for c in escaped)
    assert escaped.split(" ") == [text.fts5_escape(t) for t in tokens]
    assert len({text.fts5_escape(c) for c in map(chr, range(0x10000))}) == 0x10000  # injective


def test_parse_folds_splits_and_drops_punctuation_only_terms() -> None:
    query = parse("  鄱阳湖  ＡＢＣ，  、 鄱阳湖 ")
    assert [t.text for t in query.terms] == ["鄱阳湖", "abc,"]
    assert not parse("，。！") and not parse("") and not parse(" \n\t\u3000")


def test_parse_bounds() -> None:
    assert parse("党" * MAX_QUERY_CHARS)
    with pytest.raises(QueryError, match="不能超过50个字"):
        parse("党" * (MAX_QUERY_CHARS + 1))
    assert len(parse(" ".join("党员费组织生活会"[:MAX_TERMS])).terms) == MAX_TERMS
    with pytest.raises(QueryError, match="不能超过8个"):
        parse(" ".join("党员费组织生活会哈"))
    with pytest.raises(QueryError):
        parse(None)  # type: ignore[arg-type]


def test_a_term_that_no_stored_text_can_contain_matches_nothing() -> None:
    assert not parse("党费 a\x00b")
    assert not parse("党费 \ud800a")


def test_search_imports_nothing_of_ours_but_itself() -> None:
    # DESIGN.md "Layers": platform imports nothing of ours but settings; domain apps call it.
    root = Path(text.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert not name.startswith("gongkai.") or name.startswith("gongkai.search"), (path, name)
