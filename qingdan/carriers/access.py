"""Who sees what of the carriers: the ledger (buildings, parcels, every lease, the figures) is
the staff's — the secretariat keeps it, leaders read it; an enterprise sees its own leases and
space requests (its own or its projects'); a unit may search for space for a task it handles.
Anything else is 404, so existence does not leak. The public sees only the vacancy list
(``public.py``), without tenants."""

from django.db.models import Q
from django.http import Http404

from qingdan.accounts.models import KEEPERS, Role
from qingdan.carriers.models import Building, LandParcel, Lease, SpaceRequest

STAFF = (*KEEPERS, Role.LEADER)
UNITS = (Role.UNIT_OFFICER, Role.UNIT_HEAD)


def is_staff(user) -> bool:
    return user.is_authenticated and user.role in STAFF


def may_search(user) -> bool:
    """Run a match (the task page of a 土地与厂房 problem): staff and the units."""
    return user.is_authenticated and user.role in (*STAFF, *UNITS)


def visible_buildings(user):
    return Building.objects.all() if is_staff(user) else Building.objects.none()


def visible_parcels(user):
    return LandParcel.objects.all() if is_staff(user) else LandParcel.objects.none()


def access_building(user, code: str) -> Building:
    building = visible_buildings(user).filter(code=code).first()
    if building is None:
        raise Http404
    return building


def access_parcel(user, code: str) -> LandParcel:
    parcel = visible_parcels(user).filter(code=code).first()
    if parcel is None:
        raise Http404
    return parcel


def _own(user) -> Q:
    return Q(enterprise_id=user.enterprise_id) | Q(project__investor_id=user.enterprise_id)


def visible_leases(user):
    leases = Lease.objects.select_related("building", "enterprise", "project")
    if is_staff(user):
        return leases
    if user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id:
        return leases.filter(_own(user))
    return leases.none()


def access_lease(user, pk: int) -> Lease:
    lease = visible_leases(user).filter(pk=pk).first()
    if lease is None:
        raise Http404
    return lease


def visible_requests(user):
    requests = SpaceRequest.objects.select_related("enterprise", "project", "lease")
    if is_staff(user):
        return requests
    if user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id:
        return requests.filter(_own(user))
    return requests.none()


def access_request(user, pk: int) -> SpaceRequest:
    request = visible_requests(user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
