from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import UNIT_ROLES, Industry, User
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.enterprises.models import Grade, SizeClass, Tag, industry_code_validator
from qingdan.lib import bounds
from qingdan.problems.models import Category


def commissioner_choices():
    return User.objects.filter(role__in=UNIT_ROLES, is_active=True).order_by("name", "username")


class RecordForm(BoundedForm):
    """An enterprise's record as the secretariat keeps it (the page and the API)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754)"),
        max_length=5,
        required=False,
        validators=[industry_code_validator],
        help_text=_("e.g. C3976"),
    )
    size_class = forms.ChoiceField(
        label=_("Size class"), choices=[("", "—"), *SizeClass.choices], required=False
    )
    registered_capital_wan_yuan = forms.DecimalField(
        label=_("Registered capital (10,000 yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    zone = forms.CharField(label=_("Zone"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    grade = forms.ChoiceField(
        label=_("Per-mu grade"), choices=[("", "—"), *Grade.choices], required=False
    )
    commissioner = forms.ModelChoiceField(
        label=_("Service commissioner"),
        queryset=commissioner_choices(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = commissioner_choices()


class NewEnterpriseForm(RecordForm):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=bounds.CODE)
    field_order = ["credit_code", "name"]


class ContactForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.CharField(label=_("Position"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class FiguresForm(BoundedForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2099)
    output_wan_yuan = forms.DecimalField(
        label=_("Output (10,000 yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    tax_wan_yuan = forms.DecimalField(
        label=_("Tax paid (10,000 yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    rd_wan_yuan = forms.DecimalField(
        label=_("R&D spending (10,000 yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    employees = forms.IntegerField(
        label=_("Employees"), min_value=0, max_value=10_000_000, required=False
    )
    land_mu = forms.DecimalField(
        label=_("Land area (mu)"), min_value=0, max_digits=10, decimal_places=2, required=False
    )


class VisitForm(BoundedForm):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))
    items = forms.CharField(
        label=_("What was raised"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("One per line; each can become a problem in one step."),
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        for line in lines:
            if len(line) > bounds.TITLE:
                raise forms.ValidationError(
                    _("At most %(limit)s characters a line.") % {"limit": bounds.TITLE}
                )
        return lines


class RaiseFromVisitForm(BoundedForm):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
