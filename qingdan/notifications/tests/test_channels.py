"""Group robots: the messages a local HTTP server receives match WeCom's and DingTalk's
formats (DingTalk's signed timestamp included); a failure is retried and never blocks."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.db import connection, connections

from qingdan.notifications import outbox
from qingdan.notifications.channels import dingtalk_signed_url
from qingdan.notifications.models import Delivery
from qingdan.problems import actions


class Robot(BaseHTTPRequestHandler):
    received: list = []
    answer = {"errcode": 0, "errmsg": "ok"}

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(self.rfile.read(length)),
            }
        )
        payload = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot(settings):
    Robot.received = []
    Robot.answer = {"errcode": 0, "errmsg": "ok"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # A robot on this machine is no public https address: the test allow-lists it, as an
    # administrator would an intranet gateway (qingdan.lib.webhooks).
    settings.QINGDAN = {**settings.QINGDAN, "WEBHOOK_ALLOW": [url + "/"]}
    yield url
    server.shutdown()


@pytest.mark.django_db
def test_wecom_and_dingtalk_receive_their_markdown_formats(cast, make_problem, robot):
    cast.power.wecom_webhook = f"{robot}/cgi-bin/webhook/send?key=abc"
    cast.power.dingtalk_webhook = f"{robot}/robot/send?access_token=xyz"
    cast.power.dingtalk_secret = "SECtest"
    cast.power.save()
    problem = make_problem("assigned")
    assert outbox.deliver_due()[1] == 0
    by_path = {r["path"].split("?")[0]: r for r in Robot.received}
    wecom = by_path["/cgi-bin/webhook/send"]["body"]
    assert wecom["msgtype"] == "markdown" and set(wecom) == {"msgtype", "markdown"}
    assert problem.number in wecom["markdown"]["content"]
    ding = by_path["/robot/send"]
    assert ding["body"]["msgtype"] == "markdown"
    assert set(ding["body"]["markdown"]) == {"title", "text"}
    assert problem.number in ding["body"]["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(ding["path"]).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(
        hmac.new(b"SECtest", f"{timestamp}\nSECtest".encode(), hashlib.sha256).digest()
    ).decode()
    assert sign == expected and query["access_token"] == ["xyz"]
    assert Delivery.objects.filter(channel__in=["wecom", "dingtalk"], state="sent").count() == 2


def test_dingtalk_signature_matches_its_documented_example():
    # sign = urlEncode(base64(HmacSHA256(secret, timestamp + "\n" + secret)))
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "s", 1000)
    digest = hmac.new(b"s", b"1000\ns", hashlib.sha256).digest()
    assert url.endswith("&timestamp=1000&sign=" + urllib.parse.quote_plus(base64.b64encode(digest)))


@pytest.mark.django_db
def test_robot_error_is_retried_and_the_action_is_not_blocked(cast, make_problem, robot):
    Robot.answer = {"errcode": 310000, "errmsg": "sign not match"}
    cast.power.wecom_webhook = f"{robot}/cgi-bin/webhook/send?key=abc"
    cast.power.save()
    problem = make_problem("assigned")
    assert problem.status == "assigned"
    outbox.deliver_due()
    delivery = Delivery.objects.get(channel="wecom")
    assert delivery.state == "pending" and delivery.attempts == 1
    assert "310000" in delivery.last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once(cast, make_problem, robot):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent workers are tested on PostgreSQL")
    cast.power.wecom_webhook = f"{robot}/cgi-bin/webhook/send?key=abc"
    cast.power.save()
    with mock.patch("qingdan.notifications.outbox.deliver_task"):  # leave them in the outbox
        for index in range(15):
            problem = make_problem("accepted", title=f"并发{index}")
            actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
    Robot.received = []
    expected = Delivery.objects.filter(channel="wecom").count()
    assert expected == 15
    barrier = threading.Barrier(2)

    def worker(name):
        try:
            barrier.wait()
            outbox.deliver_due(worker=name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    bodies = [r["body"]["markdown"]["content"] for r in Robot.received]
    assert len(bodies) == expected == len(set(bodies))
    assert set(Delivery.objects.filter(channel="wecom").values_list("state", flat=True)) == {"sent"}
    assert "" not in set(Delivery.objects.values_list("claimed_by", flat=True))
