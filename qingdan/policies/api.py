"""Policies and applications through the API: the same forms, actions and visibility as the
pages (an enterprise sees only its own applications and matches)."""

from datetime import date, datetime

from django.http import Http404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Enterprise, Role
from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.enterprises.access import access_enterprise, is_staff, visible_enterprises
from qingdan.lib import bounds
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.policies import actions, checkup, commands, eligibility, figures, workflow
from qingdan.policies import forms as f
from qingdan.policies.access import (
    access_application,
    access_policy,
    visible_applications,
    visible_policies,
)
from qingdan.problems.access import visible_problems

router = Router(tags=["policies"])
Code = Path(..., max_length=bounds.CODE, description="A policy's number, e.g. ZC-2026-001")
AppCode = Path(..., max_length=bounds.CODE, description="An application's number")
MAX_PAGE = 300


class PolicyConditionOut(Schema):
    id: int
    kind: str
    figure: str
    operator: str
    value: str


class PolicyOut(Schema):
    code: str
    title: str
    issuer: str
    document_number: str
    valid_from: date
    valid_until: date | None
    summary: str
    benefit: str
    amount_wan_yuan: str | None
    materials: str
    window_opens: date | None
    window_closes: date | None
    exempt: bool
    review_unit: str | None
    review_days: int
    published: bool
    conditions: list[PolicyConditionOut]


def policy_out(p) -> dict:
    return {
        "code": p.code,
        "title": p.title,
        "issuer": p.issuer,
        "document_number": p.document_number,
        "valid_from": p.valid_from,
        "valid_until": p.valid_until,
        "summary": p.summary,
        "benefit": p.benefit,
        "amount_wan_yuan": None if p.amount_wan_yuan is None else str(p.amount_wan_yuan),
        "materials": p.materials,
        "window_opens": p.window_opens,
        "window_closes": p.window_closes,
        "exempt": p.exempt,
        "review_unit": p.review_unit.name if p.review_unit else None,
        "review_days": p.review_days,
        "published": p.published,
        "conditions": [
            {
                "id": c.pk,
                "kind": c.kind,
                "figure": c.figure,
                "operator": c.operator,
                "value": c.value,
            }
            for c in p.conditions.all()
        ],
    }


class PolicyResultOut(Schema):
    condition: int
    outcome: str
    found: str


class PolicyMatchOut(Schema):
    policy: str
    enterprise: str
    verdict: str
    results: list[PolicyResultOut]


def match_out(m) -> dict:
    return {
        "policy": m.policy.code,
        "enterprise": m.enterprise.credit_code,
        "verdict": m.verdict,
        "results": [
            {"condition": r.condition.pk, "outcome": r.outcome, "found": r.found} for r in m.results
        ],
    }


class PolicyApplicationOut(Schema):
    code: str
    policy: str
    enterprise: str
    exempt: bool
    state: str
    state_label: str
    submitted: datetime
    review_deadline: date | None
    reason: str
    amount_wan_yuan: str | None
    paid_on: date | None
    problem: str | None
    version: int
    allowed_actions: list[str]


def application_out(a, user) -> dict:
    return {
        "code": a.code,
        "policy": a.policy.code,
        "enterprise": a.enterprise.credit_code,
        "exempt": a.exempt,
        "state": a.state,
        "state_label": a.get_state_display(),
        "submitted": a.submitted,
        "review_deadline": a.review_deadline,
        "reason": a.reason,
        "amount_wan_yuan": None if a.amount_wan_yuan is None else str(a.amount_wan_yuan),
        "paid_on": a.paid_on,
        "problem": a.problem.number if a.problem_id else None,
        "version": a.version,
        "allowed_actions": workflow.allowed_actions(user, a),
    }


@router.get("/policies", response={200: list[PolicyOut], **ERRORS})
def list_policies(request):
    policies = visible_policies(request.user).prefetch_related("conditions")[:MAX_PAGE]
    return [policy_out(p) for p in policies]


@router.get("/policies/{code}", response={200: PolicyOut, **ERRORS})
def get_policy(request, code: str = Code):
    return policy_out(access_policy(request.user, code))


PolicyIn = schema_for(f.PolicyForm, "PolicyIn")
ConditionIn = schema_for(f.ConditionForm, "PolicyConditionIn")


@router.post("/policies", response={201: PolicyOut, **ERRORS})
def create_policy(request, payload: PolicyIn):  # type: ignore[valid-type]
    limit_writes(request)
    data = run_form(f.PolicyForm, payload_dict(payload)).cleaned_data
    return HttpStatus(201, policy_out(actions.create_policy(actor=request.user, values=data)))


@router.put("/policies/{code}", response={200: PolicyOut, **ERRORS})
def update_policy(request, payload: PolicyIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    policy = access_policy(request.user, code)
    data = run_form(f.PolicyForm, payload_dict(payload)).cleaned_data
    return policy_out(actions.update_policy(policy, actor=request.user, values=data))


class PolicyPublishIn(Schema):
    published: bool = True


@router.post("/policies/{code}/publish", response={200: PolicyOut, **ERRORS})
def publish_policy(request, payload: PolicyPublishIn, code: str = Code):
    limit_writes(request)
    policy = access_policy(request.user, code)
    return policy_out(
        actions.publish_policy(policy, actor=request.user, published=payload.published)
    )


@router.post("/policies/{code}/conditions", response={200: PolicyOut, **ERRORS})
def add_condition(request, payload: ConditionIn, code: str = Code):  # type: ignore[valid-type]
    limit_writes(request)
    policy = access_policy(request.user, code)
    data = run_form(f.ConditionForm, payload_dict(payload)).cleaned_data
    actions.add_condition(policy, actor=request.user, **data)
    return policy_out(policy)


@router.delete("/policies/{code}/conditions/{pk}", response={200: PolicyOut, **ERRORS})
def remove_condition(request, pk: int, code: str = Code):
    limit_writes(request)
    policy = access_policy(request.user, code)
    condition = policy.conditions.filter(pk=bounds.row_id(pk)).first()
    if condition is None:
        raise Http404
    actions.remove_condition(condition, actor=request.user)
    return policy_out(policy)


@router.get("/policies/{code}/matches", response={200: list[PolicyMatchOut], **ERRORS})
def policy_matches(request, code: str = Code):
    """Every enterprise's match (staff); an enterprise gets its own only."""
    policy = access_policy(request.user, code)
    if is_staff(request.user):
        return [
            match_out(m)
            for m in eligibility.enterprises_for(policy, visible_enterprises(request.user))
        ]
    if request.user.role == Role.ENTERPRISE:
        return [match_out(eligibility.match(policy, request.user.enterprise))]
    return []


@router.get(
    "/enterprise-records/{credit_code}/policy-matches",
    response={200: list[PolicyMatchOut], **ERRORS},
)
def enterprise_policy_matches(request, credit_code: str = Path(..., max_length=bounds.CODE)):
    """The published policies the enterprise qualifies for or is one condition short of."""
    enterprise = access_enterprise(request.user, credit_code)
    policies = visible_policies(request.user).filter(published=True)
    return [match_out(m) for m in eligibility.policies_for(enterprise, policies)]


class PolicyGrantIn(Schema):
    enterprises: list[str]


@router.post("/policies/{code}/grant", response={200: list[PolicyApplicationOut], **ERRORS})
def grant_exempt(request, payload: PolicyGrantIn, code: str = Code):
    """免申即享: approve the payment list (credit codes of eligible enterprises)."""
    limit_writes(request)
    policy = access_policy(request.user, code)
    codes = [c[: bounds.CODE] for c in payload.enterprises[:1000]]
    found = list(Enterprise.objects.filter(credit_code__in=codes))
    if len(found) != len(set(codes)):
        raise InvalidInput(_("Some credit codes are not of registered enterprises."))
    granted = actions.grant_exempt(policy, actor=request.user, enterprises=found)
    return [application_out(a, request.user) for a in granted]


class PolicyApplyIn(Schema):
    statement: str = ""
    problem: str = ""


@router.post("/policies/{code}/apply", response={201: PolicyApplicationOut, **ERRORS})
def apply_for_policy(request, payload: PolicyApplyIn, code: str = Code):
    """申报 with a statement; the materials follow as a multipart upload to
    ``POST /policy-applications/{code}/materials``."""
    limit_writes(request)
    policy = access_policy(request.user, code)
    data = run_form(f.ApplyForm, payload_dict(payload)).cleaned_data
    problem = None
    if data["problem"]:
        problem = visible_problems(request.user).filter(number=data["problem"].strip()).first()
        if problem is None:
            raise InvalidInput(_("There is no problem with that number."))
    application = actions.apply(
        policy, actor=request.user, statement=data["statement"], problem=problem
    )
    return HttpStatus(201, application_out(application, request.user))


@router.get("/policy-applications", response={200: list[PolicyApplicationOut], **ERRORS})
def list_applications(request):
    return [application_out(a, request.user) for a in visible_applications(request.user)[:MAX_PAGE]]


@router.get("/policy-applications/{code}", response={200: PolicyApplicationOut, **ERRORS})
def get_application(request, code: str = AppCode):
    return application_out(access_application(request.user, code), request.user)


class PolicyKpiOut(Schema):
    applications: int
    exempt: int
    open: int
    approved: int
    paid: int
    amount: str
    average_days_to_payment: str | None


@router.get("/policy-kpis", response={200: PolicyKpiOut, **ERRORS})
def policy_kpis(request):
    if request.user.role == Role.ENTERPRISE:
        raise NotAllowed(_("The park's figures are for its staff."))
    t = figures.totals()
    t["amount"] = str(t["amount"])
    days = t["average_days_to_payment"]
    t["average_days_to_payment"] = None if days is None else str(days)
    return t


def _add_step(name: str, form_class, function) -> None:
    body = schema_for(form_class, f"Application_{name}_In")

    def endpoint(request, payload: body, code: str = AppCode):  # type: ignore[valid-type]
        limit_writes(request)
        application = access_application(request.user, code)
        form = run_form(form_class, payload_dict(payload))
        function(application, actor=request.user, **form.action_kwargs(request.user))
        return application_out(access_application(request.user, code), request.user)

    endpoint.__name__ = f"application_{name}"
    router.post(
        f"/policy-applications/{{code}}/actions/{name}",
        response={200: PolicyApplicationOut, **ERRORS},
        operation_id=f"application_{name}",
        summary=workflow.APPLICATIONS.label(name),
        description="The same step as on the application's page, with the same rules.",
    )(endpoint)


for _name, (_form, _function) in commands.ACTIONS.items():
    if _name != "add_materials":  # files: a multipart operation of its own, below
        _add_step(_name, _form, _function)


@router.post(
    "/policy-applications/{code}/materials",
    response={200: PolicyApplicationOut, **ERRORS},
    operation_id="application_add_materials",
    summary=workflow.APPLICATIONS.label("add_materials"),
)
def add_materials(
    request,
    files: File[list[UploadedFile]],
    code: str = AppCode,
    note: Form[str] = "",
    version: Form[int | None] = None,
):
    """The applicant's materials (申报材料), as a multipart upload of one or more ``files``,
    checked as on the page (type read from the content, size limit); while the application waits
    for review or for the information asked. Apply first (``POST /policies/{code}/apply``), then
    attach."""
    limit_writes(request)
    application = access_application(request.user, code)
    form = run_form(
        f.AddMaterialsForm,
        {"note": note} | ({} if version is None else {"version": version}),
        files=MultiValueDict({"files": list(files)}),
    )
    actions.add_materials(application, actor=request.user, **form.action_kwargs(request.user))
    return application_out(access_application(request.user, code), request.user)


class PolicyCheckupIn(Schema):
    on: bool


class PolicyCheckupOut(Schema):
    on: bool


@router.put("/policy-checkup", response={200: PolicyCheckupOut, **ERRORS})
def set_policy_checkup(request, payload: PolicyCheckupIn):
    """Turn your weekly 政策体检 notice on or off."""
    limit_writes(request)
    checkup.set_checkup(request.user, on=payload.on)
    return {"on": checkup.wants_checkup(request.user)}
