"""The inputs of the project ledger and the indicators: one definition each, for the pages
(secretariat data entry), the REST API and the Excel imports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Industry, Role, Unit, User
from qingdan.core.forms import BoundedForm, DateInput, bound_field
from qingdan.projects.models import STAGES, Indicator

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class ProjectForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    investor = forms.ModelChoiceField(label=_("Investor"), queryset=Enterprise.objects.all())
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    amount_wan_yuan = forms.DecimalField(label=_("Contract amount (10,000 yuan)"), **MONEY)
    total_investment_wan_yuan = forms.DecimalField(
        label=_("Total planned investment (10,000 yuan)"), required=False, **MONEY
    )
    is_key = forms.BooleanField(label=_("Key project"), required=False)
    responsible_leader = forms.ModelChoiceField(
        label=_("Responsible leader"),
        queryset=User.objects.filter(role=Role.LEADER),
        required=False,
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    planned_start = forms.DateField(
        label=_("Planned start of construction"), widget=DateInput(), required=False
    )

    def __init__(self, *args, partial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial:  # an update: only what is sent changes
            for field in self.fields.values():
                field.required = False
        for _code, label, field in STAGES:
            self.fields[field] = forms.DateField(label=label, widget=DateInput(), required=False)
            bound_field(self.fields[field])

    def values(self) -> dict:
        """The model's values: what was sent (an update sends only what changes)."""
        data = dict(self.cleaned_data)
        if data.get("total_investment_wan_yuan") is None:
            data["total_investment_wan_yuan"] = 0
        return {name: value for name, value in data.items() if name in self.sent}

    @property
    def sent(self) -> set[str]:
        return set(self.data)


class PlanForm(BoundedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    planned_wan_yuan = forms.DecimalField(label=_("Planned investment (10,000 yuan)"), **MONEY)


class InvestmentForm(BoundedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    completed_wan_yuan = forms.DecimalField(
        label=_("Completed in the month (10,000 yuan)"), **MONEY
    )


class IndicatorValueForm(BoundedForm):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.all(), to_field_name="code"
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    month = forms.IntegerField(label=_("Through month"), min_value=1, max_value=12)
    value = forms.DecimalField(label=_("Cumulative value"), max_digits=16, decimal_places=4)
    prior_year_value = forms.DecimalField(
        label=_("Prior year, same months"), max_digits=16, decimal_places=4, required=False
    )


class InvestmentGridForm(BoundedForm):
    """One month's completed investment for every key project at once: a cell per project
    (``p<id>``); an empty cell changes nothing."""

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        for project in projects:
            field = forms.DecimalField(label=project.name, required=False, **MONEY)
            field.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
            self.fields[f"p{project.pk}"] = field
            bound_field(field)


class IndicatorGridForm(BoundedForm):
    """One month's cumulative value (and the prior year's) of every indicator at once: cells
    ``v_<code>`` and ``p_<code>``; an indicator left empty changes nothing."""

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            for prefix, label in (
                ("v", _("Cumulative value")),
                ("p", _("Prior year, same months")),
            ):
                field = forms.DecimalField(
                    label=label, required=False, max_digits=16, decimal_places=4
                )
                field.widget.attrs.update({"inputmode": "decimal", "step": "any"})
                self.fields[f"{prefix}_{indicator.code}"] = field
                bound_field(field)

    def clean(self):
        data = super().clean()
        for name in list(self.fields):
            value_name = "v" + name[1:]
            lone_prior = name.startswith("p_") and data.get(name) is not None
            if lone_prior and data.get(value_name) is None and value_name not in self.errors:
                self.add_error(value_name, _("Enter this year's value with the prior year's."))
        return data
