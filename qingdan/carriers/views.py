"""Carrier pages: the secretariat's ledger (buildings, land, leases, space requests, alerts,
figures, Excel), an enterprise's own leases and requests, the match search, the park map and
the public vacancy list. Views parse input, fetch through ``access``, call one action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Enterprise, Role, may_keep
from qingdan.carriers import actions, figures, importing, indicators, public
from qingdan.carriers.access import (
    access_building,
    access_lease,
    access_parcel,
    access_request,
    is_staff,
    may_search,
    visible_buildings,
    visible_leases,
    visible_parcels,
    visible_requests,
)
from qingdan.carriers.forms import (
    BuildingForm,
    EndLeaseForm,
    LeaseForm,
    NeedForm,
    ParcelForm,
    RequestForm,
    StepDoneForm,
    StepForm,
)
from qingdan.carriers.matching import Need, match
from qingdan.carriers.models import CleanupStep
from qingdan.core import records
from qingdan.core.parity import api_twin
from qingdan.core.ratelimit import RateLimited
from qingdan.lib import clock
from qingdan.lib.errors import ActionError
from qingdan.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_staff(request):
    if not is_staff(request.user):
        raise Http404


def _require_keeper(request):
    if not may_keep(request.user):
        raise PermissionDenied


def _refused(form, refused: ActionError):
    for field, problems in refused.fields.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(field if field in form.fields else None, str(problem))
    if not refused.fields:
        form.add_error(None, str(refused.message))


@login_required
def index(request):
    """The ledger: the figures, the buildings and the parcels (staff)."""
    _require_staff(request)
    today = clock.today()
    return render(
        request,
        "carriers/index.html",
        {
            "f": figures.figures(today),
            "alerts": figures.alerts(today)[:10],
            "buildings": visible_buildings(request.user),
            "parcels": visible_parcels(request.user),
            "keeper": may_keep(request.user),
        },
    )


def _web(form):
    """The page's form: shapes are drawn on the map (``parkmap.shape_save``), not typed here,
    so an edit never sends (and clears) one."""
    form.fields.pop("shape", None)
    return form


def _save(request, obj, form_class, save, template, context):
    partial = obj is not None
    if request.method == "POST":
        _require_keeper(request)
        form = _web(form_class(request.POST, partial=partial))
        if form.is_valid():
            try:
                saved = save(obj, actor=request.user, values=form.values())
            except ActionError as refused:
                _refused(form, refused)
            else:
                messages.success(request, _("Saved."))
                return redirect(saved)
    else:
        initial = {}
        if obj is not None:
            initial = {name: getattr(obj, name) for name in form_class.base_fields}
            initial.pop("shape", None)
        form = _web(form_class(initial=initial, partial=partial))
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@api_twin("create_building")
@login_required
def building_new(request):
    _require_staff(request)
    return _save(
        request,
        None,
        BuildingForm,
        actions.save_building,
        "carriers/edit.html",
        {"title": _("New building")},
    )


@api_twin("update_building", "create_lease")
@login_required
def building_detail(request, code):
    building = access_building(request.user, code)
    today = clock.today()
    if request.method == "POST" and request.POST.get("form") == "lease":
        return lease_create(request, building)
    response = _save(
        request,
        building,
        BuildingForm,
        actions.save_building,
        "carriers/building.html",
        {
            "building": building,
            "keeper": may_keep(request.user),
            "leases": building.leases.select_related("enterprise", "project"),
            "lease_form": LeaseForm(initial={"starts_on": today}),
            "history": records.history(building)[:30],
        },
    )
    return response


def lease_create(request, building, *, template="carriers/building.html", context=None):
    _require_keeper(request)
    form = LeaseForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        space_request = None
        if data.pop("space_request"):
            space_request = access_request(request.user, form.cleaned_data["space_request"])
        try:
            lease = actions.create_lease(
                building, actor=request.user, space_request=space_request, **data
            )
        except ActionError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("The lease is recorded."))
            if lease.project_id:
                return redirect("projects:detail", lease.project_id)
            return redirect(building)
    context = context or {
        "building": building,
        "keeper": True,
        "form": _web(
            BuildingForm(
                partial=True,
                initial={
                    name: getattr(building, name)
                    for name in BuildingForm.base_fields
                    if name != "shape"
                },
            )
        ),
        "leases": building.leases.select_related("enterprise", "project"),
        "history": records.history(building)[:30],
    }
    return render(request, template, {**context, "lease_form": form}, status=400)


@api_twin("end_lease")
@login_required
@require_POST
def lease_end(request, pk):
    lease = access_lease(request.user, pk)
    _require_keeper(request)
    form = EndLeaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for m in form.errors.get("ends_on", [])))
        return redirect(lease.building)
    try:
        actions.end_lease(lease, actor=request.user, ends_on=form.cleaned_data["ends_on"])
    except ActionError as refused:
        messages.error(request, str(refused.message))
    return redirect(lease.building)


@api_twin("create_parcel")
@login_required
def parcel_new(request):
    _require_staff(request)
    return _save(
        request,
        None,
        ParcelForm,
        actions.save_parcel,
        "carriers/edit.html",
        {"title": _("New land parcel")},
    )


@api_twin("update_parcel")
@login_required
def parcel_detail(request, code):
    parcel = access_parcel(request.user, code)
    return _save(
        request,
        parcel,
        ParcelForm,
        actions.save_parcel,
        "carriers/parcel.html",
        {
            "parcel": parcel,
            "keeper": may_keep(request.user),
            "steps": parcel.steps.all(),
            "step_form": StepForm(),
            "done_form": StepDoneForm(initial={"done_on": clock.today()}),
            "history": records.history(parcel)[:30],
            "today": clock.today(),
        },
    )


@api_twin("add_cleanup_step")
@login_required
@require_POST
def step_add(request, code):
    parcel = access_parcel(request.user, code)
    _require_keeper(request)
    form = StepForm(request.POST)
    if form.is_valid():
        actions.add_cleanup_step(parcel, actor=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("A step needs a title and a date."))
    return redirect(parcel)


@api_twin("finish_cleanup_step")
@login_required
@require_POST
def step_done(request, code, pk):
    parcel = access_parcel(request.user, code)
    _require_keeper(request)
    step = CleanupStep.objects.filter(parcel=parcel, pk=pk).first()
    if step is None:
        raise Http404
    form = StepDoneForm(request.POST)
    if form.is_valid():
        try:
            actions.finish_cleanup_step(step, actor=request.user, **form.cleaned_data)
        except ActionError as refused:
            messages.error(request, str(refused.message))
    return redirect(parcel)


@login_required
def leases(request):
    """Staff: every lease; an enterprise: its own (and its projects')."""
    rows = visible_leases(request.user)
    if not is_staff(request.user) and request.user.role != Role.ENTERPRISE:
        raise Http404
    return render(request, "carriers/leases.html", {"leases": rows[:500]})


def _request_form(request, data=None):
    form = RequestForm(data)
    if request.user.role == Role.ENTERPRISE:
        form.fields["enterprise"].queryset = Enterprise.objects.filter(
            pk=request.user.enterprise_id
        )
        form.fields["project"].queryset = Project.objects.filter(
            investor_id=request.user.enterprise_id
        )
    return form


@api_twin("create_space_request")
@login_required
def requests_list(request):
    if not is_staff(request.user) and request.user.role != Role.ENTERPRISE:
        raise Http404
    form = _request_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_request(actor=request.user, values=form.values())
        except ActionError as refused:
            _refused(form, refused)
        else:
            return redirect(created)
    if request.method == "GET":  # from a project's page or a 土地与厂房 task
        for name in ("project", "enterprise"):
            if request.GET.get(name, "").isdigit():
                form.initial[name] = request.GET[name][:20]
    return render(
        request,
        "carriers/requests.html",
        {
            "requests": visible_requests(request.user)[:300],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def request_detail(request, pk):
    space_request = access_request(request.user, pk)
    today = clock.today()
    matches = match(Need.of(space_request), today=today)
    if not is_staff(request.user):  # an enterprise sees what fits, as the public list shows
        matches = [m for m in matches if m.fits]
    lease_forms = {}
    if may_keep(request.user):
        for m in matches:
            if m.fits:
                lease_forms[m.building.code] = LeaseForm(
                    initial={
                        "area_m2": space_request.area_m2,
                        "enterprise": space_request.enterprise_id,
                        "project": space_request.project_id,
                        "space_request": space_request.pk,
                        "starts_on": max(m.available_from, today),
                    }
                )
    return render(
        request,
        "carriers/request.html",
        {
            "r": space_request,
            "matches": [(m, lease_forms.get(m.building.code)) for m in matches],
            "staff": is_staff(request.user),
        },
    )


@api_twin("create_lease")
@login_required
@require_POST
def request_lease(request, pk, code):
    """Let the building a match proposed (the secretariat), meeting the request."""
    space_request = access_request(request.user, pk)
    building = access_building(request.user, code)
    _require_keeper(request)
    form = LeaseForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("space_request", None)
        try:
            lease = actions.create_lease(
                building, actor=request.user, space_request=space_request, **data
            )
        except ActionError as refused:
            messages.error(request, str(refused.message))
            return redirect(space_request)
        messages.success(request, _("The lease is recorded."))
        if lease.project_id:
            return redirect("projects:detail", lease.project_id)
        return redirect(building)
    messages.error(request, " ".join(str(m) for e in form.errors.values() for m in e))
    return redirect(space_request)


@login_required
def match_search(request):
    """The same search as a space request, without saving one (e.g. from a 土地与厂房 task)."""
    if not may_search(request.user):
        raise Http404
    form = NeedForm(request.GET or None)
    matches = []
    if form.is_bound and form.is_valid():
        matches = match(Need(**form.cleaned_data), today=clock.today())
    return render(
        request,
        "carriers/match.html",
        {
            "form": form,
            "pairs": [(m, None) for m in matches],
            "staff": is_staff(request.user),
        },
    )


@login_required
def alerts(request):
    _require_staff(request)
    return render(
        request,
        "carriers/alerts.html",
        {
            "alerts": figures.alerts(clock.today()),
            "months": figures.vacant_months_limit(),
        },
    )


@login_required
def report(request):
    _require_staff(request)
    return render(request, "carriers/report.html", {"rows": figures.signing_to_production()})


@login_required
def export(request, kind):
    _require_staff(request)
    if kind not in importing.SHEETS:
        raise Http404
    response = HttpResponse(importing.export_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}.xlsx"'
    return response


@api_twin("import_carriers")
@login_required
@require_POST
def import_view(request, kind):
    _require_staff(request)
    _require_keeper(request)
    if kind not in importing.SHEETS:
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("carriers:index")
    with transaction.atomic():
        saved, errors = importing.import_xlsx(kind, upload.read(), actor=request.user)
    if errors:
        return render(
            request,
            "exchange/batch_errors.html",
            {
                "day": _("Factories and land"),
                "message": _("Nothing was imported: correct these cells."),
                "errors": errors,
            },
            status=400,
        )
    messages.success(request, _("%(n)s rows were imported.") % {"n": saved})
    return redirect("carriers:index")


def public_vacancies(request):
    """Carriers available to rent, for investors: no tenants' names (anonymous; rate-limited)."""
    try:
        public.limit_reads(request)
    except RateLimited as limited:
        response = HttpResponse(str(limited.message), status=429, content_type="text/plain")
        response["Retry-After"] = str(limited.retry_after)
        return response
    return render(request, "carriers/public.html", {"rows": public.vacancies(clock.today())})


@api_twin("record_carrier_indicators")
@login_required
@require_POST
def indicators_record(request):
    """This month's figures into the monthly indicators (the secretariat)."""
    _require_staff(request)
    _require_keeper(request)
    rows = indicators.record_month(actor=request.user, day=clock.today())
    messages.success(request, _("%(n)s values were recorded.") % {"n": len(rows)})
    return redirect("carriers:index")
