"""Strict parsing of the GONGKAI_* environment variables.

Every setting the platform reads from the environment goes through this module, so a bad value
stops start-up with a message that names the variable (healthchecks' hc/settings.py habit,
made strict).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse


class ConfigError(Exception):
    """A GONGKAI_* variable holds a value the platform cannot use."""


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        if not name.startswith("GONGKAI_"):
            raise ValueError(f"setting names must start with GONGKAI_: {name}")
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def string(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{name}={value!r}: expected true/false (1/0, yes/no, on/off)")

    def integer(self, name: str, default: int, *, minimum: int | None = None,
            maximum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r}: expected a whole number") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={value!r}: must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise ConfigError(f"{name}={value!r}: must be at most {maximum}")
        return number

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return default
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ConfigError(f"{name}={value!r}: empty item in comma-separated list")
        return items

    def choice(self, name: str, default: str, choices: set[str]) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            raise ConfigError(f"{name}={value!r}: expected one of {', '.join(sorted(choices))}")
        return value

    def command(self, name: str) -> list[str]:
        """A command line split the way a POSIX shell would (quotes allowed), never run through
        a shell; empty when unset."""
        value = self._raw(name)
        if value is None:
            return []
        try:
            return shlex.split(value)
        except ValueError as error:
            raise ConfigError(f"{name}={value!r}: cannot split into a command ({error})") from None

    def file(self, name: str, *, signatures: tuple[bytes, ...] = (), kind: str = "") -> Path | None:
        """An existing, readable file; with `signatures`, its first bytes must be one of them, so a
        wrong kind of file is refused at start-up rather than at first use. None when unset."""
        value = self._raw(name)
        if value is None:
            return None
        path = Path(value).expanduser().resolve()
        if not path.is_file():
            raise ConfigError(f"{name}={value!r}: no such file")
        try:
            with path.open("rb") as handle:
                head = handle.read(max((len(s) for s in signatures), default=0))
        except OSError as error:
            raise ConfigError(f"{name}={value!r}: cannot read ({error.strerror})") from None
        if signatures and not head.startswith(signatures):
            raise ConfigError(f"{name}={value!r}: not {kind or 'the expected kind of file'}")
        return path

    def url(self, name: str, schemes: set[str]) -> str | None:
        value = self._raw(name)
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in schemes:
            raise ConfigError(
                f"{name}={_redact(value)!r}: scheme must be one of {', '.join(sorted(schemes))}"
            )
        if parsed.scheme not in {"sqlite"} and not parsed.hostname:
            raise ConfigError(f"{name}={_redact(value)!r}: no host name")
        try:
            parsed.port  # noqa: B018 -- raises ValueError on a malformed port
        except ValueError:
            raise ConfigError(f"{name}={_redact(value)!r}: malformed port") from None
        return value


def _redact(url: str) -> str:
    """Hide a password in a URL before it goes into an error message."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
