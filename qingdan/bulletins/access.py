"""Who sees which bulletin: published ones are public (redacted); drafts and the internal
version (full names, downloads) are for park staff."""

from datetime import date

from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.bulletins.models import Bulletin

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
