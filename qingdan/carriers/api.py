"""Factories and land through the API (mounted at /api/v1/ by ``qingdan/api/v1.py``): the
ledger for the staff, an enterprise's own leases and space requests, the matches, the figures,
and the public vacancy list (no login, no tenants) — the same forms and actions as the pages."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.carriers import actions, figures, importing, indicators, parkmap, public
from qingdan.carriers.access import (
    access_building,
    access_lease,
    access_parcel,
    access_request,
    is_staff,
    may_search,
    visible_buildings,
    visible_leases,
    visible_parcels,
    visible_requests,
)
from qingdan.carriers.forms import (
    BuildingForm,
    EndLeaseForm,
    LeaseForm,
    NeedForm,
    ParcelForm,
    RequestForm,
    StepDoneForm,
    StepForm,
)
from qingdan.carriers.matching import Need, match
from qingdan.carriers.models import CleanupStep
from qingdan.core.apitools import ERRORS, FormInvalid, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import bounds, clock
from qingdan.lib.errors import NotAllowed

router = Router(tags=["factories and land"])
Code = Path(..., max_length=32)
Id = Path(..., ge=1, le=bounds.MAX_ID)


def _s(value) -> str | None:
    return None if value is None else str(value)


class BuildingOut(Schema):
    code: str
    park_area: str
    name: str
    floors: int
    floor_area_m2: str
    total_area_m2: str
    floor_load_kn_m2: str
    clear_height_m: str
    crane_t: str
    power_kva: int
    water_t_day: str
    rent_yuan_m2_month: str
    state: str
    construction_start: date | None
    planned_completion: date | None
    completed_on: date | None
    revitalised_on: date | None
    shape: list


def _building(b) -> dict:
    return {
        "code": b.code,
        "park_area": b.park_area,
        "name": b.name,
        "floors": b.floors,
        "floor_area_m2": str(b.floor_area_m2),
        "total_area_m2": str(b.total_area_m2),
        "floor_load_kn_m2": str(b.floor_load_kn_m2),
        "clear_height_m": str(b.clear_height_m),
        "crane_t": str(b.crane_t),
        "power_kva": b.power_kva,
        "water_t_day": str(b.water_t_day),
        "rent_yuan_m2_month": str(b.rent_yuan_m2_month),
        "state": b.state,
        "construction_start": b.construction_start,
        "planned_completion": b.planned_completion,
        "completed_on": b.completed_on,
        "revitalised_on": b.revitalised_on,
        "shape": b.shape,
    }


BuildingIn = schema_for(BuildingForm, "BuildingIn")
BuildingPatch = schema_for(BuildingForm, "BuildingPatch", partial=True)


@router.get("/carriers/buildings", response={200: list[BuildingOut], **ERRORS})
def buildings(request):
    """The standard factory buildings (staff)."""
    return [_building(b) for b in visible_buildings(request.user)[:2000]]


@router.get("/carriers/buildings/{code}", response={200: BuildingOut, **ERRORS})
def get_building(request, code: str = Code):
    return _building(access_building(request.user, code))


@router.post("/carriers/buildings", response={201: BuildingOut, **ERRORS})
def create_building(request, payload: BuildingIn):  # type: ignore[valid-type]
    """Add a building (the secretariat)."""
    limit_writes(request)
    form = run_form(BuildingForm, payload_dict(payload))
    return HttpStatus(
        201, _building(actions.save_building(None, actor=request.user, values=form.values()))
    )


@router.patch("/carriers/buildings/{code}", response={200: BuildingOut, **ERRORS})
def update_building(request, payload: BuildingPatch, code: str = Code):  # type: ignore[valid-type]
    """Change a building's facts, state, dates or shape on the map (only the fields sent)."""
    limit_writes(request)
    building = access_building(request.user, code)
    form = run_form(BuildingForm, payload_dict(payload), partial=True)
    return _building(actions.save_building(building, actor=request.user, values=form.values()))


class StepOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None


class ParcelOut(Schema):
    code: str
    park_area: str
    name: str
    area_mu: str
    planned_use: str
    state: str
    supply_mode: str
    term_years: int | None
    cleanup_deadline: date | None
    cleared_on: date | None
    shape: list
    steps: list[StepOut]


def _parcel(p) -> dict:
    return {
        "code": p.code,
        "park_area": p.park_area,
        "name": p.name,
        "area_mu": str(p.area_mu),
        "planned_use": p.planned_use,
        "state": p.state,
        "supply_mode": p.supply_mode,
        "term_years": p.term_years,
        "cleanup_deadline": p.cleanup_deadline,
        "cleared_on": p.cleared_on,
        "shape": p.shape,
        "steps": [
            {"id": s.pk, "title": s.title, "due_on": s.due_on, "done_on": s.done_on}
            for s in p.steps.all()
        ],
    }


ParcelIn = schema_for(ParcelForm, "ParcelIn")
ParcelPatch = schema_for(ParcelForm, "ParcelPatch", partial=True)


@router.get("/carriers/parcels", response={200: list[ParcelOut], **ERRORS})
def parcels(request):
    """The land parcels with their clean-up cases (staff)."""
    return [_parcel(p) for p in visible_parcels(request.user).prefetch_related("steps")[:2000]]


@router.get("/carriers/parcels/{code}", response={200: ParcelOut, **ERRORS})
def get_parcel(request, code: str = Code):
    return _parcel(access_parcel(request.user, code))


@router.post("/carriers/parcels", response={201: ParcelOut, **ERRORS})
def create_parcel(request, payload: ParcelIn):  # type: ignore[valid-type]
    limit_writes(request)
    form = run_form(ParcelForm, payload_dict(payload))
    return HttpStatus(
        201, _parcel(actions.save_parcel(None, actor=request.user, values=form.values()))
    )


@router.patch("/carriers/parcels/{code}", response={200: ParcelOut, **ERRORS})
def update_parcel(request, payload: ParcelPatch, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    parcel = access_parcel(request.user, code)
    form = run_form(ParcelForm, payload_dict(payload), partial=True)
    return _parcel(actions.save_parcel(parcel, actor=request.user, values=form.values()))


StepIn = schema_for(StepForm, "StepIn")
StepDoneIn = schema_for(StepDoneForm, "StepDoneIn")


@router.post("/carriers/parcels/{code}/steps", response={201: ParcelOut, **ERRORS})
def add_cleanup_step(request, payload: StepIn, code: str = Code):  # type: ignore[valid-type]
    """A step of the parcel's clean-up case, with its date."""
    limit_writes(request)
    parcel = access_parcel(request.user, code)
    data = run_form(StepForm, payload_dict(payload)).cleaned_data
    actions.add_cleanup_step(parcel, actor=request.user, **data)
    return HttpStatus(201, _parcel(parcel))


@router.post("/carriers/parcels/{code}/steps/{step_id}/done", response={200: ParcelOut, **ERRORS})
def finish_cleanup_step(request, payload: StepDoneIn, code: str = Code, step_id: int = Id):  # type: ignore[valid-type]
    limit_writes(request)
    parcel = access_parcel(request.user, code)
    step = CleanupStep.objects.filter(parcel=parcel, pk=step_id).first()
    if step is None:
        from django.http import Http404

        raise Http404
    data = run_form(StepDoneForm, payload_dict(payload)).cleaned_data
    actions.finish_cleanup_step(step, actor=request.user, **data)
    return _parcel(parcel)


class LeaseOut(Schema):
    id: int
    building: str
    park_area: str
    floor: int | None
    area_m2: str
    enterprise: str | None
    project: int | None
    project_name: str | None
    starts_on: date
    ends_on: date | None


def _lease(lease) -> dict:
    return {
        "id": lease.pk,
        "building": lease.building.code,
        "park_area": lease.building.park_area,
        "floor": lease.floor,
        "area_m2": str(lease.area_m2),
        "enterprise": lease.enterprise.name if lease.enterprise else None,
        "project": lease.project_id,
        "project_name": lease.project.name if lease.project else None,
        "starts_on": lease.starts_on,
        "ends_on": lease.ends_on,
    }


LeaseIn = schema_for(LeaseForm, "LeaseIn")
EndLeaseIn = schema_for(EndLeaseForm, "EndLeaseIn")


@router.get("/carriers/leases", response={200: list[LeaseOut], **ERRORS})
def leases(request):
    """Leases: staff all; an enterprise its own and its projects'."""
    return [_lease(lease) for lease in visible_leases(request.user)[:2000]]


@router.post("/carriers/buildings/{code}/leases", response={201: LeaseOut, **ERRORS})
def create_lease(request, payload: LeaseIn, code: str = Code):  # type: ignore[valid-type]
    """Let the building, or part of one floor, to an enterprise and/or a project (the
    secretariat); ``space_request``: the request it meets."""
    limit_writes(request)
    building = access_building(request.user, code)
    data = dict(run_form(LeaseForm, payload_dict(payload)).cleaned_data)
    request_id = data.pop("space_request", None)
    space_request = access_request(request.user, request_id) if request_id else None
    lease = actions.create_lease(building, actor=request.user, space_request=space_request, **data)
    return HttpStatus(201, _lease(lease))


@router.post("/carriers/leases/{lease_id}/end", response={200: LeaseOut, **ERRORS})
def end_lease(request, payload: EndLeaseIn, lease_id: int = Id):  # type: ignore[valid-type]
    limit_writes(request)
    lease = access_lease(request.user, lease_id)
    data = run_form(EndLeaseForm, payload_dict(payload)).cleaned_data
    return _lease(actions.end_lease(lease, actor=request.user, **data))


class CheckOut(Schema):
    dimension: str
    ok: bool
    reason: str


class MatchOut(Schema):
    building: str
    name: str
    park_area: str
    state: str
    fits: bool
    fits_now: bool
    available_from: date | None
    free_now_m2: str
    free_by_date_m2: str
    rent_yuan_m2_month: str
    checks: list[CheckOut]


class RequestOut(Schema):
    id: int
    enterprise: str | None
    project: int | None
    area_m2: str
    floor_load_kn_m2: str | None
    clear_height_m: str | None
    crane_t: str | None
    power_kva: int | None
    needed_by: date
    note: str
    lease: int | None
    matches: list[MatchOut]


def _request(r, user) -> dict:
    found = match(Need.of(r), today=clock.today())
    if not is_staff(user):
        found = [m for m in found if m.fits]
    return {
        "id": r.pk,
        "enterprise": r.enterprise.name if r.enterprise else None,
        "project": r.project_id,
        "area_m2": str(r.area_m2),
        "floor_load_kn_m2": _s(r.floor_load_kn_m2),
        "clear_height_m": _s(r.clear_height_m),
        "crane_t": _s(r.crane_t),
        "power_kva": r.power_kva,
        "needed_by": r.needed_by,
        "note": r.note,
        "lease": r.lease_id,
        "matches": [m.as_dict() for m in found],
    }


RequestIn = schema_for(RequestForm, "SpaceRequestIn")
NeedIn = schema_for(NeedForm, "NeedIn")


@router.get("/carriers/space-requests", response={200: list[RequestOut], **ERRORS})
def space_requests(request):
    return [_request(r, request.user) for r in visible_requests(request.user)[:100]]


@router.get("/carriers/space-requests/{request_id}", response={200: RequestOut, **ERRORS})
def get_space_request(request, request_id: int = Id):
    """A space request with the buildings that fit, ranked, each dimension's reason."""
    return _request(access_request(request.user, request_id), request.user)


@router.post("/carriers/space-requests", response={201: RequestOut, **ERRORS})
def create_space_request(request, payload: RequestIn):  # type: ignore[valid-type]
    """Ask for space (the secretariat for anyone; an enterprise for itself or its projects)."""
    limit_writes(request)
    form = run_form(RequestForm, payload_dict(payload))
    created = actions.create_request(actor=request.user, values=form.values())
    return HttpStatus(201, _request(created, request.user))


@router.post("/carriers/match", response={200: list[MatchOut], **ERRORS})
def match_space(request, payload: NeedIn):  # type: ignore[valid-type]
    """The same search without saving a request (staff and units)."""
    if not may_search(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    data = run_form(NeedForm, payload_dict(payload)).cleaned_data
    return [m.as_dict() for m in match(Need(**data), today=clock.today())]


class FiguresOut(Schema):
    under_construction_m2: str
    due_this_year_m2: str
    completed_m2: str
    completed_this_year_m2: str
    leased_m2: str
    own_use_m2: str
    vacant_m2: str
    revitalised_this_year_m2: str
    utilisation_pct: str | None
    idle_land_mu: str
    cleared_this_year_mu: str
    clearing_cases: int


@router.get("/carriers/figures", response={200: FiguresOut, **ERRORS})
def carrier_figures(request):
    """Computed from the rows today (staff)."""
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    f = figures.figures(clock.today())
    return {
        key: (value if isinstance(value, int) else _s(value))
        for key, value in f.items()
        if key in FiguresOut.model_fields
    }


class ReportRow(Schema):
    project: int
    project_name: str
    building: str
    signed_on: date | None
    moved_in: date
    producing_on: date | None
    days_sign_to_production: int | None
    ready_at_signing: bool
    same_month: bool


@router.get("/carriers/report", response={200: list[ReportRow], **ERRORS})
def carrier_report(request):
    """Days from signing to production of the projects that moved into a carrier, and whether
    the building was ready when they signed (staff)."""
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    return [
        {
            "project": r["project"].pk,
            "project_name": r["project"].name,
            "building": r["building"].code,
            "signed_on": r["signed_on"],
            "moved_in": r["moved_in"],
            "producing_on": r["producing_on"],
            "days_sign_to_production": r["days"],
            "ready_at_signing": r["ready_at_signing"],
            "same_month": r["same_month"],
        }
        for r in figures.signing_to_production()
    ]


class RecordedOut(Schema):
    recorded: int


@router.post("/carriers/indicators", response={200: RecordedOut, **ERRORS})
def record_carrier_indicators(request):
    """Record this month's figures as monthly indicators (the secretariat)."""
    limit_writes(request)
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    return {"recorded": len(indicators.record_month(actor=request.user, day=clock.today()))}


class ImportOut(Schema):
    imported: int


@router.post("/carriers/import/{kind}", response={200: ImportOut, **ERRORS})
def import_carriers(
    request, file: File[UploadedFile], kind: str = Path(..., pattern="^(buildings|parcels)$")
):
    """The buildings' or the parcels' Excel sheet (the export's columns): every row, or none
    with each bad cell named (`fields`: `rows.<row>.<column>`)."""
    limit_writes(request)
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    imported, errors = importing.import_xlsx(kind, file.read(), actor=request.user)
    if errors:
        fields: dict[str, list[str]] = {}
        for item in errors:
            fields.setdefault(f"rows.{item.row}.{item.column}", []).append(str(item.message))
        raise FormInvalid(fields)
    return {"imported": imported}


class SitePlanOut(Schema):
    width: int
    height: int


@router.post("/carriers/site-plan", response={201: SitePlanOut, **ERRORS})
def upload_site_plan(request, file: File[UploadedFile]):
    """The park's site plan image (JPEG, PNG or WebP; checked by its content)."""
    limit_writes(request)
    plan = actions.upload_site_plan(actor=request.user, upload=file)
    return HttpStatus(201, {"width": plan.width, "height": plan.height})


@router.get("/carriers/map", response={200: dict, **ERRORS})
def park_map_geojson(request):
    """The buildings' and parcels' shapes as a GeoJSON FeatureCollection (coordinates are
    fractions of the site plan image, y downwards; staff)."""
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    return parkmap.geojson(request.user)


class ShapesIn(Schema):
    type: str = Field(..., max_length=40)
    features: list[dict] = Field(..., max_length=2000)


@router.post("/carriers/map", response={200: ImportOut, **ERRORS})
def import_map_geojson(request, payload: ShapesIn):
    """Place buildings and parcels on the plan from GeoJSON Polygons (``properties.kind``:
    building or parcel, ``properties.code``); all or none."""
    limit_writes(request)
    if not is_staff(request.user):
        raise NotAllowed(_("You are not allowed to do this."))
    return {"imported": parkmap.import_geojson(actor=request.user, data=payload.model_dump())}


class VacancyOut(Schema):
    code: str
    park_area: str
    name: str
    state: str
    free_m2: str
    available_from: date
    floors: int
    floor_area_m2: str
    floor_load_kn_m2: str
    clear_height_m: str
    crane_t: str
    power_kva: int
    rent_yuan_m2_month: str


@router.get("/public/vacancies", response={200: list[VacancyOut], **ERRORS}, auth=None)
def public_vacancies(request, limit: int = Query(500, ge=1, le=2000)):
    """Factory space to rent now or soon (no login; no tenants' names; rate-limited)."""
    public.limit_reads(request)
    return [
        {
            k: (str(v) if hasattr(v, "quantize") else v)
            for k, v in row.items()
            if k in VacancyOut.model_fields
        }
        for row in public.vacancies(clock.today())[:limit]
    ]
