from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingdan.core.forms import DateInput


class GenerateForm(forms.Form):
    week = forms.DateField(label=_("Week (its Monday)"), widget=DateInput())

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise ValidationError(_("A bulletin covers a week: give its Monday."))
        return week


class NextStepsForm(forms.Form):
    next_steps = forms.CharField(
        label=_("Next-step requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CorrectForm(forms.Form):
    note = forms.CharField(
        label=_("What the correction corrects"), widget=forms.Textarea(attrs={"rows": 2})
    )
