"""The project ledger and the indicators through the API (mounted at /api/v1/ by
``qingdan/api/v1.py``): reads for whoever may see them, writes for the secretariat through the
same forms and actions as its pages and the Excel imports."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.core.apitools import ERRORS, FormInvalid, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import bounds, clock
from qingdan.lib.errors import NotAllowed
from qingdan.projects import actions, importing
from qingdan.projects.access import access_project, sees_indicators, visible_projects
from qingdan.projects.forms import IndicatorValueForm, InvestmentForm, PlanForm, ProjectForm
from qingdan.projects.models import IndicatorValue
from qingdan.projects.progress import progress, with_year_figures

router = Router(tags=["projects and indicators"])
MAX_PAGE = 200
ProjectId = Path(..., ge=1, le=bounds.MAX_ID)


class ProjectOut(Schema):
    id: int
    name: str
    investor: str
    industry: str
    amount_wan_yuan: str
    is_key: bool
    stage: str
    stage_label: str
    signed_on: date | None
    producing_on: date | None
    days_sign_to_production: int | None
    planned_this_year_wan_yuan: str
    completed_this_year_wan_yuan: str
    plan_completion_pct: str | None
    colour: str


def _project_rows(projects) -> list[dict]:
    today = clock.today()
    result = []
    for p in with_year_figures(projects, today.year, today.month):
        state = progress(p, today)
        result.append(
            {
                "id": p.pk,
                "name": p.name,
                "investor": p.investor.name,
                "industry": p.industry,
                "amount_wan_yuan": str(p.amount_wan_yuan),
                "is_key": p.is_key,
                "stage": p.stage,
                "stage_label": p.stage_label,
                "signed_on": p.signed_on,
                "producing_on": p.producing_on,
                "days_sign_to_production": p.days_sign_to_production,
                "planned_this_year_wan_yuan": str(state.planned),
                "completed_this_year_wan_yuan": str(state.completed),
                "plan_completion_pct": None
                if state.completion_pct is None
                else str(state.completion_pct),
                "colour": state.colour,
            }
        )
    return result


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
def projects(request, limit: int = Query(100, ge=1, le=MAX_PAGE)):
    """Projects the caller may see (leaders and the secretariat all; a unit its own; an
    enterprise those it invests in), with this year's plan completion."""
    return _project_rows(visible_projects(request.user)[:limit])


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def get_project(request, project_id: int = ProjectId):
    project = access_project(request.user, project_id)
    return _project_rows(type(project).objects.filter(pk=project.pk))[0]


ProjectIn = schema_for(ProjectForm, "ProjectIn")
ProjectPatch = schema_for(ProjectForm, "ProjectPatch", partial=True)


@router.post("/projects", response={201: ProjectOut, **ERRORS})
def create_project(request, payload: ProjectIn):  # type: ignore[valid-type]
    """Add a project to the ledger (the secretariat). Stage dates are reached in order."""
    limit_writes(request)
    form = run_form(ProjectForm, payload_dict(payload))
    project = actions.save_project(None, actor=request.user, values=form.values())
    return HttpStatus(201, _project_rows(type(project).objects.filter(pk=project.pk))[0])


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def update_project(request, payload: ProjectPatch, project_id: int = ProjectId):  # type: ignore[valid-type]
    """Change a project's facts or stage dates (only the fields sent)."""
    limit_writes(request)
    project = access_project(request.user, project_id)
    form = run_form(ProjectForm, payload_dict(payload), partial=True)
    actions.save_project(project, actor=request.user, values=form.values())
    return _project_rows(type(project).objects.filter(pk=project.pk))[0]


class AmountOut(Schema):
    project: int
    year: int
    month: int | None = None
    amount_wan_yuan: str


PlanIn = schema_for(PlanForm, "PlanIn")
InvestmentIn = schema_for(InvestmentForm, "InvestmentIn")


@router.post("/projects/{project_id}/plans", response={200: AmountOut, **ERRORS})
def set_plan(request, payload: PlanIn, project_id: int = ProjectId):  # type: ignore[valid-type]
    """The project's planned investment for a year."""
    limit_writes(request)
    project = access_project(request.user, project_id)
    data = run_form(PlanForm, payload_dict(payload)).cleaned_data
    plan = actions.set_plan(project, actor=request.user, **data)
    return {"project": project.pk, "year": plan.year, "amount_wan_yuan": str(plan.planned_wan_yuan)}


@router.post("/projects/{project_id}/investments", response={200: AmountOut, **ERRORS})
def record_investment(request, payload: InvestmentIn, project_id: int = ProjectId):  # type: ignore[valid-type]
    """The investment completed in one month (that month's own amount)."""
    limit_writes(request)
    project = access_project(request.user, project_id)
    data = run_form(InvestmentForm, payload_dict(payload)).cleaned_data
    row = actions.record_investment(project, actor=request.user, **data)
    return {
        "project": project.pk,
        "year": row.year,
        "month": row.month,
        "amount_wan_yuan": str(row.completed_wan_yuan),
    }


class IndicatorValueOut(Schema):
    indicator: str
    name: str
    unit: str
    year: int
    month: int
    value: str
    prior_year_value: str | None
    yoy_growth_pct: str | None


def _value_out(v: IndicatorValue) -> dict:
    return {
        "indicator": v.indicator.code,
        "name": v.indicator.name,
        "unit": v.indicator.unit,
        "year": v.year,
        "month": v.month,
        "value": f"{v.value.normalize():f}",
        "prior_year_value": None
        if v.prior_year_value is None
        else f"{v.prior_year_value.normalize():f}",
        "yoy_growth_pct": None if v.growth is None else str(v.growth),
    }


def _indicator_readers(request) -> None:
    if not sees_indicators(request.user):
        raise NotAllowed(_("You are not allowed to do this."))


@router.get("/indicators", response={200: list[IndicatorValueOut], **ERRORS})
def indicator_values(
    request,
    year: int | None = Query(None, ge=2000, le=2099),
    indicator: str | None = Query(None, max_length=bounds.CODE),
):
    """Monthly cumulative values, each with its year-on-year growth (percent, 2 decimals;
    null when there is no prior value)."""
    _indicator_readers(request)
    values = IndicatorValue.objects.select_related("indicator").order_by(
        "indicator__position", "-year", "-month"
    )
    if year:
        values = values.filter(year=year)
    if indicator:
        values = values.filter(indicator__code=indicator)
    return [_value_out(v) for v in values[:2000]]


IndicatorValueIn = schema_for(IndicatorValueForm, "IndicatorValueIn")


@router.post("/indicators", response={200: IndicatorValueOut, **ERRORS})
def record_indicator(request, payload: IndicatorValueIn):  # type: ignore[valid-type]
    """One month's cumulative value of an indicator (the secretariat), as on the page."""
    limit_writes(request)
    data = run_form(IndicatorValueForm, payload_dict(payload)).cleaned_data
    row = actions.record_indicator(actor=request.user, **data)
    return _value_out(row)


class ImportOut(Schema):
    imported: int


@router.post("/indicators/import", response={200: ImportOut, **ERRORS})
def import_indicators(request, file: File[UploadedFile]):
    """The indicators' Excel sheet (the export's columns): every value, or none with each bad
    cell named (`fields`: `rows.<row>.<column>`)."""
    limit_writes(request)
    _indicator_readers(request)
    imported, errors = importing.import_xlsx(file.read(), actor=request.user)
    if errors:
        fields: dict[str, list[str]] = {}
        for item in errors:
            fields.setdefault(f"rows.{item.row}.{item.column}", []).append(str(item.message))
        raise FormInvalid(fields)
    return {"imported": imported}
