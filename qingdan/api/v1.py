"""Qingdan's REST API, /api/v1/ (django-ninja, OpenAPI 3 at /api/v1/openapi.json).

This module only makes the API: authentication, one error body for every refusal, and the
routers, one per app (``qingdan/<app>/api.py``). Each router reads through its app's access
functions and writes through the same input definitions and actions as the web pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from qingdan.accounts.api import router as accounts_router
from qingdan.api.models import user_for_token
from qingdan.bulletins.api import router as bulletins_router
from qingdan.carriers.api import router as carriers_router
from qingdan.challenges.api import router as challenges_router
from qingdan.core.apitools import validation_message
from qingdan.enterprises.api import router as enterprises_router
from qingdan.exchange.api import router as exchange_router
from qingdan.finance.api import router as finance_router
from qingdan.lib.errors import ActionError
from qingdan.notifications.api import router as notifications_router
from qingdan.policies.api import router as policies_router
from qingdan.problems.api import router as problems_router
from qingdan.problems.figures_api import router as figures_router
from qingdan.projects.api import router as projects_router
from qingdan.search.api import router as search_router


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class QingdanAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Operation ids are the endpoints' names (``create_problem``), unique across routers:
        what the parity test and clients generated from the schema refer to."""
        return operation.view_func.__name__


api = QingdanAPI(
    title="Qingdan API",
    version="1",
    description=(
        "Raise and follow problems of a development zone's government–enterprise service loop. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens on the site, or "
        "`manage.py api_token USERNAME`). Every refusal answers "
        '`{"error": {"code", "message", "fields"}}` in the caller\'s language.'
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def error(request, status: int, code: str, message, fields: dict | None = None, headers=None):
    response = api.create_response(
        request,
        {"error": {"code": code, "message": str(message), "fields": fields or {}}},
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ActionError)
def on_action_error(request, exc):
    """Every domain's refusals (``qingdan.lib.errors``), with their code and status."""
    fields = {
        name: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        for name, messages in exc.fields.items()
    }
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry else None
    return error(request, exc.status, exc.code, exc.message, fields, headers)


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc):
    fields = {}
    for item in exc.errors:
        location = [
            str(part) for part in item.get("loc", ()) if part not in ("body", "query", "payload")
        ]
        fields.setdefault(".".join(location) or "request", []).append(validation_message(item))
    return error(request, 422, "invalid", _("Some fields are invalid."), fields)


@api.exception_handler(AuthenticationError)
def on_auth(request, exc):
    return error(
        request,
        401,
        "unauthenticated",
        _("Authentication required: send Authorization: Bearer <token>."),
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error(request, exc.status_code, "error", exc.message)


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc):
    return error(request, 422, "invalid", " ".join(exc.messages))


for router in (
    search_router,  # first: /problems/similar before /problems/{number}
    problems_router,
    figures_router,
    accounts_router,
    exchange_router,
    bulletins_router,
    challenges_router,
    projects_router,
    carriers_router,
    notifications_router,
    enterprises_router,
    policies_router,
    finance_router,
):
    api.add_router("", router)
