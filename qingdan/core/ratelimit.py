"""Rate limits on API writes, per caller and per IP address (django-ratelimit's counters).

A caller past its limit gets 429 with Retry-After. Counters live in Django's cache: per process
with the default file cache; set a shared cache (Redis) when several servers answer the API.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from qingdan.lib.errors import ActionError


class RateLimited(ActionError):
    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int):
        super().__init__(_("Too many requests: try again later."))
        self.retry_after = max(1, retry_after)


def _caller(group, request) -> str:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"


def _address(group, request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (or X-Real-IP rewritten into it).
    return request.META.get("REMOTE_ADDR") or "unknown"


def limit_writes(request) -> None:
    for group, key, rate in (
        ("api-writes-caller", _caller, settings.QINGDAN["API_WRITE_RATE_PER_CALLER"]),
        ("api-writes-ip", _address, settings.QINGDAN["API_WRITE_RATE_PER_IP"]),
    ):
        usage = get_usage(
            request, group=group, key=key, rate=rate, method=get_usage.ALL, increment=True
        )
        if usage and usage["should_limit"]:
            raise RateLimited(usage["time_left"])
