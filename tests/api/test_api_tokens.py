"""API tokens (issue 12, defect 4): stored only as a digest, expiring, issued once by command
or admin, and the clear keys of rest_framework.authtoken carried over and dropped."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from jiesu.api import tokens


def get_orders(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/orders/")


def stored_anywhere(value: str) -> list[str]:
    """Tables whose text columns hold `value` verbatim."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith(("knox_", "authtoken_")):
                continue
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE CAST({connection.ops.quote_name(column.name)} AS TEXT) = %s",
                    [value],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.mark.django_db
def test_jiesu_api_token_prints_a_token_that_is_stored_only_as_a_digest_and_expires_defect4(call_taker, settings):
    out, err = StringIO(), StringIO()
    call_command("api_token", call_taker.username, stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert len(token) >= 64 and "not stored" in err.getvalue()
    assert get_orders(token).status_code == 200
    assert stored_anywhere(token) == []
    row = AuthToken.objects.get(user=call_taker)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    days = (row.expiry - timezone.now()) / timedelta(days=1)
    assert settings.JIESU_API_TOKEN_DAYS - 1 < days <= settings.JIESU_API_TOKEN_DAYS
    assert "authtoken_token" not in connection.introspection.table_names()


@pytest.mark.django_db
def test_an_expired_token_is_refused_defect4(call_taker):
    row, token = tokens.issue(call_taker, days=1)
    assert get_orders(token).status_code == 200
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert get_orders(token).status_code == 401


@pytest.mark.django_db
def test_other_expired_tokens_are_swept_at_most_once_a_minute_and_refused_always(call_taker, monkeypatch):
    from jiesu.api.authentication import TokenAuthentication

    monkeypatch.setattr(TokenAuthentication, "_swept", {})
    clock = [1000.0]
    monkeypatch.setattr("jiesu.api.authentication.time.monotonic", lambda: clock[0])
    live = tokens.issue(call_taker, days=1)[1]
    old = tokens.issue(call_taker, days=1)[0]
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert get_orders(live).status_code == 200
    assert not AuthToken.objects.filter(pk=old.pk).exists()  # knox's sweep, on the first request
    late_row, late = tokens.issue(call_taker, days=1)
    AuthToken.objects.filter(pk=late_row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    clock[0] += 30
    assert get_orders(live).status_code == 200
    assert AuthToken.objects.filter(pk=late_row.pk).exists()  # not swept again within the minute
    assert get_orders(late).status_code == 401  # but refused, and deleted, when presented
    assert not AuthToken.objects.filter(pk=late_row.pk).exists()
    other_row = tokens.issue(call_taker, days=1)[0]
    AuthToken.objects.filter(pk=other_row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    clock[0] += 31
    assert get_orders(live).status_code == 200
    assert not AuthToken.objects.filter(pk=other_row.pk).exists()  # swept once the minute is over


@pytest.mark.django_db
def test_list_shows_only_prefixes_and_revoke_all_ends_every_token(call_taker):
    first, second = tokens.issue(call_taker)[1], tokens.issue(call_taker, days=3)[1]
    out = StringIO()
    call_command("api_token", call_taker.username, "--list", stdout=out)
    listing = out.getvalue()
    assert first[:15] in listing and second[:15] in listing and first not in listing
    call_command("api_token", call_taker.username, "--revoke-all", stdout=StringIO())
    assert get_orders(first).status_code == 401 and get_orders(second).status_code == 401


@pytest.mark.django_db
def test_api_token_command_names_what_is_wrong(call_taker):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("api_token", "nobody")
    with pytest.raises(CommandError, match="at least one day"):
        call_command("api_token", call_taker.username, "--days", "0")
    call_taker.is_active = False
    call_taker.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("api_token", call_taker.username)


@pytest.mark.django_db
def test_the_admin_issues_a_token_shown_once_with_a_required_expiry_defect4(client, make_user, call_taker):
    client.force_login(make_user("bureau_admin", is_staff=True, is_superuser=True))
    url = "/admin/knox/authtoken/add/"
    refused = client.post(url, {"user": call_taker.pk, "expiry_0": "", "expiry_1": ""})
    assert refused.status_code == 200 and not AuthToken.objects.exists()
    later = timezone.localtime() + timedelta(days=7)
    done = client.post(
        url,
        {"user": call_taker.pk, "expiry_0": later.strftime("%Y-%m-%d"), "expiry_1": later.strftime("%H:%M:%S")},
        follow=True,
    )
    messages = [str(m) for m in done.context["messages"]]
    token = next(m for m in messages if "只显示这一次" in m).rsplit("：", 1)[1]
    assert get_orders(token).status_code == 200
    # Shown once: the list and the token's own page show its first characters, not the token.
    row = AuthToken.objects.get(user=call_taker)
    for page in (client.get("/admin/knox/authtoken/"), client.get(f"/admin/knox/authtoken/{row.pk}/change/")):
        assert page.status_code == 200 and token not in page.content.decode()


@pytest.mark.django_db
def test_clear_drf_tokens_are_carried_over_hashed_and_the_clear_table_dropped_defect4(call_taker, settings):
    """The upgrade path: `jiesu migrate` runs this on a database made before knox."""
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) NOT NULL PRIMARY KEY, '
            '"created" timestamp NOT NULL, "user_id" bigint NOT NULL)'
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, timezone.now(), call_taker.pk])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            [timezone.now()],
        )
    assert tokens.import_drf_tokens() == 1
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
    assert stored_anywhere(key) == []
    assert get_orders(key).status_code == 200  # the client's key still works ...
    row = AuthToken.objects.get(user=call_taker)
    assert row.expiry is not None and row.expiry > timezone.now()  # ... until it expires
    assert tokens.import_drf_tokens() == 0  # nothing left to do the second time


@pytest.mark.django_db
def test_a_token_is_told_from_another_with_its_prefix_and_an_inactive_user_refused(call_taker, make_user):
    """The check reads every token with the presented key's prefix and compares digests, as
    knox does: a forged tail is refused, and of two tokens with one prefix the digest decides."""
    from knox.settings import CONSTANTS

    row, token = tokens.issue(call_taker, days=1)
    tail = len(token) - CONSTANTS.TOKEN_KEY_LENGTH
    forged = token[: CONSTANTS.TOKEN_KEY_LENGTH] + ("0" if token[-1] != "0" else "1") * tail
    assert get_orders(forged).status_code == 401
    # Another user's token stored under the same prefix, read first (knox's keys are random;
    # a collision must still give each token its own user).
    other_user = make_user("call_taker")
    other_row, _ = tokens.issue(other_user, days=1)
    AuthToken.objects.filter(pk=other_row.pk).update(token_key=row.token_key)
    assert AuthToken.objects.filter(token_key=row.token_key).count() == 2
    response = get_orders(token)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == call_taker.pk
    call_taker.is_active = False
    call_taker.save(update_fields=["is_active"])
    assert get_orders(token).status_code == 401
