"""Pages where the secretariat keeps units and their people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qingdan.accounts import keeping
from qingdan.accounts.models import Unit, User, keeper_only
from qingdan.core.forms import show_refusal
from qingdan.core.parity import api_twin
from qingdan.lib.errors import ActionError

UNIT_FIELDS = ["name", "short_name", "kind", "parent", "is_active"]
PERSON_FIELDS = ["name", "role", "job_title", "phone", "email", "is_active"]


@login_required
def units(request):
    keeper_only(request)
    rows = Unit.objects.select_related("parent").annotate(
        people=Count("members", filter=Q(members__is_active=True))
    )
    return render(request, "accounts/units.html", {"units": rows})


@api_twin("create_unit", "update_unit", "create_person")
@login_required
def unit_detail(request, pk=None):
    """A unit's facts (or a new unit), its people, and a form to add one."""
    keeper_only(request)
    unit = get_object_or_404(Unit, pk=pk) if pk else None
    initial = {name: getattr(unit, name) for name in UNIT_FIELDS} if unit else {}
    posting_unit = request.method == "POST" and request.POST.get("form") == "unit"
    posting_person = request.method == "POST" and request.POST.get("form") == "person"
    form = keeping.UnitForm(request.POST if posting_unit else None, initial=initial)
    person_form = keeping.PersonForm(request.POST if posting_person else None, prefix="person")
    if posting_unit and form.is_valid():
        try:
            saved = keeping.save_unit(unit, actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("unit_detail", saved.pk)
    if posting_person and unit is not None and person_form.is_valid():
        try:
            keeping.save_person(
                None, actor=request.user, unit=unit, values=person_form.cleaned_data
            )
        except ActionError as refused:
            show_refusal(person_form, refused)
        else:
            messages.success(
                request,
                _(
                    "The person was added; they set their password from "
                    "the sign-in page's reset link."
                ),
            )
            return redirect("unit_detail", unit.pk)
    people = unit.members.order_by("-is_active", "name") if unit else []
    bad = (form.is_bound and form.errors) or (person_form.is_bound and person_form.errors)
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "form": form,
            "person_form": person_form,
            "people": people,
            # The secretariat's and the administrator's own accounts are not kept here.
            "keepable_roles": [role.value for role in keeping.UNIT_PEOPLE_ROLES],
        },
        status=400 if bad else 200,
    )


@api_twin("update_person")
@login_required
def person_edit(request, pk):
    keeper_only(request)
    person = get_object_or_404(User, pk=pk, role__in=keeping.UNIT_PEOPLE_ROLES)
    initial = {name: getattr(person, name) for name in PERSON_FIELDS}
    form = keeping.PersonForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            keeping.save_person(
                person, actor=request.user, unit=person.unit, values=form.cleaned_data
            )
        except ActionError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("unit_detail", person.unit_id)
    return render(
        request,
        "accounts/person_edit.html",
        {"person": person, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
