import pytest

from gongkai.testing import World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's many iterations are the point in production and a waste in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()
