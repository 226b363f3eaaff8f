from __future__ import annotations

import pytest
from huey.storage import MemoryStorage

from gongkai import jobs
from tests.api.conftest import anon, as_user, with_token  # noqa: F401 -- the API client fixtures


@pytest.fixture
def queue(monkeypatch):
    """The job queue as a worker would see it: jobs are stored, not run, until the test runs
    them (in memory, never the real var/jobs.sqlite3)."""
    monkeypatch.setattr(jobs.huey, "_immediate", False)
    monkeypatch.setattr(jobs.huey, "storage", MemoryStorage("test"))
    return jobs.huey
