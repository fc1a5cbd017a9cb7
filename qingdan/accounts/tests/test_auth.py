import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from conftest import TEST_PASSWORD
from qingdan.accounts.demo_accounts import DEMO_PASSWORD


@pytest.mark.django_db
def test_login_and_logout(client, cast):
    response = client.post(
        reverse("login"), {"username": "t-acme", "password": TEST_PASSWORD}, follow=True
    )
    assert response.context["user"] == cast.acme_contact
    assert cast.acme.name in response.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("problems:list")).status_code == 302


@pytest.mark.django_db
def test_pages_require_login_and_home_sends_visitors_to_the_public_board(client):
    response = client.get(reverse("problems:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("public:bulletins")


@pytest.mark.django_db
def test_account_is_locked_after_five_failures_even_with_the_right_password(client, cast):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "t-water", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "t-water", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person is not affected by that lockout.
    client.post(reverse("login"), {"username": "t-power", "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(cast.power_officer.pk)


@pytest.mark.django_db
def test_password_change_enforces_the_policy(client, cast):
    client.force_login(cast.acme_contact)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    cast.acme_contact.refresh_from_db()
    assert cast.acme_contact.check_password(TEST_PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Qing-dan-2026!",
            "new_password2": "Qing-dan-2026!",
        },
    )
    assert response.status_code == 302
    cast.acme_contact.refresh_from_db()
    assert cast.acme_contact.check_password("Qing-dan-2026!")


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_by_accept_language(client):
    assert "登录" in client.get(reverse("login")).content.decode()
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Sign in" in english.content.decode()


@pytest.mark.django_db
def test_a_persons_language_wins_over_accept_language(client, cast):
    client.force_login(cast.acme_contact)
    client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    cast.acme_contact.refresh_from_db()
    assert cast.acme_contact.language == "en"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Welcome" in page


@pytest.mark.django_db
def test_language_switch_does_not_redirect_off_site(client):
    response = client.post(
        reverse("switch_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


@pytest.mark.django_db
def test_preferences_save_name_and_language(client, cast):
    client.force_login(cast.water_officer)
    response = client.post(
        reverse("preferences"),
        {"name": "张三", "email": "z@example.org", "phone": "", "language": "zh-hans"},
        follow=True,
    )
    assert "已保存" in response.content.decode()
    cast.water_officer.refresh_from_db()
    assert cast.water_officer.name == "张三"


@pytest.mark.django_db
def test_server_refuses_to_start_in_production_while_demo_passwords_exist(settings, cast):
    settings.REFUSE_DEMO_PASSWORDS = True
    WSGIHandler()  # no demo accounts yet: starts
    cast.admin.username = "admin"
    cast.admin.set_password(DEMO_PASSWORD)
    cast.admin.save()
    with pytest.raises(ImproperlyConfigured, match="admin"):
        WSGIHandler()
    cast.admin.set_password("a-real-secret-password")
    cast.admin.save()
    WSGIHandler()
