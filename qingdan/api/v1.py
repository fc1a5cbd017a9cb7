"""Qingdan's REST API, /api/v1/ (django-ninja, OpenAPI 3 at /api/v1/openapi.json).

Every write goes through the same actions (and the same forms) as the web pages; every read
through the same access functions, so the API can do exactly what the person can do on the site.
"""

import base64
import time
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Body, Field, File, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus
from ninja.security import HttpBearer, django_auth

from qingdan.accounts.models import Enterprise, Role, Unit
from qingdan.api.models import user_for_token
from qingdan.api.ratelimit import RateLimited, limit_writes
from qingdan.bulletins.models import Bulletin
from qingdan.core import hooks
from qingdan.exchange.models import ExchangeDay
from qingdan.lib import bounds, clock
from qingdan.lib.creditcode import normalize
from qingdan.problems import actions
from qingdan.problems import views as problem_views
from qingdan.problems.access import access_problem, visible_problems
from qingdan.problems.attachments import check_upload
from qingdan.problems.models import Category, Channel, Problem, Status, Urgency
from qingdan.problems.paging import keyset_page
from qingdan.problems.warnings import colour_of, colour_q, cutoffs
from qingdan.search.api import router as search_router


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Qingdan API",
    version="1",
    description=(
        "Raise and follow problems of a development zone's government–enterprise service loop. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens on the site, or "
        "`manage.py api_token USERNAME`)."
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


# --- Errors: {"error": {"code", "message", "fields"}} ------------------------------------------


def error(request, status: int, code: str, message, fields: dict | None = None, headers=None):
    response = api.create_response(
        request,
        {"error": {"code": code, "message": str(message), "fields": fields or {}}},
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc):
    fields = {}
    for item in exc.errors:
        location = [
            str(part) for part in item.get("loc", ()) if part not in ("body", "query", "payload")
        ]
        fields.setdefault(".".join(location) or "request", []).append(item.get("msg", ""))
    return error(request, 422, "invalid", _("Some fields are invalid."), fields)


@api.exception_handler(AuthenticationError)
def on_auth(request, exc):
    return error(request, 401, "unauthenticated",
                 _("Authentication required: send Authorization: Bearer <token>."))  # fmt: skip


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error(request, exc.status_code, "error", exc.message)


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    return error(request, 429, "rate_limited", _("Too many requests: try again later."),
                 headers={"Retry-After": str(exc.retry_after)})  # fmt: skip


@api.exception_handler(actions.ActionError)
def on_action_error(request, exc):
    status, code = {
        actions.Conflict: (409, "conflict"),
        actions.NotAllowed: (403, "not_allowed"),
    }.get(type(exc), (400, "invalid_input"))
    return error(request, status, code, exc.message)


class FormInvalid(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


@api.exception_handler(FormInvalid)
def on_form_invalid(request, exc):
    return error(request, 422, "invalid", _("Some fields are invalid."), exc.errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc):
    return error(request, 422, "invalid", " ".join(exc.messages))


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut, 429: ErrorOut}  # fmt: skip


# --- Schemas -------------------------------------------------------------------------------


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
    from qingdan.problems import workflow

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
        "allowed_actions": workflow.allowed_actions(user, problem),
    }


# --- Problems --------------------------------------------------------------------------------

problems_router = Router(tags=["problems"])
MAX_PAGE = 200


class ProblemFilters(Schema):
    q: str | None = Field(None, max_length=bounds.MAX_SEARCH_CHARS)
    status: Status | None = None
    unit: int | None = Field(None, ge=1, le=bounds.MAX_ID)
    colour: Literal["red", "yellow", "blue", "any"] | None = None
    category: str | None = None
    enterprise: str | None = None
    raised_after: date | None = None
    raised_before: date | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_PAGE)


def _decode_cursor(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        padded = cursor.encode() + b"=" * (-len(cursor) % 4)
        text = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        value, pk = text.rsplit("_", 1)
        datetime.fromisoformat(value)
        int(pk)
    except ValueError:  # also binascii.Error and UnicodeDecodeError
        raise HttpError(400, _("The cursor is not one this API gave out.")) from None
    return text


@problems_router.get("/problems", response={200: ProblemPage, **ERRORS})
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
        problems = problems.filter(
            Q(enterprise__credit_code=normalize(filters.enterprise))
            | Q(enterprise_id=int(filters.enterprise) if filters.enterprise.isdigit() else 0)
        )
    if filters.raised_after:
        problems = problems.filter(created__gte=_start_of(filters.raised_after))
    if filters.raised_before:
        problems = problems.filter(created__lt=_start_of(filters.raised_before))
    if filters.q and (search := hooks.get("problems.search")):
        problems = search(problems, filters.q, ranked=False)  # newest first: a stable cursor
    page = keyset_page(
        problems.select_related(*problem_views.LIST_RELATED),
        "recent",
        _decode_cursor(filters.cursor),
        size=filters.limit,
    )
    cursor = base64.urlsafe_b64encode(page.next_cursor.encode()).decode().rstrip("=") or None
    return {"items": [problem_out(p, cut) for p in page.items], "next_cursor": cursor}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.BEIJING)


def active_category(code: str) -> Category | None:
    """Categories change rarely: looked up in a per-process table refreshed every minute."""
    now = time.monotonic()
    if now - _categories["at"] > 60:
        _categories["by_code"] = {c.code: c for c in Category.objects.filter(is_active=True)}
        _categories["at"] = now
    return _categories["by_code"].get(code)


_categories: dict = {"at": -1000.0, "by_code": {}}


class ProblemIn(Schema):
    title: str
    description: str
    category: str
    enterprise: str | None = None
    channel: Channel = Channel.ONLINE
    urgency: Urgency = Urgency.NORMAL
    may_name_publicly: bool = True


@problems_router.post("/problems", response={201: ProblemDetailOut, **ERRORS})
def create_problem(request, payload: ProblemIn):
    """Raise a problem. Enterprise contacts raise for their own enterprise; the secretariat
    names the enterprise (credit code or exact name)."""
    limit_writes(request)
    user = request.user
    if user.role == Role.ENTERPRISE:
        enterprise = user.enterprise
    else:
        text = (payload.enterprise or "").strip()
        enterprise = Enterprise.objects.filter(
            Q(credit_code=normalize(text)) | Q(name=text)
        ).first() if text else None  # fmt: skip
        if enterprise is None:
            raise FormInvalid({"enterprise": [_("No enterprise with that name or credit code.")]})
    category = active_category(payload.category)
    if category is None:
        raise FormInvalid({"category": [_("Unknown category: see GET /api/v1/categories.")]})
    problem = actions.raise_problem(
        actor=user, enterprise=enterprise, title=payload.title, description=payload.description,
        category=category, channel=payload.channel, urgency=payload.urgency,
        may_name_publicly=payload.may_name_publicly,
    )  # fmt: skip
    return HttpStatus(201, problem_detail(problem, user, events=[problem.raised_event]))


@problems_router.get("/problems/{number}", response={200: ProblemDetailOut, **ERRORS})
def get_problem(request, number: str):
    """A problem with its timeline and the actions the caller may take now."""
    return problem_detail(access_problem(request.user, number), request.user)


ACTION_NAMES = sorted(problem_views.ACTIONS)


@problems_router.post(
    "/problems/{number}/actions/{action}", response={200: ProblemDetailOut, **ERRORS}
)
def act(request, number: str, action: str, payload: Body[dict[str, Any]]):
    """Take a workflow action (accept, decline, merge, assign, sign, return, reject_return,
    progress, request_extension, approve_extension, refuse_extension, complete, rate, close,
    reopen, add_info). The body holds the action's fields as on the web form (e.g. assign:
    `lead_unit` id, `deadline` date; rate: `solved` "1"/"0", `satisfaction`), and optionally
    `version`: the problem's version you saw, to be told if someone changed it meanwhile."""
    limit_writes(request)
    problem = access_problem(request.user, number)
    if action not in problem_views.ACTIONS:
        raise Http404
    form_class, handler = problem_views.ACTIONS[action]
    data = {key: _form_value(value) for key, value in payload.items()}
    form = form_class(data=data)
    if not form.is_valid():
        raise FormInvalid(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    handler(problem, actor=request.user, **form.action_kwargs(request.user))
    return problem_detail(access_problem(request.user, number), request.user)


def _form_value(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return value
    return "" if value is None else str(value)


@problems_router.post("/problems/{number}/attachments", response={200: ProblemDetailOut, **ERRORS})
def add_attachment(request, number: str, file: File[UploadedFile], note: str = ""):
    """Add a file (photo, PDF, Office) to a problem, as "add information": multipart upload
    with the same checks as the web (type read from the content, size limit)."""
    limit_writes(request)
    problem = access_problem(request.user, number)
    try:
        check_upload(file)
    except DjangoValidationError as invalid:
        raise FormInvalid({"file": invalid.messages}) from None
    actions.add_info(problem, actor=request.user, text=note or file.name, files=[file])
    return problem_detail(access_problem(request.user, number), request.user)


# --- Reference data -------------------------------------------------------------------------

reference = Router(tags=["reference"])


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    sign_days: int
    completion_days: int
    urgent_completion_days: int


@reference.get("/categories", response={200: list[CategoryOut], **ERRORS})
def categories(request):
    return Category.objects.filter(is_active=True)


@reference.get("/units", response={200: list[UnitOut], **ERRORS})
def units(request):
    return Unit.objects.filter(is_active=True).order_by("name")


@reference.get("/enterprises", response={200: list[EnterpriseOut], **ERRORS})
def enterprises(request, q: str = "", limit: int = Query(50, ge=1, le=MAX_PAGE)):
    """Enterprise contacts see their own enterprise; park staff search all (by name or code)."""
    found = Enterprise.objects.order_by("name")
    if request.user.role == Role.ENTERPRISE:
        found = found.filter(pk=request.user.enterprise_id)
    if q:
        found = found.filter(Q(name__contains=q) | Q(credit_code=normalize(q)))
    return found[:limit]


class ExchangeDayOut(Schema):
    date: date
    chair: str
    leaders: str
    problems: int


@reference.get("/exchange-days", response={200: list[ExchangeDayOut], **ERRORS})
def exchange_days(request):
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        raise HttpError(403, _("You are not allowed to do this."))
    from django.db.models import Count

    days = ExchangeDay.objects.annotate(n=Count("problems")).order_by("-date")[:MAX_PAGE]
    return [{"date": d.date, "chair": d.chair, "leaders": d.leaders, "problems": d.n} for d in days]


class BulletinOut(Schema):
    week_start: date
    version: int
    issue_number: int | None
    published_at: datetime | None
    content_hash: str
    public_url: str
    content: dict


@reference.get("/bulletins", response={200: list[BulletinOut], **ERRORS}, auth=None)
def bulletins(request, limit: int = Query(20, ge=1, le=104)):
    """Published bulletins (enterprise names as the public sees them), newest first."""
    published = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by(
        "-week_start", "-version"
    )[:limit]
    return [
        {
            "week_start": b.week_start,
            "version": b.version,
            "issue_number": b.issue_number,
            "published_at": b.published_at,
            "content_hash": b.content_hash,
            "public_url": request.build_absolute_uri(b.get_public_url()),
            "content": _public_content(b.content),
        }
        for b in published
    ]


def _public_content(content: dict) -> dict:
    """The published figures with enterprise names as the public sees them."""

    def redact(item):
        return {k: v for k, v in item.items() if k != "enterprise"}

    return content | {
        "items": [redact(i) for i in content.get("items", [])],
        "unsatisfied": [redact(i) for i in content.get("unsatisfied", [])],
        "red": {
            **content.get("red", {}),
            "items": [redact(i) for i in content.get("red", {}).get("items", [])],
        },
        "yellow": {
            **content.get("yellow", {}),
            "items": [redact(i) for i in content.get("yellow", {}).get("items", [])],
        },
    }


# --- Challenges (揭榜挂帅) --------------------------------------------------------------------

challenges_router = Router(tags=["challenges"])


class MilestoneOut(Schema):
    id: int
    title: str
    due: date
    reported_at: datetime | None


class ChallengeOut(Schema):
    code: str
    title: str
    goal: str
    conditions: str
    support_funds_wan_yuan: str
    application_deadline: date
    delivery_deadline: date
    owner_unit: str
    state: str
    state_label: str
    selected_team: str | None
    enterprises: list[str]
    milestones: list[MilestoneOut]
    version: int
    allowed_actions: list[str]


def challenge_out(challenge, user) -> dict:
    from qingdan.challenges import actions as challenge_actions
    from qingdan.challenges.access import public_enterprises

    selected = challenge.selected
    return {
        "code": challenge.code,
        "title": challenge.title,
        "goal": challenge.goal,
        "conditions": challenge.conditions,
        "support_funds_wan_yuan": str(challenge.support_funds_wan_yuan),
        "application_deadline": challenge.application_deadline,
        "delivery_deadline": challenge.delivery_deadline,
        "owner_unit": challenge.owner_unit.name,
        "state": challenge.state,
        "state_label": challenge.get_state_display(),
        "selected_team": selected.team_name if selected else None,
        "enterprises": public_enterprises(challenge),
        "milestones": list(challenge.milestones.all()),
        "version": challenge.version,
        "allowed_actions": (
            challenge_actions.allowed_actions(user, challenge) if user.is_authenticated else []
        ),  # fmt: skip
    }


@challenges_router.get("/challenges", response={200: list[ChallengeOut], **ERRORS}, auth=None)
def list_challenges(request):
    """Published challenges (no token needed); the secretariat also sees drafts."""
    from qingdan.challenges.access import visible_challenges

    return [challenge_out(c, request.user) for c in visible_challenges(request.user)[:MAX_PAGE]]


@challenges_router.get("/challenges/{code}", response={200: ChallengeOut, **ERRORS}, auth=None)
def get_challenge(request, code: str):
    from qingdan.challenges.access import access_challenge

    return challenge_out(access_challenge(request.user, code), request.user)


@challenges_router.post(
    "/challenges/{code}/actions/{action}", response={200: ChallengeOut, **ERRORS}
)
def challenge_act(request, code: str, action: str, payload: Body[dict[str, Any]]):
    """A step of the challenge (publish, apply, withdraw, start_review, score, select,
    sign_letter, report_milestone, request_change, decide_change, deliver, rate, accept,
    republish) with the fields of its web form."""
    from qingdan.challenges import actions as challenge_actions
    from qingdan.challenges import views as challenge_views
    from qingdan.challenges.access import access_challenge

    limit_writes(request)
    challenge = access_challenge(request.user, code)
    if action not in challenge_views.ACTIONS:
        raise Http404
    form_class, function = challenge_views.ACTIONS[action]
    data = {key: _form_value(value) for key, value in payload.items()}
    extra = {"criteria": challenge.criteria} if action == "score" else {}
    form = form_class(data=data, **extra)
    if not form.is_valid():
        raise FormInvalid({name: [str(m) for m in errs] for name, errs in form.errors.items()})
    try:
        result = function(challenge, actor=request.user, **form.action_kwargs(request.user))
    except challenge_actions.ChallengeError as refused:
        status = {challenge_actions.Conflict: 409, challenge_actions.NotAllowed: 403}.get(
            type(refused), 400
        )
        raise HttpError(status, str(refused.message)) from None
    from qingdan.challenges.models import Challenge

    target = result if isinstance(result, Challenge) else challenge
    return challenge_out(access_challenge(request.user, target.code), request.user)


# --- Projects and indicators ----------------------------------------------------------------

economy = Router(tags=["projects and indicators"])


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


@economy.get("/projects", response={200: list[ProjectOut], **ERRORS})
def projects(request, limit: int = Query(100, ge=1, le=MAX_PAGE)):
    """Projects the caller may see (leaders and the secretariat all; a unit its own; an
    enterprise those it invests in), with this year's plan completion."""
    from qingdan.projects.access import visible_projects
    from qingdan.projects.progress import progress, with_year_figures

    today = clock.today()
    rows = with_year_figures(visible_projects(request.user), today.year, today.month)[:limit]
    result = []
    for p in rows:
        state = progress(p, today)
        result.append({
            "id": p.pk, "name": p.name, "investor": p.investor.name, "industry": p.industry,
            "amount_wan_yuan": str(p.amount_wan_yuan), "is_key": p.is_key, "stage": p.stage,
            "stage_label": p.stage_label, "signed_on": p.signed_on,
            "producing_on": p.producing_on, "days_sign_to_production": p.days_sign_to_production,
            "planned_this_year_wan_yuan": str(state.planned),
            "completed_this_year_wan_yuan": str(state.completed),
            "plan_completion_pct": None if state.completion_pct is None
            else str(state.completion_pct),
            "colour": state.colour,
        })  # fmt: skip
    return result


class IndicatorValueOut(Schema):
    indicator: str
    name: str
    unit: str
    year: int
    month: int
    value: str
    prior_year_value: str | None
    yoy_growth_pct: str | None


@economy.get("/indicators", response={200: list[IndicatorValueOut], **ERRORS})
def indicator_values(request, year: int | None = None, indicator: str | None = None):
    """Monthly cumulative values, each with its year-on-year growth (percent, 2 decimals;
    null when there is no prior value)."""
    from qingdan.projects.access import sees_indicators
    from qingdan.projects.models import IndicatorValue

    if not sees_indicators(request.user):
        raise HttpError(403, _("You are not allowed to do this."))
    values = IndicatorValue.objects.select_related("indicator").order_by(
        "indicator__position", "-year", "-month"
    )
    if year:
        values = values.filter(year=year)
    if indicator:
        values = values.filter(indicator__code=indicator)
    return [
        {"indicator": v.indicator.code, "name": v.indicator.name, "unit": v.indicator.unit,
         "year": v.year, "month": v.month, "value": f"{v.value.normalize():f}",
         "prior_year_value": None if v.prior_year_value is None
         else f"{v.prior_year_value.normalize():f}",
         "yoy_growth_pct": None if v.growth is None else str(v.growth)}
        for v in values[:2000]
    ]  # fmt: skip


api.add_router("", search_router)  # before /problems/{number}: /problems/similar
api.add_router("", economy)
api.add_router("", challenges_router)
api.add_router("", problems_router)
api.add_router("", reference)
