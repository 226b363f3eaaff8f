"""The `gongkai` command: Django's management commands under one name, so operators type
`gongkai migrate`, `gongkai demo`, `gongkai import orgs FILE`, `gongkai audit verify` ..."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    from gongkai.audit import context

    with context.bind(ip=None, channel="cli"):
        execute_from_command_line(["gongkai", *sys.argv[1:]])


if __name__ == "__main__":
    main()
