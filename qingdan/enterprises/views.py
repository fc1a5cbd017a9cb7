"""Enterprise record pages (一企一档): the list (staff), one enterprise's page (staff, and the
enterprise itself), and the secretariat's keeping pages and Excel import/export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, keeper_only, may_keep
from qingdan.core.parity import api_twin
from qingdan.enterprises import actions, importing
from qingdan.enterprises import forms as f
from qingdan.enterprises.access import access_enterprise, is_staff, visible_enterprises
from qingdan.enterprises.models import Contact, Tag, VisitItem
from qingdan.lib import bounds, clock
from qingdan.lib.errors import ActionError
from qingdan.problems.access import visible_problems
from qingdan.problems.models import RUNNING_STATUSES
from qingdan.problems.warnings import COLOURS, colour_of, cutoffs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def enterprise_list(request):
    if request.user.role == Role.ENTERPRISE:
        return redirect("enterprises:detail", request.user.enterprise.credit_code)
    if not is_staff(request.user):
        raise PermissionDenied
    # Open problems per enterprise, counted among those the reader may see (a commissioner:
    # all of their enterprises').
    counts = (
        visible_problems(request.user)
        .filter(enterprise=OuterRef("pk"), status__in=RUNNING_STATUSES)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enterprises = (
        visible_enterprises(request.user)
        .select_related("profile__commissioner")
        .annotate(open_problems=Coalesce(Subquery(counts), 0))
    )
    query = bounds.query_text(request.GET.get("q"))
    if query:
        enterprises = enterprises.filter(name__icontains=query) | enterprises.filter(
            credit_code__icontains=query
        )
    tag = request.GET.get("tag", "")
    rows = [(e, actions.profile_of(e)) for e in enterprises[:500]]
    if tag in Tag.values:
        rows = [(e, p) for e, p in rows if tag in p.all_tags()]
    mine = request.GET.get("mine") == "1"
    if mine:
        rows = [(e, p) for e, p in rows if p.commissioner_id == request.user.pk]
    return render(
        request,
        "enterprises/list.html",
        {
            "rows": rows,
            "q": query,
            "tag": tag,
            "tags": Tag.choices,
            "mine": mine,
            "can_keep": may_keep(request.user),
        },
    )


@login_required
def detail(request, code):
    enterprise = access_enterprise(request.user, code)
    profile = actions.profile_of(enterprise)
    cut = cutoffs()
    problems = (
        visible_problems(request.user)
        .filter(enterprise=enterprise)
        .select_related("lead_unit")
        .order_by("-created")[:100]
    )
    ratings = [p for p in problems if p.satisfaction]
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "profile": profile,
            "contacts": enterprise.record_contacts.all(),
            "figures": enterprise.yearly_figures.all(),
            "problems": [
                (p, colour_of(p, cut), COLOURS.get(colour_of(p, cut), "")) for p in problems
            ],
            "open_count": sum(1 for p in problems if p.status in RUNNING_STATUSES),
            "ratings": ratings,
            "projects": enterprise.projects.all(),
            "visits": enterprise.visits.prefetch_related("items__problem").select_related(
                "visitor"
            ),
            "can_keep": may_keep(request.user),
            "can_visit": actions.may_visit(request.user, enterprise),
            "contact_form": f.ContactForm(),
            "figures_form": f.FiguresForm(),
            "visit_form": f.VisitForm(initial={"day": clock.today()}),
            "raise_form": f.RaiseFromVisitForm(),
        },
    )


def _initial(enterprise) -> dict:
    profile = actions.profile_of(enterprise)
    return {
        "name": enterprise.name,
        "industry": enterprise.industry,
        "address": enterprise.address,
        "zone": enterprise.zone,
        "phone": enterprise.phone,
        "industry_code": profile.industry_code,
        "size_class": profile.size_class,
        "registered_capital_wan_yuan": profile.registered_capital_wan_yuan,
        "tags": profile.tags,
        "grade": profile.grade,
        "commissioner": profile.commissioner_id,
    }


@api_twin("update_enterprise")
@login_required
def edit(request, code):
    enterprise = access_enterprise(request.user, code)
    keeper_only(request)
    form = f.RecordForm(request.POST or None, initial=_initial(enterprise))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_record(enterprise, actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("enterprises:detail", enterprise.credit_code)
    return render(request, "enterprises/edit.html", {"form": form, "enterprise": enterprise})


@api_twin("create_enterprise")
@login_required
def create(request):
    keeper_only(request)
    form = f.NewEnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = actions.create_enterprise(actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("enterprises:detail", enterprise.credit_code)
    return render(request, "enterprises/edit.html", {"form": form, "enterprise": None})


def _post_only(request):
    if request.method != "POST":
        raise Http404


@api_twin("add_contact")
@login_required
def add_contact(request, code):
    _post_only(request)
    enterprise = access_enterprise(request.user, code)
    keeper_only(request)
    return _save(
        request,
        enterprise,
        f.ContactForm(request.POST),
        lambda data: actions.save_contact(enterprise, actor=request.user, values=data),
    )


@api_twin("delete_contact")
@login_required
def delete_contact(request, code, pk):
    _post_only(request)
    enterprise = access_enterprise(request.user, code)
    keeper_only(request)
    contact = Contact.objects.filter(enterprise=enterprise, pk=pk).first()
    if contact is None:
        raise Http404
    actions.delete_contact(contact, actor=request.user)
    return redirect("enterprises:detail", enterprise.credit_code)


@api_twin("save_figures")
@login_required
def save_figures(request, code):
    _post_only(request)
    enterprise = access_enterprise(request.user, code)
    keeper_only(request)

    def save(data):
        year = data.pop("year")
        return actions.save_figures(enterprise, actor=request.user, year=year, values=data)

    return _save(request, enterprise, f.FiguresForm(request.POST), save)


@api_twin("record_visit")
@login_required
def record_visit(request, code):
    _post_only(request)
    enterprise = access_enterprise(request.user, code)
    return _save(
        request,
        enterprise,
        f.VisitForm(request.POST),
        lambda data: actions.record_visit(enterprise, actor=request.user, **data),
    )


@api_twin("raise_from_visit")
@login_required
def raise_from_visit(request, code, pk):
    _post_only(request)
    enterprise = access_enterprise(request.user, code)
    item = VisitItem.objects.filter(visit__enterprise=enterprise, pk=pk).first()
    if item is None:
        raise Http404
    form = f.RaiseFromVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("enterprises:detail", enterprise.credit_code)
    try:
        problem = actions.raise_from_visit(item, actor=request.user, **form.cleaned_data)
    except ActionError as refused:
        messages.error(request, refused.message)
        return redirect("enterprises:detail", enterprise.credit_code)
    return redirect(problem)


def _save(request, enterprise, form, save):
    if form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except ActionError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label if name in form.fields else ''}: {m}"
                for name, ms in form.errors.items()
                for m in ms
            ),
        )
    return redirect("enterprises:detail", enterprise.credit_code)


@login_required
def export(request):
    if not is_staff(request.user):
        raise PermissionDenied
    response = HttpResponse(
        importing.export_xlsx(visible_enterprises(request.user)), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="enterprises.xlsx"'
    return response


@api_twin("import_enterprises")
@login_required
def import_view(request):
    keeper_only(request)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        imported, errors = importing.import_xlsx(
            form.cleaned_data["file"].read(), actor=request.user
        )
        if not errors:
            messages.success(request, _("%(n)s enterprises were imported.") % {"n": imported})
            return redirect("enterprises:list")
    return render(request, "enterprises/import.html", {"form": form, "errors": errors})
