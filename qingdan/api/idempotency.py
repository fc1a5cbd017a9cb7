"""Safe retries: ``Idempotency-Key`` on POST.

The same key with the same request within 24 hours gets the first answer again and creates
nothing new; the same key with another request is a 409. The key is reserved before the request
runs, so two copies arriving at once cannot both create something.

Keys belong to the person who sent them (whatever token, api_key or session they used): one
caller can never replay, block or pre-empt another's. A request that names no valid caller is
not recorded at all (it is refused anyway), so anonymous requests cannot burn anyone's keys. The
request's hash covers its path, query string and body.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from qingdan.api.models import IdempotencyRecord, user_for_token
from qingdan.lib import clock

WINDOW = timedelta(hours=24)
PREFIXES = ("/api/v1/", "/open311/v2/")


def _scope(request) -> str | None:
    """The caller, as the API will authenticate it: a bearer token, an Open311 api_key (form or
    query string), or a signed-in session. None when there is none, or it is not valid."""
    header = request.headers.get("Authorization", "")
    secret = header[7:].strip() if header.lower().startswith("bearer ") else ""
    secret = secret or request.POST.get("api_key", "") or request.GET.get("api_key", "")
    user = user_for_token(secret[:200]) if secret else None
    if user is None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if user is None:
        return None
    return hashlib.sha256(f"user:{user.pk}".encode()).hexdigest()


def _request_hash(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode() + b"\n")
    if request.content_type == "multipart/form-data":
        # Uploads can exceed the in-memory body limit: hash the fields and the files' digests.
        for name, value in sorted(request.POST.lists()):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.FILES.items()):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _conflict(message) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": "idempotency_conflict", "message": str(message), "fields": {}}},
        status=409,
    )


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if request.method != "POST" or not key or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if len(key) > 200:
            return _conflict(_("The Idempotency-Key is longer than 200 characters."))
        scope = _scope(request)
        if scope is None:  # no valid caller: refused anyway, and nobody's key to reserve
            return self.get_response(request)
        request_hash = _request_hash(request)
        IdempotencyRecord.objects.filter(created__lt=clock.now() - WINDOW).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope, key=key, request_hash=request_hash, created=clock.now()
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.get(scope=scope, key=key)
            if first.request_hash != request_hash:
                return _conflict(_("This Idempotency-Key was already used for another request."))
            if first.status == 0:
                return _conflict(_("A request with this Idempotency-Key is still running."))
            replay = HttpResponse(
                bytes(first.body), status=first.status, content_type=first.content_type
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in (401, 429):
            record.delete()  # not an answer worth replaying: let the retry run
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code,
                body=response.content,
                content_type=response.get("Content-Type", ""),
            )
        return response
