"""Pre-publication screening (保密审查的机器辅助): find personal data and secrecy markings in
the text of a disclosure item before it is published.

`scan(text, field=...)` looks at plain text (a title, a text attachment); `scan_html(html,
field=...)` at the visible text of a rich-text body. Both return findings in order of position,
never overlapping: where two readings of the same characters compete, the more severe one is
kept (an 18-digit number that is a valid ID number and also passes Luhn is an ID number).

A finding's `key` is stable across requests: it is derived from the kind, the field and the
canonical value (digits only for numbers, lower case for e-mail), so the same number written
"138-1234-5678" and "13812345678" in the same field is one key, and redacting it (redact.py)
masks every occurrence. Offsets of `scan_html` findings are into `markup.visible_text(html)`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.screening import checks, markup

Kind = Literal[
    "id_card", "bank_card", "mobile", "landline", "email", "secrecy_mark", "internal_mark", "star"]
Severity = Literal["high", "medium", "low"]

ID_CARD: Kind = "id_card"
BANK_CARD: Kind = "bank_card"
MOBILE: Kind = "mobile"
LANDLINE: Kind = "landline"
EMAIL: Kind = "email"
SECRECY_MARK: Kind = "secrecy_mark"
INTERNAL_MARK: Kind = "internal_mark"
STAR: Kind = "star"

HIGH: Severity = "high"
MEDIUM: Severity = "medium"
LOW: Severity = "low"

# High blocks publication until the secrecy reviewer redacts it or overrides with a reason;
# medium and low are shown to the reviewer but do not block.
SEVERITY: dict[Kind, Severity] = {
    # An ID or bank card number identifies a person on its own and enables fraud; a
    # classification marking means the text may be a state or party secret. Publishing any of
    # these cannot be undone, so they block.
    ID_CARD: HIGH,
    BANK_CARD: HIGH,
    SECRECY_MARK: HIGH,
    # A mobile number is personal and reaches the person directly, but disclosures
    # legitimately carry a contact person's number; "内部资料" / "不得外传" says the text was not
    # meant for everyone, but may be right for an item whose scope is the party or the unit.
    # The reviewer must look; the item is not blocked.
    MOBILE: MEDIUM,
    INTERNAL_MARK: MEDIUM,
    # Office landlines and work e-mail addresses are published on purpose (监督电话, 意见箱), and
    # a lone ★ is usually decoration; shown so nothing passes unseen, never blocking.
    LANDLINE: LOW,
    EMAIL: LOW,
    STAR: LOW,
}
_RANK: dict[Severity, int] = {HIGH: 3, MEDIUM: 2, LOW: 1}
# Between equally severe readings of the same characters, the earlier kind wins.
_KIND_ORDER: tuple[Kind, ...] = (
    SECRECY_MARK, ID_CARD, BANK_CARD, INTERNAL_MARK, MOBILE, LANDLINE, EMAIL, STAR)

LABELS: dict[Kind, str] = {
    ID_CARD: gettext_noop("身份证号"),
    BANK_CARD: gettext_noop("银行卡号"),
    MOBILE: gettext_noop("手机号"),
    LANDLINE: gettext_noop("固定电话"),
    EMAIL: gettext_noop("电子邮箱"),
    SECRECY_MARK: gettext_noop("密级标志"),
    INTERNAL_MARK: gettext_noop("内部或限传标注"),
    STAR: gettext_noop("★符号"),
}
CONTEXT_CHARS = 20
# Fields are named by the caller ("title", "body", "attachment:12"); these read better in messages.
FIELD_LABELS: dict[str, str] = {"title": gettext_noop("标题"), "body": gettext_noop("正文")}


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


@dataclass(frozen=True)
class Finding:
    """Something in a field that the secrecy reviewer must see before the item is published."""

    kind: Kind
    severity: Severity
    field: str
    start: int
    end: int
    text: str  # exactly text[start:end]
    key: str
    label: str
    before: str  # up to CONTEXT_CHARS characters before the match, line breaks as spaces
    after: str
    # What one-click redaction puts in place of `text`; None when masking cannot fix it (a
    # marking must be removed by editing, or the item published on an override with a reason).
    redaction: str | None

    @property
    def redactable(self) -> bool:
        return self.redaction is not None

    @property
    def blocking(self) -> bool:
        return self.severity == HIGH

    @property
    def excerpt(self) -> str:
        return f"{self.before}【{self.text}】{self.after}"


def make_key(kind: str, field: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}\x1f{field}\x1f{value}".encode()).hexdigest()
    return digest[:16]


def scan(text: str, *, field: str = "body") -> list[Finding]:
    """Findings in plain text, ordered by position."""
    norm = checks.normalise(text)
    candidates = [c for detect in _DETECTORS for c in detect(text, norm)]
    labels = {kind: _(label) for kind, label in LABELS.items()}
    return [_finding(text, field, c, labels[c.kind]) for c in _resolve(candidates)]


def scan_html(source: str, field: str = "body") -> list[Finding]:
    """Findings in the visible text of an HTML body; offsets are into its visible text."""
    return scan(markup.visible_text(source), field=field)


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that stop publication unless the secrecy reviewer overrides them."""
    return [f for f in findings if f.blocking]


@dataclass(frozen=True)
class _Candidate:
    kind: Kind
    start: int
    end: int
    value: str
    redaction: str | None


def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    ranked = sorted(candidates, key=lambda c: (
        -_RANK[SEVERITY[c.kind]], order[c.kind], -(c.end - c.start), c.start))
    # Accepted spans never overlap, so sorted by start they are sorted by end too: a candidate
    # only has to be checked against its two neighbours.
    starts: list[int] = []
    taken: list[_Candidate] = []
    for cand in ranked:
        i = bisect_right(starts, cand.start)
        if i > 0 and taken[i - 1].end > cand.start:
            continue
        if i < len(taken) and taken[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        taken.insert(i, cand)
    return taken


_SPACE = re.compile(r"\s")


def _finding(text: str, field: str, c: _Candidate, label: str) -> Finding:
    return Finding(
        kind=c.kind, severity=SEVERITY[c.kind], field=field, start=c.start, end=c.end,
        text=text[c.start:c.end], key=make_key(c.kind, field, c.value), label=label,
        before=_SPACE.sub(" ", text[max(0, c.start - CONTEXT_CHARS):c.start]),
        after=_SPACE.sub(" ", text[c.end:c.end + CONTEXT_CHARS]), redaction=c.redaction,
    )


# --- numbers -------------------------------------------------------------------------------
# All patterns run on the normalised text (ASCII digits). A number must not be part of a longer
# digit run: "(?<![0-9])" / "(?![0-9])" at both ends. Separators inside a number must be the
# same throughout ("138-1234-5678", "6222 0212 3456 7890"), so two numbers side by side are not
# read as one.

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?P<s>[ -]?)[0-9]{8}(?P=s)[0-9]{3}[0-9Xx](?![0-9])")
# Card numbers start with 3 (JCB), 4 (Visa), 5 (Mastercard), 6 (UnionPay and most Chinese
# debit cards) or 9 (older domestic cards such as 9558…). Requiring that keeps the many order
# and serial numbers that start with a date (2024…) from being read as cards: a tenth of all
# numbers pass Luhn by chance.
_BANK = re.compile(
    r"(?<![0-9])(?:[34569][0-9]{15,18}"
    r"|(?<![0-9][ -])[34569][0-9]{3}(?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}"
    r"(?:(?P=s)[0-9]{1,3})?(?!(?P=s)[0-9]))(?![0-9])")
_MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(?P<n>1[3-9][0-9](?P<s>[ -]?)[0-9]{4}(?P=s)[0-9]{4})(?![0-9])")
# Needs the area code's separator (or brackets): a bare run of 10-12 digits is not read as a
# landline.
_LANDLINE = re.compile(
    r"(?<![0-9])(?:\(0[1-9][0-9]{1,2}\)[ -]?|0[1-9][0-9]{1,2}[ -])(?P<n>[2-9][0-9]{6,7})(?![0-9])")
# Not touching another "@" on either side: "a@b.com@c.com" is not an address, and without this
# rule it would read as two, cut differently after one of them is masked.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+@-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9@-])")


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isascii() and ch.isalnum()).upper()


def _mask(text: str, norm: str, *, keep_first: int, keep_last: int, skip: int = 0) -> str:
    """Replace the digits (and a check X) of `text` with "*", keeping the first and last few
    and everything before `skip`; separators stay, so the length does not change."""
    positions = [i for i in range(skip, len(norm)) if norm[i].isascii() and norm[i].isalnum()]
    hidden = set(positions[keep_first:len(positions) - keep_last])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _ids(text: str, norm: str) -> Iterator[_Candidate]:
    for m in _ID.finditer(norm):
        number = _digits(m.group())
        if checks.is_id_number(number):
            yield _Candidate(ID_CARD, m.start(), m.end(), number,
                             _mask(text[m.start():m.end()], m.group(), keep_first=6, keep_last=4))


def _bank_cards(text: str, norm: str) -> Iterator[_Candidate]:
    for m in _BANK.finditer(norm):
        number = _digits(m.group())
        if checks.luhn_ok(number):
            yield _Candidate(BANK_CARD, m.start(), m.end(), number,
                             _mask(text[m.start():m.end()], m.group(), keep_first=0, keep_last=4))


def _mobiles(text: str, norm: str) -> Iterator[_Candidate]:
    for m in _MOBILE.finditer(norm):
        skip = m.start("n") - m.start()
        yield _Candidate(MOBILE, m.start(), m.end(), _digits(m.group("n")),
                         _mask(text[m.start():m.end()], m.group(), keep_first=3, keep_last=4, skip=skip))


def _landlines(text: str, norm: str) -> Iterator[_Candidate]:
    for m in _LANDLINE.finditer(norm):
        skip = m.start("n") - m.start()
        yield _Candidate(LANDLINE, m.start(), m.end(), _digits(m.group()),
                         _mask(text[m.start():m.end()], m.group(), keep_first=0, keep_last=4, skip=skip))


def _emails(text: str, norm: str) -> Iterator[_Candidate]:
    for m in _EMAIL.finditer(norm):
        # "https://user@host/…": part of a URL, not an address someone wrote down. The address
        # after "mailto:" is still an address.
        if _inside_url(norm, m.start()):
            continue
        original = text[m.start():m.end()]
        at = m.group().index("@")  # normalising keeps offsets, so "＠" is at the same place
        yield _Candidate(EMAIL, m.start(), m.end(), m.group().lower(),
                         original[0] + "***" + original[at:])


def _inside_url(norm: str, start: int) -> bool:
    """The printable ASCII run that ends at `start` contains "://"."""
    i = start
    while i > 0 and start - i < 256 and "!" <= norm[i - 1] <= "~":
        i -= 1
    return "://" in norm[i:start]


# --- markings ------------------------------------------------------------------------------
# Ordinary text uses 机密 and 秘密 all the time (商业机密, 保守党的秘密, 秘密投票), so those two
# words count only when they look like a marking: with ★ (秘密★1年), in brackets (【机密】), or
# standing alone between punctuation or line breaks (密级：秘密). 绝密 hardly occurs in a
# disclosure except as a marking, and a false alarm costs one override, so it always counts.
_LEVEL = r"(?:绝密|机密|秘密)"
_PERIOD = r"(?:[0-9]{1,3}[ \t]*(?:年|个月)|长期|启用前)"
# Characters that make a level word part of ordinary text: ideographs, letters, digits, and
# quotation marks (“秘密”投票 talks about the word).
_WORDISH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9“”‘’\"'「」『』《》"
_MARKINGS = re.compile(
    rf"{_LEVEL}[ \t]*★(?:[ \t]*{_PERIOD})?"
    rf"|★[ \t]*{_PERIOD}"
    rf"|[【\[(〔][ \t]*{_LEVEL}[ \t]*[】\])〕]"
    rf"|(?<![{_WORDISH}]){_LEVEL}(?![{_WORDISH}])"
    r"|绝密")
_INTERNAL = re.compile(
    r"内部资料|内部文件|内部材料|内部使用|内部传阅|内部参考|仅供内部|不得外传|严禁外传|请勿外传|禁止外传"
    r"|注意保密")
_STARS = re.compile(r"★+")


def _markings(text: str, norm: str) -> Iterator[_Candidate]:
    for pattern, kind in ((_MARKINGS, SECRECY_MARK), (_INTERNAL, INTERNAL_MARK), (_STARS, STAR)):
        for m in pattern.finditer(norm):
            yield _Candidate(kind, m.start(), m.end(), _SPACE.sub("", m.group()), None)


_DETECTORS: tuple[Callable[[str, str], Iterator[_Candidate]], ...] = (
    _ids, _bank_cards, _mobiles, _landlines, _emails, _markings)
