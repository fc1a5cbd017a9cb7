from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.policies.models import Figure, Kind, Operator
from qingdan.problems.forms import MultipleFileField, VersionedForm, unit_field


class PolicyForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    issuer = forms.CharField(label=_("Issuer"), max_length=100)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)
    summary = forms.CharField(label=_("Plain-language summary"), widget=forms.Textarea({"rows": 3}))
    benefit = forms.CharField(label=_("Benefit"), widget=forms.Textarea({"rows": 2}))
    amount_wan_yuan = forms.DecimalField(
        label=_("Typical amount (10,000 yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    materials = forms.CharField(
        label=_("Materials required"), required=False, widget=forms.Textarea({"rows": 2})
    )
    window_opens = forms.DateField(label=_("Applications from"), widget=DateInput(), required=False)
    window_closes = forms.DateField(
        label=_("Applications until"), widget=DateInput(), required=False
    )
    exempt = forms.BooleanField(label=_("Paid without application"), required=False)
    review_unit = unit_field(_("Reviewing unit"), required=False)
    review_days = forms.IntegerField(
        label=_("Review limit (working days)"), min_value=1, max_value=90, initial=10
    )


class ConditionForm(BoundedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    figure = forms.ChoiceField(
        label=_("Figure"), choices=[("", "—"), *Figure.choices], required=False
    )
    operator = forms.ChoiceField(label=_("Operator"), choices=Operator.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=200,
        help_text=_(
            "A tag code, an industry code prefix (C39), sizes or grades or zones "
            "separated by commas, or a number."
        ),
    )


class ApplyForm(BoundedForm):
    statement = forms.CharField(
        label=_("Statement"), required=False, widget=forms.Textarea({"rows": 3})
    )
    problem = forms.CharField(
        label=_("Linked problem (number, optional)"), required=False, max_length=20
    )
    files = MultipleFileField(label=_("Materials"))


class GrantForm(BoundedForm):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises to pay"),
        queryset=Enterprise.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class EmptyForm(VersionedForm):
    pass


class NoteForm(VersionedForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class RequestInfoForm(VersionedForm):
    note = forms.CharField(label=_("Information needed"), widget=forms.Textarea({"rows": 2}))


class ResubmitForm(VersionedForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))
    files = MultipleFileField(label=_("Materials"))


class AddMaterialsForm(VersionedForm):
    files = MultipleFileField(label=_("Materials"), required=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class RefuseForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}))


class PayForm(VersionedForm):
    amount_wan_yuan = forms.DecimalField(
        label=_("Amount paid (10,000 yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
