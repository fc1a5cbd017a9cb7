"""The secretariat keeps the ledger on pages, not in the Django admin: projects and their
stages, one month's investment for all key projects, one month's indicators. Each change goes
through ``projects.actions`` (``records.save``: a RecordChange with who and when); the REST API
does the same through the same actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingdan.accounts.models import keeper_only
from qingdan.core.parity import api_twin
from qingdan.lib import clock
from qingdan.lib.errors import ActionError
from qingdan.projects import actions
from qingdan.projects.access import access_project
from qingdan.projects.forms import IndicatorGridForm, InvestmentGridForm, ProjectForm
from qingdan.projects.models import STAGES, Indicator, IndicatorValue, MonthlyInvestment, Project


def _period(request) -> tuple[int, int]:
    """The month asked for (?year=&month=), else the previous month (the one being reported)."""
    today = clock.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    try:
        year = min(max(int(request.GET.get("year", year)), 2000), 2099)
        month = min(max(int(request.GET.get("month", month)), 1), 12)
    except ValueError:
        pass
    return year, month


def _months(year: int, month: int) -> dict:
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return {
        "year": year,
        "month": month,
        "previous": previous,
        "following": following,
        "months": range(1, 13),
    }


@api_twin("record_investment")
@login_required
def investment_grid(request):
    keeper_only(request)
    year, month = _period(request)
    projects = list(Project.objects.filter(is_key=True).select_related("investor").order_by("name"))
    saved = {
        row.project_id: row.completed_wan_yuan
        for row in MonthlyInvestment.objects.filter(year=year, month=month, project__in=projects)
    }
    initial = {f"p{pk}": amount for pk, amount in saved.items()}
    form = InvestmentGridForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = [
            (p, form.cleaned_data[f"p{p.pk}"])
            for p in projects
            if form.cleaned_data[f"p{p.pk}"] is not None
            and form.cleaned_data[f"p{p.pk}"] != saved.get(p.pk)
        ]
        try:
            with transaction.atomic():  # every cell or, on a refusal, none
                for project, amount in changed:
                    actions.record_investment(
                        project,
                        actor=request.user,
                        year=year,
                        month=month,
                        completed_wan_yuan=amount,
                    )
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("%(n)s amounts were saved.") % {"n": len(changed)})
            return redirect(f"{reverse('projects:investment_grid')}?year={year}&month={month}")
    rows = [(p, form[f"p{p.pk}"]) for p in projects]
    return render(
        request,
        "projects/investment_grid.html",
        {
            "form": form,
            "rows": rows,
            **_months(year, month),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@api_twin("record_indicator")
@login_required
def indicator_grid(request):
    keeper_only(request)
    year, month = _period(request)
    indicators = list(Indicator.objects.order_by("position", "code"))
    saved = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(year=year, month=month, indicator__in=indicators)
    }
    initial = {}
    for indicator in indicators:
        if value := saved.get(indicator.pk):
            initial[f"v_{indicator.code}"] = value.value
            initial[f"p_{indicator.code}"] = value.prior_year_value
    form = IndicatorGridForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = []
        for indicator in indicators:
            value = form.cleaned_data[f"v_{indicator.code}"]
            prior = form.cleaned_data[f"p_{indicator.code}"]
            before = saved.get(indicator.pk)
            if value is None or (
                before and (before.value, before.prior_year_value) == (value, prior)
            ):
                continue
            changed.append((indicator, value, prior))
        try:
            with transaction.atomic():
                for indicator, value, prior in changed:
                    actions.record_indicator(
                        indicator,
                        actor=request.user,
                        year=year,
                        month=month,
                        value=value,
                        prior_year_value=prior,
                    )
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("%(n)s values were saved.") % {"n": len(changed)})
            return redirect(f"{reverse('projects:indicator_grid')}?year={year}&month={month}")
    rows = [(i, form[f"v_{i.code}"], form[f"p_{i.code}"]) for i in indicators]
    return render(
        request,
        "projects/indicator_grid.html",
        {
            "form": form,
            "rows": rows,
            **_months(year, month),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@api_twin("create_project", "update_project")
@login_required
def project_edit(request, pk=None):
    """A new project, or a project's facts and the dates its stages were reached."""
    keeper_only(request)
    project = access_project(request.user, pk) if pk else None
    initial = {}
    if project is not None:
        names = [
            "name",
            "investor",
            "industry",
            "amount_wan_yuan",
            "total_investment_wan_yuan",
            "is_key",
            "responsible_leader",
            "responsible_unit",
            "planned_start",
        ]
        names += [field for _c, _l, field in STAGES]
        initial = {name: getattr(project, name) for name in names}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values() | {"is_key": form.cleaned_data["is_key"]}
        try:
            saved = actions.save_project(project, actor=request.user, values=values)
        except ActionError as refused:  # e.g. the stages' order (the model's rule)
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("projects:detail", saved.pk)
    return render(
        request,
        "projects/edit.html",
        {"form": form, "project": project},
        status=400 if form.is_bound and form.errors else 200,
    )
