"""The carriers' inputs: one definition each for the secretariat's pages, the REST API and the
Excel imports (``BoundedForm``: the shared bounds)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.carriers.models import BuildingState, LandState, SupplyMode, polygon_ok
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.projects.models import Project

AREA = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
MEASURE = {"max_digits": 8, "decimal_places": 2, "min_value": 0}


class ShapeField(forms.CharField):
    """A polygon on the site plan as JSON: [[x, y], …], fractions of the plan (0–1)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            points = json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("Not valid JSON.")) from None
        if not polygon_ok(points):
            raise forms.ValidationError(
                _("A shape is 3 to 200 points [x, y], each between 0 and 1.")
            )
        return points


class PartialForm(BoundedForm):
    """A create (every required field) or, with ``partial=True``, an update: only what is sent."""

    def __init__(self, *args, partial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial:
            for field in self.fields.values():
                field.required = False

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in self.data}


class BuildingForm(PartialForm):
    code = forms.SlugField(label=_("Code"), max_length=32)
    park_area = forms.CharField(label=_("Park area"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=120)
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=60)
    floor_area_m2 = forms.DecimalField(label=_("Area per floor (㎡)"), **AREA)
    floor_load_kn_m2 = forms.DecimalField(label=_("Floor load (kN/㎡)"), **MEASURE)
    clear_height_m = forms.DecimalField(label=_("Clear height (m)"), **MEASURE)
    crane_t = forms.DecimalField(label=_("Crane (t)"), required=False, **MEASURE)
    power_kva = forms.IntegerField(
        label=_("Power capacity (kVA)"), min_value=0, max_value=10_000_000, required=False
    )
    water_t_day = forms.DecimalField(label=_("Water (t/day)"), required=False, **MEASURE)
    rent_yuan_m2_month = forms.DecimalField(
        label=_("Rent (yuan/㎡/month)"), required=False, **MEASURE
    )
    state = forms.ChoiceField(label=_("State"), choices=BuildingState.choices)
    construction_start = forms.DateField(
        label=_("Construction started"), widget=DateInput(), required=False
    )
    planned_completion = forms.DateField(
        label=_("Planned completion"), widget=DateInput(), required=False
    )
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput(), required=False)
    revitalised_on = forms.DateField(label=_("Revitalised on"), widget=DateInput(), required=False)
    shape = ShapeField(
        label=_("Shape on the site plan (JSON)"), required=False, widget=forms.HiddenInput()
    )

    def values(self) -> dict:
        data = super().values()
        for name in ("crane_t", "water_t_day", "rent_yuan_m2_month", "power_kva"):
            if name in data and data[name] is None:
                data[name] = 0
        return data


class ParcelForm(PartialForm):
    code = forms.SlugField(label=_("Code"), max_length=32)
    park_area = forms.CharField(label=_("Park area"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=120)
    area_mu = forms.DecimalField(label=_("Area (mu)"), **AREA)
    planned_use = forms.CharField(label=_("Planned use"), max_length=60)
    state = forms.ChoiceField(label=_("State"), choices=LandState.choices)
    supply_mode = forms.ChoiceField(
        label=_("Supply mode"), required=False, choices=[("", "—"), *SupplyMode.choices]
    )
    term_years = forms.IntegerField(
        label=_("Term (years)"), min_value=1, max_value=70, required=False
    )
    cleanup_deadline = forms.DateField(
        label=_("Clean-up deadline"), widget=DateInput(), required=False
    )
    cleared_on = forms.DateField(label=_("Cleared on"), widget=DateInput(), required=False)
    shape = ShapeField(
        label=_("Shape on the site plan (JSON)"), required=False, widget=forms.HiddenInput()
    )


class StepForm(BoundedForm):
    title = forms.CharField(label=_("Step"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class StepDoneForm(BoundedForm):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())


class LeaseForm(BoundedForm):
    area_m2 = forms.DecimalField(label=_("Area (㎡)"), **AREA)
    floor = forms.IntegerField(
        label=_("Floor (empty: whole building)"), min_value=1, max_value=60, required=False
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.all(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    space_request = forms.IntegerField(
        label=_("Space request met"), min_value=1, required=False, widget=forms.HiddenInput()
    )

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("project"):
            self.add_error("enterprise", _("A lease is to an enterprise, a project, or both."))
        return data


class EndLeaseForm(BoundedForm):
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())


class NeedForm(BoundedForm):
    """What a match searches for (a space request's measures, or a search from a task page)."""

    area_m2 = forms.DecimalField(label=_("Area (㎡)"), max_digits=12, decimal_places=2, min_value=1)
    floor_load_kn_m2 = forms.DecimalField(label=_("Floor load (kN/㎡)"), required=False, **MEASURE)
    clear_height_m = forms.DecimalField(label=_("Clear height (m)"), required=False, **MEASURE)
    crane_t = forms.DecimalField(label=_("Crane (t)"), required=False, **MEASURE)
    power_kva = forms.IntegerField(
        label=_("Power capacity (kVA)"), min_value=0, max_value=10_000_000, required=False
    )
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput())


class RequestForm(NeedForm):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.all(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["note"] = data.get("note") or ""
        return data
