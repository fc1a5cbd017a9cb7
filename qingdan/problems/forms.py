from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, Unit, UnitKind, User
from qingdan.core.forms import BoundedForm, DateInput, QuickSelect
from qingdan.lib import bounds
from qingdan.lib.errors import InvalidInput
from qingdan.problems import inputs
from qingdan.problems.attachments import check_upload
from qingdan.problems.models import (
    Appeal,
    Category,
    Channel,
    CloseType,
    FollowUpOutcome,
    Satisfaction,
    Urgency,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several attachments at once, each checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "help_text", _("Photos, PDF or Office files; several may be chosen at once.")
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            check_upload(upload)
        return cleaned


class VersionedForm(BoundedForm):
    """An action's form. Carries the problem's version from the page, to detect a concurrent
    change; its fields are named after the action function's arguments."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def action_kwargs(self, user: User) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["expected_version"] = kwargs.pop("version")
        return kwargs


class RaiseForm(BoundedForm):
    """The web's adapter of ``inputs.clean_raise`` (the one definition of a raise's input):
    these fields render the page; every check is the shared one."""

    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=bounds.NAME,
        help_text=_("Name or unified social credit code."),
    )
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE)
    description = forms.CharField(
        label=_("Description"),
        max_length=bounds.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), to_field_name="code"
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    may_name_publicly = forms.BooleanField(
        label=_("Our enterprise may be named in the public bulletin"), required=False, initial=True
    )
    files = MultipleFileField()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role == Role.ENTERPRISE:
            del self.fields["enterprise"]
            self.fields["channel"].initial = Channel.ONLINE
            self.fields["channel"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        raw = dict(data, category=data["category"].code)
        self.input, errors = inputs.clean_raise(raw, actor=self.user)
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return data


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(VersionedForm):
    into = forms.CharField(label=_("Merge into problem number"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False)

    def action_kwargs(self, user: User) -> dict:
        from qingdan.problems.access import visible_problems

        kwargs = super().action_kwargs(user)
        kwargs["into"] = visible_problems(user).filter(number=kwargs["into"].strip()).first()
        if kwargs["into"] is None:
            raise InvalidInput(_("There is no problem with that number."))
        return kwargs


class RelateForm(VersionedForm):
    related = forms.CharField(label=_("Related problem number"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False)

    def action_kwargs(self, user: User) -> dict:
        from qingdan.problems.access import visible_problems

        kwargs = super().action_kwargs(user)
        kwargs["related"] = visible_problems(user).filter(number=kwargs["related"].strip()).first()
        if kwargs["related"] is None:
            raise InvalidInput(_("There is no problem with that number."))
        return kwargs


def unit_choices():
    return Unit.objects.filter(is_active=True).exclude(
        kind__in=[UnitKind.LEADERSHIP, UnitKind.SECRETARIAT]
    )


def unit_field(label, *, required: bool = True) -> forms.ModelChoiceField:
    """A park unit to choose (a lead unit, a co-unit, a reviewing unit…): the active units that
    handle tasks, in a select that stays quick with a province's thousands of units."""
    return forms.ModelChoiceField(
        label=label,
        queryset=unit_choices().only("id", "name"),  # what the list shows (Unit.__str__)
        required=required,
        widget=QuickSelect,
    )


def deadline_field(label) -> forms.DateField:
    """A deadline the secretariat may set by hand when assigning (one task or many)."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the category's limit in working days."),
    )


class AssignForm(VersionedForm):
    CO_ROWS = 3

    lead_unit = unit_field(_("Lead unit"))
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.filter(role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], is_active=True)
        .select_related("unit")
        .order_by("unit__name", "name"),
        required=False,
        help_text=_("A person of the lead unit; left empty, whoever signs for it."),
    )
    division = forms.CharField(
        label=_("Lead unit's share of the work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sign_deadline = deadline_field(_("Sign-for deadline"))
    deadline = deadline_field(_("Completion deadline"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The responsible person is one of the chosen lead unit's people: the list holds only
        # them, and changes with the lead unit (htmx asks for the unit's people).
        self.fields["responsible"].label_from_instance = lambda u: str(u)
        unit = (
            self.data.get(self.add_prefix("lead_unit"))
            if self.is_bound
            else self.initial.get("lead_unit")
        )
        unit = getattr(unit, "pk", unit)
        people = self.fields["responsible"].queryset
        self.fields["responsible"].queryset = (
            people.filter(unit_id=int(unit)) if str(unit or "").isdigit() else people.none()
        )
        self.fields["lead_unit"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("problems:responsible_options"),
                "hx-target": "next select",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )
        for row in range(1, self.CO_ROWS + 1):
            self.fields[f"co_unit_{row}"] = unit_field(
                _("Co-unit %(n)s") % {"n": row}, required=False
            )
            self.fields[f"co_division_{row}"] = forms.CharField(
                label=_("Its share of the work"), required=False
            )

    def action_kwargs(self, user: User) -> dict:
        kwargs = super().action_kwargs(user)
        kwargs["co_units"] = []
        for row in range(1, self.CO_ROWS + 1):
            unit = kwargs.pop(f"co_unit_{row}")
            division = kwargs.pop(f"co_division_{row}")
            if unit:
                kwargs["co_units"].append((unit, division))
        return kwargs


class ProgressForm(VersionedForm):
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField()


class ExtensionForm(VersionedForm):
    new_deadline = forms.DateField(label=_("New deadline asked for"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveExtensionForm(VersionedForm):
    new_deadline = forms.DateField(
        label=_("New deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the date asked for."),
    )
    note = forms.CharField(label=_("Note"), required=False)


class CompleteForm(VersionedForm):
    report = forms.CharField(label=_("Completion report"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence"))


class RateForm(VersionedForm):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when not solved or unsatisfied: it goes back to the unit."),
    )


class CloseForm(VersionedForm):
    close_type = forms.ChoiceField(label=_("Close-out type"), choices=CloseType.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddInfoForm(VersionedForm):
    text = forms.CharField(label=_("Information"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField()


# --- Supervision of running tasks -------------------------------------------------------------


class UrgeForm(VersionedForm):
    note = forms.CharField(
        label=_("Urging note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the lead unit's people and its head."),
    )


class SuperviseForm(VersionedForm):
    reply_due = forms.DateField(label=_("Reply due by"), widget=DateInput())
    demand = forms.CharField(
        label=_("What the unit must do and report"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SupervisionReplyForm(VersionedForm):
    reply = forms.CharField(
        label=_("Reply to the supervision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField()


class ReassignForm(VersionedForm):
    lead_unit = unit_field(_("New lead unit"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    keep_deadline = forms.TypedChoiceField(
        label=_("Completion deadline"),
        choices=[
            ("1", _("Keep the current deadline")),
            ("0", _("Reset: the category's limit from today")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.filter(role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], is_active=True)
        .select_related("unit")
        .order_by("unit__name", "name"),
        required=False,
        help_text=_("A person of the new lead unit; left empty, whoever signs for it."),
    )
    division = forms.CharField(label=_("Lead unit's share of the work"), required=False)


class InstructForm(VersionedForm):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(VersionedForm):
    note = forms.CharField(
        label=_("How the instruction is followed up"), widget=forms.Textarea(attrs={"rows": 2})
    )


class InterviewForm(BoundedForm):
    unit = unit_field(_("Unit interviewed"))
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("Tasks concerned"),
        required=False,
        max_length=2000,
        help_text=_("Problem numbers, separated by spaces or commas."),
    )

    def action_kwargs(self, user: User) -> dict:
        from qingdan.problems.access import visible_problems

        kwargs = dict(self.cleaned_data)
        numbers = [n for n in kwargs["problems"].replace(",", " ").replace("，", " ").split() if n]
        numbers = list(dict.fromkeys(numbers))[:200]
        found = {p.number: p for p in visible_problems(user).filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            message = _("There is no problem with the number %(number)s.") % {"number": missing[0]}
            raise InvalidInput(message, fields={"problems": [str(message)]})
        kwargs["problems"] = [found[n] for n in numbers]
        return kwargs


class NumbersInput(forms.HiddenInput):
    """Problem numbers: the ticked boxes of a list (several values of one name) or, through
    the API, one text of numbers separated by spaces or commas."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, list | tuple):
            return " ".join(str(value) for value in values)
        return values


class BatchForm(BoundedForm):
    """One action on many selected problems (each row its own transaction)."""

    action = forms.ChoiceField(label=_("Action"))
    numbers = forms.CharField(
        label=_("Problems"),
        max_length=20000,
        widget=NumbersInput,
        help_text=_("Problem numbers, separated by spaces or commas."),
    )
    lead_unit = unit_field(_("Lead unit"), required=False)
    sign_deadline = deadline_field(_("Sign-for deadline"))
    deadline = deadline_field(_("Completion deadline"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        from qingdan.problems.batch import BATCH_ACTIONS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(BATCH_ACTIONS.items())

    def action_kwargs(self, user: User) -> dict:
        from qingdan.problems.access import visible_problems

        kwargs = dict(self.cleaned_data)
        text = kwargs.pop("numbers").replace(",", " ").replace("，", " ")
        numbers = list(dict.fromkeys(text.split()))
        found = {p.number: p for p in visible_problems(user).filter(number__in=numbers[:1000])}
        missing = [n for n in numbers if n not in found]
        if missing:
            message = _("There is no problem with the number %(number)s.") % {"number": missing[0]}
            raise InvalidInput(message, fields={"numbers": [str(message)]})
        kwargs["problems"] = [found[n] for n in numbers]
        return kwargs


# --- Appeals and the scoring settings ------------------------------------------------


class AppealForm(BoundedForm):
    kind = forms.ChoiceField(label=_("What is appealed"), choices=Appeal.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class AppealDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold the judgement")), ("overturn", _("Overturn the judgement"))],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _weight(label):
    return forms.DecimalField(label=label, min_value=0, max_value=10, decimal_places=2)


WEIGHTS = ("weight_response", "weight_on_time", "weight_satisfaction", "weight_first_time")


class KpiSettingsForm(BoundedForm):
    min_scored = forms.IntegerField(
        label=_("Minimum items counted to be ranked"), min_value=1, max_value=1000
    )
    weight_response = _weight(_("Weight of the timely sign-for rate"))
    weight_on_time = _weight(_("Weight of the on-time resolution rate"))
    weight_satisfaction = _weight(_("Weight of the satisfaction rate"))
    weight_first_time = _weight(_("Weight of the first-time resolution rate"))
    basic_weight = forms.DecimalField(
        label=_("How much “basically satisfied” counts"), min_value=0, max_value=1, decimal_places=2
    )
    appeal_workdays = forms.IntegerField(
        label=_("Working days to appeal a judgement"), min_value=1, max_value=30
    )

    def clean(self):
        data = super().clean()
        weights = [data.get(name) for name in WEIGHTS]
        if all(w is not None for w in weights) and not sum(weights):
            raise forms.ValidationError(_("At least one weight must be more than zero."))
        return data


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, pre-filled in the form it accepts."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class FollowUpForm(VersionedForm):
    """回访: whom the secretariat called, when, and what the call found."""

    person_called = forms.CharField(
        label=_("Person called"),
        max_length=bounds.NAME,
        help_text=_("Name (and phone) of the enterprise's person you spoke to."),
    )
    called_at = forms.DateTimeField(
        label=_("Time of the call"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=FollowUpOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
