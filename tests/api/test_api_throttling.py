"""API throttling (issue 12, defect 3) and the OpenAPI schema behind login."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)  # tokens have their own tests: here only who is counted
    return client


@pytest.mark.django_db
def test_a_user_over_the_api_rate_gets_429_with_retry_after_and_others_do_not_defect3(
    settings, fresh_cache, call_taker, make_user
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/day", "anon": "3/day"}}
    busy, other = api_for(call_taker), api_for(make_user("call_taker"))
    assert [busy.get("/api/v1/orders/").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/api/v1/orders/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "限" in refused.json()["detail"]  # DRF's Chinese message
    # Every REST endpoint counts, not only /api/v1/.
    assert busy.get("/handling/api/workbench/").status_code == 429
    assert other.get("/api/v1/orders/").status_code == 200


def test_api_rates_come_from_the_environment_and_bad_ones_are_refused_by_name(tmp_path):
    import os
    import subprocess

    from tests.live_server import BIN, REPO

    script = "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    env = {
        **os.environ,
        "JIESU_DATA_DIR": str(tmp_path),
        "JIESU_API_RATE_USER": "100/hour",
        "JIESU_API_RATE_ANON": "off",
    }
    done = subprocess.run(
        [str(BIN / "jiesu"), "shell", "-c", script], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert "'user': '100/hour'" in done.stdout and "'anon': None" in done.stdout, done.stderr
    bad = subprocess.run(
        [str(BIN / "jiesu"), "check"],
        env={**env, "JIESU_API_RATE_USER": "lots"},
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "JIESU_API_RATE_USER must look like 600/minute" in bad.stderr


@pytest.mark.django_db
def test_the_openapi_schema_is_for_logged_in_users_only(client, call_taker):
    anonymous = client.get("/api/v1/schema/")
    assert anonymous.status_code in (401, 403)
    assert b"openapi" not in anonymous.content
    client.force_login(call_taker)
    assert client.get("/api/v1/schema/").status_code == 200
    with_token = api_for(call_taker).get("/api/v1/schema/")
    assert with_token.status_code == 200 and b"/api/v1/orders/" in with_token.content
