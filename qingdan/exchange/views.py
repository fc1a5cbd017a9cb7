"""Exchange days: record the meeting, enter its problems fast, import and export the list."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role, Unit, UnitKind
from qingdan.core.parity import api_twin
from qingdan.exchange import actions, importing
from qingdan.exchange.forms import (
    BATCH_ROWS,
    ExchangeDayForm,
    ImportForm,
    batch_rows,
    categories,
    rows_with_errors,
)
from qingdan.exchange.models import ExchangeDay, ImportJob
from qingdan.exchange.suggest import suggest_enterprises
from qingdan.lib import clock

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _secretariat_only(request) -> None:
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied


def _may_read(request) -> None:
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        raise PermissionDenied


@api_twin("create_exchange_day")
@login_required
def day_list(request):
    _may_read(request)
    form = ExchangeDayForm(request.POST or None, initial={"date": _next_monday()})
    if request.method == "POST":
        _secretariat_only(request)
        if form.is_valid():
            try:
                day = actions.record_exchange_day(
                    actor=request.user,
                    day=form.cleaned_data["date"],
                    chair=form.cleaned_data["chair"],
                    leaders=form.cleaned_data["leaders"],
                    minutes=form.cleaned_data["minutes"],
                    date_reason=form.cleaned_data["date_reason"],
                )
            except actions.ExchangeError as refused:
                for error in refused.errors:
                    form.add_error(None, error)
            else:
                return redirect(day)
    days = ExchangeDay.objects.annotate(problem_count=Count("problems"))[:100]
    return render(request, "exchange/list.html", {"days": days, "form": form})


def _next_monday():
    today = clock.today()
    return today + timedelta(days=(7 - today.weekday()) % 7)


def _day(day) -> ExchangeDay:
    return get_object_or_404(ExchangeDay, date=day)


@login_required
def detail(request, day, rows=None, message="", unplaced=(), status=200):
    _may_read(request)
    exchange_day = _day(day)
    problems = exchange_day.problems.select_related("enterprise", "category", "lead_unit")
    return render(
        request,
        "exchange/detail.html",
        {
            "day": exchange_day,
            "problems": problems,
            "import_form": ImportForm(),
            "jobs": exchange_day.imports.all()[:10],
            # After a refusal: every typed row again, its bad cells marked.
            "rows": rows or [{"errors": {}} for _ in range(BATCH_ROWS)],
            "batch_message": message,
            "batch_unplaced": unplaced,
            "categories": categories(),
            "units": Unit.objects.filter(is_active=True).exclude(
                kind__in=[UnitKind.LEADERSHIP, UnitKind.SECRETARIAT]
            ),
            "can_edit": request.user.role in (Role.SECRETARIAT, Role.ADMIN),
        },
        status=status,
    )


@api_twin("raise_batch")
@login_required
@require_POST
def batch(request, day):
    _secretariat_only(request)
    exchange_day = _day(day)
    rows = batch_rows(request.POST)
    if not rows:
        messages.error(request, _("Type at least one problem."))
        return redirect(exchange_day)
    try:
        created = actions.raise_batch(exchange_day, actor=request.user, rows=rows)
    except actions.ExchangeError as refused:
        typed, unplaced = rows_with_errors(request.POST, refused.errors)
        return detail(
            request, day, rows=typed, message=refused.message, unplaced=unplaced, status=400
        )
    messages.success(request, _("%(n)s problems were saved.") % {"n": len(created)})
    return redirect(exchange_day)


@api_twin("start_import")
@login_required
@require_POST
def upload(request, day):
    _secretariat_only(request)
    exchange_day = _day(day)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect(exchange_day)
    try:
        job = actions.start_import(
            exchange_day, actor=request.user, upload=form.cleaned_data["file"]
        )
    except actions.ExchangeError as refused:
        messages.error(request, refused.message)
        return redirect(exchange_day)
    return redirect("exchange:job", day=exchange_day.date, pk=job.pk)


@login_required
def job(request, day, pk):
    _may_read(request)
    item = get_object_or_404(ImportJob, pk=pk, exchange_day__date=day)
    progress = cache.get(actions.progress_key(item.pk)) or {}
    total = progress.get("total") or item.rows
    done = progress.get("done", item.imported if item.state == ImportJob.State.DONE else 0)
    context = {
        "job": item,
        "progress": progress,
        "percent": int(100 * done / total) if total else 0,
        "running": item.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING),
    }
    template = "exchange/_job.html" if request.htmx else "exchange/job.html"
    return render(request, template, context)


@login_required
def template_file(request):
    _may_read(request)
    response = HttpResponse(importing.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="problem-list-template.xlsx"'
    return response


@login_required
def export(request, day):
    _may_read(request)
    exchange_day = _day(day)
    data = importing.template_xlsx(importing.export_rows(exchange_day.problems.all()))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="problems-{exchange_day.date}.xlsx"'
    return response


@login_required
def enterprise_suggestions(request):
    """Enterprises whose name contains what was typed, or whose credit code starts with it, as
    <option>s for the quick entry's suggestion list (htmx; the secretariat)."""
    _secretariat_only(request)
    text = next((v for k, v in request.GET.items() if k == "q" or k.startswith("enterprise-")), "")
    found = suggest_enterprises(text)
    options = format_html_join(
        "", '<option value="{}">{}</option>', ((e.name, e.credit_code) for e in found)
    )
    return HttpResponse(options)
