"""Background jobs: one huey instance for the whole platform (docs/jobs.md).

Storage is a SQLite file under var/ in the embedded setup and Redis when GONGKAI_REDIS_URL is
set; `gongkai worker` consumes it. The rules every job follows (DESIGN.md):

- it is queued with `enqueue_on_commit`, so a change that rolls back queues nothing;
- it takes ids (numbers, short strings), never model instances: the row is read fresh when the
  job runs, and a row gone by then is not an error;
- it calls an action and does side effects only (notifications, index updates, derived files),
  never decides what is visible;
- running it twice does no harm: a job may be retried, or run by two consumers.

With settings.JOBS_IMMEDIATE (GONGKAI_JOBS_IMMEDIATE) a job runs in the process that queued it,
right after the commit: no worker is needed. The tests run that way (the root conftest sets it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections, transaction
from django.dispatch import receiver
from huey import RedisHuey, SqliteHuey

logger = logging.getLogger(__name__)

# huey ships no type information; a task is whatever `@task` returns (a huey TaskWrapper).
Task = Any
JobArg = int | str | None


def _build() -> Any:
    common: dict[str, Any] = {
        # Jobs return nothing anyone reads: storing results would only grow the queue's storage.
        "results": False,
        # huey's clock is UTC; periodic jobs convert to local time themselves (daily_at).
        "utc": True,
        "immediate": settings.JOBS_IMMEDIATE,
    }
    if settings.JOBS_REDIS_URL:
        return RedisHuey(settings.JOBS_QUEUE_NAME, url=settings.JOBS_REDIS_URL, **common)
    return SqliteHuey(settings.JOBS_QUEUE_NAME, filename=str(settings.JOBS_SQLITE_PATH), **common)


huey = _build()


@receiver(setting_changed)
def _follow_immediate_setting(*, setting: str, value: Any, **_kwargs: Any) -> None:
    # Lets tests (override_settings / pytest-django's `settings`) switch between running jobs
    # inline and really queueing them.
    if setting == "JOBS_IMMEDIATE":
        huey.immediate = bool(value)


def _close_old_connections() -> None:
    # A worker lives for days: drop database connections that died or outlived CONN_MAX_AGE, as
    # Django does around each request. A job run inline (immediate mode, a test) shares its
    # caller's connection and perhaps its transaction: leave those alone.
    if huey.immediate or transaction.get_connection().in_atomic_block:
        return
    close_old_connections()


@huey.pre_execute()
def _fresh_connection_before(_task: Any) -> None:
    _close_old_connections()


@huey.post_execute()
def _fresh_connection_after(_task: Any, _value: Any, _exc: Any) -> None:
    _close_old_connections()


def task(*, retries: int = 0, retry_delay: int = 0, name: str | None = None) -> Callable[[Any], Task]:
    """Declare a job. The name defaults to module.function, which is what the queue stores: rename
    a job only when its queue is empty."""
    return huey.task(retries=retries, retry_delay=retry_delay, name=name)


def periodic_task(when: Callable[[datetime], bool], *, retries: int = 0, retry_delay: int = 0,
                  name: str | None = None) -> Callable[[Any], Task]:
    """Declare a job the worker starts by itself whenever `when(now)` is true (checked once a
    minute; `now` is naive UTC, as huey gives it). Only one worker should start them (the others
    run with `gongkai worker --no-periodic`)."""
    return huey.periodic_task(when, retries=retries, retry_delay=retry_delay,
                              name=name)


def daily_at(hour: int, minute: int) -> Callable[[datetime], bool]:
    """Once a day at hour:minute in settings.TIME_ZONE (Asia/Shanghai unless configured)."""
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {hour}:{minute}")

    def due(now: datetime) -> bool:
        local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(settings.TIME_ZONE))
        return (local.hour, local.minute) == (hour, minute)

    return due


def enqueue_on_commit(job: Task, *args: JobArg) -> None:
    """Queue `job(*args)` when the current transaction commits; if it rolls back, nothing is
    queued. Outside a transaction the job is queued at once.

    Arguments must be ids or short strings: the job reads the current rows when it runs."""
    for arg in args:
        if not isinstance(arg, int | str | None) or isinstance(arg, bool):
            raise TypeError(f"jobs take ids, not {type(arg).__name__}: {job.name}{args!r}")
    # robust: the change is already committed; a queue that cannot be reached (Redis down) is
    # logged and must not turn the user's successful request into an error page.
    transaction.on_commit(partial(_enqueue, job, args), robust=True)


def _enqueue(job: Task, args: tuple[JobArg, ...]) -> None:
    job(*args)
