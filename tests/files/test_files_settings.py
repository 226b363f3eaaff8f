"""The file store's settings: the scan command is split like a shell would, strictly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gongkai.config import ConfigError, Env


def test_the_scan_command_is_split_like_a_shell_and_empty_means_no_scan():
    env = Env({"GONGKAI_VIRUS_SCAN_COMMAND": "clamdscan --no-summary --fdpass '{path}'"})
    assert env.command("GONGKAI_VIRUS_SCAN_COMMAND") == ["clamdscan", "--no-summary", "--fdpass", "{path}"]
    assert Env({"GONGKAI_VIRUS_SCAN_COMMAND": "  "}).command("GONGKAI_VIRUS_SCAN_COMMAND") == []


def test_an_unbalanced_quote_names_the_variable():
    with pytest.raises(ConfigError, match="GONGKAI_VIRUS_SCAN_COMMAND"):
        Env({"GONGKAI_VIRUS_SCAN_COMMAND": "clamdscan 'x"}).command("GONGKAI_VIRUS_SCAN_COMMAND")


def test_a_bad_timeout_stops_startup_with_the_name(tmp_path):
    env = {**os.environ, "GONGKAI_VIRUS_SCAN_TIMEOUT": "0", "GONGKAI_VAR_DIR": str(tmp_path)}
    env.pop("GONGKAI_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "check"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "GONGKAI_VIRUS_SCAN_TIMEOUT" in result.stderr
