"""Pages of the problem loop. Views parse input, fetch through ``access``, call one action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role, User
from qingdan.core import hooks
from qingdan.core.parity import api_twin
from qingdan.lib import bounds, clock, downloads
from qingdan.lib.errors import ActionError
from qingdan.problems import actions, calendar, commands, workflow
from qingdan.problems import forms as f
from qingdan.problems.access import access_problem, visible_problems
from qingdan.problems.models import (
    Category,
    ExtensionRequest,
    Problem,
    RequestState,
    ReturnRequest,
    Status,
)
from qingdan.problems.paging import keyset_page
from qingdan.problems.warnings import COLOURS, colour_of, colour_q, cutoffs, escalated_q

SECRETARIAT_ROLES = (Role.SECRETARIAT, Role.ADMIN)


def require_roles(request, roles) -> None:
    if request.user.role not in roles:
        raise PermissionDenied


# --- Lists ------------------------------------------------------------------------------------

LIST_RELATED = ["enterprise", "category", "lead_unit", "responsible"]


def filtered(request, problems):
    """Apply the list filters in the query string; returns (queryset, filters, cutoffs)."""
    cut = cutoffs()
    params = request.GET
    status = params.get("status", "")
    if status in Status.values:
        problems = problems.filter(status=status)
    elif status == "open":
        problems = problems.exclude(status__in=[Status.CLOSED, Status.DECLINED, Status.MERGED])
    colour = params.get("colour", "")
    if colour in (*COLOURS, "any"):
        problems = problems.filter(colour_q(colour, cut))
    category = bounds.row_id(params.get("category"))
    if category:
        problems = problems.filter(category_id=category)
    unit = bounds.query_text(params.get("unit"))
    if bounds.row_id(unit):  # drill-down links carry the id
        problems = problems.filter(lead_unit_id=bounds.row_id(unit))
    elif unit:  # people type a name: a province has thousands of units, too many for a list
        problems = problems.filter(lead_unit__name__contains=unit)
    if params.get("escalated"):
        problems = problems.filter(escalated_q())
    query = bounds.query_text(params.get("q"))
    if query:
        search = hooks.get("problems.search")
        if search is not None:  # Chinese full-text search, ranked (qingdan.search)
            ranked = (params.get("order") or "relevance") == "relevance"
            problems = search(problems, query, ranked=ranked)
        else:
            problems = problems.filter(
                Q(number=query) | Q(title__contains=query) | Q(enterprise__name__contains=query)
            )
    filters = {
        "status": status,
        "colour": colour,
        "category": params.get("category", ""),
        "unit": unit,
        "q": query,
        "order": params.get("order", ""),
    }
    return problems, filters, cut


def render_list(request, problems, *, title, tabs=(), active_tab="", default_order="recent"):
    problems, filters, cut = filtered(request, problems)
    order = filters["order"] or ("relevance" if filters["q"] else default_order)
    page = keyset_page(
        problems.select_related(*LIST_RELATED), order, request.GET.get("after", ""), size=50
    )
    rows = [(problem, colour_of(problem, cut)) for problem in page.items]
    return render(
        request,
        "problems/list.html",
        {
            "title": title,
            "rows": rows,
            "page": page,
            "filters": filters,
            "order": page.order,
            "tabs": tabs,
            "active_tab": active_tab,
            "statuses": Status.choices,
            "colours": COLOURS.items(),
            "categories": Category.objects.all(),
            "unit_filter": request.user.role != Role.ENTERPRISE and not tabs,
        },
    )


@login_required
def problem_list(request):
    user = request.user
    title = _("My enterprise's problems") if user.role == Role.ENTERPRISE else _("All problems")
    return render_list(request, visible_problems(user), title=title)


UNIT_TABS = [
    ("to_sign", gettext_lazy("To sign for")),
    ("in_progress", gettext_lazy("In progress")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
    ("co_handling", gettext_lazy("Co-handling")),
    ("history", gettext_lazy("History")),
]


@login_required
def inbox(request):
    """The unit's inbox. Tasks it leads by stage (each tab one index range on the lead unit),
    tasks it co-handles in a tab of their own, and its history."""
    user = request.user
    require_roles(request, (Role.UNIT_OFFICER, Role.UNIT_HEAD))
    tab = request.GET.get("tab", "to_sign")
    led = Problem.objects.filter(lead_unit_id=user.unit_id)
    cut = cutoffs()
    default_order = "deadline"
    if tab == "to_sign":
        problems = led.filter(status=Status.ASSIGNED)
    elif tab == "in_progress":
        problems = led.filter(status=Status.IN_PROGRESS)
    elif tab == "due_soon":
        problems = led.filter(colour_q("blue", cut))
    elif tab == "overdue":
        problems = led.filter(colour_q("any", cut))
    elif tab == "co_handling":
        problems = Problem.objects.filter(
            task_units__unit_id=user.unit_id, task_units__is_lead=False
        ).exclude(lead_unit_id=user.unit_id)
        default_order = "recent"
    else:
        tab, problems, default_order = "history", led, "recent"
    return render_list(
        request,
        problems,
        title=_("Unit inbox: %(unit)s") % {"unit": user.unit},
        tabs=UNIT_TABS,
        active_tab=tab,
        default_order=default_order,
    )


INTAKE_TABS = [
    ("submitted", gettext_lazy("To accept")),
    ("accepted", gettext_lazy("To assign")),
    ("returned", gettext_lazy("Returned")),
    ("resolved", gettext_lazy("Follow-up and close-out")),
]


@login_required
def intake(request):
    require_roles(request, SECRETARIAT_ROLES)
    tab = request.GET.get("tab", "submitted")
    if tab not in dict(INTAKE_TABS):
        tab = "submitted"
    return render_list(
        request,
        Problem.objects.filter(status=tab),
        title=_("Secretariat work queue"),
        tabs=INTAKE_TABS,
        active_tab=tab,
    )


@login_required
def overdue(request):
    """The overdue board: red and yellow tasks, oldest deadline first."""
    require_roles(request, (*SECRETARIAT_ROLES, Role.LEADER))
    cut = cutoffs()
    problems = Problem.objects.filter(colour_q("any", cut))
    return render_list(request, problems, title=_("Overdue board"), default_order="deadline")


@login_required
def approvals(request):
    require_roles(request, SECRETARIAT_ROLES)
    extensions = ExtensionRequest.objects.filter(state=RequestState.PENDING).select_related(
        "problem", "problem__lead_unit", "requested_by"
    )
    returns = ReturnRequest.objects.filter(state=RequestState.PENDING).select_related(
        "problem", "unit", "returned_by"
    )
    return render(
        request, "problems/approvals.html", {"extensions": extensions, "returns": returns}
    )


@login_required
def overview(request):
    """The leader's overview: running tasks per lead unit by warning colour, with drill-down."""
    require_roles(request, (*SECRETARIAT_ROLES, Role.LEADER))
    cut = cutoffs()
    running = Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
    counts = (
        Problem.objects.filter(lead_unit__isnull=False)
        .values("lead_unit", "lead_unit__name")
        .annotate(
            running=Count("id", filter=running),
            blue=Count("id", filter=colour_q("blue", cut)),
            yellow=Count("id", filter=colour_q("yellow", cut)),
            red=Count("id", filter=colour_q("red", cut)),
            resolved=Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
            redone=Count("id", filter=Q(redo_count__gt=0)),
        )
        .order_by("-red", "-yellow", "lead_unit__name")
    )
    totals = {
        key: sum(row[key] for row in counts)
        for key in ("running", "blue", "yellow", "red", "resolved", "redone")
    }
    by_status = dict(Problem.objects.values_list("status").annotate(n=Count("id")))
    statuses = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    return render(
        request,
        "problems/overview.html",
        {
            "rows": counts,
            "totals": totals,
            "statuses": statuses,
            "escalated": Problem.objects.filter(escalated_q()).count(),
            "calendar_warning": calendar.next_year_warning(),
        },
    )


# --- One problem ------------------------------------------------------------------------------


@api_twin("create_problem")
@login_required
def raise_problem(request):
    require_roles(request, (Role.ENTERPRISE, *SECRETARIAT_ROLES))
    form = f.RaiseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            problem = actions.raise_problem(
                actor=request.user, files=form.cleaned_data["files"], **form.input.as_kwargs()
            )
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("Problem %(number)s was submitted.") % {"number": problem.number}
            )
            return redirect(problem)
    return render(request, "problems/raise.html", {"form": form})


def action_forms(problem, user, bound=None):
    """The forms for the actions this person may take now, each with the page's version."""
    names = []
    for name in workflow.allowed_actions(user, problem):
        name = commands.FORM_FOR.get(name, name)
        if name not in names:
            names.append(name)
    forms = []
    for name in names:
        if bound is not None and bound[0] == name:
            form = bound[1]
        else:
            form = commands.ACTIONS[name][0](initial=initial_for(name, problem), prefix=name)
        forms.append((name, workflow.action_label(name), form))
    return forms


def initial_for(name: str, problem: Problem) -> dict:
    initial = {"version": problem.version}
    if name == "assign":
        try:
            sign_deadline, deadline = actions.default_deadlines(problem)
        except calendar.UnknownYear:  # the form is shown empty; assigning says why
            sign_deadline = deadline = None
        initial |= {
            "sign_deadline": sign_deadline,
            "deadline": deadline,
            "lead_unit": problem.lead_unit_id
            or problem.proposed_lead_unit_id
            or problem.category.default_lead_unit_id,
        }
    elif name == "approve_extension":
        pending = problem.extensions.filter(state=RequestState.PENDING).first()
        if pending:
            initial["new_deadline"] = pending.requested_deadline
    elif name == "follow_up":
        # The call is usually to the person who raised it: their name and phone, and now.
        raiser = problem.raised_by
        if raiser is not None and raiser.role == Role.ENTERPRISE:
            phone = f" {raiser.phone}" if raiser.phone else ""
            initial["person_called"] = f"{raiser.get_full_name()}{phone}"
        initial["called_at"] = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    return initial


@login_required
def detail(request, number, bound=None, status=200):
    problem = access_problem(request.user, number)
    events = problem.events.select_related(
        "actor", "actor__unit", "actor__enterprise"
    ).prefetch_related("attachments")
    cut = cutoffs()
    context = {
        "problem": problem,
        "colour": colour_of(problem, cut),
        "events": events,
        "task_units": problem.task_units.select_related("unit"),
        "extensions": problem.extensions.select_related("requested_by", "decided_by"),
        "returns": problem.returns.select_related("unit", "returned_by", "decided_by"),
        "forms": action_forms(problem, request.user, bound),
        "attachments": problem.attachments.filter(event__action="raise"),
        "escalated": problem.is_escalated,
        "calendar_note": calendar.counted_weekdays_note(problem.sign_deadline, problem.deadline),
        # Those who set deadlines hear from 1 November that next year's holidays are missing.
        "calendar_warning": calendar.next_year_warning() if request.user.is_secretariat else "",
        # A problem merged into another enterprise's: its number, never a link to a 404.
        "merged_into_visible": bool(problem.merged_into_id)
        and visible_problems(request.user).filter(pk=problem.merged_into_id).exists(),
    }
    return render(request, "problems/detail.html", context, status=status)


@api_twin("problem_{action}")
@login_required
@require_POST
def act(request, number, action):
    problem = access_problem(request.user, number)
    if action not in commands.ACTIONS:
        raise Http404
    form_class, handler = commands.ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: see the form below."))
        return detail(request, number, bound=(action, form), status=400)
    try:
        handler(problem, actor=request.user, **form.action_kwargs(request.user))
    except ActionError as refused:
        messages.error(request, refused.message)
        return detail(request, number, bound=(action, form), status=refused.status)
    messages.success(request, _("Done: %(action)s.") % {"action": workflow.action_label(action)})
    return redirect(problem)


@login_required
def attachment(request, number, pk):
    problem = access_problem(request.user, number)
    item = get_object_or_404(problem.attachments, pk=pk)
    return downloads.serve_upload(item.file, name=item.name, content_type=item.content_type)


@login_required
def responsible_options(request):
    """The people of one unit as <option>s, for the assignment form's responsible person
    (htmx: the list follows the chosen lead unit)."""
    require_roles(request, SECRETARIAT_ROLES)
    unit = request.GET.get("lead_unit", "")
    people = User.objects.none()
    if unit.isdigit() and len(unit) < 19:
        people = User.objects.filter(
            unit_id=int(unit), role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], is_active=True
        ).order_by("name")
    options = format_html_join("", '<option value="{}">{}</option>', ((p.pk, p) for p in people))
    return HttpResponse(format_html('<option value="">---------</option>{}', options))
