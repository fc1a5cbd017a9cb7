"""The problems' REST router (mounted at /api/v1/ by ``qingdan/api/v1.py``).

Reads go through ``access`` (404 for what the caller may not see), writes through the same
input definitions and actions as the web pages: raising through ``inputs.clean_raise``, every
workflow step through ``commands.ACTIONS`` — one operation per step, its body documented from the
step's form.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Role
from qingdan.core import hooks
from qingdan.core.apitools import (
    ERRORS,
    FormInvalid,
    decode_cursor,
    encode_cursor,
    payload_dict,
    run_form,
    schema_for,
)
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import bounds, clock
from qingdan.lib.creditcode import normalize
from qingdan.lib.errors import NotAllowed
from qingdan.problems import (
    actions,
    commands,
    documents,
    inputs,
    reference,
    supervision,
    workflow,
)
from qingdan.problems import batch as batch_work
from qingdan.problems import forms as f
from qingdan.problems.access import access_problem, visible_problems
from qingdan.problems.attachments import check_upload
from qingdan.problems.models import Category, Channel, IssuedDocument, Problem, Status, Urgency
from qingdan.problems.paging import keyset_page
from qingdan.problems.warnings import colour_of, colour_q, cutoffs

router = Router(tags=["problems"])
MAX_PAGE = 200
LIST_RELATED = ["enterprise", "category", "lead_unit", "responsible"]
Number = Path(..., max_length=bounds.CODE, description="The problem's number, e.g. QD-2026-000123")


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


class EventOut(Schema):
    action: str
    action_label: str
    time: datetime
    actor: str
    from_status: str
    to_status: str
    note: str
    payload: dict


class ProblemOut(Schema):
    number: str
    title: str
    description: str
    enterprise: EnterpriseOut
    category: str
    channel: str
    urgency: str
    status: str
    status_label: str
    colour: str
    lead_unit: UnitOut | None
    responsible: str
    sign_deadline: date | None
    deadline: date | None
    redo_count: int
    satisfaction: str
    raised_at: datetime
    version: int


class ProblemDetailOut(ProblemOut):
    timeline: list[EventOut]
    allowed_actions: list[str]


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


def problem_out(problem: Problem, cut) -> dict:
    return {
        "number": problem.number,
        "title": problem.title,
        "description": problem.description,
        "enterprise": problem.enterprise,
        "category": problem.category.code,
        "channel": problem.channel,
        "urgency": problem.urgency,
        "status": problem.status,
        "status_label": problem.get_status_display(),
        "colour": colour_of(problem, cut),
        "lead_unit": problem.lead_unit,
        "responsible": str(problem.responsible) if problem.responsible_id else "",
        "sign_deadline": problem.sign_deadline,
        "deadline": problem.deadline,
        "redo_count": problem.redo_count,
        "satisfaction": problem.satisfaction,
        "raised_at": problem.created,
        "version": problem.version,
    }


def problem_detail(problem: Problem, user, events=None) -> dict:
    if events is None:
        events = problem.events.select_related("actor")
    return problem_out(problem, cutoffs()) | {
        "timeline": [
            {
                "action": e.action,
                "action_label": e.action_label,
                "time": e.created,
                "actor": e.actor.get_full_name() if e.actor_id else "",
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "payload": e.payload,
            }
            for e in events
        ],
        # The steps of /actions/{step}; an interview and a document have their own operations.
        "allowed_actions": [
            name
            for name in workflow.allowed_actions(user, problem)
            if name not in commands.NOT_COMMANDS
        ],
    }


class ProblemFilters(Schema):
    status: Status | None = None
    unit: int | None = Field(None, ge=1, le=bounds.MAX_ID)
    colour: Literal["red", "yellow", "blue", "any"] | None = None
    category: str | None = Field(None, max_length=bounds.CODE)
    enterprise: str | None = Field(None, max_length=bounds.NAME)
    raised_after: date | None = Field(None, ge=bounds.FIRST_DATE, le=bounds.LAST_DATE)
    raised_before: date | None = Field(None, ge=bounds.FIRST_DATE, le=bounds.LAST_DATE)
    cursor: str | None = Field(None, max_length=bounds.CURSOR)
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    q: str | None = Field(None, max_length=bounds.MAX_SEARCH_CHARS)


@router.get("/problems", response={200: ProblemPage, **ERRORS})
def list_problems(request, filters: Query[ProblemFilters]):
    """Problems the caller may see, newest first. Page with `next_cursor` (stable under
    inserts); `limit` at most 200."""
    problems = visible_problems(request.user)
    cut = cutoffs()
    if filters.status:
        problems = problems.filter(status=filters.status)
    if filters.unit:
        problems = problems.filter(lead_unit_id=filters.unit)
    if filters.colour:
        problems = problems.filter(colour_q(filters.colour, cut))
    if filters.category:
        problems = problems.filter(category__code=filters.category)
    if filters.enterprise:
        text = filters.enterprise.strip()
        by_id = bounds.row_id(text) or 0
        problems = problems.filter(
            Q(enterprise__credit_code=normalize(text)) | Q(enterprise_id=by_id)
        )
    if filters.raised_after:
        problems = problems.filter(created__gte=_start_of(filters.raised_after))
    if filters.raised_before:
        problems = problems.filter(created__lt=_start_of(filters.raised_before))
    if filters.q and (search := hooks.get("problems.search")):
        problems = search(problems, filters.q, ranked=False)  # newest first: a stable cursor
    page = keyset_page(
        problems.select_related(*LIST_RELATED),
        "recent",
        decode_cursor(filters.cursor),
        size=filters.limit,
    )
    return {
        "items": [problem_out(p, cut) for p in page.items],
        "next_cursor": encode_cursor(page.next_cursor),
    }


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.BEIJING)


class ProblemIn(Schema):
    title: str = Field(..., max_length=bounds.TITLE)
    description: str = Field(..., max_length=bounds.TEXT)
    category: str = Field(..., max_length=bounds.CODE * 2, description="A category's code")
    enterprise: str | None = Field(
        None,
        max_length=bounds.NAME,
        description="Secretariat only: the enterprise's full name or credit code",
    )
    channel: Channel = Channel.ONLINE
    urgency: Urgency = Urgency.NORMAL
    may_name_publicly: bool = True


@router.post("/problems", response={201: ProblemDetailOut, **ERRORS})
def create_problem(request, payload: ProblemIn):
    """Raise a problem. Enterprise contacts raise for their own enterprise; the secretariat
    names the enterprise (as on the web form: full name, credit code, or a part of a name that
    only one enterprise has). The checks are the web form's, word for word."""
    limit_writes(request)
    clean, errors = inputs.clean_raise(payload.model_dump(), actor=request.user)
    if errors:
        raise FormInvalid({name: [message] for name, message in errors.items()})
    problem = actions.raise_problem(actor=request.user, **clean.as_kwargs())
    return HttpStatus(201, problem_detail(problem, request.user, events=[problem.raised_event]))


@router.get("/problems/{number}", response={200: ProblemDetailOut, **ERRORS})
def get_problem(request, number: str = Number):
    """A problem with its timeline and the actions the caller may take now."""
    return problem_detail(access_problem(request.user, number), request.user)


def _add_action_endpoint(name: str, form_class, function) -> None:
    body = schema_for(form_class, f"Problem_{name}_In")

    def endpoint(request, payload: body, number: str = Number):  # type: ignore[valid-type]
        limit_writes(request)
        problem = access_problem(request.user, number)
        form = run_form(form_class, payload_dict(payload))
        function(problem, actor=request.user, **form.action_kwargs(request.user))
        return problem_detail(access_problem(request.user, number), request.user)

    endpoint.__name__ = f"problem_{name}"
    router.post(
        f"/problems/{{number}}/actions/{name}",
        response={200: ProblemDetailOut, **ERRORS},
        operation_id=f"problem_{name}",
        summary=workflow.action_label(name),
        description=(
            "The same step as on the problem's page, with the same rules and defaults. "
            "`version`: the problem's version you saw; if someone changed it meanwhile the "
            "answer is 409 and nothing is written."
        ),
    )(endpoint)


for _name, (_form, _function) in commands.ACTIONS.items():
    _add_action_endpoint(_name, _form, _function)


@router.post("/problems/{number}/attachments", response={200: ProblemDetailOut, **ERRORS})
def add_attachment(request, file: File[UploadedFile], number: str = Number, note: str = ""):
    """Add a file (photo, PDF, Office) to a problem, as "add information": multipart upload
    with the same checks as the web (type read from the content, size limit)."""
    limit_writes(request)
    problem = access_problem(request.user, number)
    try:
        check_upload(file)
    except Exception as invalid:  # django.core.exceptions.ValidationError
        messages = getattr(invalid, "messages", [str(invalid)])
        raise FormInvalid({"file": messages}) from None
    try:
        text = bounds.clean_text(note, required=False) or file.name
    except ValueError as invalid:
        raise FormInvalid({"note": [str(invalid)]}) from None
    actions.add_info(problem, actor=request.user, text=text, files=[file])
    return problem_detail(access_problem(request.user, number), request.user)


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    sign_days: int
    completion_days: int
    urgent_completion_days: int


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, tags=["reference"])
def categories(request):
    return Category.objects.filter(is_active=True)


# --- Supervision ------------------------------------------------------------------------------


class SupervisionOut(Schema):
    problem: str
    unit: str
    opened_at: datetime
    reply_due: date
    state: str
    colour: str
    demand: str
    reply: str


@router.get("/supervisions", response={200: list[SupervisionOut], **ERRORS})
def list_supervisions(request):
    """Open supervisions the caller may see, with their colours (red: reply late,
    yellow: due within a working day, blue: time left, green: replied, to close)."""
    found = supervision.open_supervisions(visible_problems(request.user))
    if request.user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        found = found.filter(unit_id=request.user.unit_id)
    elif request.user.role not in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        raise NotAllowed(_("Supervisions are for the park's staff and the units."))
    today = clock.today()
    return [
        {
            "problem": item.problem.number,
            "unit": item.unit.name,
            "opened_at": item.opened_at,
            "reply_due": item.reply_due,
            "state": item.state,
            "colour": supervision.supervision_colour(item, today),
            "demand": item.demand,
            "reply": item.reply,
        }
        for item in found[:1000]
    ]


class InterviewOut(Schema):
    id: int
    unit: str
    held_on: date
    participants: str
    outcome: str
    problems: list[str]


def interview_out(item) -> dict:
    return {
        "id": item.pk,
        "unit": item.unit.name,
        "held_on": item.held_on,
        "participants": item.participants,
        "outcome": item.outcome,
        "problems": [problem.number for problem in item.problems.all()],
    }


@router.get("/interviews", response={200: list[InterviewOut], **ERRORS})
def list_interviews(request, unit: int | None = Query(None, ge=1, le=bounds.MAX_ID)):
    """约谈 records, per unit with `unit`; a unit sees its own."""
    user = request.user
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        unit = user.unit_id
    elif user.role not in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        raise NotAllowed(_("Interviews are for the park's staff and the units."))
    return [interview_out(item) for item in supervision.interviews(unit)[:1000]]


InterviewIn = schema_for(f.InterviewForm, "InterviewIn")


@router.post("/interviews", response={201: InterviewOut, **ERRORS})
def record_interview(request, payload: InterviewIn):  # type: ignore[valid-type]
    """Record an interview of a unit: the secretariat only. `problems`: the tasks it
    concerned, by number, separated by spaces or commas; each shows it on its timeline."""
    limit_writes(request)
    form = run_form(f.InterviewForm, payload_dict(payload))
    item = actions.record_interview(actor=request.user, **form.action_kwargs(request.user))
    return HttpStatus(201, interview_out(item))


BatchIn = schema_for(f.BatchForm, "BatchIn")


class BatchRefusal(Schema):
    number: str
    reason: str


class BatchOut(Schema):
    action: str
    done: list[str]
    refused: list[BatchRefusal]


@router.post("/batch/problems", response={200: BatchOut, **ERRORS})
def problem_batch(request, payload: BatchIn):  # type: ignore[valid-type]
    """The same action on many problems (`numbers`: separated by spaces or commas): accept,
    assign (one lead unit and the same limits), accept and assign, sign for, urge. Each row in
    its own transaction; the answer lists what was done and what was refused, with the reason."""
    limit_writes(request)
    form = run_form(f.BatchForm, payload_dict(payload))
    kwargs = form.action_kwargs(request.user)
    summary = batch_work.run(request.user, kwargs.pop("action"), **kwargs)
    return {
        "action": summary.action,
        "done": summary.done,
        "refused": [{"number": n, "reason": r} for n, r in summary.refused],
    }


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    issued_at: datetime
    pdf_url: str
    docx_url: str


def document_out(document) -> dict:
    number = document.problem.number
    return {
        "id": document.pk,
        "kind": document.kind,
        "number": document.number,
        "issued_at": document.issued_at,
        "pdf_url": reverse("problems:document", args=[number, document.pk, "pdf"]),
        "docx_url": reverse("problems:document", args=[number, document.pk, "docx"])
        if document.docx
        else "",
    }


class DocumentIn(Schema):
    kind: IssuedDocument.Kind


@router.post("/problems/{number}/documents", response={200: DocumentOut, **ERRORS})
def issue_document(request, payload: DocumentIn, number: str = Number):
    """Issue the 交办单 (`assignment`) of the task's current assignment or the 督办通知书
    (`supervision`) of its latest supervision: numbered, rendered as PDF and Word, stored.
    Asking again gives the same document back (it is never regenerated). The secretariat."""
    limit_writes(request)
    problem = access_problem(request.user, number)
    if request.user.role == Role.ENTERPRISE:
        raise Http404
    return document_out(documents.issue(problem, actor=request.user, kind=payload.kind))


@router.get("/problems/{number}/documents", response={200: list[DocumentOut], **ERRORS})
def list_documents(request, number: str = Number):
    """The documents issued for a task (park staff and the units on it)."""
    problem = access_problem(request.user, number)
    if request.user.role == Role.ENTERPRISE:
        raise Http404
    return [document_out(d) for d in problem.documents.select_related("problem")]


# --- Reference data the secretariat keeps (the same forms and actions as its pages) ----------

CategoryIn = schema_for(reference.CategoryForm, "CategoryIn")
CategoryPatch = schema_for(
    reference.CategoryForm, "CategoryPatch", category=Category(), partial=True
)
HolidayIn = schema_for(reference.HolidayForm, "HolidayIn")


class CategoryKeptOut(CategoryOut):
    id: int
    default_lead_unit: int | None = Field(None, alias="default_lead_unit_id")
    position: int
    is_active: bool


class HolidayOut(Schema):
    date: date
    is_workday: bool
    note: str


@router.post("/categories", response={201: CategoryKeptOut, **ERRORS}, tags=["reference"])
def create_category(request, payload: CategoryIn):  # type: ignore[valid-type]
    """Add a problem category with its time limits (the secretariat)."""
    limit_writes(request)
    form = run_form(reference.CategoryForm, payload_dict(payload))
    return HttpStatus(
        201, reference.save_category(None, actor=request.user, values=form.cleaned_data)
    )


@router.patch(
    "/categories/{category_id}", response={200: CategoryKeptOut, **ERRORS}, tags=["reference"]
)
def update_category(
    request, payload: CategoryPatch, category_id: int = Path(..., ge=1, le=bounds.MAX_ID)
):  # type: ignore[valid-type]  # noqa: E501
    """Change a category's names, limits, usual lead unit or whether it is offered (only the
    fields sent)."""
    limit_writes(request)
    reference._require_keeper(request.user)
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404
    current = {
        "name": category.name,
        "name_en": category.name_en,
        "sign_days": category.sign_days,
        "completion_days": category.completion_days,
        "urgent_completion_days": category.urgent_completion_days,
        "default_lead_unit": category.default_lead_unit_id,
        "position": category.position,
        "is_active": category.is_active,
    }
    form = run_form(reference.CategoryForm, current | payload_dict(payload), category=category)
    return reference.save_category(category, actor=request.user, values=form.cleaned_data)


@router.post("/holidays", response={200: HolidayOut, **ERRORS}, tags=["reference"])
def save_holiday(request, payload: HolidayIn):  # type: ignore[valid-type]
    """Mark a day a day off or a working (make-up) day; deadlines counted afterwards follow it."""
    limit_writes(request)
    form = run_form(reference.HolidayForm, payload_dict(payload))
    return reference.save_holiday(actor=request.user, **form.cleaned_data)


@router.delete("/holidays/{day}", response={204: None, **ERRORS}, tags=["reference"])
def remove_holiday(request, day: date):
    """Take back a day's setting: the built-in Chinese calendar decides that day again."""
    limit_writes(request)
    reference.remove_holiday(actor=request.user, date=day)
    return HttpStatus(204, None)
