"""Senders, one per channel. Each raises ``SendError`` when the message did not get through."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.core.mail import send_mail

from qingdan.lib import webhooks

TIMEOUT = 10


class SendError(Exception):
    pass


def send_email(delivery) -> None:
    try:
        send_mail(delivery.subject, delivery.body, None, [delivery.recipient.email])
    except Exception as exc:  # any transport failure: SMTP, DNS, TLS…
        raise SendError(f"{type(exc).__name__}: {exc}") from exc


def _post_json(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:  # checked again now: the host must still resolve to public addresses only
        with webhooks.open_guarded(request, timeout=TIMEOUT) as response:
            answer = json.loads(response.read() or b"{}")
    except webhooks.UnsafeWebhook as exc:
        raise SendError(f"refused: {exc.message}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} on success.
    if answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def wecom_payload(delivery) -> dict:
    """WeCom (企业微信) group robot, markdown message."""
    return {"msgtype": "markdown", "markdown": {"content": delivery.body}}


def send_wecom(delivery) -> None:
    if not delivery.unit.wecom_webhook:
        raise SendError("the unit has no WeCom webhook")
    _post_json(delivery.unit.wecom_webhook, wecom_payload(delivery))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk's signed-timestamp security: sign = Base64(HMAC-SHA256(secret,
    "timestamp\\nsecret")), URL-encoded, with the timestamp in milliseconds."""
    if not secret:
        return url
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def dingtalk_payload(delivery) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": delivery.subject, "text": delivery.body}}


def send_dingtalk(delivery) -> None:
    unit = delivery.unit
    if not unit.dingtalk_webhook:
        raise SendError("the unit has no DingTalk webhook")
    _post_json(
        dingtalk_signed_url(unit.dingtalk_webhook, unit.dingtalk_secret), dingtalk_payload(delivery)
    )


SENDERS = {"email": send_email, "wecom": send_wecom, "dingtalk": send_dingtalk}
