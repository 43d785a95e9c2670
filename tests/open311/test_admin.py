"""Open311 in the admin: clients with keys shown once, revocable; per-matter questions (R21.1)."""

import pytest
from django.contrib.messages import get_messages

from jiesu.open311.models import ApiClient


@pytest.fixture
def admin_http(client, make_user):
    client.force_login(make_user("bureau_admin", "bureau", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_admin_adds_client_shows_key_once_and_revokes_R21_1(admin_http):
    response = admin_http.post(
        "/admin/open311/apiclient/add/",
        {"name": "河北12345", "contact": "", "rate_limit_per_minute": "30"},
        follow=True,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "接口密钥" in str(m)]
    key = message.rsplit("：", 1)[1]
    client = ApiClient.objects.get(name="河北12345")
    assert client.key_prefix == key[:8] and key not in client.key_hash  # only the hash is stored
    assert client.user.role == "call_taker" and not client.user.has_usable_password()
    admin_http.post("/admin/open311/apiclient/", {"action": "revoke", "_selected_action": [client.pk]})
    client.refresh_from_db()
    assert not client.active and client.revoked_at is not None


@pytest.mark.django_db
def test_admin_edits_service_attributes_with_values_R21_1(admin_http, streetlight):
    assert admin_http.get("/admin/open311/serviceattribute/").status_code == 200
    attribute = streetlight.open311_attributes.get(code="fault")
    page = admin_http.get(f"/admin/open311/serviceattribute/{attribute.pk}/change/")
    assert page.status_code == 200 and "闪烁" in page.content.decode()
