"""Password reset by e-mail (issue 16): Django's views, in Chinese, rate-limited."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_person_sets_a_new_password_from_the_mailed_link(client, cast):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    page = client.get(reverse("password_reset"))
    assert "忘记密码" in page.content.decode()
    sent = client.post(reverse("password_reset"), {"email": "sec@example.org"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sec@example.org"]
    assert "清单" in message.subject
    assert "t-secretariat" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    new = "Qd-new-passw0rd-2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    cast.secretariat.refresh_from_db()
    assert cast.secretariat.check_password(new)
    # The link works once.
    again = client.get(link, follow=True)
    assert "已失效" in again.content.decode() or "已被使用" in again.content.decode()


def test_an_unknown_address_learns_nothing_and_gets_no_mail(client, cast):
    sent = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert sent.status_code == 302
    assert mail.outbox == []


def test_reset_requests_are_rate_limited_per_address(client, cast):
    for _ in range(3):
        assert (
            client.post(reverse("password_reset"), {"email": "sec@example.org"}).status_code == 302
        )
    refused = client.post(reverse("password_reset"), {"email": "sec@example.org"})
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert len(mail.outbox) == 3
