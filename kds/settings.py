"""Settings, read from environment variables.

With nothing set the project runs on SQLite and the in-memory channel layer in
one process. Every variable is read through a small typed helper that stops
start-up with a message naming the variable when its value is unusable.
"""

from __future__ import annotations

import os
import re
import secrets
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {_masked_url(raw)!r}"
    )


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {_masked_url(raw)!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_hosts(name: str, default: str) -> list[str]:
    """A comma-separated list that names at least one host: an empty one made Django
    answer every request 400, with nothing in the log to say why."""
    hosts = env_list(name, default)
    if not hosts:
        raise ImproperlyConfigured(
            f"{name} must name at least one host name the site is served under, such as "
            f"kds.example.com (or * for any); got {os.environ.get(name, default)!r}"
        )
    return hosts


def env_url(name: str, default: str) -> str:
    raw = os.environ.get(name, default).rstrip("/")
    if urlparse(raw).scheme not in ("http", "https") or not urlparse(raw).netloc:
        raise ImproperlyConfigured(f"{name} must be an http(s) URL; got {_masked_url(raw)!r}")
    return raw


def env_seconds_list(name: str, default: str) -> list[int]:
    raw = os.environ.get(name, default)
    try:
        values = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be comma-separated whole seconds; got {_masked_url(raw)!r}"
        ) from None
    if not values or any(v < 0 for v in values):
        raise ImproperlyConfigured(f"{name} must list at least one delay of 0 seconds or more")
    return values


def env_choice(name: str, default: str, choices: dict[str, str]) -> str:
    """Returns the canonical form of a case-insensitive choice."""
    raw = os.environ.get(name, default)
    try:
        return choices[raw.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(set(choices.values())))
        raise ImproperlyConfigured(
            f"{name} must be one of {allowed}; got {_masked_url(raw)!r}"
        ) from None


def env_time_zone(name: str, default: str) -> str:
    raw = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Asia/Shanghai; got {_masked_url(raw)!r}"
        ) from None
    return raw


def is_web_address(raw: str) -> bool:
    """An http:// or https:// address with a host name or IP, optionally a port and a path."""
    if any(c.isspace() or not c.isprintable() for c in raw):
        return False
    parsed = urlparse(raw)
    try:
        parsed.port  # noqa: B018 - raises for a port that is not one
    except ValueError:
        return False
    host = parsed.hostname or ""
    return (
        parsed.scheme in {"http", "https"}
        and bool(re.fullmatch(r"[A-Za-z0-9.\-]+|[0-9A-Fa-f:.]+", host))
        and not parsed.query
        and not parsed.fragment
    )


def env_base_url(name: str, served_file: Path, default: str) -> str:
    """The public address printed in links: `name`, else the address `make run` wrote to
    `served_file` when it started (so commands run from another terminal print links to
    the server that runs), else `default`. Without a trailing slash."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        try:
            raw = served_file.read_text().strip()
        except OSError:
            raw = ""
        if not raw.startswith(("http://", "https://")):
            raw = default
    if not is_web_address(raw):
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// address such as https://kds.example.com; "
            f"got {_masked_url(raw)!r}"
        )
    return raw.rstrip("/")


def env_database(name: str) -> dict[str, Any]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(env_str("KDS_SQLITE_PATH", str(VAR_DIR / "kds.sqlite3")))),
            "OPTIONS": {
                # Take the write lock when a transaction starts, so concurrent webhooks
                # queue instead of failing with "database is locked" half-way through.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": os.environ.get("KDS_SQLITE_TEST_PATH") or None},
        }
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
        )
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(
            f"{name} is not a usable database URL: {_masked_url(str(exc))}"
        ) from None
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// or sqlite:// URL; got {_masked_url(raw)!r}"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3" and config.get("NAME") in ("", ":memory:"):
        raise ImproperlyConfigured(
            f"{name} must name the database file, as in sqlite:////var/lib/kds/kds.sqlite3 "
            f"(a database in memory loses every order when the server stops); got {_masked_url(raw)!r}"
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Without a host libpq tries a local socket, without a name the user's own
        # database: neither is what a production URL means, and both failed only later.
        if not config.get("HOST"):
            raise ImproperlyConfigured(
                f"{name} must name the database server, as in postgres://user@host:5432/kds; "
                f"got {_masked_url(raw)!r}"
            )
        if not config.get("NAME"):
            raise ImproperlyConfigured(
                f"{name} must name the database, as in postgres://user@host:5432/kds; "
                f"got {_masked_url(raw)!r}"
            )
        config.setdefault("OPTIONS", {})["connect_timeout"] = 5
        # Lets parallel test runs on one server keep apart.
        config["TEST"] = {"NAME": os.environ.get("KDS_TEST_DB_NAME") or None}
    return config


def _masked_url(raw: str) -> str:
    """`raw` with the password of its user:password@ part starred, for messages."""
    return re.sub(r"(//[^/@:\s]*:)[^@/\s]+@", r"\1********@", raw)


def env_redis_url(name: str) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"{name} must be a redis://, rediss:// or unix:// URL; got {_masked_url(raw)!r}"
        )
    return raw


def env_sentinels(name: str) -> list[tuple[str, int]]:
    """``host:port,host:port`` as a list of (host, port); empty when unset."""
    result: list[tuple[str, int]] = []
    for part in env_list(name, ""):
        host, sep, port = part.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of host:port; got {part!r}"
            )
        result.append((host.strip("[]"), int(port)))
    return result


DEBUG = env_bool("DEBUG", False)
# What `make run` keeps between runs: the SQLite database, the secret key, the admin
# password and the address it serves on.
VAR_DIR = Path(env_str("KDS_VAR_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key is not None:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    # No key set: keep a random one on disk so sessions and screen cookies survive a
    # restart, without shipping a well-known key.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The public base URL printed in pairing links, webhook URLs and the start page. Unset,
# it is the address `make run` (manage.py kds_run) serves on, which it writes to
# KDS_SERVED_URL_FILE when it starts.
KDS_SERVED_URL_FILE = VAR_DIR / "served-url"
KDS_BASE_URL = env_base_url("KDS_BASE_URL", KDS_SERVED_URL_FILE, "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "template_partials",
    "import_export",
    "simple_history",
    "orders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kds.static_files.AsyncWhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kds.urls"
ASGI_APPLICATION = "kds.asgi.application"
WSGI_APPLICATION = None

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
                "django.template.context_processors.i18n",
            ],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL")}
# The report indexes carry non-key columns (INCLUDE) for PostgreSQL; SQLite ignores
# them, which is fine for a one-box kitchen, so its warning about that is not shown.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# ---------------------------------------------------------------- production: connection pool
# Under ASGI every request runs in a thread of its own, so a persistent connection
# (CONN_MAX_AGE) is never reused and is left open by its finished thread: measured,
# one Daphne process reached PostgreSQL's max_connections (100) within a minute of
# load and answered 503. So on PostgreSQL connections come from Django's psycopg pool
# (KDS_DB_POOL_SIZE at most per process; processes × size must stay under
# max_connections), and with KDS_DB_POOL=0 each request opens and closes its own.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env_bool("KDS_DB_POOL", True):
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 2,
            "max_size": env_int("KDS_DB_POOL_SIZE", 10, minimum=1),
            "timeout": 10,
        }
# ---------------------------------------------------------------- end production: connection pool
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
# ---------------------------------------------------------------- Redis Sentinel (production)
# KDS_REDIS_SENTINELS=host:26379,host2:26379 uses Sentinel to find the master named
# KDS_REDIS_SENTINEL_MASTER; it takes precedence over REDIS_URL.
REDIS_SENTINELS = env_sentinels("KDS_REDIS_SENTINELS")
if REDIS_SENTINELS:
    _sentinel_host: dict[str, Any] = {
        "sentinels": REDIS_SENTINELS,
        "master_name": env_str("KDS_REDIS_SENTINEL_MASTER", "mymaster"),
        "db": env_int("KDS_REDIS_DB", 0),
    }
    if os.environ.get("KDS_REDIS_PASSWORD"):
        _sentinel_host["password"] = os.environ["KDS_REDIS_PASSWORD"]
    if os.environ.get("KDS_REDIS_SENTINEL_PASSWORD"):
        _sentinel_host["sentinel_kwargs"] = {"password": os.environ["KDS_REDIS_SENTINEL_PASSWORD"]}
    _redis_host: dict[str, Any] = _sentinel_host
elif REDIS_URL:
    _redis_host = {"address": REDIS_URL}
# ---------------------------------------------------------------- end Redis Sentinel
# redis-py ≥ 6 times out socket reads after 5 s, exactly channels-redis' BZPOPMIN wait:
# an idle consumer's receive then fails now and then ("Timeout reading from …") and
# Daphne closes that screen's socket. Reads may take the blocking wait plus a margin.
if REDIS_SENTINELS or REDIS_URL:
    _redis_host["socket_timeout"] = env_int("KDS_REDIS_SOCKET_TIMEOUT", 15, minimum=6)
# ---------------------------------------------------------------- channel layer backend
# KDS_CHANNEL_LAYER=pubsub: Redis pub/sub, one PUBLISH per broadcast that each process
# fans out to its own sockets, instead of one queued message per socket (the default,
# "queue"); docs/production.md has the measurements. Both are at-most-once, which the
# screens' sequence numbers already allow for.
KDS_CHANNEL_LAYER = env_choice("KDS_CHANNEL_LAYER", "queue", {"queue": "queue", "pubsub": "pubsub"})
# ---------------------------------------------------------------- end channel layer backend
if (REDIS_SENTINELS or REDIS_URL) and KDS_CHANNEL_LAYER == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [_redis_host]},
        }
    }
elif REDIS_SENTINELS or REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [_redis_host], "capacity": 1500, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LANGUAGE_CODE = env_choice(
    "KDS_LANGUAGE",
    "en",
    {"en": "en", "en-us": "en", "zh": "zh-hans", "zh-hans": "zh-hans", "zh-cn": "zh-hans"},
)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("KDS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/admin/login/"

# The webhook contract: bodies over 256 KiB are refused before they are parsed.
KDS_WEBHOOK_MAX_BYTES = 256 * 1024
KDS_WEBHOOK_TOLERANCE_SECONDS = 5 * 60
# Menu files (CSV, Excel) are refused past these before they are parsed (see
# orders/spreadsheets.py; deploy/nginx.conf's client_max_body_size, 1 MiB, is above the
# 1 MB default, so the manager reads our message rather than nginx's 413); the preview
# lists at most KDS_IMPORT_PREVIEW_ROWS rows of each kind.
KDS_IMPORT_MAX_BYTES = env_int("KDS_IMPORT_MAX_BYTES", 1_000_000, minimum=1_000, maximum=50_000_000)
KDS_IMPORT_MAX_ROWS = env_int("KDS_IMPORT_MAX_ROWS", 2_000, minimum=1, maximum=20_000)
KDS_IMPORT_MAX_COLUMNS = env_int("KDS_IMPORT_MAX_COLUMNS", 40, minimum=12, maximum=200)
KDS_IMPORT_ROWS_PER_TRANSACTION = env_int(
    "KDS_IMPORT_ROWS_PER_TRANSACTION", 100, minimum=10, maximum=20_000
)
KDS_IMPORT_PREVIEW_ROWS = env_int("KDS_IMPORT_PREVIEW_ROWS", 100, minimum=10, maximum=2_000)
KDS_WEBHOOK_RETRY_AFTER_SECONDS = env_int("KDS_WEBHOOK_RETRY_AFTER_SECONDS", 5, minimum=1)
# Sockets (orders/live/sockets.py), per process: at most this many open per screen,
# signed-in user or pick-up link, and per client address (a kitchen behind one NAT has
# all its screens on one address); a client that has not read this many bytes the
# server wrote to it is dropped.
KDS_SOCKETS_PER_TOKEN = env_int("KDS_SOCKETS_PER_TOKEN", 20, minimum=1)
KDS_SOCKETS_PER_ADDRESS = env_int("KDS_SOCKETS_PER_ADDRESS", 200, minimum=1)
KDS_SOCKET_SEND_BUFFER_BYTES = env_int(
    "KDS_SOCKET_SEND_BUFFER_BYTES", 8 * 1024 * 1024, minimum=65536
)
# How far an order's times may be from its arrival (orders/intake/schema.py): placed_at
# within this many days either side, fire_at at most this many days ahead.
KDS_WEBHOOK_PLACED_AT_WINDOW_DAYS = 365
KDS_WEBHOOK_FIRE_AT_AHEAD_DAYS = 30
# Webhooks being stored at once by one process, beyond which it answers 503 with
# Retry-After at once instead of queueing (past the rate it can sustain, a queue only
# makes every answer late; the sender retries, and a retry changes nothing).
KDS_WEBHOOK_MAX_IN_FLIGHT = env_int("KDS_WEBHOOK_MAX_IN_FLIGHT", 64, minimum=1, maximum=10_000)
# How long a rotated-out secret is still accepted.
KDS_SECRET_ROTATION_GRACE_HOURS = 24

# Kitchen printers (docs/printers.md). Tickets with Chinese go to a printer without a
# Chinese font as an image drawn with KDS_PRINT_FONT (empty: Debian's fonts-noto-cjk,
# found where it installs). A job the printer refuses is retried with back-off, then
# given up (failed, listed in the admin) after KDS_PRINT_GIVE_UP_MINUTES.
KDS_PRINT_FONT = env_str("KDS_PRINT_FONT", "")
KDS_PRINT_FONT_BOLD = env_str("KDS_PRINT_FONT_BOLD", "")
KDS_PRINT_GIVE_UP_MINUTES = env_int("KDS_PRINT_GIVE_UP_MINUTES", 30, minimum=1)

# Server-made speech (docs/expo.md, "Spoken calls on every device"): espeak-ng from the
# distribution, or any command given per language that reads the text on stdin and
# writes a WAV file to {out} (e.g. piper with a voice file). Made once per phrase and
# kept in KDS_SPEECH_CACHE_DIR.
KDS_SPEECH_COMMAND_EN = env_str("KDS_SPEECH_COMMAND_EN", "")
KDS_SPEECH_COMMAND_ZH = env_str("KDS_SPEECH_COMMAND_ZH", "")
KDS_SPEECH_CACHE_DIR = Path(env_str("KDS_SPEECH_CACHE_DIR", str(BASE_DIR / "var" / "speech")))

# Order sources of a vendor kind (docs/sources.md) and outgoing webhooks (orders/outbox):
# the vendors' API base URLs (tests point them at local fakes), how long a call may take,
# and the retry schedules, in seconds after each failed attempt (then it is given up).
KDS_SQUARE_API_URL = env_url("KDS_SQUARE_API_URL", "https://connect.squareup.com")
KDS_DELIVERECT_API_URL = env_url("KDS_DELIVERECT_API_URL", "https://api.deliverect.com")
KDS_VENDOR_TIMEOUT_SECONDS = env_int("KDS_VENDOR_TIMEOUT_SECONDS", 5, minimum=1)
KDS_OUTBOX_TIMEOUT_SECONDS = env_int("KDS_OUTBOX_TIMEOUT_SECONDS", 10, minimum=1)
KDS_OUTBOX_RETRY_SCHEDULE = env_seconds_list(
    "KDS_OUTBOX_RETRY_SCHEDULE", "5,300,1800,7200,18000,36000,36000"
)
KDS_FETCH_RETRY_SCHEDULE = env_seconds_list(
    "KDS_FETCH_RETRY_SCHEDULE", "2,10,30,60,300,900,1800" + ",3600" * 22
)
# A claimed delivery or fetch not finished within this is taken over by another
# scheduler (its own one crashed): receivers see a retry, with the same webhook-id.
KDS_OUTBOX_LEASE_SECONDS = env_int("KDS_OUTBOX_LEASE_SECONDS", 60, minimum=1)
# An endpoint that has failed every delivery for this long is switched off (admin shows it).
KDS_OUTBOX_DISABLE_AFTER_HOURS = env_int("KDS_OUTBOX_DISABLE_AFTER_HOURS", 120, minimum=1)
# Delivered and given-up events, with their delivery log, are kept this long.
KDS_OUTBOX_KEEP_DAYS = env_int("KDS_OUTBOX_KEEP_DAYS", 30, minimum=1)

# KDS_LOG_FORMAT=json: one JSON object per line with every `extra=` field as a key
# (kds/logformat.py); plain text otherwise.
KDS_LOG_FORMAT = env_choice("KDS_LOG_FORMAT", "plain", {"plain": "plain", "json": "json"})
KDS_LOG_LEVEL = env_choice(
    "KDS_LOG_LEVEL",
    "INFO",
    {level.lower(): level for level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")}
    | {"warn": "WARNING"},
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "kds.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": KDS_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": KDS_LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# ---------------------------------------------------------------- production: HTTPS
# KDS_HTTPS=1 when the site is served over HTTPS (by nginx or another proxy in front):
# secure cookies, HSTS and a redirect from http://, so `manage.py check --deploy` is
# clean. The proxy must set X-Forwarded-Proto (deploy/nginx.conf does); Django trusts
# it only when KDS_HTTPS is on, since then nothing else should reach the app.
KDS_HTTPS = env_bool("KDS_HTTPS", False)
if KDS_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("KDS_SSL_REDIRECT", True)
    # Load balancers probe /healthz over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # One year. HSTS covers this host and its own subdomains only (e.g. kds.example.com
    # and *.kds.example.com); preload only matters once the host is submitted to browsers.
    SECURE_HSTS_SECONDS = env_int("KDS_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KDS_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("KDS_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# ---------------------------------------------------------------- end production: HTTPS

# ---------------------------------------------------------------- security
# Content-Security-Policy (django-csp): scripts only from our own static files, never
# inline; styles may be inline (the admin and the screens' colour variables use style
# attributes). connect-src 'self' covers the screens' same-origin WebSocket.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Admin logins are throttled (django-axes): KDS_LOGIN_FAILURE_LIMIT failed attempts for
# one username from one address lock that pair out for KDS_LOGIN_COOLOFF_MINUTES.
# kds/login_throttle.py checks logins that come with a request (the login form);
# authenticate() without one (a shell, a test client's login()) has nothing to throttle.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "kds.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KDS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("KDS_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
if KDS_HTTPS:
    # Behind the proxy (deploy/nginx.conf), the client is the last X-Forwarded-For hop.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Pairing tokens and screen cookies never reach a log line (kds/log_redaction.py).
_logging: dict[str, Any] = LOGGING
_logging.setdefault("filters", {})["kds_redact_screen_secrets"] = {
    "()": "kds.log_redaction.RedactScreenSecrets"
}
for _handler in _logging["handlers"].values():
    _handler.setdefault("filters", []).append("kds_redact_screen_secrets")
# And on the debug page (DEBUG=1) and in error mails: URL passwords too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "kds.log_redaction.RedactingReporterFilter"
# ---------------------------------------------------------------- end security
