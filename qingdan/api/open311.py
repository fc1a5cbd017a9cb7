"""Open311 GeoReport v2 (/open311/v2/), so existing civic-tech clients work unchanged.

Mapping: a service is a problem category; a service request is a problem
(`service_request_id` = its number); `agency_responsible` = the lead unit;
`expected_datetime` = the completion deadline (end of that day, Beijing); `status_notes` = the
latest public note. `api_key` is a Qingdan API token. Location fields are optional: a problem
belongs to its enterprise's address. Without an api_key, GET shows accepted problems with public
fields only (their title, never the enterprise or the full description).
"""

from datetime import datetime, time, timedelta
from xml.etree import ElementTree

from django.db.models import Max
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from qingdan.accounts.models import Enterprise, Role, User
from qingdan.api.models import user_for_token
from qingdan.api.ratelimit import RateLimited, limit_writes
from qingdan.lib import clock
from qingdan.lib.creditcode import normalize
from qingdan.lib.errors import ActionError
from qingdan.problems import actions
from qingdan.problems.access import visible_problems
from qingdan.problems.models import Category, Channel, Problem, Status, Urgency

CLOSED = (Status.CLOSED, Status.DECLINED, Status.MERGED)
PUBLIC_NOTE_ACTIONS = ("progress", "complete", "decline", "close", "redo", "reopen")
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)

# Attributes every service takes (GeoReport "service definition").
ATTRIBUTES = [
    {
        "variable": "true", "code": "urgency", "datatype": "singlevaluelist", "required": "false",
        "datatype_description": "", "order": 1, "description": "紧急程度 / urgency",
        "values": [{"key": "normal", "name": "一般"}, {"key": "urgent", "name": "紧急"}],
    },
    {
        "variable": "true", "code": "may_name_publicly", "datatype": "singlevaluelist",
        "required": "false", "datatype_description": "", "order": 2,
        "description": "是否公开企业名称 / may the enterprise be named publicly",
        "values": [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}],
    },
]  # fmt: skip


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
        singular = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                    "formats": "format", "keywords": "keyword"}.get(tag, "item")  # fmt: skip
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
            {"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
             "changeset": "2026-11-26T00:00:00+08:00", "type": "production",
             "formats": ["application/json", "text/xml"]},
        ],
    }  # fmt: skip
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
    return respond(fmt, {"service_code": code, "attributes": ATTRIBUTES},
                   root="service_definition", item="service_definition")  # fmt: skip


def _caller(request) -> User | None:
    key = request.POST.get("api_key") or request.GET.get("api_key")
    return user_for_token(key) if key else None


def create_request(request, fmt):
    user = _caller(request)
    if user is None:
        return errors(fmt, 403, _("A valid api_key is required to submit a request."))
    request.user = user
    try:
        limit_writes(request)
    except RateLimited as limited:
        response = errors(fmt, 429, _("Too many requests: try again later."))
        response["Retry-After"] = str(limited.retry_after)
        return response
    data = request.POST
    category = Category.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if category is None:
        return errors(fmt, 400, _("service_code is missing or unknown."))
    description = data.get("description", "").strip()
    if not description:
        return errors(fmt, 400, _("description is required."))
    enterprise = _enterprise_for(user, data)
    if enterprise is None:
        return errors(fmt, 400, _("account_id (the enterprise's credit code) or email of an "
                                  "enterprise contact is required."))  # fmt: skip
    urgency = data.get("attribute[urgency]", Urgency.NORMAL)
    if urgency not in Urgency.values:
        return errors(fmt, 400, _("attribute[urgency] is normal or urgent."))
    try:
        problem = actions.raise_problem(
            actor=user,
            enterprise=enterprise,
            title=(data.get("title") or description)[:40],
            description=description,
            category=category,
            channel=Channel.ONLINE,
            urgency=urgency,
            may_name_publicly=data.get("attribute[may_name_publicly]", "true") != "false",
        )
    except ActionError as refused:
        return errors(fmt, 403, refused.message)
    rows = [{"service_request_id": problem.number, "service_notice": "", "account_id": None}]
    return respond(fmt, rows, root="service_requests", item="request", status=201)


def _enterprise_for(user: User, data) -> Enterprise | None:
    if user.role == Role.ENTERPRISE:
        return user.enterprise
    account = data.get("account_id", "").strip()
    if account:
        return Enterprise.objects.filter(credit_code=normalize(account)).first()
    email = data.get("email", "").strip()
    if email:
        contact = User.objects.filter(email__iexact=email, role=Role.ENTERPRISE).first()
        return contact.enterprise if contact else None
    return None


def _request_row(problem: Problem, public: bool) -> dict:
    deadline = problem.deadline
    expected = (
        datetime.combine(deadline, time(23, 59, 59), tzinfo=clock.BEIJING).isoformat()
        if deadline
        else None
    )
    return {
        "service_request_id": problem.number,
        "status": "closed" if problem.status in CLOSED else "open",
        "status_notes": problem.public_note or "",
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": problem.title if public else problem.description,
        "agency_responsible": problem.lead_unit.name if problem.lead_unit_id else "",
        "service_notice": problem.get_status_display(),
        "requested_datetime": problem.created.astimezone(clock.BEIJING).isoformat(),
        "updated_datetime": (problem.updated or problem.created)
        .astimezone(clock.BEIJING)
        .isoformat(),
        "expected_datetime": expected,
        "address": "" if public else problem.enterprise.address,
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _visible(request):
    user = _caller(request)
    if user is None:
        return Problem.objects.exclude(
            status__in=[Status.SUBMITTED, Status.DECLINED, Status.MERGED]
        ), True
    return visible_problems(user), False


def _with_notes(problems):
    from django.db.models import OuterRef, Subquery

    from qingdan.problems.models import ProblemEvent

    notes = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action__in=PUBLIC_NOTE_ACTIONS)
        .exclude(note="")
        .order_by("-created", "-id")
    )
    return problems.select_related("category", "lead_unit", "enterprise").annotate(
        public_note=Subquery(notes.values("note")[:1]), updated=Max("events__created")
    )


def list_requests(request, fmt):
    problems, public = _visible(request)
    params = request.GET
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
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
        codes = [c for c in params.get("service_code", "").split(",") if c]
        if codes:
            problems = problems.filter(category__code__in=codes)
        statuses = [s for s in params.get("status", "").split(",") if s]
        if statuses and not set(statuses) <= {"open", "closed"}:
            return errors(fmt, 400, _("status is open or closed."))
        if statuses == ["open"]:
            problems = problems.exclude(status__in=CLOSED)
        elif statuses == ["closed"]:
            problems = problems.filter(status__in=CLOSED)
    rows = _with_notes(problems).order_by("-created", "-id")[:MAX_RESULTS]
    return respond(fmt, [_request_row(p, public) for p in rows], root="service_requests",
                   item="request")  # fmt: skip


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.BEIJING)


def get_request(request, number, fmt):
    problems, public = _visible(request)
    problem = _with_notes(problems.filter(number=number)).first()
    if problem is None:
        return errors(fmt, 404, _("No service request with that id."))
    return respond(fmt, [_request_row(problem, public)], root="service_requests", item="request")


def token(request, token, fmt):
    """Qingdan gives the id at once, so a token is the id itself."""
    problems, _public = _visible(request)
    if not problems.filter(number=token).exists():
        return errors(fmt, 404, _("No service request for that token."))
    return respond(fmt, [{"service_request_id": token, "token": token}],
                   root="service_requests", item="request")  # fmt: skip


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_endpoint(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt)
