from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.utils import translation

from qingdan.accounts.demo_accounts import demo_passwords_in_use
from qingdan.accounts.security import current_request


class UserLanguageMiddleware:
    """A signed-in person's chosen language wins over the cookie and Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class RefuseDemoPasswordsMiddleware:
    """In production the server refuses to start while a demo account keeps its known password.

    Middleware is instantiated when the WSGI handler is built, i.e. when the server starts,
    so raising here stops gunicorn or runserver before they answer any request.
    """

    def __init__(self, get_response):
        if not settings.REFUSE_DEMO_PASSWORDS:
            raise MiddlewareNotUsed
        found = demo_passwords_in_use()
        if found:
            raise ImproperlyConfigured(
                "Refusing to start with DEBUG=0: demo accounts still have the published demo "
                f"password ({', '.join(found)}). Change their passwords or delete them "
                "(python manage.py changepassword USERNAME)."
            )
        raise MiddlewareNotUsed


class SecurityContextMiddleware:
    """Lets the security log find the request (address, person) of records made deep inside
    a form or the admin (a password saved, a ``LogEntry`` written)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
