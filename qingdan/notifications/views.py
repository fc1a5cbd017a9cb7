"""Follow and unfollow: a problem (anyone who can see it), a unit or a category (park staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role
from qingdan.core.parity import api_twin
from qingdan.lib.errors import ActionError, NotAllowed
from qingdan.notifications import actions
from qingdan.notifications.models import AlertKind, Notification, Subscription
from qingdan.problems.models import Category

STAFF = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


@login_required
def following(request):
    mine = Subscription.objects.filter(user=request.user).select_related(
        "unit", "category", "problem", "challenge"
    )
    return render(
        request,
        "notifications/following.html",
        {
            "subscriptions": mine,
            "units": actions.followable_units(request.user),
            "categories": Category.objects.filter(is_active=True)
            if request.user.role in STAFF
            else [],
            "alerts": actions.alert_settings(request.user) if request.user.is_secretariat else None,
            "alert_kinds": AlertKind.choices,
        },
    )


@api_twin("set_alerts")
@login_required
@require_POST
def alerts(request):
    """The secretariat's alerts: new problems, returns, extension requests."""
    wanted = {kind: request.POST.get(kind) == "1" for kind in AlertKind.values}
    try:
        actions.set_alerts(request.user, wanted)
    except NotAllowed:
        raise PermissionDenied from None
    messages.success(request, _("Your alerts were saved."))
    return redirect("following")


@api_twin("follow")
@login_required
@require_POST
def follow(request):
    try:
        target = actions.target_for(
            request.user, **{key: request.POST.get(key, "") for key in actions.TARGETS}
        )
    except NotAllowed:
        raise PermissionDenied from None
    except ActionError as refused:
        messages.error(request, refused.message)
        return redirect("following")
    stop = bool(request.POST.get("stop"))
    if actions.follow(request.user, target, stop=stop):
        if stop:
            messages.success(request, _("You no longer follow it."))
        else:
            messages.success(request, _("You follow it now: you will be told of its changes."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "following")


@api_twin("mark_notifications_read")
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
        actions.mark_all_read(request.user)
        return redirect("notifications")
    return render(request, "notifications/list.html", {"items": items, "unread": len(unread)})
