"""Settings for the portal load test only (bench/portal_load.py starts `gongkai serve` with
DJANGO_SETTINGS_MODULE=portal_settings and bench/ on PYTHONPATH): the project's settings as they
are, plus the server-timing middleware in front of everything and two reference pages
(bench/portal_bench_app.py). Nothing here is part of the application."""

from gongkai.settings import *  # noqa: F403
from gongkai.settings import MIDDLEWARE

MIDDLEWARE = ["portal_bench_app.ServerTiming", *MIDDLEWARE]
ROOT_URLCONF = "portal_bench_app"
