"""The console speaks one language: an English browser does not get half-English screens."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_gets_the_admin_and_login_in_chinese(client):
    admin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert admin.status_code == 200
    text = admin.content.decode()
    assert "用户名" in text and "Username" not in text
    assert admin.headers["Content-Language"] == "zh-hans"
    login = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "登录" in login.content.decode()
    assert login.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_django_form_errors_are_chinese_for_an_english_browser(client):
    response = client.post("/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    # Next to the field it names (the id the input's aria-describedby points to), in Chinese.
    assert 'id="id_username_error"' in text and 'id="id_password_error"' in text
    assert "该字段是必填项" in text and "This field is required" not in text


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_chinese_for_an_english_browser(client, django_user_model):
    django_user_model.objects.create_user("someone", password="a-long-password-1")
    response = client.post("/login/", {"username": "someone", "password": "wrong-password"}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "请输入一个正确的" in text and "Please enter a correct" not in text
