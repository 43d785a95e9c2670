"""Error pages in Chinese, in the console's style (R5.1): 403, 404, 500 and the expired-form 403."""

from __future__ import annotations

import pytest
from django.template import loader
from django.test import Client

from jiesu.core import roles

pytestmark = pytest.mark.django_db


def test_403_is_chinese_and_says_why(make_user, client):
    client.force_login(make_user(roles.CALL_TAKER))
    response = client.get("/handling/supervision/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and "督办看板只对热线中心开放" in page and "Forbidden" not in page


def test_404_is_chinese(make_user, client):
    client.force_login(make_user(roles.DISPATCHER))
    response = client.get("/orders/991231-99999/")
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in page and "Not Found" not in page


def test_csrf_failure_is_chinese(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(roles.SUPERVISOR))
    response = client.post("/followup/sweep/")
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_500_renders_without_request_or_database(django_assert_num_queries):
    # Django renders it with an empty context: no request, no user, no database.
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render({})
    assert "系统出错" in html and "Server Error" not in html
