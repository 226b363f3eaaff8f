"""What a search means, and the tokens that find it fast.

The rule (docs/search.md; tests/search compares every result with a plain scan that follows it):
- A text and a query are *folded* character by character: NFKC (full-width ＡＢＣ１２３ → abc123,
  compatibility ideographs → the unified ones), then lower case.
- The folded query is cut at white space into terms; a term without any letter or digit (only
  punctuation) is dropped. A query with no term left finds nothing.
- A document matches when every term is a substring of its folded text. Nothing else: no word
  segmentation, no stemming, no synonyms, so 鄱阳 finds 鄱阳湖 and 党费 never finds 党员.

The tokens: every maximal run of characters other than white space (Chinese, Latin, digits and
punctuation alike) becomes its overlapping character bigrams followed by its last character
alone: "〔2026〕鄱阳湖" → 〔2 20 02 26 6〕 〕鄱 鄱阳 阳湖 湖. A term never contains white space, so it
lies inside one run: a term of two or more characters is the phrase of its bigrams, a
one-character term the prefix of a token (each character of a run begins exactly one token, the
last one its own token). Bigrams of two runs are never adjacent (the lone last character stands
between them), so a phrase never spans white space. Latin words are cut into bigrams too, not
kept whole: a word index would miss "2026" inside "20260701"; and punctuation stays in, so that
"〔2026〕1" looks up the rare "〕1" rather than the common "20"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

# Enough for any title or phrase a reader types; the bound keeps a pasted page of text from
# turning into hundreds of index lookups.
MAX_QUERY_CHARS = 50
MAX_TERMS = 8

# A letter or digit: Python's \w is isalnum() plus "_".
_WORDY = re.compile(r"[^\W_]")
# At each character other than white space: it and the next one when that is not white space
# either, else it alone. (\s is str.isspace(), the white space str.split() cuts at.)
_TOKEN = re.compile(r"(?=(\S\S?))")


class QueryError(ValueError):
    """A query refused as a whole, with a message for the reader (e.g. too long)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


def fold(text: str) -> str:
    """The text as search compares it: `fold_char` applied to every character."""
    if unicodedata.is_normalized("NFKC", text):
        # Every character of an NFKC string is its own NFKC form, so only case is left, and
        # str.lower() works character by character except for the final sigma (ς by context).
        return text.replace("Σ", "σ").lower()
    return "".join(map(fold_char, text))


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(folded: str) -> list[str]:
    """The index tokens of a folded text, in order (SQLite's phrase queries need the order)."""
    return _TOKEN.findall(folded)


# SQLite's FTS5 'ascii' tokenizer cuts at every ASCII character that is not a letter or digit
# and keeps everything else: tokens going to it (never containing a space) have such characters
# escaped as U+E000 and two hex digits, and U+E000 itself as U+E000 "ff". The escape is
# injective and keeps prefixes: a token starts with character c exactly when its escaped form
# starts with c's escaped form.
_ESCAPE = "\ue000"
_FTS5_ESCAPES = {i: f"{_ESCAPE}{i:02x}" for i in range(128) if not chr(i).isalnum() and chr(i) != " "} | {
    ord(_ESCAPE): f"{_ESCAPE}ff"
}


def fts5_escape(value: str) -> str:
    return value.translate(_FTS5_ESCAPES)


@dataclass(frozen=True)
class Term:
    """One white-space-separated part of a query, folded."""

    text: str


@dataclass(frozen=True)
class Query:
    raw: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def _storable(term: str) -> bool:
    """Stored text never holds NUL (PostgreSQL refuses it, the index drops it) or a lone
    surrogate (not encodable): a term with one can match nothing."""
    return "\x00" not in term and not any("\ud800" <= c <= "\udfff" for c in term)


def parse(raw: str) -> Query:
    """The terms of what a reader typed. Raises QueryError for a query that is too long; a
    query that can match nothing (empty, only punctuation) is returned with no terms."""
    if not isinstance(raw, str):
        raise QueryError(_("搜索词应为文字"))
    text = raw.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(_("搜索词不能超过%(n)s个字，请缩短后再试") % {"n": MAX_QUERY_CHARS})
    terms: dict[str, Term] = {}
    for part in fold(text).split():
        if _WORDY.search(part):
            terms.setdefault(part, Term(part))
    if len(terms) > MAX_TERMS:
        raise QueryError(_("搜索词不能超过%(n)s个（以空格分隔）") % {"n": MAX_TERMS})
    if not all(_storable(term) for term in terms):
        return Query(raw, ())
    return Query(raw, tuple(terms.values()))
