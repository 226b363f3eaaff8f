"""Django settings. Every value comes from a GONGKAI_* environment variable (see
docs/configuration.md) or from an embedded default that lets a fresh clone run with SQLite under var/."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url

from gongkai.config import ConfigError, Env

BASE_DIR = Path(__file__).resolve().parent
env = Env()


def _fail(error: ConfigError) -> None:
    sys.stderr.write(f"配置错误 / configuration error: {error}\n")
    raise SystemExit(2)


try:
    VAR_DIR = Path(env.string("GONGKAI_VAR_DIR", str(BASE_DIR.parent / "var"))).resolve()
    DEBUG = env.boolean("GONGKAI_DEBUG", False)
    ALLOWED_HOSTS = env.strings("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    CSRF_TRUSTED_ORIGINS = env.strings("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
    _database_url = env.url("GONGKAI_DATABASE_URL", {"sqlite", "postgres", "postgresql"})
    _redis_url = env.url("GONGKAI_REDIS_URL", {"redis", "rediss"})
    _secret_key = env.string("GONGKAI_SECRET_KEY")
    _email_url = env.url("GONGKAI_EMAIL_URL", {"smtp", "smtps", "console"})
    DEFAULT_FROM_EMAIL = env.string("GONGKAI_DEFAULT_FROM_EMAIL", "gongkai@localhost")
    SITE_NAME = env.string("GONGKAI_SITE_NAME", "党务公开平台")
    SITE_FOOTER = env.string("GONGKAI_SITE_FOOTER", "")
    # The portal's footer identity (主办单位, 联系方式, 备案号), as government sites show it.
    SITE_HOST_ORG = env.string("GONGKAI_SITE_HOST_ORG", "")
    SITE_CONTACT = env.string("GONGKAI_SITE_CONTACT", "")
    SITE_ICP = env.string("GONGKAI_SITE_ICP", "")
    # How long a shared cache may keep an anonymous portal page (0: not at all).
    PORTAL_CACHE_SECONDS = env.integer("GONGKAI_PORTAL_CACHE_SECONDS", 60, minimum=0, maximum=86400)
    # The site's address as users type it, for links in e-mails that jobs send (no request there).
    SITE_URL = (env.url("GONGKAI_SITE_URL", {"http", "https"}) or "").rstrip("/")
    JOBS_IMMEDIATE = env.boolean("GONGKAI_JOBS_IMMEDIATE", False)
    LOGIN_FAILURE_LIMIT = env.integer("GONGKAI_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
    LOGIN_LOCKOUT_MINUTES = env.integer("GONGKAI_LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
    PASSWORD_MIN_LENGTH = env.integer("GONGKAI_PASSWORD_MIN_LENGTH", 10, minimum=8, maximum=128)
    SECURE_COOKIES = env.boolean("GONGKAI_SECURE_COOKIES", False)
    LOG_LEVEL = env.choice("GONGKAI_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
    TIME_ZONE = env.string("GONGKAI_TIME_ZONE", "Asia/Shanghai")
    UPLOAD_MAX_MB = env.integer("GONGKAI_UPLOAD_MAX_MB", 50, minimum=1, maximum=2048)
    # Stored attachments (gongkai/files): content-addressed blobs under this folder.
    FILES_DIR = Path(env.string("GONGKAI_FILES_DIR", str(VAR_DIR / "files"))).resolve()
    VIRUS_SCAN_COMMAND = env.command("GONGKAI_VIRUS_SCAN_COMMAND")
    VIRUS_SCAN_TIMEOUT = env.integer("GONGKAI_VIRUS_SCAN_TIMEOUT", 60, minimum=1, maximum=3600)
    # The CJK font embedded in exported PDFs (gongkai/pdf_fonts.py); unset: the vendored one.
    # reportlab embeds TrueType outlines only: a .ttf or .ttc, never an OpenType/CFF .otf ("OTTO").
    PDF_FONT = env.file("GONGKAI_PDF_FONT", signatures=(b"\x00\x01\x00\x00", b"true", b"ttcf"),
                        kind="a TrueType font (.ttf or .ttc; OpenType/CFF .otf cannot be embedded)")
except ConfigError as error:
    _fail(error)

MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise warns at every start when STATIC_ROOT is missing; collectstatic is optional here.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _load_secret_key() -> str:
    """Without GONGKAI_SECRET_KEY, keep a random key in var/ so a fresh clone runs and no key
    is ever committed."""
    if _secret_key:
        return _secret_key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _load_secret_key()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its sitemap.xml templates, for the portal's sitemap
    "axes",
    "ninja",
    "gongkai.audit",
    "gongkai.workdays",
    "gongkai.notify",
    "gongkai.files",
    "gongkai.search",
    "gongkai.orgs",
    "gongkai.people",
    "gongkai.catalogue",
    "gongkai.disclosures",
    "gongkai.api",
    "gongkai.workspace",
    "gongkai.portal",
    "gongkai.demo",
    "gongkai.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must be last: it turns locked-out logins into a lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.workspace.context.site",
                "gongkai.notify.context.unread",
            ],
        },
    },
]

if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "gongkai.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; the timeout waits for the
                # writer instead of failing at once with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "gongkai",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (huey; gongkai/jobs.py, docs/jobs.md): a SQLite file under var/ in the embedded
# setup, Redis when GONGKAI_REDIS_URL is set. JOBS_IMMEDIATE runs each job in the process that
# queued it, right after the commit: no worker needed (and the tests run that way).
JOBS_QUEUE_NAME = "gongkai"
JOBS_REDIS_URL = _redis_url
JOBS_SQLITE_PATH = VAR_DIR / "jobs.sqlite3"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gongkai.people.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.people.passwords.CharacterClassValidator"},
]

# Lock-out (django-axes): after LOGIN_FAILURE_LIMIT failures for one username from one address,
# that combination is refused for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

if _email_url and not _email_url.startswith("console"):
    # Percent-escapes let a password contain @ : / (smtp://user:p%40ss@host).
    _email = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Vendored assets (htmx ...) live in gongkai/static/, which is not an app's static folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders so `make demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}
