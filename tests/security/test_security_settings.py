"""Sessions that end, production security settings and the Content Security Policy (issue 12,
defect 16: `jiesu check --deploy` warned of no HSTS, no SSL redirect, no proxy header, no CSP,
and sessions lasted 14 days)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.live_server import BIN, REPO

PASSWORD = "correct horse battery staple"  # tests/conftest.py's make_user
# The variables of README's Production section (a real deployment's secret key is its own).
PRODUCTION = {
    "JIESU_SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "JIESU_ALLOWED_HOSTS": "hotline.example.gov.cn",
    "JIESU_CSRF_TRUSTED_ORIGINS": "https://hotline.example.gov.cn",
    "JIESU_HTTPS": "1",
}


def jiesu(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "JIESU_DATA_DIR": str(tmp_path), **env}
    for name in ("JIESU_DEBUG", "JIESU_SECURE_COOKIES", "JIESU_HTTPS"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([str(BIN / "jiesu"), *args], env=full, cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("flag", ["JIESU_HTTPS", "JIESU_SECURE_COOKIES"])
def test_check_deploy_with_the_production_environment_prints_no_security_warning_defect16(tmp_path, flag):
    env = {**PRODUCTION}
    env.pop("JIESU_HTTPS")
    env[flag] = "1"  # the older name, which README used to give, means the same
    done = jiesu(tmp_path, "check", "--deploy", **env)
    assert done.returncode == 0, done.stderr
    report = done.stdout + done.stderr
    assert not re.findall(r"\((?:security|axes|csp|sessions|auth|admin)\.[WE]\d+\)", report), report
    security_only = jiesu(tmp_path, "check", "--deploy", "--tag", "security", "--fail-level", "WARNING", **env)
    assert security_only.returncode == 0 and "no issues" in security_only.stdout, (
        security_only.stdout + security_only.stderr
    )


# Runs inside `jiesu shell` under the production environment: Django's test client, real settings.
PROBE = """
import json
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="hotline.example.gov.cn", REMOTE_ADDR="127.0.0.1")
plain = c.get("/login/")
tls = c.get("/login/", headers={"X-Forwarded-Proto": "https"})
print("PROBE" + json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "tls": [tls.status_code, tls.get("Strict-Transport-Security"), tls.get("Content-Security-Policy"),
            bool(tls.cookies["csrftoken"]["secure"])],
    "session_secure": settings.SESSION_COOKIE_SECURE, "session_age": settings.SESSION_COOKIE_AGE,
}))
"""


def test_production_redirects_to_https_and_sends_hsts_behind_nginx_defect16(tmp_path):
    done = jiesu(tmp_path, "shell", "-c", PROBE, JIESU_SESSION_IDLE_MINUTES="20", **PRODUCTION)
    probe = json.loads(next(line[5:] for line in done.stdout.splitlines() if line.startswith("PROBE")))
    assert probe["plain"] == [301, "https://hotline.example.gov.cn/login/"]
    status, hsts, csp, csrf_secure = probe["tls"]
    assert status == 200  # nginx's X-Forwarded-Proto is believed: no redirect loop
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "script-src 'self'" in csp and csrf_secure
    assert probe["session_secure"] and probe["session_age"] == 20 * 60


def test_a_bad_session_idle_setting_is_refused_by_name(tmp_path):
    done = jiesu(tmp_path, "check", JIESU_SESSION_IDLE_MINUTES="half an hour")
    assert done.returncode != 0 and "JIESU_SESSION_IDLE_MINUTES must be a whole number" in done.stderr


@pytest.mark.django_db
def test_a_session_ends_when_the_browser_closes_and_after_idle_minutes_defect16(call_taker, settings):
    client = Client()
    login = client.post("/login/", {"username": call_taker.username, "password": PASSWORD})
    cookie = login.cookies["sessionid"]
    assert login.status_code == 302
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone with the browser
    key = cookie.value
    idle = timedelta(minutes=settings.JIESU_SESSION_IDLE_MINUTES)

    def left():
        return Session.objects.get(session_key=key).expire_date - timezone.now()

    assert idle - timedelta(minutes=1) < left() <= idle
    # Each request moves the end on: nearly over, then a click, then a whole idle span again.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/orders/").status_code == 200
    assert left() > idle - timedelta(minutes=1)
    # Idle past the span: the next request is sent to the login page.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    again = client.get("/orders/")
    assert again.status_code == 302 and again["Location"].startswith("/login/")


@pytest.mark.django_db
def test_every_console_page_carries_a_csp_without_inline_script_or_eval_defect16(client, call_taker):
    client.force_login(call_taker)
    for path in ("/login/", "/intake/", "/orders/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in directives["style-src"]


def test_no_template_has_inline_script_or_event_handler_attributes():
    """The CSP would block them in the browser: behaviour lives in static files."""
    offenders = []
    for template in sorted((REPO / "jiesu").rglob("templates/**/*.html")):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(REPO)}: {tag}")
        offenders += [f"{template.relative_to(REPO)}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        offenders += [f"{template.relative_to(REPO)}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert offenders == []
    assert Path(REPO / "jiesu/core/static/js/console.js").exists()
