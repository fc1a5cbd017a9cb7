"""A person's API tokens: create (the secret is shown once), list, revoke."""

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingdan.accounts import security
from qingdan.api.models import ApiToken, issue_token
from qingdan.core.parity import web_only
from qingdan.lib import clock


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        help_text=gettext_lazy("What uses it, e.g. “12345 hotline bridge”."),
    )
    expires = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional; empty means until revoked."),
    )

    def clean_expires(self):
        day = self.cleaned_data["expires"]
        if day and day <= clock.today():
            raise forms.ValidationError(_("Choose a day after today."))
        return day


@web_only("API tokens are made on the site: the API authenticates with them")
@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires"]
        expires = datetime.combine(day, time(23, 59, 59), tzinfo=clock.BEIJING) if day else None
        token, secret = issue_token(request.user, name=form.cleaned_data["name"], expires=expires)
        security.record(
            security.Kind.TOKEN_ISSUED, request=request, actor=request.user, subject=str(token)
        )
        form = TokenForm()
    items = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "secret": secret, "tokens": items})


@web_only("API tokens are revoked on the site, where they are made")
@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked__isnull=True)
    token.revoked = clock.now()
    token.save(update_fields=["revoked"])
    security.record(
        security.Kind.TOKEN_REVOKED, request=request, actor=request.user, subject=str(token)
    )
    messages.success(request, _("The token was revoked."))
    return redirect("api_tokens")
