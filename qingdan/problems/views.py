"""Pages of the problem loop. Views parse input, fetch through ``access``, call one action."""

import datetime
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
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
from qingdan.problems import (
    actions,
    calendar,
    commands,
    documents,
    export,
    kpis,
    supervision,
    workflow,
)
from qingdan.problems import batch as batch_work
from qingdan.problems import forms as f
from qingdan.problems.access import access_problem, visible_problems
from qingdan.problems.models import (
    Category,
    ExtensionRequest,
    Instruction,
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
    enterprise = bounds.query_text(params.get("enterprise"))
    if enterprise:
        problems = problems.filter(
            Q(enterprise__name__contains=enterprise) | Q(enterprise__credit_code=enterprise.upper())
        )
    raised_after = _date_param(params.get("raised_after"))
    if raised_after:
        problems = problems.filter(created__gte=_start_of(raised_after))
    raised_before = _date_param(params.get("raised_before"))
    if raised_before:  # inclusive: up to the end of that day
        problems = problems.filter(
            created__lt=_start_of(raised_before + datetime.timedelta(days=1))
        )
    exchange_day = _date_param(params.get("exchange_day"))
    if exchange_day:  # the problems entered for one exchange day (to accept and assign at once)
        problems = problems.filter(exchange_day__date=exchange_day)
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
        "enterprise": enterprise,
        "raised_after": raised_after.isoformat() if raised_after else "",
        "raised_before": raised_before.isoformat() if raised_before else "",
        "exchange_day": exchange_day.isoformat() if exchange_day else "",
    }
    return problems, filters, cut


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=clock.BEIJING)


def _date_param(text) -> datetime.date | None:
    try:
        return bounds.clean_date(datetime.date.fromisoformat((text or "").strip()))
    except ValueError:
        return None


def render_list(
    request, problems, *, title, tabs=(), active_tab="", default_order="recent", tab_counts=None
):
    problems, filters, cut = filtered(request, problems)
    if request.GET.get("export") == "xlsx":  # every row the filters select, not one page
        return export_response(problems)
    order = filters["order"] or ("relevance" if filters["q"] else default_order)
    page = keyset_page(
        problems.select_related(*LIST_RELATED), order, request.GET.get("after", ""), size=50
    )
    rows = [(problem, colour_of(problem, cut)) for problem in page.items]
    urges = supervision.urge_counts(problem.pk for problem in page.items)
    for problem in page.items:
        problem.urges = urges.get(problem.pk, 0)
    return render(
        request,
        "problems/list.html",
        {
            "title": title,
            "rows": rows,
            "page": page,
            "filters": filters,
            "order": page.order,
            "tabs": [(key, label, (tab_counts or {}).get(key)) for key, label in tabs],
            "active_tab": active_tab,
            "statuses": Status.choices,
            "colours": COLOURS.items(),
            "categories": Category.objects.all(),
            "unit_filter": request.user.role != Role.ENTERPRISE and not tabs,
            "batch_actions": batch_actions_for(request.user),
            "batch_form": f.BatchForm(),
            "query": request.GET.urlencode(),
        },
    )


def batch_actions_for(user) -> list[tuple[str, str]]:
    """The batch actions offered on lists: what the person's role may do on many rows."""
    if user.role in SECRETARIAT_ROLES:
        names = ["accept", "accept_assign", "assign", "urge"]
    elif user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        names = ["sign"]
    else:
        names = []
    return [(name, batch_work.BATCH_ACTIONS[name]) for name in names]


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
    counts = led.aggregate(
        to_sign=Count("id", filter=Q(status=Status.ASSIGNED)),
        in_progress=Count("id", filter=Q(status=Status.IN_PROGRESS)),
        due_soon=Count("id", filter=colour_q("blue", cut)),
        overdue=Count("id", filter=colour_q("any", cut)),
    )
    return render_list(
        request,
        problems,
        title=_("Unit inbox: %(unit)s") % {"unit": user.unit},
        tabs=UNIT_TABS,
        active_tab=tab,
        default_order=default_order,
        tab_counts=counts,
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
    counts = dict(
        Problem.objects.filter(status__in=[key for key, _label in INTAKE_TABS])
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return render_list(
        request,
        Problem.objects.filter(status=tab),
        title=_("Secretariat work queue"),
        tabs=INTAKE_TABS,
        active_tab=tab,
        tab_counts=counts,
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
    """The leader's overview: running tasks per lead unit by warning colour, with drill-down;
    resolved, redone and the on-time rate this year from the KPI module (``kpis``), the same
    functions as the bulletin."""
    require_roles(request, (*SECRETARIAT_ROLES, Role.LEADER))
    cut = cutoffs()
    running = Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
    counts = list(
        Problem.objects.filter(lead_unit__isnull=False)
        .values("lead_unit", "lead_unit__name")
        .annotate(
            running=Count("id", filter=running),
            blue=Count("id", filter=colour_q("blue", cut)),
            yellow=Count("id", filter=colour_q("yellow", cut)),
            red=Count("id", filter=colour_q("red", cut)),
        )
        .order_by("-red", "-yellow", "lead_unit__name")
    )
    overall, per_unit = year_figures()
    urges = supervision.unit_urge_counts()
    for row in counts:
        row["urges"] = urges.get(row["lead_unit"], 0)
        figs = per_unit.get(row["lead_unit"])
        row["resolved"] = figs.resolved if figs else 0
        row["redone"] = figs.redone if figs else 0
        row["on_time_rate"] = kpis.text(figs.on_time_rate) if figs else None
    totals = {key: sum(row[key] for row in counts) for key in ("running", "blue", "yellow", "red")}
    totals |= {
        "resolved": overall.resolved,
        "redone": overall.redone,
        "on_time_rate": kpis.text(overall.on_time_rate),
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


def year_figures():
    """This year's cohort (problems raised since 1 January), figures now, from ``kpis``."""
    today = clock.today()
    return kpis.unit_figures(kpis.cohort(today.replace(month=1, day=1), today + timedelta(days=1)))


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
        if name not in names and name in commands.ACTIONS:
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
    elif name == "supervise":
        initial["reply_due"] = calendar.add_workdays(clock.today(), 3, guess=True)
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
        "instructions": problem.instructions.select_related("leader", "acknowledged_by"),
        "supervisions": problem.supervisions.select_related("opened_by", "replied_by", "unit"),
        "urges": sum(1 for event in events if event.action == "urge"),
        "documents": (problem.documents.all() if request.user.role != Role.ENTERPRISE else []),
        "may_issue": (
            request.user.is_secretariat
            and "issue_document" in workflow.allowed_actions(request.user, problem)
        ),
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


# --- Supervision ------------------------------------------------------------------------------

STAFF_ROLES = (*SECRETARIAT_ROLES, Role.LEADER)
UNIT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD)


@login_required
def supervisions(request):
    """Open supervisions with their own colours: park-wide for the secretariat and the
    leaders, the unit's own for a unit."""
    user = request.user
    require_roles(request, (*STAFF_ROLES, *UNIT_ROLES))
    found = supervision.open_supervisions()
    if user.role in UNIT_ROLES:
        found = found.filter(unit_id=user.unit_id)
    today = clock.today()
    rows = [(item, supervision.supervision_colour(item, today)) for item in found]
    return render(request, "problems/supervisions.html", {"rows": rows})


@login_required
def instructions(request):
    """Leaders' instructions with their follow-up: a leader's own, every one for the
    secretariat, those waiting on the unit for a unit."""
    user = request.user
    require_roles(request, (*STAFF_ROLES, *UNIT_ROLES))
    if user.role == Role.LEADER:
        found = supervision.instructions_of(user)
    else:
        found = Instruction.objects.select_related(
            "problem", "problem__lead_unit", "leader", "acknowledged_by"
        )
        if user.role in UNIT_ROLES:
            found = found.filter(problem__lead_unit_id=user.unit_id)
    if request.GET.get("pending"):
        found = found.filter(acknowledged_at__isnull=True)
    return render(request, "problems/instructions.html", {"items": found[:500]})


@api_twin("record_interview")
@login_required
def interviews(request):
    """约谈 records, listed per unit; the secretariat records a new one here."""
    user = request.user
    require_roles(request, (*STAFF_ROLES, *UNIT_ROLES))
    unit_id = bounds.row_id(request.GET.get("unit"))
    if user.role in UNIT_ROLES:
        unit_id = user.unit_id
    form = None
    if user.role in SECRETARIAT_ROLES:
        form = f.InterviewForm(request.POST or None, initial={"unit": unit_id})
        if request.method == "POST" and form.is_valid():
            try:
                actions.record_interview(actor=user, **form.action_kwargs(user))
            except ActionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The interview was recorded."))
                return redirect(request.get_full_path())
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "problems/interviews.html",
        {"items": supervision.interviews(unit_id), "form": form, "unit_id": unit_id},
    )


# --- Batch work and export --------------------------------------------------------------------


@api_twin("problem_batch")
@login_required
@require_POST
def batch(request):
    """The same action on the problems ticked in a list; a summary of what was done and what
    was refused (and why)."""
    form = f.BatchForm(request.POST)
    summary = None
    if form.is_valid():
        try:
            kwargs = form.action_kwargs(request.user)
            summary = batch_work.run(request.user, kwargs.pop("action"), **kwargs)
        except ActionError as refused:
            form.add_error(None, refused.message)
    status = 200 if summary is not None else 400
    return render(
        request,
        "problems/batch.html",
        {"form": form, "summary": summary, "labels": batch_work.BATCH_ACTIONS},
        status=status,
    )


def export_response(problems) -> FileResponse:
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return FileResponse(
        export.write(problems),
        as_attachment=True,
        filename=f"problems-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- Documents (交办单, 督办通知书) --------------------------------------------------------------


def _documents_of(user, problem):
    """The documents of a task: for the park's staff and the units on it (404 for others)."""
    if user.role == Role.ENTERPRISE:
        raise Http404
    return problem.documents.select_related("issued_by")


@api_twin("issue_document")
@login_required
@require_POST
def issue_document(request, number, kind):
    problem = access_problem(request.user, number)
    _documents_of(request.user, problem)
    try:
        document = documents.issue(problem, actor=request.user, kind=kind)
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Issued: %(number)s.") % {"number": document.number})
    return redirect(problem)


@login_required
def document_file(request, number, pk, fmt):
    problem = access_problem(request.user, number)
    document = get_object_or_404(_documents_of(request.user, problem), pk=pk)
    if fmt == "pdf":
        field, content_type = document.pdf, "application/pdf"
    elif fmt == "docx" and document.docx:
        field = document.docx
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    return downloads.serve_upload(field, name=f"{document.number}.{fmt}", content_type=content_type)


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
