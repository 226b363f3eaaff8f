"""Input types shared by every endpoint.

Strings refuse NUL and lone surrogates at the edge: PostgreSQL cannot store NUL in text and
neither database can encode a lone surrogate, so letting them through turns bad input into a
500 deep inside an action."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(value: str) -> str:
    if _UNSTORABLE.search(value):
        raise ValueError(_("不能包含空字符（NUL）或无效的 Unicode 字符"))
    return value


def _aware(value: datetime) -> datetime:
    # A time without an offset means Beijing time, as everywhere else in the product. Stored
    # times are UTC, and PostgreSQL refuses offsets beyond ±15:59, so convert here once.
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(_("日期时间超出范围")) from None


Text = Annotated[str, AfterValidator(_storable)]
# Lookups by code or name: long enough for any real value, short enough to refuse junk.
Code = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
Reason = Annotated[str, Field(max_length=2000), AfterValidator(_storable)]
# Row ids: positive and within a 64-bit column.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Moment = Annotated[datetime, AfterValidator(_aware)]

# The default of a PATCH field the client may leave out. pydantic never validates a default,
# so "absent" is possible while an explicit null is still refused by the field's type.
UNSET: Any = None
