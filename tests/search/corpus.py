"""The plain substring scan that search results must equal, and random Chinese + Latin text.

The oracle spells the rule of gongkai/search/text.py out again, character by character, without
importing it: fold every character (NFKC, then lower case), cut the query at white space, drop
terms without a letter or digit, and keep the documents whose folded text contains every term."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from gongkai.search import indexing
from gongkai.search.documents import Document

KIND = "test"
BASE = datetime(2026, 1, 1, tzinfo=UTC)

# Few distinct characters, so that random queries often hit: repeated characters (哈哈哈),
# words that contain each other (鄱阳, 鄱阳湖), Latin in both cases and in full width, digits,
# Chinese and ASCII punctuation, and characters that fold to several (ﬁ, ½, ①, İ) or by
# context (Σ), or that decompose (e + combining acute).
CJK = "党员费组织生活会哈鄱阳湖中文大小"
LATIN = "abcABCxyz"
DIGITS = "0123"
WIDE = "ＡＢｃ１２"
PUNCT = "，。、《》（）-._/:“”"
SPACE = " \n\u3000"
ODD = ["ﬁ", "½", "①", "İ", "Σ", "ß", "e\u0301", "é", "Å", "㍿", "〇"]
WORDS = ["党员", "党费", "鄱阳湖", "哈哈哈", "中文ABC123", "2026", "组织生活会", "ABC"]


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", char).lower() for char in text)


def terms_of(query: str) -> list[str]:
    terms: list[str] = []
    for part in fold(query.strip()).split():
        if any(char.isalnum() for char in part) and part not in terms:
            terms.append(part)
    return terms


@lru_cache(maxsize=4096)
def searched_text(doc: Document) -> str:
    return (
        fold(doc.title.replace("\x00", ""))
        + "\n"
        + fold(doc.extra.replace("\x00", ""))
        + "\n"
        + fold(doc.body.replace("\x00", ""))
    )


def oracle(query: str, docs: Iterable[Document]) -> set[int]:
    terms = terms_of(query)
    if not terms:
        return set()
    return {doc.object_id for doc in docs if all(term in searched_text(doc) for term in terms)}


def random_text(rng: random.Random, length: int) -> str:
    pieces: list[str] = []
    while sum(map(len, pieces)) < length:
        roll = rng.random()
        if roll < 0.45:
            pieces.append(rng.choice(CJK))
        elif roll < 0.55:
            pieces.append(rng.choice(WORDS))
        elif roll < 0.65:
            pieces.append(rng.choice(LATIN))
        elif roll < 0.72:
            pieces.append(rng.choice(DIGITS))
        elif roll < 0.77:
            pieces.append(rng.choice(WIDE))
        elif roll < 0.88:
            pieces.append(rng.choice(PUNCT))
        elif roll < 0.95:
            pieces.append(rng.choice(SPACE))
        else:
            pieces.append(rng.choice(ODD))
    return "".join(pieces)


def random_docs(rng: random.Random, count: int) -> list[Document]:
    return [
        Document(
            kind=KIND,
            object_id=i,
            title=random_text(rng, rng.randint(1, 12)),
            body=random_text(rng, rng.randint(0, 80)),
            extra=random_text(rng, rng.randint(0, 4)),
            org_path=f"/c/t{i % 3}/",
            category=rng.choice(["党费", "组织", ""]),
            published_at=BASE + timedelta(days=rng.randint(0, 300)),
        )
        for i in range(1, count + 1)
    ]


def random_query(rng: random.Random, docs: list[Document]) -> str:
    """A substring of a document (1 to 6 characters, sometimes two of them), or random text."""
    roll = rng.random()
    if roll < 0.6:
        doc = rng.choice(docs)
        text = doc.title + "\n" + doc.extra + "\n" + doc.body
        start = rng.randrange(len(text))
        query = text[start : start + rng.randint(1, 6)]
        if rng.random() < 0.2:
            other = rng.choice(docs).body or "党"
            query += " " + other[: rng.randint(1, 3)]
        return query
    if roll < 0.7:
        return rng.choice(WORDS) + rng.choice(["", " ", "，", "、"]) + rng.choice(WORDS)[: rng.randint(1, 3)]
    return random_text(rng, rng.randint(1, 5))


def load(docs: list[Document]) -> None:
    indexing.index_many(docs)
