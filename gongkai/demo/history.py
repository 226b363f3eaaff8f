"""The demo's record of what was already published: a realistic share of the obligations whose
window has opened is marked done, most on time, a few late, the rest left overdue so the
supervision pages have something to show.

Written directly (one UPDATE per obligation, executed as a batch), not through
`obligation_fulfil`, for the reasons in gongkai.demo.catalogues: the dates lie in the past and
there are thousands. Each decision is seeded by the obligation's identity (org code, entry key,
period), so the same county gets the same record on every machine."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import connection

from gongkai.bulk import batched
from gongkai.catalogue.models import Obligation

if TYPE_CHECKING:
    from gongkai.demo.catalogues import Clock

SEED = "gongkai-demo-history"
# Most organisations keep up; some lag; a few mostly do not (who the supervisors chase).
DILIGENCE = ((0.65, 0.93), (0.90, 0.72), (1.0, 0.35))  # (cumulative share of orgs, done when due)
# Of the obligations whose window is open but not yet over, this share is done already.
EARLY_SHARE = 0.5
LATE_SHARE = 0.12
CHANNEL_PHRASES = {
    "bulletin_board": "在党务公开栏公开",
    "meeting": "在党员大会上通报",
    "portal": "在门户网站公开",
    "intranet": "在内网公开",
    "e_screen": "在电子屏滚动公开",
    "document": "以文件形式印发",
    "briefing": "以情况通报形式通报",
    "new_media": "通过微信公众号发布",
}


def _rng(*parts: str) -> random.Random:
    return random.Random(":".join((SEED, *parts)))  # noqa: S311 -- demo data, not secrets


def diligence(code: str) -> float:
    """The share of due obligations the organisation with this code has done."""
    draw = _rng("diligence", code).random()
    return next(share for bound, share in DILIGENCE if draw < bound)


def note(day: date, channels: list[str], late: bool) -> str:
    phrases = [CHANNEL_PHRASES[c] for c in channels if c in CHANNEL_PHRASES][:2] or ["公开"]
    text = f"已于{day.month}月{day.day}日{phrases[0]}"
    if len(phrases) > 1:
        text += f"，并{phrases[1]}"
    return text + ("（逾期后补充公开）" if late else "")


def decide(clock: Clock, code: str, key: str, period: str, anchor: date, due: date,
           channels: list[str]) -> tuple[datetime, str] | None:
    """When (and how) this obligation was done, or None if it is still open."""
    today = clock.today
    if anchor >= today:
        return None
    rng = _rng(code, key, period)
    draw = rng.random()
    late = False
    if due < today:
        if draw >= diligence(code):
            return None
        late = rng.random() < LATE_SHARE and (today - due).days > 1
        if late:
            day = due + timedelta(days=rng.randint(1, min(20, (today - due).days - 1)))
        else:
            day = anchor + timedelta(days=rng.randint(0, (due - anchor).days))
    else:
        if draw >= EARLY_SHARE:
            return None
        day = anchor + timedelta(days=rng.randint(0, (today - anchor).days - 1))
    workday = clock.workday(day)
    if workday >= anchor:
        day = workday
    return clock.at(rng, day), note(day, channels, late)


def fulfil(clock: Clock, codes: dict[int, str], officers: dict[int, int | None], *,
           before: dict[int, datetime] | None = None, org_ids: Iterable[int] | None = None) -> int:
    """Mark done the open obligations of `org_ids` (default: every org in `codes`) the demo
    decides were done, by the org's officer; for an org in `before`, only those done before
    that moment (its catalogue was revised then). Returns how many."""
    before = before or {}
    open_ones = Obligation.objects.filter(fulfilled_at__isnull=True, anchor__lt=clock.today,
                                          org_id__in=list(codes if org_ids is None else org_ids))
    updates = []
    for pk, org_id, key, period, anchor, due, channels in (
            open_ones.order_by("id").values_list("id", "org_id", "entry_key", "period", "anchor",
                                                 "due_date", "entry__channels")):
        decided = decide(clock, codes[org_id], key, period, anchor, due, channels or [])
        if decided is None:
            continue
        moment, text = decided
        if org_id in before and moment >= before[org_id]:
            continue
        updates.append((moment, officers.get(org_id), text, pk))
    _write(updates)
    return len(updates)


def _write(updates: list[tuple[datetime, int | None, str, int]]) -> None:
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in Obligation._meta.concrete_fields}
    moment_field = fields["fulfilled_at"]
    # Table and column names come from the model, quoted; values are parameters.
    sql = (f"UPDATE {quote(Obligation._meta.db_table)} SET "  # noqa: S608
           f"{quote(moment_field.column)} = %s, {quote(fields['fulfilled_by_id'].column)} = %s, "
           f"{quote(fields['fulfilment_note'].column)} = %s WHERE {quote(fields['id'].column)} = %s")
    with connection.cursor() as cursor:
        for chunk in batched(updates, 2000):
            cursor.executemany(sql, [
                (moment_field.get_db_prep_save(moment, connection), person, text, pk)
                for moment, person, text, pk in chunk])
