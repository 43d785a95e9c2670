"""Login throttling (issue 12, defect 3): repeated wrong passwords lock the account and the
address for a while, and the login page says so in Chinese and for how long."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client

PASSWORD = "correct horse battery staple"  # tests/conftest.py's make_user


def login(username: str, password: str, address: str = "10.1.2.3", **headers):
    return Client(REMOTE_ADDR=address, **headers).post("/login/", {"username": username, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and "sessionid" in response.cookies


def fail(username: str, times: int, address: str = "10.1.2.3"):
    for _ in range(times):
        last = login(username, "wrong password", address)
    return last


@pytest.mark.django_db
def test_the_reproducer_many_wrong_passwords_then_the_right_one_does_not_log_in_defect3(call_taker):
    fail(call_taker.username, 10)
    right = login(call_taker.username, PASSWORD)
    assert not logged_in(right)
    assert "已被锁定" in right.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_then_the_right_one_is_refused_with_a_chinese_lockout_message_defect3(call_taker):
    limit = settings.AXES_FAILURE_LIMIT
    # Below the limit a wrong password is only a wrong password.
    page = fail(call_taker.username, limit - 1)
    assert page.status_code == 200 and "已被锁定" not in page.content.decode()

    page = fail(call_taker.username, 1)
    assert page.status_code == 429
    text = page.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert 'id="login-locked"' in text and "已被锁定" in text and f"锁定{minutes}分钟" in text
    assert 'id="id_username"' in text  # still the login page, with its form

    # The right password no longer helps, from this address or any other.
    for address in ("10.1.2.3", "10.9.9.9"):
        refused = login(call_taker.username, PASSWORD, address)
        assert refused.status_code == 429 and not logged_in(refused)
        assert "已被锁定" in refused.content.decode()


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off_defect3(call_taker):
    from axes.models import AccessAttempt

    fail(call_taker.username, settings.AXES_FAILURE_LIMIT)
    assert login(call_taker.username, PASSWORD).status_code == 429
    # The failures age past the cool-off, as the clock would make them.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME * 2)
    assert logged_in(login(call_taker.username, PASSWORD))


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked_too_defect3(make_user):
    victims = [make_user("call_taker") for _ in range(settings.AXES_FAILURE_LIMIT)]
    for victim in victims:
        fail(victim.username, 1, address="10.6.6.6")
    fresh = make_user("dispatcher")
    assert login(fresh.username, PASSWORD, "10.6.6.6").status_code == 429
    # The accounts themselves are not locked for their owners elsewhere.
    assert logged_in(login(victims[0].username, PASSWORD, "10.7.7.7"))


@pytest.mark.django_db
def test_logging_in_as_oneself_does_not_reset_a_colleagues_count_defect3(make_user):
    target, insider = make_user("dispatcher"), make_user("call_taker")
    fail(target.username, settings.AXES_FAILURE_LIMIT - 1, address="10.3.3.3")
    assert logged_in(login(insider.username, PASSWORD, "10.3.3.3"))
    fail(target.username, 1, address="10.4.4.4")
    assert login(target.username, PASSWORD, "10.5.5.5").status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_throttled_as_well_defect3(make_user):
    admin = make_user("bureau_admin", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="10.8.8.8")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": admin.username, "password": "nope"})
    refused = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert refused.status_code == 429 and "已被锁定" in refused.content.decode()


def test_behind_nginx_the_address_is_its_x_real_ip_and_only_then(rf, settings):
    from jiesu.core.security import client_ip

    request = rf.get("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    settings.JIESU_CLIENT_IP_HEADER = None
    assert client_ip(request) == "127.0.0.1"  # no proxy: a client's header is not believed
    settings.JIESU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "203.0.113.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not an address")) == "127.0.0.1"
