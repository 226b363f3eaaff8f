"""Login, lock-out, logout, password change and reset, the profile and personal access tokens."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gongkai.people.actions import authenticate_token, token_create
from gongkai.people.models import ApiToken
from gongkai.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-Mima-2024!"


def test_login_page_is_chinese_with_labelled_fields(client, world):
    page = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">用户名' in page and '<label for="id_password">密码' in page
    assert 'href="/accounts/password/reset/"' in page


def test_login_goes_to_the_workspace(client, world):
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_wrong_password_shows_a_chinese_message(client, world):
    response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_after_the_failure_limit(client, world, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page and f"连续 {settings.LOGIN_FAILURE_LIMIT} 次" in page
    assert "30 分钟" in page
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_users_are_not_locked_out(client, world, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_a_post(client, world):
    client.force_login(world.officer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_password_change(client, world):
    client.force_login(world.officer)
    assert client.get("/accounts/password/change/").status_code == 200
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)


def test_password_change_with_a_weak_password_changes_nothing(client, world):
    client.force_login(world.officer)
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"})
    assert response.status_code == 200
    assert "密码须至少包含小写字母、大写字母、数字、符号中的3类" in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.check_password(PASSWORD)


def test_password_reset_by_email(client, world):
    response = client.post("/accounts/password/reset/", {"email": world.officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.officer.email]
    assert "重设密码" in message.subject and "officer" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body)
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert 'id="password-set-form"' in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, world):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert "请查收电子邮件" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_with_a_bad_link_says_so(client, world):
    page = client.get("/accounts/password/reset/MQ/bad-token/").content.decode()
    assert "重设密码的链接无效" in page


# --- profile and tokens ----------------------------------------------------------------------

def test_profile_shows_name_and_roles(client, world):
    client.force_login(world.officer)
    page = client.get("/accounts/profile/").content.decode()
    assert "王专员" in page and "某某镇党委" in page and "公开专员" in page


def test_profile_needs_login(client, world):
    assert client.get("/accounts/profile/").status_code == 302


def test_token_is_shown_once_and_works(client, world):
    client.force_login(world.officer)
    response = client.post("/accounts/profile/tokens/", {"name": "报表脚本"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = re.search(r'id="new-token-value">([^<]+)<', response.content.decode()).group(1)
    assert authenticate_token(raw) == world.officer
    token = ApiToken.objects.get(person=world.officer)
    assert token.name == "报表脚本"
    page = client.get("/accounts/profile/").content.decode()
    assert "报表脚本" in page and raw not in page and token.prefix in page


def test_token_name_too_long_changes_nothing(client, world):
    client.force_login(world.officer)
    response = client.post("/accounts/profile/tokens/", {"name": "长" * 65})
    assert response.status_code == 200 and 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_revoke(client, world):
    token, raw = token_create(actor=world.officer, person=world.officer, name="旧")
    client.force_login(world.officer)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and authenticate_token(raw) is None
    assert "已吊销" in client.get("/accounts/profile/").content.decode()


def test_someone_elses_token_cannot_be_revoked(client, world):
    token, raw = token_create(actor=world.reviewer, person=world.reviewer, name="他人")
    client.force_login(world.officer)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert authenticate_token(raw) == world.reviewer
