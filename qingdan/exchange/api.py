"""Exchange days through the API: record a day, raise its problems in a batch, import a list
(mounted at /api/v1/ by ``qingdan/api/v1.py``). Same forms and actions as the pages."""

from datetime import date

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Role
from qingdan.core.apitools import ERRORS, FormInvalid, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.exchange import actions
from qingdan.exchange.forms import ExchangeDayForm
from qingdan.exchange.importing import COLUMNS
from qingdan.exchange.models import ExchangeDay, ImportJob
from qingdan.lib import bounds
from qingdan.lib.errors import NotAllowed

router = Router(tags=["exchange days"])
MAX_PAGE = 200
READERS = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER)
Day = Path(..., ge=bounds.FIRST_DATE, le=bounds.LAST_DATE, description="The day, e.g. 2026-11-23")


def _readers_only(request) -> None:
    if request.user.role not in READERS:
        raise NotAllowed(_("You are not allowed to do this."))


class ExchangeDayOut(Schema):
    date: date
    chair: str
    leaders: str
    date_reason: str
    problems: int


class ExchangeDayDetailOut(ExchangeDayOut):
    minutes: str
    problem_numbers: list[str]


def _out(day: ExchangeDay, count: int) -> dict:
    return {
        "date": day.date,
        "chair": day.chair,
        "leaders": day.leaders,
        "date_reason": day.date_reason,
        "problems": count,
    }


@router.get("/exchange-days", response={200: list[ExchangeDayOut], **ERRORS})
def exchange_days(request):
    """Exchange days, newest first (the secretariat and leaders)."""
    _readers_only(request)
    days = ExchangeDay.objects.annotate(n=Count("problems")).order_by("-date")[:MAX_PAGE]
    return [_out(day, day.n) for day in days]


@router.get("/exchange-days/{day}", response={200: ExchangeDayDetailOut, **ERRORS})
def exchange_day(request, day: date = Day):
    _readers_only(request)
    found = get_object_or_404(ExchangeDay, date=day)
    numbers = list(found.problems.order_by("id").values_list("number", flat=True))
    return _out(found, len(numbers)) | {"minutes": found.minutes, "problem_numbers": numbers}


ExchangeDayIn = schema_for(ExchangeDayForm, "ExchangeDayIn")


@router.post("/exchange-days", response={201: ExchangeDayDetailOut, **ERRORS})
def create_exchange_day(request, payload: ExchangeDayIn):  # type: ignore[valid-type]
    """Record an exchange day (the secretariat); a day other than Monday needs a reason."""
    limit_writes(request)
    form = run_form(ExchangeDayForm, payload_dict(payload))
    data = form.cleaned_data
    try:
        day = actions.record_exchange_day(
            actor=request.user,
            day=data["date"],
            chair=data["chair"],
            leaders=data["leaders"],
            minutes=data["minutes"],
            date_reason=data["date_reason"],
        )
    except actions.ExchangeError as refused:
        raise FormInvalid({"date": [str(m) for m in refused.errors]}) from None
    return HttpStatus(201, _out(day, 0) | {"minutes": day.minutes, "problem_numbers": []})


class BatchRow(Schema):
    enterprise: str = Field(..., max_length=bounds.NAME, description="Full name or credit code")
    title: str = Field(..., max_length=bounds.TITLE)
    description: str = Field(..., max_length=bounds.TEXT)
    category: str = Field(..., max_length=bounds.CODE * 2, description="Category name or code")
    lead_unit: str = Field("", max_length=bounds.NAME, description="Proposed lead unit's name")
    urgency: str = Field("", max_length=4, description="一般 or 紧急 (empty: 一般)")
    public: str = Field("", max_length=1, description="是 or 否: may the enterprise be named")


class BatchIn(Schema):
    rows: list[BatchRow] = Field(..., min_length=1, max_length=500)


class BatchOut(Schema):
    numbers: list[str]


@router.post("/exchange-days/{day}/problems", response={201: BatchOut, **ERRORS})
def raise_batch(request, payload: BatchIn, day: date = Day):
    """Raise the day's problems together — all of them, or none with every bad row and column
    named (`fields`: `rows.<row>.<column>`), exactly as the page's quick entry."""
    limit_writes(request)
    exchange_day = get_object_or_404(ExchangeDay, date=day)
    rows = [{key: getattr(row, key) for key, _heading in COLUMNS} for row in payload.rows]
    try:
        created = actions.raise_batch(exchange_day, actor=request.user, rows=rows)
    except actions.ExchangeError as refused:
        fields: dict[str, list[str]] = {}
        for item in refused.errors:
            fields.setdefault(f"rows.{item.row}.{item.column}", []).append(item.message)
        raise FormInvalid(fields) from None
    return HttpStatus(201, {"numbers": [problem.number for problem in created]})


class ImportJobOut(Schema):
    id: int
    name: str
    state: str
    state_label: str
    rows: int
    imported: int
    errors: list[dict]


def _job_out(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "name": job.name,
        "state": job.state,
        "state_label": job.get_state_display(),
        "rows": job.rows,
        "imported": job.imported,
        "errors": job.errors,
    }


@router.post("/exchange-days/{day}/imports", response={202: ImportJobOut, **ERRORS})
def start_import(request, file: File[UploadedFile], day: date = Day):
    """Import an Excel problem list (the template's columns) in the background: all rows or
    none. Follow it with `GET …/imports/{id}`."""
    limit_writes(request)
    exchange_day = get_object_or_404(ExchangeDay, date=day)
    job = actions.start_import(exchange_day, actor=request.user, upload=file)
    return HttpStatus(202, _job_out(job))


@router.get("/exchange-days/{day}/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
def import_job(request, job_id: int = Path(..., ge=1, le=bounds.MAX_ID), day: date = Day):
    _readers_only(request)
    return _job_out(get_object_or_404(ImportJob, pk=job_id, exchange_day__date=day))
