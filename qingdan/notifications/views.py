"""Follow and unfollow: a problem (anyone who can see it), a unit or a category (park staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role, Unit
from qingdan.challenges.access import access_challenge
from qingdan.notifications.models import Subscription
from qingdan.problems.access import access_problem
from qingdan.problems.forms import unit_choices
from qingdan.problems.models import Category

STAFF = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


@login_required
def following(request):
    mine = Subscription.objects.filter(user=request.user).select_related(
        "unit", "category", "problem", "challenge"
    )
    return render(request, "notifications/following.html", {
        "subscriptions": mine,
        "units": unit_choices() if request.user.role in STAFF else [],
        "categories": Category.objects.filter(is_active=True) if request.user.role in STAFF else [],
    })  # fmt: skip


@login_required
@require_POST
def follow(request):
    user = request.user
    target = {}
    if request.POST.get("problem"):
        target["problem"] = access_problem(user, request.POST["problem"])
    elif request.POST.get("challenge"):
        target["challenge"] = access_challenge(user, request.POST["challenge"])
    elif user.role not in STAFF:
        raise PermissionDenied
    elif request.POST.get("unit"):
        target["unit"] = get_object_or_404(Unit, pk=request.POST["unit"])
    elif request.POST.get("category"):
        target["category"] = get_object_or_404(Category, pk=request.POST["category"])
    else:
        raise PermissionDenied
    existing = Subscription.objects.filter(user=user, **target)
    if request.POST.get("stop"):
        existing.delete()
        messages.success(request, _("You no longer follow it."))
    elif not existing.exists():
        Subscription.objects.create(user=user, **target)
        messages.success(request, _("You follow it now: you will be told of its changes."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "following")
