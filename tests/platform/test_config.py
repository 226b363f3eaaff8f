"""Settings come only from GONGKAI_* variables, parsed strictly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gongkai.config import ConfigError, Env


def test_defaults_when_unset():
    env = Env({})
    assert env.boolean("GONGKAI_DEBUG", False) is False
    assert env.integer("GONGKAI_X", 5) == 5
    assert env.url("GONGKAI_DATABASE_URL", {"postgres"}) is None


@pytest.mark.parametrize(("name", "value", "call"), [
    ("GONGKAI_DEBUG", "maybe", lambda e: e.boolean("GONGKAI_DEBUG", False)),
    ("GONGKAI_N", "ten", lambda e: e.integer("GONGKAI_N", 1)),
    ("GONGKAI_N", "0", lambda e: e.integer("GONGKAI_N", 1, minimum=1)),
    ("GONGKAI_DATABASE_URL", "mysql://x/y", lambda e: e.url("GONGKAI_DATABASE_URL", {"postgres"})),
    ("GONGKAI_DATABASE_URL", "postgres://h:notaport/db",
     lambda e: e.url("GONGKAI_DATABASE_URL", {"postgres"})),
    ("GONGKAI_HOSTS", "a,,b", lambda e: e.strings("GONGKAI_HOSTS", [])),
    ("GONGKAI_LEVEL", "LOUD", lambda e: e.choice("GONGKAI_LEVEL", "INFO", {"INFO"})),
])
def test_bad_values_name_the_variable(name, value, call):
    with pytest.raises(ConfigError, match=name):
        call(Env({name: value}))


def test_password_is_not_echoed_in_errors():
    with pytest.raises(ConfigError) as excinfo:
        Env({"GONGKAI_DATABASE_URL": "mysql://u:s3cret@h/db"}).url(
            "GONGKAI_DATABASE_URL", {"postgres"})
    assert "s3cret" not in str(excinfo.value)


def test_bad_value_stops_startup_with_the_name(tmp_path):
    env = {**os.environ, "GONGKAI_DEBUG": "perhaps", "GONGKAI_VAR_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check"], env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "GONGKAI_DEBUG" in result.stderr


def test_embedded_defaults(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_smtp_url_password_is_percent_decoded(tmp_path):
    probe = ("from django.conf import settings; "
             "print(settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, "
             "settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_SSL)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings",
           "GONGKAI_VAR_DIR": str(tmp_path),
           "GONGKAI_EMAIL_URL": "smtps://mail%40county:p%40ss%3Aw0rd@smtp.example.org"}
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.stdout.split() == ["smtp.example.org", "465", "mail@county", "p@ss:w0rd", "True"]
