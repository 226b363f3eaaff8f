"""gongkai.jobs: jobs are queued on commit (never for a rolled-back change), take ids, and live in
SQLite under var/ or in Redis."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core import mail as outbox
from django.db import transaction
from huey.storage import RedisStorage, SqliteStorage

from gongkai import jobs
from gongkai.notify import actions, tasks
from gongkai.notify.models import Notification
from gongkai.testing import UserFactory


def test_a_job_is_queued_when_the_transaction_commits(db, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_on_commit(tasks.send_email, 42)
        assert queue.pending_count() == 0  # not before the commit
    (job,) = queue.pending()
    assert job.args == (42,)


def test_a_rolled_back_transaction_queues_nothing(db, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_on_commit(tasks.send_email, 42)
        raise RuntimeError("rolled back")
    assert queue.pending_count() == 0


@pytest.mark.parametrize("arg", [object(), 1.5, True, [1], {"id": 1}])
def test_jobs_take_ids_not_objects(arg):
    with pytest.raises(TypeError, match="jobs take ids"):
        jobs.enqueue_on_commit(tasks.send_email, arg)


def test_a_job_for_a_row_that_is_gone_does_nothing(db, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_on_commit(tasks.send_email, 999_999)
    (job,) = queue.pending()
    queue.execute(job)
    assert outbox.outbox == []


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback(settings):
    # No test transaction around this one: what commits really commits, and the job runs inline.
    person = UserFactory.create(username="tx_reader")
    actions.set_email_mode(actor=person, mode="immediate")
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.notify([person], kind="item_public", subject="撤回的通知", dedup_key="a")
        raise RuntimeError("the caller failed")
    assert outbox.outbox == [] and not Notification.objects.exists()
    with transaction.atomic():
        actions.notify([person], kind="item_public", subject="公开了", dedup_key="b")
        assert outbox.outbox == []
    assert [m.subject for m in outbox.outbox] == ["[党务公开平台] 公开了"]


def test_tests_run_jobs_inline_and_the_setting_switches_it(settings):
    assert jobs.huey.immediate is True  # the root conftest's JOBS_IMMEDIATE
    settings.JOBS_IMMEDIATE = False
    try:
        assert jobs.huey.immediate is False
    finally:
        settings.JOBS_IMMEDIATE = True  # back to the memory queue before anything is queued
    assert jobs.huey.immediate is True


def _configure(monkeypatch, **values):
    # Plain attributes, no setting_changed signal: the platform's own queue stays as it is.
    for name, value in values.items():
        monkeypatch.setattr(django_settings, name, value)


def test_the_embedded_queue_is_a_sqlite_file_under_var(monkeypatch, tmp_path):
    _configure(monkeypatch, JOBS_IMMEDIATE=False, JOBS_REDIS_URL=None,
               JOBS_SQLITE_PATH=tmp_path / "jobs.sqlite3")
    built = jobs._build()
    assert isinstance(built.storage, SqliteStorage)
    assert (tmp_path / "jobs.sqlite3").exists()
    assert built.name == "gongkai" and built.utc and not built.results
    assert jobs.huey.immediate is True  # the tests' own queue is untouched


def test_with_a_redis_url_the_queue_is_in_redis(monkeypatch, tmp_path):
    _configure(monkeypatch, JOBS_IMMEDIATE=False, JOBS_REDIS_URL="redis://127.0.0.1:6399/3",
               JOBS_SQLITE_PATH=tmp_path / "jobs.sqlite3")
    built = jobs._build()  # connects lazily: no server needed to build it
    assert isinstance(built.storage, RedisStorage)
    assert built.storage.pool.connection_kwargs["port"] == 6399
    assert built.storage.pool.connection_kwargs["db"] == 3
    assert not (tmp_path / "jobs.sqlite3").exists()


@pytest.mark.parametrize(("hour", "minute"), [(24, 0), (7, 60), (-1, 0)])
def test_daily_at_refuses_impossible_times(hour, minute):
    with pytest.raises(ValueError):
        jobs.daily_at(hour, minute)
