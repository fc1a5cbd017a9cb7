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
from qingdan.lib import bounds, clock
from qingdan.notifications.models import Notification, Subscription
from qingdan.problems.access import access_problem
from qingdan.problems.forms import unit_choices
from qingdan.problems.models import Category

STAFF = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


def followable_units(user):
    """Park-wide staff may follow any unit; a unit's people follow their own unit (what they
    hear of is limited to what they may see in any case)."""
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        return Unit.objects.filter(pk=user.unit_id)
    if user.role in STAFF:
        return unit_choices()
    return Unit.objects.none()


def _id(value: str) -> int:
    return int(value) if value.isdigit() and int(value) <= bounds.MAX_ID else 0


@login_required
def following(request):
    mine = Subscription.objects.filter(user=request.user).select_related(
        "unit", "category", "problem", "challenge"
    )
    return render(request, "notifications/following.html", {
        "subscriptions": mine,
        "units": followable_units(request.user),
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
        target["unit"] = get_object_or_404(followable_units(user), pk=_id(request.POST["unit"]))
    elif request.POST.get("category"):
        target["category"] = get_object_or_404(Category, pk=_id(request.POST["category"]))
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


@login_required
def inbox(request):
    """My notifications, newest first; "mark all as read"."""
    items = list(
        Notification.objects.filter(recipient=request.user)
        .select_related("problem", "challenge", "event", "event__actor", "reminder")
        .order_by("-created", "-id")[:100]
    )
    unread = [n.pk for n in items if n.read_at is None]
    if request.method == "POST" and unread:
        Notification.objects.filter(pk__in=unread).update(read_at=clock.now())
        return redirect("notifications")
    return render(request, "notifications/list.html", {"items": items, "unread": len(unread)})
