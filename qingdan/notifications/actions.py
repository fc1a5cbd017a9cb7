"""A person's own following and notices: the page and the API call these."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, Unit
from qingdan.challenges.access import access_challenge
from qingdan.lib import bounds, clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.notifications.models import AlertKind, Notification, StaffAlert, Subscription
from qingdan.problems.access import access_problem
from qingdan.problems.forms import unit_choices
from qingdan.problems.models import Category

TARGETS = ("problem", "challenge", "unit", "category")
STAFF = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


def followable_units(user):
    """Park-wide staff may follow any unit; a unit's people follow their own unit (what they
    hear of is limited to what they may see in any case)."""
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        return Unit.objects.filter(pk=user.unit_id)
    if user.role in STAFF:
        return unit_choices()
    return Unit.objects.none()


def target_for(user, *, problem="", challenge="", unit="", category="") -> dict:
    """What to follow, found through the same access rules as its pages (404 for what the
    person may not see)."""
    if problem:
        return {"problem": access_problem(user, str(problem)[: bounds.CODE])}
    if challenge:
        return {"challenge": access_challenge(user, str(challenge)[: bounds.CODE])}
    if user.role not in STAFF:
        raise NotAllowed(_("You may follow problems and challenges you can see."))
    if unit:
        return {"unit": get_object_or_404(followable_units(user), pk=bounds.row_id(unit) or 0)}
    if category:
        return {"category": get_object_or_404(Category, pk=bounds.row_id(category) or 0)}
    raise InvalidInput(_("Say what to follow."))


def follow(user, target: dict, *, stop: bool = False) -> bool:
    """Follow (or stop following) ``target``; True when something changed."""
    existing = Subscription.objects.filter(user=user, **target)
    if stop:
        return existing.delete()[0] > 0
    if existing.exists():
        return False
    Subscription.objects.create(user=user, **target)
    return True


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=clock.now())


def alert_settings(user) -> dict[str, bool]:
    """A secretariat member's alerts (new problems, returns, extension requests): on unless
    turned off."""
    chosen = dict(StaffAlert.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in AlertKind.values}


def set_alerts(user, wanted: dict[str, bool]) -> dict[str, bool]:
    """Turn a secretariat member's alerts on or off (only the secretariat has them)."""
    if user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat chooses these alerts."))
    for kind, enabled in wanted.items():
        if kind not in AlertKind.values:
            raise InvalidInput(_("Choose an alert from the list."))
        StaffAlert.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})
    return alert_settings(user)
