"""The queue's storage follows the environment: SQLite under GONGKAI_VAR_DIR by default, Redis with
GONGKAI_REDIS_URL; bad values stop start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SHOW_QUEUE = ("from gongkai.jobs import huey; "
              "print(type(huey.storage).__name__, huey.immediate, getattr(huey.storage, 'filename', '-'))")


def _run(tmp_path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"GONGKAI_DATABASE_URL", "GONGKAI_REDIS_URL", "GONGKAI_JOBS_IMMEDIATE"}}
    env.update(GONGKAI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings", **variables)
    return subprocess.run([sys.executable, "-m", "gongkai.cli", "shell", "--no-imports", "-c", SHOW_QUEUE],
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def test_embedded_queue_is_a_file_in_the_var_dir(tmp_path):
    result = _run(tmp_path)
    assert result.stdout.split() == ["SqliteStorage", "False", str(tmp_path / "jobs.sqlite3")], result.stderr


def test_redis_url_moves_the_queue_to_redis(tmp_path):
    result = _run(tmp_path, GONGKAI_REDIS_URL="redis://127.0.0.1:6399/1")
    assert result.stdout.split()[:2] == ["RedisStorage", "False"], result.stderr
    assert not (tmp_path / "jobs.sqlite3").exists()


def test_jobs_can_run_inline_without_a_worker(tmp_path):
    assert _run(tmp_path, GONGKAI_JOBS_IMMEDIATE="true").stdout.split()[:2] == ["MemoryStorage", "True"]


@pytest.mark.parametrize(("name", "value"), [("GONGKAI_JOBS_IMMEDIATE", "sometimes"),
                                             ("GONGKAI_SITE_URL", "gk.example.gov.cn"),
                                             ("GONGKAI_SITE_URL", "ftp://gk.example.gov.cn")])
def test_bad_values_stop_startup_naming_the_variable(tmp_path, name, value):
    result = _run(tmp_path, **{name: value})
    assert result.returncode == 2 and name in result.stderr
