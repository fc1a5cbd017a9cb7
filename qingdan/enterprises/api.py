"""一企一档 through the API: the same forms, actions and visibility as the pages (an enterprise
reads only its own record; any other is 404; the secretariat keeps records)."""

from datetime import date

from django.http import Http404
from ninja import File, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.core.apitools import ERRORS, FormInvalid, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.enterprises import actions, importing
from qingdan.enterprises import forms as f
from qingdan.enterprises.access import access_enterprise, visible_enterprises
from qingdan.enterprises.models import VisitItem
from qingdan.lib import bounds

router = Router(tags=["enterprises"])
Code = Path(..., max_length=bounds.CODE, description="The enterprise's unified social credit code")
MAX_PAGE = 500


class EnterpriseContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    email: str
    is_primary: bool


class EnterpriseFiguresOut(Schema):
    year: int
    output_wan_yuan: str | None
    tax_wan_yuan: str | None
    rd_wan_yuan: str | None
    employees: int | None
    land_mu: str | None
    tax_per_mu: str | None
    output_per_mu: str | None
    rd_share_percent: str | None


class EnterpriseVisitItemOut(Schema):
    id: int
    text: str
    problem: str | None


class EnterpriseVisitOut(Schema):
    id: int
    day: date
    visitor: str
    notes: str
    items: list[EnterpriseVisitItemOut]


class EnterpriseRecordOut(Schema):
    credit_code: str
    name: str
    industry: str
    industry_code: str
    size_class: str
    registered_capital_wan_yuan: str | None
    address: str
    zone: str
    phone: str
    tags: list[str]
    grade: str
    commissioner: str | None
    contacts: list[EnterpriseContactOut]
    figures: list[EnterpriseFiguresOut]
    visits: list[EnterpriseVisitOut]


def _s(value) -> str | None:
    return None if value is None else str(value)


def enterprise_out(enterprise, user) -> dict:
    profile = actions.profile_of(enterprise)
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "industry": enterprise.industry,
        "industry_code": profile.industry_code,
        "size_class": profile.size_class,
        "registered_capital_wan_yuan": _s(profile.registered_capital_wan_yuan),
        "address": enterprise.address,
        "zone": enterprise.zone,
        "phone": enterprise.phone,
        "tags": profile.all_tags(),
        "grade": profile.grade,
        "commissioner": str(profile.commissioner) if profile.commissioner else None,
        "contacts": [
            {
                "id": c.pk,
                "name": c.name,
                "position": c.position,
                "phone": c.phone,
                "email": c.email,
                "is_primary": c.is_primary,
            }
            for c in enterprise.record_contacts.all()
        ],
        "figures": [
            {
                "year": y.year,
                "output_wan_yuan": _s(y.output_wan_yuan),
                "tax_wan_yuan": _s(y.tax_wan_yuan),
                "rd_wan_yuan": _s(y.rd_wan_yuan),
                "employees": y.employees,
                "land_mu": _s(y.land_mu),
                "tax_per_mu": _s(y.tax_per_mu),
                "output_per_mu": _s(y.output_per_mu),
                "rd_share_percent": _s(y.rd_share_percent),
            }
            for y in enterprise.yearly_figures.all()
        ],
        "visits": [
            {
                "id": v.pk,
                "day": v.day,
                "visitor": str(v.visitor),
                "notes": v.notes,
                "items": [
                    {
                        "id": i.pk,
                        "text": i.text,
                        "problem": i.problem.number if i.problem_id else None,
                    }
                    for i in v.items.all()
                ],
            }
            for v in enterprise.visits.all()
        ],
    }


@router.get("/enterprise-records", response={200: list[EnterpriseRecordOut], **ERRORS})
def list_enterprises(request):
    """Staff see every record; an enterprise contact sees only their own."""
    return [enterprise_out(e, request.user) for e in visible_enterprises(request.user)[:MAX_PAGE]]


@router.get("/enterprise-records/{code}", response={200: EnterpriseRecordOut, **ERRORS})
def get_enterprise(request, code: str = Code):
    return enterprise_out(access_enterprise(request.user, code), request.user)


NewIn = schema_for(f.NewEnterpriseForm, "EnterpriseNewIn")
RecordIn = schema_for(f.RecordForm, "EnterpriseRecordIn")
ContactIn = schema_for(f.ContactForm, "EnterpriseContactIn")
FiguresIn = schema_for(f.FiguresForm, "EnterpriseFiguresIn")
VisitIn = schema_for(f.VisitForm, "EnterpriseVisitIn")
RaiseIn = schema_for(f.RaiseFromVisitForm, "EnterpriseRaiseFromVisitIn")


@router.post("/enterprise-records", response={201: EnterpriseRecordOut, **ERRORS})
def create_enterprise(request, payload: NewIn):  # type: ignore[valid-type]
    limit_writes(request)
    data = run_form(f.NewEnterpriseForm, payload_dict(payload)).cleaned_data
    enterprise = actions.create_enterprise(actor=request.user, values=data)
    return HttpStatus(201, enterprise_out(enterprise, request.user))


@router.put("/enterprise-records/{code}", response={200: EnterpriseRecordOut, **ERRORS})
def update_enterprise(request, payload: RecordIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    data = run_form(f.RecordForm, payload_dict(payload)).cleaned_data
    actions.save_record(enterprise, actor=request.user, values=data)
    return enterprise_out(access_enterprise(request.user, code), request.user)


@router.post("/enterprise-records/{code}/contacts", response={200: EnterpriseRecordOut, **ERRORS})
def add_contact(request, payload: ContactIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    data = run_form(f.ContactForm, payload_dict(payload)).cleaned_data
    actions.save_contact(enterprise, actor=request.user, values=data)
    return enterprise_out(enterprise, request.user)


@router.delete(
    "/enterprise-records/{code}/contacts/{pk}", response={200: EnterpriseRecordOut, **ERRORS}
)
def delete_contact(request, pk: int, code: str = Code):
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    contact = enterprise.record_contacts.filter(pk=bounds.row_id(pk)).first()
    if contact is None:
        raise Http404
    actions.delete_contact(contact, actor=request.user)
    return enterprise_out(enterprise, request.user)


@router.post("/enterprise-records/{code}/figures", response={200: EnterpriseRecordOut, **ERRORS})
def save_figures(request, payload: FiguresIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    data = dict(run_form(f.FiguresForm, payload_dict(payload)).cleaned_data)
    year = data.pop("year")
    actions.save_figures(enterprise, actor=request.user, year=year, values=data)
    return enterprise_out(enterprise, request.user)


@router.post("/enterprise-records/{code}/visits", response={200: EnterpriseRecordOut, **ERRORS})
def record_visit(request, payload: VisitIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    data = run_form(f.VisitForm, payload_dict(payload)).cleaned_data
    actions.record_visit(enterprise, actor=request.user, **data)
    return enterprise_out(enterprise, request.user)


class EnterpriseRaisedOut(Schema):
    problem: str


@router.post(
    "/enterprise-records/{code}/visit-items/{pk}/raise",
    response={201: EnterpriseRaisedOut, **ERRORS},
)
def raise_from_visit(request, payload: RaiseIn, pk: int, code: str = Code):  # type: ignore[valid-type]
    """The item raised at a visit becomes a problem of the enterprise, in one step."""
    limit_writes(request)
    enterprise = access_enterprise(request.user, code)
    item = VisitItem.objects.filter(visit__enterprise=enterprise, pk=bounds.row_id(pk)).first()
    if item is None:
        raise Http404
    data = run_form(f.RaiseFromVisitForm, payload_dict(payload)).cleaned_data
    problem = actions.raise_from_visit(item, actor=request.user, **data)
    return HttpStatus(201, {"problem": problem.number})


class EnterpriseImportOut(Schema):
    imported: int


@router.post("/enterprise-record-imports", response={200: EnterpriseImportOut, **ERRORS})
def import_enterprises(request, file: File[UploadedFile]):
    """The export's columns: every row, or none with each bad cell named
    (`fields`: `rows.<row>.<column>`)."""
    limit_writes(request)
    imported, errors = importing.import_xlsx(file.read(), actor=request.user)
    if errors:
        fields: dict[str, list[str]] = {}
        for item in errors:
            fields.setdefault(f"rows.{item.row}.{item.column}", []).append(str(item.message))
        raise FormInvalid(fields)
    return {"imported": imported}
