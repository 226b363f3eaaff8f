from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path) -> Path:
    """Each test gets its own empty file store and no virus scanner unless it sets one."""
    settings.FILES_DIR = tmp_path / "files"
    settings.VIRUS_SCAN_COMMAND = []
    return settings.FILES_DIR


def stored_blobs(root: Path) -> list[Path]:
    """Every file in the store, temporary ones included."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
