"""Valid and invalid test numbers, computed here independently of gongkai.screening.checks so
that a wrong check in the code cannot make its own tests pass."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """The 18-character ID number with the right GB 11643 check character."""
    assert len(first17) == 17
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def wrong_check(number: str) -> str:
    """The same number with a different (wrong) last character."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def luhn_complete(prefix: str) -> str:
    """prefix + the one digit that makes it pass Luhn."""
    for d in "0123456789":
        candidate = prefix + d
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


ID_1990 = id_number("11010519900101123")      # 110105199001011232
ID_X = "11010519491231002X"                    # the well-known sample with an X check character
CARD_19 = luhn_complete("622202123456789012")  # 6222021234567890128
CARD_16 = luhn_complete("622848001234567")     # 6228480012345671

ids = st.builds(
    lambda region, born, seq: id_number(f"{region}{born:%Y%m%d}{seq:03d}"),
    st.sampled_from(["110105", "440306", "320102", "510107", "650102"]),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2015, 12, 31)),
    st.integers(0, 999),
)
cards = st.builds(lambda first, rest: luhn_complete(first + rest),
                  st.sampled_from(["6222", "6228", "4367", "5187", "9558"]),
                  st.text("0123456789", min_size=11, max_size=14))
mobiles = st.builds(lambda second, rest: f"1{second}{rest}",
                    st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
emails = st.builds(lambda user, host: f"{user}@{host}.com",
                   st.text("abcxyz019._", min_size=1, max_size=8).filter(lambda u: u[0].isalnum()),
                   st.text("abcdefgh", min_size=1, max_size=8))
