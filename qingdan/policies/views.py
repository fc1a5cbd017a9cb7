"""Policy pages: the library, writing a policy and its conditions (the secretariat), its
matches, applying (an enterprise), and each application's steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, may_keep
from qingdan.core.parity import api_twin
from qingdan.enterprises.access import is_staff, visible_enterprises
from qingdan.lib import bounds, clock
from qingdan.lib.errors import ActionError, InvalidInput
from qingdan.policies import actions, checkup, commands, eligibility, workflow
from qingdan.policies import forms as f
from qingdan.policies.access import (
    access_application,
    access_policy,
    visible_applications,
    visible_policies,
)
from qingdan.policies.colours import colour_of
from qingdan.policies.models import Condition
from qingdan.problems.access import visible_problems
from qingdan.problems.warnings import cutoffs


@login_required
def policy_list(request):
    policies = visible_policies(request.user).prefetch_related("conditions")
    matches = {}
    if request.user.role == Role.ENTERPRISE:
        found = eligibility.policies_for(request.user.enterprise, policies.filter(published=True))
        matches = {m.policy.pk: m for m in found}
    rows = [(p, matches.get(p.pk)) for p in policies[:300]]
    return render(
        request,
        "policies/list.html",
        {
            "rows": rows,
            "can_write": may_keep(request.user),
            "checkup_on": request.user.role == Role.ENTERPRISE
            and checkup.wants_checkup(request.user),
        },
    )


def _policy_form(policy) -> f.PolicyForm:
    return f.PolicyForm(initial={name: getattr(policy, name) for name in actions.POLICY_FIELDS})


@api_twin("create_policy")
@login_required
def create(request):
    if not may_keep(request.user):
        raise PermissionDenied
    form = f.PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = actions.create_policy(actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect(policy)
    return render(request, "policies/edit.html", {"form": form, "policy": None})


@api_twin("update_policy")
@login_required
def edit(request, code):
    policy = access_policy(request.user, code)
    if not may_keep(request.user):
        raise PermissionDenied
    form = f.PolicyForm(request.POST) if request.method == "POST" else _policy_form(policy)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_policy(policy, actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect(policy)
    return render(request, "policies/edit.html", {"form": form, "policy": policy})


@login_required
def detail(request, code):
    policy = access_policy(request.user, code)
    user = request.user
    context = {
        "policy": policy,
        "conditions": [(c, eligibility.describe(c)) for c in policy.conditions.all()],
        "can_write": may_keep(user),
        "condition_form": f.ConditionForm(),
        "today": clock.today(),
    }
    if is_staff(user):
        found = eligibility.enterprises_for(policy, visible_enterprises(user))
        context["matches"] = [m for m in found if m.verdict != eligibility.NOT_ELIGIBLE]
        context["eligible"] = [m.enterprise for m in found if m.verdict == eligibility.ELIGIBLE]
        context["applications"] = visible_applications(user).filter(policy=policy)
    if user.role == Role.ENTERPRISE:
        context["own"] = eligibility.match(policy, user.enterprise)
        context["applications"] = visible_applications(user).filter(policy=policy)
        context["apply_form"] = f.ApplyForm()
        context["may_apply"] = (
            policy.published and not policy.exempt and policy.window_open(clock.today())
        )
    return render(request, "policies/detail.html", context)


def _post(request):
    if request.method != "POST":
        raise Http404


def _errors(form) -> str:
    return " ".join(str(m) for ms in form.errors.values() for m in ms)


@api_twin("publish_policy")
@login_required
def publish(request, code):
    _post(request)
    policy = access_policy(request.user, code)
    try:
        actions.publish_policy(
            policy, actor=request.user, published=request.POST.get("published") != "0"
        )
    except ActionError as refused:
        messages.error(request, refused.message)
    return redirect(policy)


@api_twin("add_condition")
@login_required
def add_condition(request, code):
    _post(request)
    policy = access_policy(request.user, code)
    form = f.ConditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(policy)
    try:
        actions.add_condition(policy, actor=request.user, **form.cleaned_data)
    except ActionError as refused:
        messages.error(request, refused.message)
    return redirect(policy)


@api_twin("remove_condition")
@login_required
def remove_condition(request, code, pk):
    _post(request)
    policy = access_policy(request.user, code)
    condition = Condition.objects.filter(policy=policy, pk=pk).first()
    if condition is None:
        raise Http404
    try:
        actions.remove_condition(condition, actor=request.user)
    except ActionError as refused:
        messages.error(request, refused.message)
    return redirect(policy)


@api_twin("grant_exempt")
@login_required
def grant(request, code):
    _post(request)
    policy = access_policy(request.user, code)
    form = f.GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(policy)
    try:
        granted = actions.grant_exempt(
            policy, actor=request.user, enterprises=list(form.cleaned_data["enterprises"])
        )
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(n)s enterprises are on the payment list.") % {"n": len(granted)}
        )
    return redirect(policy)


def find_problem(user, number: str):
    number = (number or "").strip()
    if not number:
        return None
    problem = visible_problems(user).filter(number=number[:20]).first()
    if problem is None:
        raise InvalidInput(_("There is no problem with that number."))
    return problem


@api_twin("apply_for_policy")
@login_required
def apply(request, code):
    _post(request)
    policy = access_policy(request.user, code)
    form = f.ApplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(policy)
    try:
        application = actions.apply(
            policy,
            actor=request.user,
            statement=form.cleaned_data["statement"],
            files=form.cleaned_data["files"],
            problem=find_problem(request.user, form.cleaned_data["problem"]),
        )
    except ActionError as refused:
        messages.error(request, refused.message)
        return redirect(policy)
    return redirect(application)


@login_required
def application_list(request):
    applications = visible_applications(request.user)
    state = request.GET.get("state", "")
    if state:
        applications = applications.filter(state=state[:20])
    cut = cutoffs()
    return render(
        request,
        "policies/applications.html",
        {
            "rows": [(a, colour_of(a, cut)) for a in applications[:300]],
            "state": state,
        },
    )


def _make_form(name, application, data=None, files=None):
    return commands.ACTIONS[name][0](data, files, initial={"version": application.version})


@login_required
def application_detail(request, code, errors=None):
    application = access_application(request.user, code)
    allowed = workflow.allowed_actions(request.user, application)
    forms = {name: _make_form(name, application) for name in allowed}
    if errors:
        forms[errors[0]] = errors[1]
    return render(
        request,
        "policies/application.html",
        {
            "application": application,
            "allowed": allowed,
            "forms": forms,
            "labels": workflow.ACTION_LABELS,
            "colour": colour_of(application, cutoffs()),
            "events": application.events.select_related("actor"),
            "materials": application.materials.all(),
        },
    )


@api_twin(
    "application_request_info",
    "application_resubmit",
    "application_add_materials",
    "application_approve",
    "application_refuse",
    "application_pay",
    "application_withdraw",
)
@login_required
def act(request, code, action):
    _post(request)
    application = access_application(request.user, code)
    if action not in commands.ACTIONS:
        raise Http404
    form = _make_form(action, application, request.POST, request.FILES)
    if not form.is_valid():
        return application_detail(request, code, errors=(action, form))
    try:
        commands.ACTIONS[action][1](
            application, actor=request.user, **form.action_kwargs(request.user)
        )
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, workflow.APPLICATIONS.label(action))
    return redirect(application)


@login_required
def material(request, code, pk):
    from qingdan.lib import downloads

    application = access_application(request.user, code)
    item = application.materials.filter(pk=bounds.row_id(pk)).first()
    if item is None:
        raise Http404
    return downloads.serve_upload(item.file, name=item.name, content_type=item.content_type)


@api_twin("set_policy_checkup")
@login_required
def checkup_subscription(request):
    _post(request)
    checkup.set_checkup(request.user, on=request.POST.get("on") == "1")
    messages.success(request, _("Saved."))
    return redirect("policies:list")
