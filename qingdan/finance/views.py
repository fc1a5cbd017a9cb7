"""Loan programme pages: the programmes with their figures; one programme's whitelist and loans;
the secretariat's forms to keep them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingdan.accounts.models import may_keep
from qingdan.core.parity import api_twin
from qingdan.finance import actions, figures
from qingdan.finance import forms as f
from qingdan.finance.access import (
    access_loan,
    access_programme,
    visible_loans,
    visible_programmes,
)
from qingdan.lib.errors import ActionError


@login_required
def programme_list(request):
    programmes = visible_programmes(request.user)
    return render(
        request,
        "finance/list.html",
        {
            "rows": [(p, p.figures()) for p in programmes],
            "can_keep": may_keep(request.user),
            "form": f.ProgrammeForm(),
            "totals": figures.totals(),
            "loans": visible_loans(request.user)[:200],
        },
    )


@login_required
def programme_detail(request, pk):
    programme = access_programme(request.user, pk)
    return render(
        request,
        "finance/detail.html",
        {
            "programme": programme,
            "figures": programme.figures(),
            "loans": visible_loans(request.user).filter(programme=programme),
            "whitelist": programme.whitelist.select_related("enterprise")
            if may_keep(request.user) or request.user.role != "enterprise"
            else [],
            "can_keep": may_keep(request.user),
            "whitelist_form": f.WhitelistForm(),
            "loan_form": f.LoanForm(),
            "repayment_form": f.RepaymentForm(),
            "default_form": f.DefaultForm(),
        },
    )


def _run(request, form, do, back):
    if request.method != "POST":
        raise Http404
    if not may_keep(request.user):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect(back)
    try:
        do(form.cleaned_data)
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(back)


@api_twin("create_programme")
@login_required
def create_programme(request):
    return _run(
        request,
        f.ProgrammeForm(request.POST),
        lambda d: actions.create_programme(actor=request.user, values=d),
        "finance:list",
    )


@api_twin("add_to_whitelist")
@login_required
def whitelist(request, pk):
    programme = access_programme(request.user, pk)
    return _run(
        request,
        f.WhitelistForm(request.POST),
        lambda d: actions.add_to_whitelist(programme, actor=request.user, **d),
        programme_url(programme),
    )


@api_twin("grant_loan")
@login_required
def grant(request, pk):
    programme = access_programme(request.user, pk)
    return _run(
        request,
        f.LoanForm(request.POST),
        lambda d: actions.grant_loan(programme, actor=request.user, **d),
        programme_url(programme),
    )


@api_twin("record_repayment")
@login_required
def repayment(request, pk):
    loan = access_loan(request.user, pk)
    return _run(
        request,
        f.RepaymentForm(request.POST),
        lambda d: actions.record_repayment(loan, actor=request.user, **d),
        programme_url(loan.programme),
    )


@api_twin("record_default")
@login_required
def default(request, pk):
    loan = access_loan(request.user, pk)
    return _run(
        request,
        f.DefaultForm(request.POST),
        lambda d: actions.record_default(loan, actor=request.user, **d),
        programme_url(loan.programme),
    )


def programme_url(programme) -> str:
    from django.urls import reverse

    return reverse("finance:detail", args=[programme.pk])
