from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/healthz")
print(response.status_code, response.json()["database"])
"""


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_503_when_database_does_not_answer(tmp_path):
    # A real PostgreSQL URL at a port where nothing listens: the database does not answer.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings",
           "GONGKAI_VAR_DIR": str(tmp_path),
           "GONGKAI_DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.stdout.strip() == "503 unavailable", result.stderr
