"""Number checks and text normalisation used by the scanner.

Everything here is a pure function of its input except `plausible_birth_date`, which compares
with today's date (a birth date in the future is not a birth date).
"""

from __future__ import annotations

from datetime import date

# GB 11643-1999: weights of the first 17 digits, and the check character for each remainder.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# First two digits of a 居民身份证 number: the province-level division (GB/T 2260), plus 81/82/83
# for the residence permits of Hong Kong, Macao and Taiwan residents, which use the same format.
# Foreigners' permanent residence cards issued since 2023 also use it and start with 9.
ID_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83"})

# One character in, one character out, so offsets in the normalised text are offsets in the
# original: full-width ASCII (０-９, Ｘ, ＠, －, （）…) becomes ASCII, the spaces people and
# editors put between digit groups (ideographic space, no-break space from &nbsp;) become a
# plain space, and the hyphen look-alikes become "-". The em dash is left alone: "——" is
# Chinese punctuation, not a digit separator.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALISE.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20})
_NORMALISE.update({code: ord("-") for code in (0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE63)})


def normalise(text: str) -> str:
    """The text with look-alike characters folded to ASCII; always the same length."""
    return text.translate(_NORMALISE)


def id_checksum_ok(number: str) -> bool:
    """`number` is 17 ASCII digits followed by the GB 11643 check character (digit or X)."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def plausible_birth_date(yyyymmdd: str, *, today: date | None = None) -> bool:
    """A real calendar date from 1900 up to today."""
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= (today or date.today())


def is_id_number(number: str, *, today: date | None = None) -> bool:
    """An 18-character 居民身份证 number: known leading region, real birth date, valid checksum."""
    return (
        len(number) == 18
        and (number[:2] in ID_PROVINCES or number[0] == "9")
        and plausible_birth_date(number[6:14], today=today)
        and id_checksum_ok(number)
    )


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check that bank card numbers carry in their last digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = int(char)
        if position % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
