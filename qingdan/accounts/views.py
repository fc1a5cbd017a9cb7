from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.forms import PreferencesForm
from qingdan.core.parity import web_only


@web_only("a person's own settings on the site (language, e-mail notices)")
@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data["language"]:
            translation.activate(form.cleaned_data["language"])
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@web_only("the site's language; the API follows Accept-Language")
@require_POST
def switch_language(request):
    """Switch language: remembered on the person when signed in, else in a cookie."""
    language = request.POST.get("language", "")
    if language not in {"zh-hans", "en"}:
        language = "zh-hans"
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


# --- Password reset by e-mail (Django's views; rate-limited) ----------------------------------

RESET_RATES = (("password-reset-ip", "ip", "10/h"), ("password-reset-email", "email", "3/h"))


def _reset_usage(request, group: str, key: str, rate: str):
    from django_ratelimit.core import get_usage

    if key == "email":
        address = (request.POST.get("email") or "").strip().lower()
        return get_usage(
            request,
            group=group,
            key=lambda g, r: f"email:{address}",
            rate=rate,
            method=get_usage.ALL,
            increment=True,
        )
    return get_usage(
        request, group=group, key="ip", rate=rate, method=get_usage.ALL, increment=True
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, at most 3 mails an hour to one address and 10 requests an hour
    from one network address: nobody floods a colleague's inbox. A refused request changes
    nothing and says so in the reader's language."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request, *args, **kwargs):
        for group, key, rate in RESET_RATES:
            usage = _reset_usage(request, group, key, rate)
            if usage and usage["should_limit"]:
                form = self.get_form()
                form.is_valid()
                form.add_error(None, _("Too many reset requests: try again in an hour."))
                return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
