"""Jobs of the disclosure items. They do side effects only: who sees an item is decided by
the gate at read time, never here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from gongkai import jobs
from gongkai.disclosures import openings

OPENINGS_EVERY_MINUTES = 5


def every_minutes(step: int) -> Callable[[datetime], bool]:
    """Whenever the minute of the hour is a multiple of `step` (any time zone agrees)."""
    if not 0 < step <= 60 or 60 % step:
        raise ValueError(f"not a divisor of an hour: {step}")
    return lambda now: now.minute % step == 0


# A staged item (先党内后党外) opens at its date whether or not this runs; the job only tells
# its officers, within minutes. A failed run changes nothing and the next one catches up.
@jobs.periodic_task(every_minutes(OPENINGS_EVERY_MINUTES), retries=1, retry_delay=60)
def notify_openings() -> None:
    openings.notify_openings()
