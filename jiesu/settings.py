"""Django settings for Jiesu.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL, JIESU_SECRET_KEY, JIESU_DEBUG, JIESU_ALLOWED_HOSTS, JIESU_DATA_DIR,
JIESU_FIELD_KEYS (personal-data encryption keys), CELERY_BROKER_URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JIESU_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


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
    "rest_framework.authtoken",
    "drf_spectacular",
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
    "jiesu.linkage",
    "jiesu.learning",
    "jiesu.api",
    "jiesu.open311",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'jiesu.sqlite3'}",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = _env_bool("JIESU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiesu API",
    "DESCRIPTION": "12345 hotline work orders (Beijing 接诉即办)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
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

# Personal-data encryption keys (MultiFernet, newest first). Empty: a key file in DATA_DIR.
JIESU_FIELD_KEYS = [k for k in os.environ.get("JIESU_FIELD_KEYS", "").split(",") if k]
JIESU_FIELD_KEY_FILE = Path(os.environ.get("JIESU_FIELD_KEY_FILE", DATA_DIR / "field_keys"))

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

# Background work: Celery with Redis in production; in-process (eager) in the embedded default.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Periodic work for `celery beat` in production; without a broker, `jiesu run-schedule` runs the
# same entries (make run starts it), or cron runs `jiesu run-schedule --once` or the jobs one by one
# with `jiesu return-visits`, `jiesu follow-transfers` and `jiesu train-classifier --from-corrections`.
CELERY_BEAT_SCHEDULE = {
    "return-visit-sweep": {"task": "jiesu.followup.sweep", "schedule": 300.0},
    "follow-neighbour-transfers": {"task": "jiesu.linkage.follow_transfers", "schedule": 300.0},
    "retrain-classifier": {"task": "jiesu.learning.retrain", "schedule": 24 * 3600.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIESU_LOG_LEVEL", "WARNING")},
}
