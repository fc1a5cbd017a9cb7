"""Who sees which enterprise record: park staff see every record; an enterprise contact sees
only their own enterprise's (any other is 404); the public sees none. Only the secretariat
keeps records."""

from django.db.models import QuerySet
from django.http import Http404

from qingdan.accounts.models import Enterprise, Role

STAFF_ROLES = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in STAFF_ROLES


def visible_enterprises(user) -> QuerySet[Enterprise]:
    enterprises = Enterprise.objects.all()
    if is_staff(user):
        return enterprises
    if getattr(user, "is_authenticated", False) and user.role == Role.ENTERPRISE:
        return enterprises.filter(pk=user.enterprise_id)
    return enterprises.none()


def access_enterprise(user, credit_code: str) -> Enterprise:
    enterprise = visible_enterprises(user).filter(credit_code=str(credit_code)[:40]).first()
    if enterprise is None:
        raise Http404
    return enterprise
