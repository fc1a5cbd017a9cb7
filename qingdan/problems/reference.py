"""The problems' reference data the secretariat keeps on pages (not in the Django admin):
categories with their time limits and usual lead unit, and holiday overrides (days whose working
status differs from the calendar). Each change goes through ``core.records.save`` (a
RecordChange with who and when); the pages and the REST API call these, with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import KEEPERS, User
from qingdan.core import records
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import calendar
from qingdan.problems.forms import unit_field
from qingdan.problems.models import Category, HolidayOverride

DAYS = {"min_value": 1, "max_value": 365}


def _require_keeper(actor: User) -> None:
    if actor.role not in KEEPERS:
        raise NotAllowed(_("Only the secretariat keeps categories and the calendar."))


class CategoryForm(BoundedForm):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, digits, - or _; fixed once created.")
    )
    name = forms.CharField(label=_("Name (Chinese)"), max_length=60)
    name_en = forms.CharField(label=_("Name (English)"), max_length=80, required=False)
    sign_days = forms.IntegerField(label=_("Sign-for limit (working days)"), **DAYS)
    completion_days = forms.IntegerField(label=_("Completion limit (working days)"), **DAYS)
    urgent_completion_days = forms.IntegerField(
        label=_("Completion limit when urgent (working days)"), **DAYS
    )
    default_lead_unit = unit_field(_("Usual lead unit"), required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, category: Category | None = None, partial=False, **kwargs):
        super().__init__(*args, **kwargs)
        if category is not None:  # the code names the category in links and imports
            del self.fields["code"]
        if partial:  # the API's PATCH documents every field as optional
            for field in self.fields.values():
                field.required = False

    def clean(self):
        data = super().clean()
        sign, completion = data.get("sign_days"), data.get("completion_days")
        urgent = data.get("urgent_completion_days")
        if sign and completion and sign > completion:
            self.add_error("sign_days", _("Signing for cannot take longer than completing."))
        if urgent and completion and urgent > completion:
            self.add_error(
                "urgent_completion_days", _("The urgent limit cannot be longer than the usual one.")
            )
        return data


class RemoveHolidayForm(BoundedForm):
    remove = forms.DateField()


class HolidayForm(BoundedForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    is_workday = forms.TypedChoiceField(
        label=_("This day is"),
        coerce=lambda value: value == "1",
        choices=[("0", _("a day off (holiday)")), ("1", _("a working day (make-up day)"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=60,
        required=False,
        help_text=_("e.g. Spring Festival, National Day make-up"),
    )


def save_category(category: Category | None, *, actor: User, values: dict) -> Category:
    """Create a category (``category`` None) or change its names, limits and usual unit."""
    _require_keeper(actor)
    return records.save(category or Category(), actor=actor, values=values)


def save_holiday(*, actor: User, date, is_workday: bool, note: str = "") -> HolidayOverride:
    """Mark ``date`` a day off or a working day (creating or changing its override); deadlines
    counted afterwards follow it."""
    _require_keeper(actor)
    row = HolidayOverride.objects.filter(date=date).first()
    saved = records.save(
        row or HolidayOverride(date=date),
        actor=actor,
        values={"is_workday": is_workday, "note": note or ""},
    )
    calendar.forget()
    return saved


def remove_holiday(*, actor: User, date) -> None:
    """Take back a day's override: the built-in calendar decides that day again."""
    _require_keeper(actor)
    row = HolidayOverride.objects.filter(date=date).first()
    if row is None:
        raise InvalidInput(_("That day has no setting of its own."))
    records.delete(row, actor=actor, fields=["date", "is_workday", "note"])
    calendar.forget()
