"""Pages where the secretariat keeps categories (and their limits) and holiday overrides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingdan.accounts.models import keeper_only
from qingdan.core.forms import show_refusal
from qingdan.core.parity import api_twin
from qingdan.lib import clock
from qingdan.lib.errors import ActionError, InvalidInput
from qingdan.problems import reference
from qingdan.problems.models import Category, HolidayOverride

CATEGORY_FIELDS = [
    "name",
    "name_en",
    "sign_days",
    "completion_days",
    "urgent_completion_days",
    "default_lead_unit",
    "position",
    "is_active",
]


@login_required
def categories(request):
    keeper_only(request)
    return render(
        request,
        "problems/categories.html",
        {
            "categories": Category.objects.select_related("default_lead_unit"),
        },
    )


@api_twin("create_category", "update_category")
@login_required
def category_edit(request, pk=None):
    keeper_only(request)
    category = None
    if pk is not None:
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise Http404
    initial = {name: getattr(category, name) for name in CATEGORY_FIELDS} if category else {}
    form = reference.CategoryForm(request.POST or None, category=category, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reference.save_category(category, actor=request.user, values=form.cleaned_data)
        except ActionError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("problems:categories")
    return render(
        request,
        "problems/category_edit.html",
        {"form": form, "category": category},
        status=400 if form.is_bound and form.errors else 200,
    )


@api_twin("save_holiday", "remove_holiday")
@login_required
def holidays(request):
    keeper_only(request)
    try:
        year = min(max(int(request.GET.get("year", clock.today().year)), 2000), 2099)
    except ValueError:
        year = clock.today().year
    if request.method == "POST" and "remove" in request.POST:
        removal = reference.RemoveHolidayForm(request.POST)
        try:
            if not removal.is_valid():
                raise InvalidInput(_("Enter a valid date."))
            reference.remove_holiday(actor=request.user, date=removal.cleaned_data["remove"])
        except ActionError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The day follows the built-in calendar again."))
        return redirect(f"{reverse('problems:holidays')}?year={year}")
    form = reference.HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = reference.save_holiday(actor=request.user, **form.cleaned_data)
        except ActionError as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The day was saved."))
            return redirect(f"{reverse('problems:holidays')}?year={saved.date.year}")
    return render(
        request,
        "problems/holidays.html",
        {
            "form": form,
            "year": year,
            "overrides": HolidayOverride.objects.filter(date__year=year),
            "years": (year - 1, year + 1),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
