"""Webhook addresses: https to public hosts only, unless the administrator allow-listed them;
checked when a unit's address is saved and again, against the DNS answer, when sending."""

import socket
import threading
from http.server import ThreadingHTTPServer
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qingdan.lib import webhooks
from qingdan.notifications import outbox
from qingdan.notifications.models import Delivery
from qingdan.notifications.tests.test_channels import Robot

PUBLIC = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


def resolves_to(*addresses):
    """getaddrinfo answering ``addresses`` for any host (no network needed)."""
    answer = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 443)) for a in addresses]
    return mock.patch("socket.getaddrinfo", return_value=answer)


@pytest.mark.parametrize(
    "url",
    [
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",  # not https
        "https://127.0.0.1/x",
        "https://10.0.0.8/robot",
        "https://192.168.1.1/",
        "https://172.16.5.5/",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://100.64.0.1/",  # carrier-grade NAT
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://localhost/",
        "https://user:pass@qyapi.weixin.qq.com/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
    ],
)
def test_unsafe_addresses_are_refused(url):
    with pytest.raises(webhooks.UnsafeWebhook):
        webhooks.check(url, resolve=False)


def test_a_public_https_address_passes_and_a_private_dns_answer_does_not():
    with resolves_to("203.119.129.12"):
        webhooks.check(PUBLIC)
    with resolves_to("10.1.2.3"), pytest.raises(webhooks.UnsafeWebhook) as refused:
        webhooks.check("https://robot.evil.example/send")
    assert "10.1.2.3" in refused.value.message


def test_the_allow_list_is_exact_about_scheme_host_port_and_path(settings):
    settings.QINGDAN = {**settings.QINGDAN, "WEBHOOK_ALLOW": ["http://10.0.0.5:8080/robot/"]}
    webhooks.check("http://10.0.0.5:8080/robot/send?key=1")
    for other in (
        "http://10.0.0.5:8081/robot/send",
        "http://10.0.0.5:8080/admin",
        "https://10.0.0.5:8080/robot/send",
        "http://10.0.0.5.evil.example:8080/robot/",
    ):
        with pytest.raises(webhooks.UnsafeWebhook):
            webhooks.check(other, resolve=False)


@pytest.mark.django_db
def test_a_unit_with_an_internal_webhook_is_refused_with_a_chinese_message(cast):
    cast.power.wecom_webhook = "https://192.168.10.20/cgi-bin/webhook/send?key=x"
    with pytest.raises(ValidationError) as refused:
        cast.power.full_clean()
    assert "网络" in refused.value.message_dict["wecom_webhook"][0]
    cast.power.wecom_webhook = "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
    with pytest.raises(ValidationError) as refused:
        cast.power.full_clean()
    assert "https" in refused.value.message_dict["wecom_webhook"][0]


@pytest.mark.django_db
def test_the_admin_form_refuses_an_internal_webhook(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_unit_change", args=[cast.water.pk]),
        {
            "name": cast.water.name,
            "kind": "utility",
            "is_active": "on",
            "dingtalk_webhook": "https://169.254.169.254/latest/meta-data/",
        },
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    cast.water.refresh_from_db()
    assert cast.water.dingtalk_webhook == ""


@pytest.fixture
def local_robot():
    Robot.received = []
    Robot.answer = {"errcode": 0, "errmsg": "ok"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.mark.django_db
def test_sending_refuses_a_host_that_now_resolves_inside(cast, make_problem, local_robot):
    # Saved while it looked public; the DNS answer is now 127.0.0.1 (rebinding): nothing sent.
    cast.power.wecom_webhook = f"https://robot.example.org:{local_robot}/send?key=x"
    cast.power.save()
    make_problem("assigned")
    delivery = Delivery.objects.get(channel="wecom")
    with resolves_to("127.0.0.1"):
        assert outbox.deliver_one(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING  # retried later, never sent there
    assert "refused" in delivery.last_error and Robot.received == []


@pytest.mark.django_db
def test_a_local_robot_receives_only_once_allow_listed(cast, make_problem, local_robot, settings):
    url = f"http://127.0.0.1:{local_robot}/"
    cast.power.wecom_webhook = url + "cgi-bin/webhook/send?key=abc"
    cast.power.save()
    make_problem("assigned")
    delivery = Delivery.objects.get(channel="wecom")
    assert outbox.deliver_one(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING and "refused" in delivery.last_error
    assert Robot.received == []  # not allow-listed: the worker never connected
    settings.QINGDAN = {**settings.QINGDAN, "WEBHOOK_ALLOW": [url]}
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created)
    assert outbox.deliver_one(delivery.pk) is True
    assert [r["path"] for r in Robot.received] == ["/cgi-bin/webhook/send?key=abc"]
