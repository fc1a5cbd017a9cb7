from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.finance.models import ProgrammeKind


def _money(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2, **kwargs)


class ProgrammeForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    bank = forms.CharField(label=_("Bank"), max_length=100)
    guarantor = forms.CharField(label=_("Guarantor"), max_length=100, required=False)
    pool_wan_yuan = _money(_("Risk-compensation pool (10,000 yuan)"))
    leverage = forms.DecimalField(
        label=_("Leverage (credit per yuan of pool)"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        initial=10,
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())


class WhitelistForm(BoundedForm):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.all(), to_field_name="credit_code"
    )


class LoanForm(BoundedForm):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=Enterprise.objects.all(), to_field_name="credit_code"
    )
    amount_wan_yuan = _money(_("Amount (10,000 yuan)"))
    rate_percent = forms.DecimalField(
        label=_("Annual rate (%)"), min_value=0, max_value=36, max_digits=5, decimal_places=2
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    guarantee = forms.CharField(label=_("Guarantee"), max_length=200, required=False)
    granted_on = forms.DateField(label=_("Granted on"), widget=DateInput())


class RepaymentForm(BoundedForm):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    amount_wan_yuan = _money(_("Amount (10,000 yuan)"))


class DefaultForm(BoundedForm):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    compensation_wan_yuan = _money(_("Compensation from the pool (10,000 yuan)"))
