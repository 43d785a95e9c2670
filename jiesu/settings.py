"""Django settings for Jiesu.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL (DATABASE_REPLICA_URL for a read replica, JIESU_PGBOUNCER=1 behind PgBouncer),
JIESU_SECRET_KEY, JIESU_DEBUG, JIESU_ALLOWED_HOSTS, JIESU_DATA_DIR,
JIESU_FIELD_KEYS (personal-data encryption keys), CELERY_BROKER_URL, JIESU_HTTPS (production
behind TLS: HSTS, redirect, secure cookies), and the limits JIESU_SESSION_IDLE_MINUTES,
JIESU_LOGIN_FAILURE_LIMIT, JIESU_LOGIN_LOCKOUT_MINUTES, JIESU_API_TOKEN_DAYS, JIESU_API_RATE_USER
and JIESU_API_RATE_ANON.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JIESU_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, str(default)).strip()
    # isascii: str.isdigit() also accepts "²", which int() then refuses with a bare ValueError.
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _secret_key() -> str:
    # A key made once per installation and kept in the data directory, so that sessions
    # survive restarts without anyone having to invent a secret for a laptop install.
    if os.environ.get("JIESU_SECRET_KEY"):
        return os.environ["JIESU_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("JIESU_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("JIESU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIESU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Hashed, expiring API tokens (replacing rest_framework.authtoken's clear, eternal keys).
    "knox",
    "drf_spectacular",
    "axes",
    "csp",
    "jiesu.core",
    "jiesu.directory",
    "jiesu.knowledge",
    "jiesu.catalog",
    "jiesu.orders",
    "jiesu.intake",
    "jiesu.dispatch",
    "jiesu.handling",
    "jiesu.notifications",
    "jiesu.followup",
    "jiesu.assessment",
    "jiesu.centre",
    "jiesu.linkage",
    "jiesu.insight",
    "jiesu.learning",
    "jiesu.api",
    "jiesu.open311",
    "jiesu.public",
    "jiesu.demo",  # `jiesu demo`: above every other app, none imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: a page's statements are planned for their own values.
    "jiesu.core.middleware.PlanPerRead",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jiesu.core.middleware.InputGuard",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the session and the user come from the primary, the view's reads of
    # reports, search and insight from the read replica when DATABASE_REPLICA_URL is set.
    "jiesu.core.db_router.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiesu.urls"
WSGI_APPLICATION = "jiesu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiesu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiesu.core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL (`DATABASE_URL= make run`) means the embedded default, as an unset one
    # does; dj_database_url.config would give no ENGINE at all and Django a bare KeyError.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{DATA_DIR / 'jiesu.sqlite3'}",
        conn_max_age=int(os.environ.get("JIESU_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart or
        # failover it is replaced, instead of failing that request with a 500 (issue 12, defect 10).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the console read while an intake writes; a busy timeout instead of
    # "database is locked" under a few concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("JIESU_TEST_SQLITE")

elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT: Jiesu's queries are short, and a plan that looks dear (the order search's bigram
    # function is costed as it runs, 20 us a call) had PostgreSQL spend 0.4 s compiling it.
    # JIESU_PG_JIT=1 turns it back on for an analytical replica.
    if os.environ.get("JIESU_PG_JIT") != "1":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"


def _behind_pgbouncer(db: dict) -> None:
    # PgBouncer in transaction pooling mode (scripts/pgbouncer.sh, docs/deployment.md): each
    # transaction may run on another server connection, so nothing may live past a transaction.
    # Django's server-side cursors outside a transaction are WITH HOLD cursors, which outlive it:
    # off. PgBouncer refuses the startup parameter `options`, so jit=off comes from the pooler's
    # connect_query instead. No prepared statements: Django passes prepare_threshold=None to
    # psycopg. The per-day order number sequences are nextval() inside the transaction, and the
    # session time zone Django sets is a parameter PgBouncer tracks per client.
    db["DISABLE_SERVER_SIDE_CURSORS"] = True
    db.get("OPTIONS", {}).pop("options", None)


# JIESU_PGBOUNCER=1: DATABASE_URL points at PgBouncer (e.g. postgres://jiesu@127.0.0.1:6432/jiesu).
JIESU_PGBOUNCER = _env_bool("JIESU_PGBOUNCER", False)
# Statements a connection runs again and again (an intake's dozen) are prepared on PostgreSQL:
# parsed and planned once per connection, not per request (about a quarter of the database's
# CPU per intake POST, bench/README.md). That needs server-side binding of parameters, which DDL
# cannot take (jiesu.orders.partitions writes its bounds as literals). JIESU_PG_PREPARE=N
# prepares a statement at its Nth run (default 5, psycopg's); 0 turns it off. Never behind
# PgBouncer 1.18's transaction pooling: a prepared statement lives on one server connection.
try:
    JIESU_PG_PREPARE = int(os.environ.get("JIESU_PG_PREPARE", "5"))
except ValueError:
    raise ImproperlyConfigured("JIESU_PG_PREPARE must be a whole number (0 turns prepared statements off)") from None
# Whether the default connection prepares statements (jiesu.core.middleware.PlanPerRead).
JIESU_PG_PREPARED = (
    JIESU_PG_PREPARE > 0
    and not JIESU_PGBOUNCER
    and DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
)
if JIESU_PG_PREPARED:
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=JIESU_PG_PREPARE)
if JIESU_PGBOUNCER:
    if not DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        raise ImproperlyConfigured("JIESU_PGBOUNCER=1 needs a PostgreSQL DATABASE_URL (the pooler's address)")
    _behind_pgbouncer(DATABASES["default"])

# DATABASE_REPLICA_URL: a streaming read replica (hot standby, scripts/replica.sh) of the primary.
# Reports, search, insight and the assessment read from it (jiesu/core/db_router.py); writes and
# everything else stay on the primary. Unset: everything on the primary. JIESU_REPLICA_PGBOUNCER=1
# when the replica's URL is a PgBouncer too. In tests the alias mirrors the default test database
# (the replica replays the test database the primary's test run creates).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
JIESU_REPLICA_ALIAS = None
if DATABASE_REPLICA_URL:
    if not DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL primary in DATABASE_URL")
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("JIESU_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if not _replica["ENGINE"].startswith("django.db.backends.postgresql"):
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL must be a postgres:// URL, not {DATABASE_REPLICA_URL!r}")
    if os.environ.get("JIESU_PG_JIT") != "1":
        _replica.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if _env_bool("JIESU_REPLICA_PGBOUNCER", False):
        _behind_pgbouncer(_replica)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    JIESU_REPLICA_ALIAS = "replica"
DATABASE_ROUTERS = ["jiesu.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese only until there is an English catalog: the source strings are Chinese, so offering
# "en" to an English browser gave Django's own texts (admin, form errors) in English around
# ours in Chinese.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "jiesu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("JIESU_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("JIESU_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"

# Login throttling (django-axes): after JIESU_LOGIN_FAILURE_LIMIT failed logins for one user
# name, or from one address, further logins of that name or from that address are refused for
# JIESU_LOGIN_LOCKOUT_MINUTES, counted again from each refused try. Attempts live in the
# database, so every worker and machine sees the same count. Both parameters: the user name
# stops guessing one account from many addresses, the address stops trying one password on
# many accounts. A success does not wipe the failures: it would let an insider reset the count
# on a colleague's account by logging in as themselves from the same workstation.
AXES_FAILURE_LIMIT = _env_int("JIESU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("JIESU_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "jiesu.core.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "jiesu.core.security.client_ip"

# Open311: the same client's same POST within this many seconds is a retry, answered with the
# first order instead of a second one.
JIESU_OPEN311_RETRY_WINDOW = _env_int("JIESU_OPEN311_RETRY_WINDOW", 24 * 3600)
# What the Open311 discovery document tells a partner: whom to ask, and how to get a key.
JIESU_OPEN311_CONTACT = os.environ.get("JIESU_OPEN311_CONTACT", "北京市12345市民服务热线，电话12345")
JIESU_OPEN311_KEY_SERVICE = os.environ.get(
    "JIESU_OPEN311_KEY_SERVICE", "接口密钥由北京市政务服务和数据管理局发放，请联系12345热线管理部门申请。"
)

# The public address of this installation (e.g. https://12345.example.gov.cn): the base of every
# link that leaves by SMS (the rating link of a return visit). Empty: the address of the request
# that sends the link, which is right only when staff use the public host name too.
JIESU_PUBLIC_URL = os.environ.get("JIESU_PUBLIC_URL", "")
# The class that sends SMS. The default writes each message to the log (no gateway here); a
# centre names its gateway's backend (jiesu.notifications.sms).
JIESU_SMS_BACKEND = os.environ.get("JIESU_SMS_BACKEND", "jiesu.notifications.sms.LoggingSmsBackend")
# The administrator's precision target for orders the engine sends out without review (R12.3),
# written into the engine's settings (引擎参数 "thresholds") when the rules are first loaded and
# edited there afterwards. Unset: the reader's own target, 0.97. A centre that accepts more
# wrong first dispatches for fewer reviews sets e.g. 0.9 (the held-out curve gives its coverage).
_target = os.environ.get("JIESU_AUTO_DISPATCH_TARGET")
JIESU_AUTO_DISPATCH_TARGET = float(_target) if _target else None

# Return visits (R23.1): unanswered calls before a visit counts as "no answer", and how long a
# rating link sent by SMS stays valid.
JIESU_VISIT_MAX_TRIES = _env_int("JIESU_VISIT_MAX_TRIES", 3)
JIESU_RATING_LINK_HOURS = _env_int("JIESU_RATING_LINK_HOURS", 72)
# Linkage (R21.1): the first pause before a neighbour hotline's call is retried (seconds; it doubles).
JIESU_LINKAGE_BACKOFF_SECONDS = float(os.environ.get("JIESU_LINKAGE_BACKOFF_SECONDS", "0.5"))

# Sessions end after JIESU_SESSION_IDLE_MINUTES without a request (each request moves the
# expiry on) and when the browser closes (no persistent cookie): a console left open on a
# shared desk does not stay logged in for days.
JIESU_SESSION_IDLE_MINUTES = _env_int("JIESU_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = JIESU_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Production behind a TLS-terminating nginx: JIESU_HTTPS=1 (JIESU_SECURE_COOKIES=1, its older
# name, means the same) turns on secure cookies, the redirect to HTTPS, HSTS and trust in the
# proxy's X-Forwarded-Proto and X-Real-IP headers, which the nginx of README sets and which
# gunicorn, bound to 127.0.0.1, receives only from it.
JIESU_HTTPS = _env_bool("JIESU_HTTPS", _env_bool("JIESU_SECURE_COOKIES", False))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = JIESU_HTTPS
CSRF_COOKIE_SECURE = JIESU_HTTPS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if JIESU_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A year, subdomains included. The preload flag only consents to browsers' preload lists:
    # nothing happens until someone submits the domain, and JIESU_HSTS_PRELOAD=0 withholds it.
    SECURE_HSTS_SECONDS = _env_int("JIESU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("JIESU_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("JIESU_HSTS_PRELOAD", True)
JIESU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP" if JIESU_HTTPS else None

# Content Security Policy (django-csp), on everywhere so that a laptop shows what production
# would block. Scripts only from our own static files (no inline script, no eval: htmx is told
# not to evaluate, ECharts needs neither). Style attributes stay allowed: the templates and
# ECharts' tooltips set them, and a style attribute cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


def _rate(name: str, default: str) -> str | None:
    # DRF's "N/period" (second, minute, hour, day); "off" turns the throttle off.
    value = os.environ.get(name, default).strip()
    if value.lower() in {"off", "none", ""}:
        return None
    count, _, period = value.partition("/")
    # DRF reads only the period's first letter; "5/month" would silently mean per minute.
    periods = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
    if not (count.isascii() and count.isdigit()) or int(count) < 1 or period not in periods:
        raise ImproperlyConfigured(f"{name} must look like 600/minute or be off, not {value!r}")
    return value


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jiesu.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "jiesu.api.renderers.BrowsableAPIRenderer"],
    # Per user for a token or session, per address without one; counted in the default cache
    # (JIESU_CACHE_URL shares it between workers, as for Open311's own per-client limits).
    "DEFAULT_THROTTLE_CLASSES": ["jiesu.api.throttling.UserRateThrottle", "jiesu.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": _rate("JIESU_API_RATE_USER", "1200/minute"),
        "anon": _rate("JIESU_API_RATE_ANON", "60/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "jiesu.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiesu API",
    "DESCRIPTION": "12345 hotline work orders (Beijing 接诉即办)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint and field: for logged-in users (session or token) only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Error answers (400/401/403/404/429) documented on every operation (issue 12, defect 14).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "jiesu.api.schema.describe_form_endpoints",
        "jiesu.api.schema.document_errors",
    ],
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored, each token expires after
# JIESU_API_TOKEN_DAYS; `jiesu api-token USER` issues one and shows it once.
JIESU_API_TOKEN_DAYS = _env_int("JIESU_API_TOKEN_DAYS", 30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=JIESU_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",  # the header clients already send
}

# E-mail: SMTP when EMAIL_HOST is given; otherwise the embedded default writes each message to
# a file under DATA_DIR/mail, so a laptop install neither fails nor needs a mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "12345@localhost")
EMAIL_BACKEND = os.environ.get(
    "JIESU_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"

# How often each worker asks whether the bureau's rules changed (seconds).
JIESU_RULES_RECHECK_SECONDS = float(os.environ.get("JIESU_RULES_RECHECK_SECONDS", "1"))

# Attachments (R8.1): what a requester may send, and how big.
JIESU_ATTACHMENT_MAX_BYTES = int(os.environ.get("JIESU_ATTACHMENT_MAX_BYTES", str(50 * 1024 * 1024)))
# Files per upload (an intake, an API or Open311 POST, a reply): a phone's photos of one scene.
JIESU_ATTACHMENT_MAX_FILES = int(os.environ.get("JIESU_ATTACHMENT_MAX_FILES", "9"))
# Edits of knowledge-base articles by units wait for the bureau's approval when True.
JIESU_KNOWLEDGE_NEEDS_APPROVAL = os.environ.get("JIESU_KNOWLEDGE_NEEDS_APPROVAL", "1") not in (
    "0",
    "false",
    "False",
    "",
)

# Personal-data encryption keys (MultiFernet, newest first). Empty: a key file in DATA_DIR.
JIESU_FIELD_KEYS = [k for k in os.environ.get("JIESU_FIELD_KEYS", "").split(",") if k]
JIESU_FIELD_KEY_FILE = Path(os.environ.get("JIESU_FIELD_KEY_FILE", DATA_DIR / "field_keys"))
# Key of the phone number's blind index (never rotated). Empty: a key file beside the field keys.
JIESU_BLIND_INDEX_KEY = os.environ.get("JIESU_BLIND_INDEX_KEY", "")

# Shared cache (Open311 rate-limit counters, anything else counted across workers). Unset:
# one LocMemCache per process, which is right for one worker and wrong for several, so a
# production centre sets JIESU_CACHE_URL=redis://host:6379/1.
JIESU_CACHE_URL = os.environ.get("JIESU_CACHE_URL", "")
if JIESU_CACHE_URL:
    if not JIESU_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"JIESU_CACHE_URL must be a redis:// URL, not {JIESU_CACHE_URL!r}")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": JIESU_CACHE_URL,
            # Several centres (or test runs) may share one Redis.
            "KEY_PREFIX": os.environ.get("JIESU_CACHE_PREFIX", "jiesu"),
        }
    }

# Counters that every worker must share even without Redis (the status look-up's guess
# throttle, jiesu.public): the "shared" cache is the Redis above when JIESU_CACHE_URL is set, else
# the database cache, whose table a migration of jiesu.public creates.
CACHES = {
    "default": CACHES["default"] if JIESU_CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": CACHES["default"]
    if JIESU_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jiesu_shared_cache"},
}

# Seasonal peaks the next-month forecast list flags (R25.1): a list shaped like
# jiesu/insight/defaults/forecast_seasons.json's "seasons". None: that shipped list.
INSIGHT_SEASONS = None

# Background work: Celery with Redis in production; in-process (eager) in the embedded default.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# crontab entries (the morning digest) are read in Beijing time.
CELERY_TIMEZONE = TIME_ZONE
# Periodic work: each app declares its own jobs (`periodic_tasks` on its AppConfig) and
# jiesu.core.schedule gathers them into the Celery app's beat_schedule. `celery beat` sends them in
# production; without a broker `jiesu run-schedule` runs the same entries (make run starts it), or
# cron runs `jiesu run-schedule --once` or the jobs one by one with `jiesu return-visits`,
# `jiesu follow-transfers` and `jiesu train-classifier --from-corrections`.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No handler writes a rating link's token or a phone number (jiesu.core.logs).
    "filters": {"redact": {"()": "jiesu.core.logs.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    # On the loggers that write URLs too, so Django's own handlers (DEBUG's console) get the
    # rewritten record: "Not Found: /followup/rate/<token>/" is a 4xx warning.
    "loggers": {"django.request": {"filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIESU_LOG_LEVEL", "WARNING")},
}
