"""Who sees which bulletin: published ones are public (redacted); drafts and the internal
version (full names, downloads) are for park staff."""

from datetime import date, timedelta

from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock

STAFF_ROLES = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


def is_staff(user) -> bool:
    return user.is_authenticated and user.role in STAFF_ROLES


def visible_bulletins(user):
    """Secretariat: all, drafts included. Other park staff: published. Others: none."""
    bulletins = Bulletin.objects.all()
    if user.is_authenticated and user.role in (Role.SECRETARIAT, Role.ADMIN):
        return bulletins
    if is_staff(user):
        return bulletins.filter(state=Bulletin.State.PUBLISHED)
    return bulletins.none()


def access_bulletin(user, week: date, version: int) -> Bulletin:
    bulletin = visible_bulletins(user).filter(week_start=week, version=version).first()
    if bulletin is None:
        raise Http404
    return bulletin


def public_bulletin(week: date, version: int) -> Bulletin:
    bulletin = Bulletin.objects.filter(
        week_start=week, version=version, state=Bulletin.State.PUBLISHED
    ).first()
    if bulletin is None:
        raise Http404
    return bulletin


# What the public may see of a problem: the row a published bulletin's public list gave it, as
# published (the latest published version of its week), and nothing else — no description, no
# notes, no enterprise that asked not to be named. Every anonymous channel (the public board,
# Open311, the API) asks these.
PUBLIC_ITEM_FIELDS = (
    "number",
    "title",
    "enterprise_public",
    "lead_unit",
    "responsible",
    "deadline",
    "status",
    "status_label",
)


def public_item(item: dict) -> dict:
    return {key: item.get(key, "") for key in PUBLIC_ITEM_FIELDS}


def published_items(week_starts) -> dict[str, tuple[Bulletin, dict]]:
    """number → (bulletin, public row) for the problems of these weeks, each as the latest
    published version of its week gave it."""
    found: dict[str, tuple[Bulletin, dict]] = {}
    bulletins = Bulletin.objects.filter(
        state=Bulletin.State.PUBLISHED, week_start__in=list(week_starts)
    ).order_by("week_start", "version")
    for bulletin in bulletins:  # later versions of a week replace earlier ones
        for item in bulletin.content.get("items", []):
            found[item["number"]] = (bulletin, public_item(item))
    return found


# How far back other enterprises' published problems are offered as similar ones.
RECENT_WEEKS = 26


def recently_published(weeks: int = RECENT_WEEKS) -> dict[str, dict]:
    """number → public row of every problem the bulletins of these last weeks published: all
    an enterprise may know of another enterprise's problems (as the public board shows them)."""
    since = clock.today() - timedelta(weeks=weeks)
    starts = (
        Bulletin.objects.filter(state=Bulletin.State.PUBLISHED, week_start__gte=since)
        .values_list("week_start", flat=True)
        .distinct()
    )
    return {number: row for number, (_bulletin, row) in published_items(starts).items()}
