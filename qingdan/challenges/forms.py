from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.challenges.models import TeamKind
from qingdan.core.forms import BoundedForm, DateInput
from qingdan.problems.attachments import check_upload
from qingdan.problems.forms import VersionedForm, unit_field


class ChallengeForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(
        label=_("Conditions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    support_funds_wan_yuan = forms.DecimalField(
        label=_("Support funds (10,000 yuan)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
    )
    support_resources = forms.CharField(label=_("Other support offered"), required=False)
    application_deadline = forms.DateField(label=_("Applications until"), widget=DateInput())
    delivery_deadline = forms.DateField(label=_("Delivery deadline"), widget=DateInput())
    owner_unit = unit_field(_("Owner unit"))
    problem = forms.CharField(label=_("From problem (number)"), required=False, max_length=20)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises concerned"),
        queryset=Enterprise.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    may_name_enterprises = forms.BooleanField(
        label=_("The enterprises may be named publicly"), required=False
    )


class ApplyForm(VersionedForm):
    team_kind = forms.ChoiceField(label=_("Team"), choices=TeamKind.choices)
    team_name = forms.CharField(label=_("Team name"), max_length=120)
    leader_name = forms.CharField(label=_("Team leader"), max_length=60)
    members = forms.CharField(
        label=_("Members"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}))
    # The page asks each milestone as a date (the browser's picker) and what is delivered by
    # it; the API may still send them as text lines ("2026-12-31 完成设计").
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("One per line: a date such as 2026-12-31, then what is delivered by it."),
    )
    commitment = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(
        label=_("Supporting document"),
        required=False,
        help_text=_("The team's proposal or qualifications: PDF, Word, Excel or an image."),
    )

    MILESTONE_ROWS = 5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commitment = self.fields.pop("commitment")
        for row in range(1, self.MILESTONE_ROWS + 1):
            self.fields[f"milestone_date_{row}"] = forms.DateField(
                label=_("Milestone %(n)s: date") % {"n": row},
                widget=DateInput(),
                required=False,
            )
            self.fields[f"milestone_what_{row}"] = forms.CharField(
                label=_("Milestone %(n)s: what is delivered") % {"n": row},
                max_length=120,
                required=False,
            )
        attachment = self.fields.pop("attachment")
        self.fields["commitment"] = commitment
        self.fields["attachment"] = attachment

    def clean(self):
        data = super().clean()
        lines = []
        for row in range(1, self.MILESTONE_ROWS + 1):
            day, what = data.get(f"milestone_date_{row}"), (data.get(f"milestone_what_{row}") or "")
            if day and not what.strip():
                self.add_error(f"milestone_what_{row}", _("Say what is delivered by this date."))
            elif what.strip() and not day and f"milestone_date_{row}" not in self.errors:
                self.add_error(f"milestone_date_{row}", _("Give the date of this milestone."))
            elif day:
                lines.append(f"{day.isoformat()} {what.strip()}")
        if lines:
            data["milestones"] = "\n".join(lines)
        elif not (data.get("milestones") or "").strip() and not self.errors:
            self.add_error("milestone_date_1", _("Give at least one milestone."))
        return data

    def action_kwargs(self, user) -> dict:
        kwargs = super().action_kwargs(user)
        for row in range(1, self.MILESTONE_ROWS + 1):
            kwargs.pop(f"milestone_date_{row}", None)
            kwargs.pop(f"milestone_what_{row}", None)
        return kwargs


class EmptyForm(VersionedForm):
    pass


class NoteForm(VersionedForm):
    note = forms.CharField(label=_("Note"), required=False)


class ScoreForm(VersionedForm):
    application_id = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c["name"] for c in criteria]
        for index, criterion in enumerate(criteria):
            self.fields[f"score_{index}"] = forms.DecimalField(
                label=f"{criterion['name']} ({criterion['weight']}%)", min_value=0, max_value=100
            )

    def action_kwargs(self, user):
        kwargs = super().action_kwargs(user)
        kwargs["scores"] = {name: kwargs.pop(f"score_{i}") for i, name in enumerate(self.criteria)}
        return kwargs


class SelectForm(VersionedForm):
    application_id = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False)


class MilestoneReportForm(VersionedForm):
    milestone_id = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(
        label=_("What was delivered"), widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_upload(upload)  # type read from the content, size limit
        return upload


class ChangeRequestForm(VersionedForm):
    milestone_id = forms.IntegerField(widget=forms.HiddenInput)
    new_due = forms.DateField(label=_("New date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"))


class DecideChangeForm(VersionedForm):
    change_id = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
    )
    note = forms.CharField(label=_("Note"), required=False)


class RateForm(VersionedForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"),
        widget=forms.RadioSelect,
        choices=[
            ("satisfied", _("Satisfied")),
            ("basic", _("Basically satisfied")),
            ("unsatisfied", _("Unsatisfied")),
        ],
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class AcceptForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("passed", _("Accepted")),
            ("passed_conditions", _("Accepted with conditions")),
            ("failed", _("Not accepted")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Rewards or follow-up"), required=False)


class RepublishForm(VersionedForm):
    application_deadline = forms.DateField(label=_("Applications until"), widget=DateInput())
    delivery_deadline = forms.DateField(label=_("Delivery deadline"), widget=DateInput())
