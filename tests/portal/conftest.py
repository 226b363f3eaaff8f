from __future__ import annotations

import pytest
from django.test import Client

from gongkai.people.models import User


@pytest.fixture
def login(client: Client):
    """Log the client in as a persona and return it."""

    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.FILES_DIR = tmp_path
    return tmp_path
