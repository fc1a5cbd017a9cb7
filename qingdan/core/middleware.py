"""Request-level guards that run before any view (and before Django reads the body)."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """A request whose declared body is larger than ``REQUEST_MAX_BYTES`` is answered 413 at
    once, for pages, the REST API and Open311 alike, in each one's error format. It sits before
    CSRF and the views, which are the first to read the body, so nothing of it is read.

    (A body without Content-Length — chunked — is not read by Django's WSGI handler at all.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.QINGDAN["REQUEST_MAX_BYTES"]
        if declared > limit:
            return self.too_large(request, declared, limit)
        return self.get_response(request)

    def too_large(self, request, declared: int, limit: int) -> HttpResponse:
        message = _(
            "The upload is %(size)s; at most %(limit)s can be sent at once. "
            "Send fewer or smaller files."
        ) % {"size": filesizeformat(declared), "limit": filesizeformat(limit)}
        path = request.path_info
        if path.startswith("/api/"):
            body = {"error": {"code": "too_large", "message": message, "fields": {}}}
            return self._json(body)
        if path.startswith("/open311/"):
            if path.endswith(".xml"):
                body = (
                    '<?xml version="1.0" encoding="utf-8"?><errors><error><code>413</code>'
                    f"<description>{_escape(message)}</description></error></errors>"
                )
                return HttpResponse(body, status=413, content_type="text/xml; charset=utf-8")
            return self._json([{"code": 413, "description": message}])
        html = render_to_string("413.html", {"message": message}, request=None)
        response = HttpResponse(html, status=413)
        response["Connection"] = "close"  # the unread body is not to be taken as a next request
        return response

    @staticmethod
    def _json(body) -> HttpResponse:
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=413,
            content_type="application/json; charset=utf-8",
        )
        response["Connection"] = "close"
        return response


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
