"""Reference data of the organisations (mounted at /api/v1/ by ``qingdan/api/v1.py``)."""

from django.db.models import Q
from django.http import Http404
from ninja import Path, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from qingdan.accounts import keeping
from qingdan.accounts.models import Enterprise, Role, Unit, User
from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
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


# --- Units and their people, kept by the secretariat (the same forms and functions as its pages)

UnitIn = schema_for(keeping.UnitForm, "UnitIn")
UnitPatch = schema_for(keeping.UnitForm, "UnitPatch", partial=True)
PersonIn = schema_for(keeping.PersonForm, "PersonIn")
PersonPatch = schema_for(keeping.PersonForm, "PersonPatch", person=User(), partial=True)
UnitId = Path(..., ge=1, le=bounds.MAX_ID)


class UnitKeptOut(UnitOut):
    parent_id: int | None
    is_active: bool


class PersonOut(Schema):
    id: int
    username: str
    name: str
    role: str
    unit_id: int | None
    job_title: str
    phone: str
    email: str
    is_active: bool


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


@router.post("/units", response={201: UnitKeptOut, **ERRORS})
def create_unit(request, payload: UnitIn):  # type: ignore[valid-type]
    """Add a unit (the secretariat)."""
    limit_writes(request)
    form = run_form(keeping.UnitForm, payload_dict(payload))
    return HttpStatus(201, keeping.save_unit(None, actor=request.user, values=form.cleaned_data))


@router.patch("/units/{unit_id}", response={200: UnitKeptOut, **ERRORS})
def update_unit(request, payload: UnitPatch, unit_id: int = UnitId):  # type: ignore[valid-type]
    """Change a unit's name, kind, parent or whether it is active (only the fields sent)."""
    limit_writes(request)
    keeping.require_keeper(request.user)
    unit = _unit(unit_id)
    current = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "is_active": unit.is_active,
    }
    form = run_form(keeping.UnitForm, current | payload_dict(payload))
    return keeping.save_unit(unit, actor=request.user, values=form.cleaned_data)


@router.post("/units/{unit_id}/people", response={201: PersonOut, **ERRORS})
def create_person(request, payload: PersonIn, unit_id: int = UnitId):  # type: ignore[valid-type]
    """Add a person to a unit; they set their password from the reset link."""
    limit_writes(request)
    keeping.require_keeper(request.user)
    form = run_form(keeping.PersonForm, payload_dict(payload))
    person = keeping.save_person(
        None, actor=request.user, unit=_unit(unit_id), values=form.cleaned_data
    )
    return HttpStatus(201, person)


@router.patch("/people/{person_id}", response={200: PersonOut, **ERRORS})
def update_person(request, payload: PersonPatch, person_id: int = UnitId):  # type: ignore[valid-type]
    """Change a unit person's name, role, contact details or whether they may sign in."""
    limit_writes(request)
    keeping.require_keeper(request.user)
    person = User.objects.filter(pk=person_id, role__in=keeping.UNIT_PEOPLE_ROLES).first()
    if person is None:
        raise Http404
    names = ("name", "role", "job_title", "phone", "email", "is_active")
    current = {name: getattr(person, name) for name in names}
    form = run_form(keeping.PersonForm, current | payload_dict(payload), person=person)
    return keeping.save_person(
        person, actor=request.user, unit=person.unit, values=form.cleaned_data
    )
