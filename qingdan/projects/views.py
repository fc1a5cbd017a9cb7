"""Projects ledger, indicators, and the leader's dashboard (page, PDF, Excel exports)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role
from qingdan.core import hooks
from qingdan.core.parity import api_twin
from qingdan.lib import clock, encode, pdf
from qingdan.lib.bounds import MAX_SEARCH_CHARS
from qingdan.problems.access import visible_problems
from qingdan.problems.warnings import COLOURS
from qingdan.projects import charts, importing
from qingdan.projects import dashboard as dashboard_data
from qingdan.projects.access import access_project, sees_indicators, visible_projects
from qingdan.projects.models import STAGES, IndicatorValue
from qingdan.projects.progress import latest_indicators, progress, with_year_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEADERS = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER)


def _year_projects(request):
    today = clock.today()
    return with_year_figures(visible_projects(request.user), today.year, today.month), today


@login_required
def project_list(request):
    projects, today = _year_projects(request)
    if request.GET.get("key"):
        projects = projects.filter(is_key=True)
    stage = request.GET.get("stage", "")
    query = request.GET.get("q", "").strip()[:MAX_SEARCH_CHARS]
    if query and (search := hooks.get("projects.search")):
        projects = search(projects, query)
    rows = [(p, progress(p, today)) for p in projects[:500]]
    if stage:
        rows = [(p, s) for p, s in rows if p.stage == stage]
    return render(
        request,
        "projects/list.html",
        {
            "rows": rows,
            "stages": [(c, label) for c, label, _f in STAGES],
            "stage": stage,
            "key": request.GET.get("key", ""),
            "q": query,
        },
    )


@login_required
def project_detail(request, pk):
    project = access_project(request.user, pk)
    today = clock.today()
    annotated = with_year_figures(
        type(project).objects.filter(pk=project.pk), today.year, today.month
    ).get()
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "state": progress(annotated, today),
            "stages": [(label, getattr(project, field)) for _c, label, field in STAGES],
            "investments": project.investments.order_by("-year", "-month")[:24],
            "plans": project.plans.order_by("-year"),
            # Linked problems through the one visibility rule: a unit or an investor sees only those
            # its problem pages would show it.
            "problems": visible_problems(request.user).filter(projects=project),
        },
    )


@login_required
def projects_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    projects, today = _year_projects(request)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Projects")
    sheet.append(
        [
            _("Name"),
            _("Investor"),
            _("Industry"),
            _("Contract amount (10,000 yuan)"),
            _("Key project"),
            _("Stage"),
            _("Signed on"),
            _("Production started on"),
            _("Days from signing to production"),
            _("Planned this year"),
            _("Completed this year"),
            _("Plan completion %"),
            _("Warning"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for project in projects.iterator(chunk_size=1000):
        state = progress(project, today)
        row = [
            project.name,
            project.investor.name,
            project.get_industry_display(),
            project.amount_wan_yuan,
            _("Yes") if project.is_key else "",
            project.stage_label,
            project.signed_on,
            project.producing_on,
            project.days_sign_to_production,
            state.planned,
            state.completed,
            state.completion_pct,
            str(COLOURS.get(state.colour, "")),
        ]
        encode.append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
    return response


@login_required
def indicators(request):
    if not sees_indicators(request.user):
        raise PermissionDenied
    return render(
        request,
        "projects/indicators.html",
        {
            "latest": latest_indicators(),
            "can_import": request.user.role in (Role.SECRETARIAT, Role.ADMIN),
        },
    )


@login_required
def indicators_xlsx(request):
    if not sees_indicators(request.user):
        raise PermissionDenied
    response = HttpResponse(importing.export_xlsx(IndicatorValue.objects.all()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="indicators.xlsx"'
    return response


@api_twin("import_indicators")
@login_required
@require_POST
def indicators_import(request):
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("projects:indicators")
    imported, errors = importing.import_xlsx(upload.read(), actor=request.user)
    if errors:
        return render(
            request,
            "exchange/batch_errors.html",
            {
                "day": _("Indicators"),
                "message": _("Nothing was imported: correct these cells."),
                "errors": errors,
            },
            status=400,
        )
    messages.success(request, _("%(n)s values were imported.") % {"n": imported})
    return redirect("projects:indicators")


@login_required
def dashboard(request):
    if request.user.role not in LEADERS:
        raise PermissionDenied
    return render(request, "projects/dashboard.html", {"d": dashboard_data.build()})


@login_required
def dashboard_pdf(request):
    if request.user.role not in LEADERS:
        raise PermissionDenied
    data = dashboard_data.build()
    # The charts drawn as SVG (the page draws them in the browser; the PDF has no script).
    svg = {
        "trend": charts.trend_svg(data["trend"], _("Raised"), _("Resolved")),
        "pipeline": charts.pipeline_svg(data["pipeline"]),
        "indicators": charts.indicators_svg(data["indicators"]),
    }
    html = render_to_string(
        "projects/dashboard_print.html", {"d": data, "svg": svg}, request=request
    )
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="dashboard.pdf"'
    return response
