"""Pages for appeals (申诉复核) and the scoring settings: thin views over ``appeals`` and
``kpis.save_scoring``, the same actions as the API (``figures_api.py``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role
from qingdan.core.parity import api_twin
from qingdan.lib import bounds
from qingdan.lib.errors import ActionError
from qingdan.problems import appeals, kpis
from qingdan.problems.access import access_problem
from qingdan.problems.forms import AppealDecisionForm, AppealForm, KpiSettingsForm
from qingdan.problems.models import Appeal, KpiSettings

UNIT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD)
SECRETARIAT_ROLES = (Role.SECRETARIAT, Role.ADMIN)


class FileAppealForm(AppealForm):
    number = forms.CharField(label=gettext_lazy("Problem number"), max_length=bounds.CODE)

    field_order = ["number", "kind", "reason", "evidence"]


def _page(request, file_form=None, status=200):
    user = request.user
    found = appeals.visible_appeals(user)
    pending = [a for a in found.filter(state=Appeal.State.PENDING)[:200]]
    deciding = user.role in SECRETARIAT_ROLES
    return render(
        request,
        "problems/appeals.html",
        {
            "pending": [
                (
                    a,
                    AppealDecisionForm(initial={"version": a.version})
                    if deciding and appeals.parties_of(user, a)
                    else None,
                )
                for a in pending
            ],
            "decided": found.exclude(state=Appeal.State.PENDING)[:200],
            "file_form": (file_form or FileAppealForm()) if user.role in UNIT_ROLES else None,
            "window": appeals.appeal_window(),
        },
        status=status,
    )


@login_required
def appeal_list(request):
    if request.user.role not in (*SECRETARIAT_ROLES, *UNIT_ROLES, Role.LEADER):
        raise PermissionDenied
    return _page(request)


@api_twin("file_appeal")
@login_required
@require_POST
def file_appeal(request):
    if request.user.role not in UNIT_ROLES:
        raise PermissionDenied
    form = FileAppealForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = dict(form.cleaned_data)
    problem = access_problem(request.user, data.pop("number"))
    try:
        appeals.file_appeal(problem, actor=request.user, **data)
    except ActionError as refused:
        form.add_error(None, refused.message)
        return _page(request, form, status=refused.status)
    messages.success(request, _("The appeal was filed: the secretariat will review it."))
    return redirect("problems:appeals")


@api_twin("decide_appeal")
@login_required
@require_POST
def decide_appeal(request, pk):
    appeal = appeals.visible_appeals(request.user).filter(pk=pk).first()
    if appeal is None:
        raise Http404
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("problems:appeals")
    data = form.cleaned_data
    try:
        appeals.decide(
            appeal,
            actor=request.user,
            overturn=data["decision"] == "overturn",
            reason=data["reason"],
            expected_version=data["version"],
        )
        messages.success(request, _("Decided. Bulletins computed from now on use the decision."))
    except ActionError as refused:
        messages.error(request, refused.message)
    return redirect("problems:appeals")


@api_twin("update_scoring")
@login_required
def scoring(request):
    """The secretariat's scoring settings (weights, ranking minimum, appeal window); leaders
    and the units judged by them read them."""
    if request.user.role not in (
        *SECRETARIAT_ROLES,
        Role.LEADER,
        Role.UNIT_OFFICER,
        Role.UNIT_HEAD,
    ):
        raise PermissionDenied
    row = KpiSettings.objects.order_by("pk").first() or KpiSettings()
    initial = {name: getattr(row, name) for name in KpiSettingsForm.base_fields}
    form = KpiSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.user.role not in SECRETARIAT_ROLES:
            raise PermissionDenied
        if form.is_valid():
            try:
                kpis.save_scoring(actor=request.user, values=form.cleaned_data)
            except ActionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Saved. The next bulletins are scored this way."))
                return redirect("problems:scoring")
    return render(
        request,
        "problems/scoring.html",
        {
            "form": form,
            "formula": kpis.formula_text(kpis.scoring().as_dict()),
            "can_edit": request.user.role in SECRETARIAT_ROLES,
        },
    )
