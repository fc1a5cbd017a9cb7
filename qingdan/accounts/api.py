"""Reference data of the organisations (mounted at /api/v1/ by ``qingdan/api/v1.py``)."""

from django.db.models import Q
from ninja import Query, Router, Schema

from qingdan.accounts.models import Enterprise, Role, Unit
from qingdan.core.apitools import ERRORS
from qingdan.lib import bounds
from qingdan.lib.creditcode import normalize

router = Router(tags=["reference"])
MAX_PAGE = 200
# Who may look up other enterprises (their names and credit codes): park staff.
STAFF = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    industry: str


@router.get("/units", response={200: list[UnitOut], **ERRORS})
def units(request):
    return Unit.objects.filter(is_active=True).order_by("name")


def visible_enterprises(user):
    """Enterprise contacts see their own enterprise; park staff all; others (challenge teams)
    none: the register is not theirs to browse."""
    if user.role == Role.ENTERPRISE:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    if user.role in STAFF:
        return Enterprise.objects.all()
    return Enterprise.objects.none()


@router.get("/enterprises", response={200: list[EnterpriseOut], **ERRORS})
def enterprises(
    request,
    q: str = Query("", max_length=bounds.NAME),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    """Enterprise contacts see their own enterprise; park staff search all (by a part of the
    name or the credit code)."""
    found = visible_enterprises(request.user).order_by("name")
    if q:
        found = found.filter(Q(name__contains=q) | Q(credit_code=normalize(q)))
    return found[:limit]
