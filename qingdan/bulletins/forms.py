from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingdan.core.forms import BoundedForm, DateInput


class NoInputForm(BoundedForm):
    """A step that needs nothing but the click."""


class GenerateForm(BoundedForm):
    week = forms.DateField(label=_("Week (its Monday)"), widget=DateInput())

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise ValidationError(_("A bulletin covers a week: give its Monday."))
        return week


class NextStepsForm(BoundedForm):
    next_steps = forms.CharField(
        label=_("Next-step requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CorrectForm(BoundedForm):
    note = forms.CharField(
        label=_("What the correction corrects"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(BoundedForm):
    confirm = forms.BooleanField(
        label=_("I have checked the summary: publish and freeze this bulletin"), required=False
    )
