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
        response = refusal(request, 413, "too_large", message, template="413.html")
        response["Connection"] = "close"  # the unread body is not to be taken as a next request
        return response


def refusal(request, status: int, code: str, message, *, template="413.html") -> HttpResponse:
    """A refusal before any view, in the error format of where the request went: the REST
    API's JSON, Open311's JSON or XML, or a page."""
    path = request.path_info
    if path.startswith("/api/"):
        body = {"error": {"code": code, "message": str(message), "fields": {}}}
        return _json(body, status)
    if path.startswith("/open311/"):
        if path.endswith(".xml"):
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><errors><error><code>{status}</code>'
                f"<description>{_escape(str(message))}</description></error></errors>"
            )
            return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
        return _json([{"code": status, "description": str(message)}], status)
    html = render_to_string(template, {"message": message}, request=None)
    return HttpResponse(html, status=status)


def _json(body, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


class RefuseNullCharactersMiddleware:
    """No text Qingdan keeps may hold a NUL character (PostgreSQL refuses it in any text): a
    request carrying one — in its path, query string, form fields or JSON body — is refused at
    once (400, in the channel's error format), whatever view it was going to. Uploaded files'
    contents are not text and are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            message = _("Null characters are not allowed.")
            return refusal(request, 400, "invalid", message, template="400.html")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
                return any(
                    "\x00" in value for _name, values in request.POST.lists() for value in values
                )
            body = request.body
            return b"\x00" in body or b"\\u0000" in body.lower()
        return False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
