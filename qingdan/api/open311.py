"""Open311 GeoReport v2 (/open311/v2/), so existing civic-tech clients work unchanged.

Mapping: a service is a problem category; a service request is a problem
(`service_request_id` = its number); `agency_responsible` = the lead unit;
`expected_datetime` = the completion deadline (end of that day, Beijing). `api_key` is a Qingdan
API token (a wrong or revoked key is refused, never treated as no key).

- With a key, a person sees exactly what the problem page would show them
  (``problems.access.visible_problems``), with `status_notes` the latest note of the unit's
  progress or completion.
- Without a key, the public sees only what was published: each problem as the latest published
  bulletin's public list gave it (``bulletins.access.published_items``: redacted as published),
  and no free text that was not written for the public (`status_notes` is empty).
- Intake is moderated: a new request is not public, so POST answers with a `token`; `GET
  tokens/{token}` gives the `service_request_id` once the secretariat has accepted it; the
  submitter, with its key, sees the request at once.
"""

from datetime import date, datetime, time, timedelta
from xml.etree import ElementTree

from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from qingdan.accounts.models import User
from qingdan.api.models import Open311Token, user_for_token
from qingdan.bulletins.access import published_items
from qingdan.bulletins.content import monday_of
from qingdan.core.parity import web_only
from qingdan.core.ratelimit import RateLimited, limit_writes
from qingdan.lib import bounds, clock
from qingdan.lib.errors import ActionError
from qingdan.problems import actions, inputs
from qingdan.problems.access import visible_problems
from qingdan.problems.models import Category, Channel, Problem, ProblemEvent, Status, Urgency

CLOSED = (Status.CLOSED, Status.DECLINED, Status.MERGED)
# The notes a person with a key sees as `status_notes`: the unit's progress and result, the
# secretariat's decisions (what the problem page shows them too).
NOTE_ACTIONS = ("progress", "complete", "decline", "close", "redo", "reopen")
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)

# Attributes every service takes (GeoReport "service definition").
ATTRIBUTES = [
    {
        "variable": "true",
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": "false",
        "datatype_description": "",
        "order": 1,
        "description": "紧急程度 / urgency",
        "values": [{"key": "normal", "name": "一般"}, {"key": "urgent", "name": "紧急"}],
    },
    {
        "variable": "true",
        "code": "may_name_publicly",
        "datatype": "singlevaluelist",
        "required": "false",
        "datatype_description": "",
        "order": 2,
        "description": "是否公开企业名称 / may the enterprise be named publicly",
        "values": [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}],
    },
]


# --- Output in JSON or XML ------------------------------------------------------------------


def _to_xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ElementTree.Element(root)
    for row in rows:
        _append(top, item, row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, encoding="utf-8")


def _append(parent, tag: str, value) -> None:
    element = ElementTree.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        singular = {
            "attributes": "attribute",
            "values": "value",
            "endpoints": "endpoint",
            "formats": "format",
            "keywords": "keyword",
        }.get(tag, "item")
        for inner in value:
            _append(element, singular, inner)
    elif value is not None:
        element.text = str(value).lower() if isinstance(value, bool) else str(value)


def respond(fmt: str, data, *, root: str, item: str, status: int = 200):
    if fmt == "xml":
        rows = data if isinstance(data, list) else [data]
        body = _to_xml(root, item, rows) if isinstance(data, list) else _single_xml(root, data)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _single_xml(root: str, data: dict) -> bytes:
    top = ElementTree.Element(root)
    for key, value in data.items():
        _append(top, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, encoding="utf-8")


def errors(fmt: str, status: int, description) -> HttpResponse:
    rows = [{"code": status, "description": str(description)}]
    response = respond(fmt, rows, root="errors", item="error", status=status)
    return response


# --- Endpoints -----------------------------------------------------------------------------


def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2026-11-26T00:00:00+08:00",
        "contact": _("Contact the park's business environment office."),
        "key_service": _("Create an API token in Qingdan under My account → API tokens."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-26T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            },
        ],
    }
    return respond(fmt, data, root="discovery", item="discovery")


def services(request, fmt):
    rows = [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.name_en or category.name,
            "metadata": True,
            "type": "realtime",
            "keywords": category.name_en,
            "group": "企业服务",
        }
        for category in Category.objects.filter(is_active=True)
    ]
    return respond(fmt, rows, root="services", item="service")


def service_definition(request, code, fmt):
    if not Category.objects.filter(code=code, is_active=True).exists():
        return errors(fmt, 404, _("No service with that service_code."))
    return respond(
        fmt,
        {"service_code": code, "attributes": ATTRIBUTES},
        root="service_definition",
        item="service_definition",
    )


class BadKey(Exception):
    pass


def _caller(request) -> User | None:
    """The key's person; None without a key; ``BadKey`` for a wrong, expired or revoked one."""
    key = request.POST.get("api_key") or request.GET.get("api_key")
    if not key:
        return None
    user = user_for_token(key[:200])
    if user is None:
        raise BadKey
    return user


def _refused_key(fmt: str):
    return errors(fmt, 403, _("The api_key is not valid (wrong, expired or revoked)."))


def create_request(request, fmt):
    try:
        user = _caller(request)
    except BadKey:
        return _refused_key(fmt)
    if user is None:
        return errors(fmt, 403, _("A valid api_key is required to submit a request."))
    request.user = user
    try:
        limit_writes(request)
    except RateLimited as limited:
        response = errors(fmt, 429, limited.message)
        response["Retry-After"] = str(limited.retry_after)
        return response
    data = request.POST
    description = data.get("description", "")
    raw = {
        "enterprise": data.get("account_id", ""),
        # GeoReport has no title: the first line of the description, within the title's bound.
        "title": data.get("title") or _first_line(description),
        "description": description,
        "category": data.get("service_code", ""),
        "channel": Channel.ONLINE,
        "urgency": data.get("attribute[urgency]") or Urgency.NORMAL,
        "may_name_publicly": data.get("attribute[may_name_publicly]", "true") != "false",
    }
    clean, field_errors = inputs.clean_raise(raw, actor=user)
    if field_errors:
        names = {
            "enterprise": "account_id",
            "category": "service_code",
            "urgency": "attribute[urgency]",
        }
        text = "; ".join(f"{names.get(k, k)}: {m}" for k, m in field_errors.items())
        return errors(fmt, 400, text)
    try:
        problem = actions.raise_problem(actor=user, **clean.as_kwargs())
    except ActionError as refused:
        return errors(fmt, refused.status, refused.message)
    token = Open311Token.issue(problem)
    rows = [
        {
            "token": token.key,
            "service_notice": _("Received: it becomes public once accepted."),
            "account_id": problem.enterprise.credit_code,
        }
    ]
    return respond(fmt, rows, root="service_requests", item="request", status=201)


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= bounds.TITLE else line[: bounds.TITLE - 1] + "…"


def _expected(deadline) -> str | None:
    if not deadline:
        return None
    day = date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    return datetime.combine(day, time(23, 59, 59), tzinfo=clock.BEIJING).isoformat()


def _private_row(problem: Problem) -> dict:
    return {
        "service_request_id": problem.number,
        "status": "closed" if problem.status in CLOSED else "open",
        "status_notes": problem.public_note or "",
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": problem.description,
        "agency_responsible": problem.lead_unit.name if problem.lead_unit_id else "",
        "service_notice": problem.get_status_display(),
        "requested_datetime": problem.created.astimezone(clock.BEIJING).isoformat(),
        "updated_datetime": (problem.updated or problem.created)
        .astimezone(clock.BEIJING)
        .isoformat(),
        "expected_datetime": _expected(problem.deadline),
        "address": problem.enterprise.address,
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _public_row(problem: Problem, bulletin, item: dict) -> dict:
    """The problem as the latest published bulletin gave it: nothing more."""
    return {
        "service_request_id": item["number"],
        "status": "closed" if item["status"] in CLOSED else "open",
        "status_notes": "",
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": item["title"],
        "agency_responsible": item["lead_unit"],
        "service_notice": item["status_label"],
        "requested_datetime": problem.created.astimezone(clock.BEIJING).isoformat(),
        "updated_datetime": bulletin.published_at.astimezone(clock.BEIJING).isoformat(),
        "expected_datetime": _expected(item["deadline"]),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _with_notes(problems):
    notes = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action__in=NOTE_ACTIONS)
        .exclude(note="")
        .order_by("-created", "-id")
    )
    return problems.select_related("category", "lead_unit", "enterprise").annotate(
        public_note=Subquery(notes.values("note")[:1]), updated=Max("events__created")
    )


def _rows(problems, user) -> list[dict]:
    """The requests as this caller may see them: the person's view, or the published one."""
    if user is not None:
        return [_private_row(p) for p in _with_notes(problems)]
    problems = list(problems.select_related("category"))
    published = published_items(
        {monday_of(p.created.astimezone(clock.BEIJING).date()) for p in problems}
    )
    return [_public_row(p, *published[p.number]) for p in problems if p.number in published]


def _scope(user):
    """Which problems a caller can ask about: the person's own view, or (anonymous) those that
    reached the secretariat's list — each is then shown only if published."""
    if user is not None:
        return visible_problems(user)
    return Problem.objects.exclude(status__in=[Status.SUBMITTED, Status.DECLINED, Status.MERGED])


def list_requests(request, fmt):
    try:
        user = _caller(request)
    except BadKey:
        return _refused_key(fmt)
    problems = _scope(user)
    params = request.GET
    ids = [
        i.strip()[: bounds.CODE]
        for i in params.get("service_request_id", "").split(",")
        if i.strip()
    ]
    if ids:
        problems = problems.filter(number__in=ids[:MAX_RESULTS])
    else:
        try:
            end = _parse_time(params.get("end_date")) or clock.now()
            start = _parse_time(params.get("start_date")) or end - MAX_SPAN
        except ValueError:
            return errors(fmt, 400, _("start_date and end_date are W3C date-times."))
        if end - start > MAX_SPAN or end < start:
            return errors(fmt, 400, _("start_date to end_date spans at most 90 days."))
        problems = problems.filter(created__gte=start, created__lte=end)
        codes = [c[: bounds.CODE] for c in params.get("service_code", "").split(",") if c]
        if codes:
            problems = problems.filter(category__code__in=codes)
        statuses = [s for s in params.get("status", "").split(",") if s]
        if statuses and not set(statuses) <= {"open", "closed"}:
            return errors(fmt, 400, _("status is open or closed."))
        if statuses == ["open"]:
            problems = problems.exclude(status__in=CLOSED)
        elif statuses == ["closed"]:
            problems = problems.filter(status__in=CLOSED)
    rows = _rows(problems.order_by("-created", "-id")[:MAX_RESULTS], user)
    return respond(fmt, rows, root="service_requests", item="request")


def _parse_time(value: str | None) -> datetime | None:
    """A W3C date-time within the bounds every channel keeps (ValueError otherwise)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=clock.BEIJING)
    bounds.clean_date(moment.astimezone(clock.BEIJING).date())
    return moment


def get_request(request, number, fmt):
    try:
        user = _caller(request)
    except BadKey:
        return _refused_key(fmt)
    rows = _rows(_scope(user).filter(number=number[: bounds.CODE]), user)
    if not rows:
        return errors(fmt, 404, _("No service request with that id."))
    return respond(fmt, rows, root="service_requests", item="request")


def token(request, token, fmt):
    """The id of a submitted request, once it is accepted (moderated intake); until then the
    token alone. Tokens are random and given only to the submitter."""
    found = Open311Token.objects.filter(key=token[:64]).select_related("problem").first()
    if found is None:
        return errors(fmt, 404, _("No service request for that token."))
    problem = found.problem
    accepted = problem.status not in (Status.SUBMITTED, Status.DECLINED)
    row = {"token": found.key, "service_request_id": problem.number if accepted else None}
    return respond(fmt, [row], root="service_requests", item="request")


@web_only("it is itself an API: Open311 GeoReport v2, beside /api/v1")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_endpoint(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt)
