"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any

from gongkai.testing import PASSWORD


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/staff/")


def logout(page: Any) -> None:
    page.click("#logout-button")
    page.wait_for_load_state()
