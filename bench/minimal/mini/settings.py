"""Settings of the minimal comparison app (bench/minimal/README.md): what a Django + DRF view
with token authentication needs, nothing more."""

import os

import dj_database_url

SECRET_KEY = "bench-minimal-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
ROOT_URLCONF = "mini.urls"
WSGI_APPLICATION = "mini.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "knox",
    "mini",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
# The same connection handling as Jiesu's (kept connections, checked before reuse).
DATABASES = {
    "default": dj_database_url.config(
        conn_max_age=int(os.environ.get("JIESU_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As Jiesu's settings: WAL and a busy timeout for concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
}
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token"}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
