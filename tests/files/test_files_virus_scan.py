"""The virus-scan hook: the configured command runs on every upload before it is kept; exit 0
keeps it, anything else (found, error, time-out, no such program) refuses it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from gongkai.files.models import StoredFile
from gongkai.files.store import store_upload
from tests.files import samples
from tests.files.conftest import stored_blobs

pytestmark = pytest.mark.django_db

SCANNER = """
import sys, time
data = open(sys.argv[-1], "rb").read()
if b"SLEEP" in data:
    time.sleep(30)
if b"BROKEN" in data:
    sys.exit(2)
if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data:
    print(sys.argv[-1] + ": Eicar-Test-Signature FOUND")
    sys.exit(1)
"""


@pytest.fixture
def scanner(settings, tmp_path) -> Path:
    script = tmp_path / "scan.py"
    script.write_text(SCANNER)
    settings.VIRUS_SCAN_COMMAND = [sys.executable, str(script), "--no-summary", "{path}"]
    return script


def test_a_clean_file_passes_the_scan(scanner):
    stored = store_upload(samples.pdf("党务公开"), name="通知.pdf", actor=None)
    assert stored.pk


def test_a_file_the_scanner_flags_is_refused_and_not_kept(scanner, files_dir, caplog):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(b"notice\n" + samples.EICAR, name="通知.txt", actor=None)
    assert excinfo.value.code == "virus"
    assert excinfo.value.messages == ["「通知.txt」：病毒扫描发现可疑内容，文件已拒收"]
    assert "Eicar-Test-Signature FOUND" in caplog.text  # the detail goes to the log, not the user
    assert StoredFile.objects.count() == 0
    assert stored_blobs(files_dir) == []


def test_a_scanner_error_refuses_the_file(scanner):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(b"BROKEN", name="通知.txt", actor=None)
    assert excinfo.value.code == "scan_failed"
    assert "退出码 2" in excinfo.value.messages[0]


def test_a_scanner_that_takes_too_long_refuses_the_file(scanner, settings):
    settings.VIRUS_SCAN_TIMEOUT = 1
    with pytest.raises(ValidationError) as excinfo:
        store_upload(b"SLEEP", name="通知.txt", actor=None)
    assert excinfo.value.code == "scan_failed"
    assert "超时" in excinfo.value.messages[0]


def test_a_scanner_that_cannot_start_refuses_the_file(settings, tmp_path):
    settings.VIRUS_SCAN_COMMAND = [str(tmp_path / "no-such-clamdscan")]
    with pytest.raises(ValidationError) as excinfo:
        store_upload(b"hello", name="通知.txt", actor=None)
    assert excinfo.value.code == "scan_failed"
    assert "无法运行" in excinfo.value.messages[0]


def test_without_a_path_placeholder_the_path_is_appended(settings, tmp_path):
    script = tmp_path / "scan.py"
    script.write_text(SCANNER)
    settings.VIRUS_SCAN_COMMAND = [sys.executable, str(script)]
    with pytest.raises(ValidationError):
        store_upload(samples.EICAR, name="通知.txt", actor=None)


def test_the_scan_runs_only_on_files_that_passed_the_type_check(scanner):
    # A forged extension is refused for what it is, without spending a scan on it.
    with pytest.raises(ValidationError) as excinfo:
        store_upload(samples.EICAR, name="通知.pdf", actor=None)
    assert excinfo.value.code == "forged_extension"
