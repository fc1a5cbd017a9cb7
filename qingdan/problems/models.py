"""Problems (问题清单), the tasks they become (任务清单/责任清单), and their event log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Unit
from qingdan.core.models import AppendOnlyModel
from qingdan.core.templatetags.fmt import day_text, when_text


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, to assign")
    ASSIGNED = "assigned", _("Awaiting sign-for")
    RETURNED = "returned", _("Returned by unit")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved, awaiting follow-up")
    CLOSED = "closed", _("Closed out")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.RETURNED,
    Status.IN_PROGRESS,
    Status.RESOLVED,
)
# States in which a unit holds the task and its deadlines run (warning colours apply).
RUNNING_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


class Channel(models.TextChoices):
    EXCHANGE_DAY = "exchange_day", _("Exchange day")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class FollowUpOutcome(models.TextChoices):
    """What a follow-up call (回访) found."""

    SATISFIED = "satisfied", _("Reached: satisfied")
    BASIC = "basic", _("Reached: basically satisfied")
    UNSATISFIED = "unsatisfied", _("Reached: unsatisfied")
    UNREACHABLE = "unreachable", _("Not reached")


class CloseType(models.TextChoices):
    SOLVED = "solved", _("Closed as solved")
    EXPLAINED = "explained", _("Closed with explanation")
    ONGOING = "ongoing", _("Closed, follow-up continues")


class Category(models.Model):
    """The park's problem taxonomy, editable by admins; carries the default time limits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    sign_days = models.PositiveSmallIntegerField(_("sign-for limit (working days)"), default=1)
    completion_days = models.PositiveSmallIntegerField(
        _("completion limit (working days)"), default=10
    )
    urgent_completion_days = models.PositiveSmallIntegerField(
        _("completion limit when urgent (working days)"), default=5
    )
    default_lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("usual lead unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def completion_limit(self, urgency: str) -> int:
        return self.urgent_completion_days if urgency == Urgency.URGENT else self.completion_days


class ProblemCounter(models.Model):
    """Last number handed out per year: numbers are sequential and never reused."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("Year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("Last"))

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Problem(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="problems"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="problems"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    may_name_publicly = models.BooleanField(_("enterprise may be named publicly"), default=True)
    exchange_day = models.ForeignKey(
        "exchange.ExchangeDay",
        verbose_name=_("exchange day"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    proposed_lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("proposed lead unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("raised at"), db_index=True)

    # --- cache of the event log: the latest state and the task as it stands ---
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("Version"))
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_problems",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    sign_deadline = models.DateField(_("sign-for deadline"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    deadline = models.DateField(_("completion deadline"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_type = models.CharField(
        _("close-out type"), max_length=20, choices=CloseType.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    redo_count = models.PositiveSmallIntegerField(_("redone"), default=0)
    # The deadline for which the task was escalated to the leaders (the reminder ladder's last
    # step); escalated while it is still the deadline.
    escalated_for = models.DateField(_("escalated for the deadline"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_problems",
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created", "-id"]
        indexes = [
            # unit inbox: lead unit + status, ordered by deadline / newest
            models.Index(
                fields=["lead_unit", "status", "deadline", "id"], name="problem_unit_inbox"
            ),
            models.Index(fields=["lead_unit", "-created", "-id"], name="problem_unit_recent"),
            # overdue board and colour filters over running tasks
            models.Index(
                fields=["deadline", "id"],
                name="problem_running_deadline",
                condition=Q(status__in=["assigned", "in_progress"]),
            ),
            models.Index(fields=["enterprise", "-created", "-id"], name="problem_enterprise"),
            models.Index(fields=["status", "-created", "-id"], name="problem_status_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problems:detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_escalated(self) -> bool:
        return (
            self.status in RUNNING_STATUSES
            and self.escalated_for is not None
            and self.escalated_for == self.deadline
        )


class TaskUnit(models.Model):
    """A unit on a task (the lead or a co-unit) and its share of the work (责任分工)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="task_units", verbose_name=_("Problem")
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_units"
    )
    is_lead = models.BooleanField(_("lead"), default=False)
    division = models.TextField(_("division of work"), blank=True)

    class Meta:
        verbose_name = _("unit on a task")
        verbose_name_plural = _("units on tasks")
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "unit"], name="taskunit_once_per_problem"),
            models.UniqueConstraint(
                fields=["problem"], condition=Q(is_lead=True), name="taskunit_one_lead"
            ),
        ]
        indexes = [models.Index(fields=["unit", "problem"], name="taskunit_unit")]

    def __str__(self) -> str:
        return f"{self.problem.number} {self.unit}"


class ProblemEvent(AppendOnlyModel):
    """One change to a problem. Append-only: the problem's fields are a cache of these."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="events", verbose_name=_("Problem")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["problem", "created", "id"], name="event_timeline"),
            models.Index(fields=["action", "created"], name="event_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action_label} {when_text(self.created)}"

    @property
    def action_label(self) -> str:
        from qingdan.problems.workflow import action_label

        return action_label(self.action)

    @property
    def follow_up(self) -> dict:
        """A follow-up call's facts for the timeline: person called, time, outcome ({} else)."""
        if self.action != "follow_up":
            return {}
        payload = self.payload or {}
        outcome = payload.get("outcome", "")
        label = FollowUpOutcome(outcome).label if outcome in FollowUpOutcome.values else outcome
        return {
            "person": payload.get("person_called", ""),
            "called_at": payload.get("called_at"),
            "outcome": str(label),
        }

    @property
    def satisfaction_label(self) -> str:
        """The rating this event carries, in the reader's language ("" when none)."""
        value = (self.payload or {}).get("satisfaction", "")
        return str(Satisfaction(value).label) if value in Satisfaction.values else value


class ProblemLink(models.Model):
    """Two problems the secretariat linked as related (相关问题): alike, but not one to merge.
    Written by the ``relate`` action with its event; shown from either side."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="links", verbose_name=_("Problem")
    )
    related = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="linked_from", verbose_name=_("Related")
    )
    event = models.ForeignKey(
        ProblemEvent, on_delete=models.PROTECT, related_name="+", verbose_name=_("Event")
    )

    class Meta:
        verbose_name = _("related problems")
        verbose_name_plural = _("related problems")
        constraints = [
            models.UniqueConstraint(fields=["problem", "related"], name="problemlink_once"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} ~ {self.related_id}"


class RequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class SecretariatDecision(models.Model):
    """A request the secretariat decides on (an extension, a return)."""

    state = models.CharField(
        _("decision"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True


class ExtensionRequest(SecretariatDecision):
    """延期申请: a unit asks for a later deadline; the secretariat decides."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("Problem")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("deadline before"))
    requested_deadline = models.DateField(_("requested deadline"))
    new_deadline = models.DateField(_("new deadline"), null=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_problem",
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem.number} → {self.requested_deadline}"


class ReturnRequest(SecretariatDecision):
    """退回: the assigned unit hands a task back; the secretariat reassigns or rejects it."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="returns", verbose_name=_("Problem")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Unit")
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-returned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(state="pending"),
                name="return_one_pending_per_problem",
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem.number} ← {self.unit}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"problems/{instance.problem.number}/{filename}"


class Attachment(models.Model):
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("Problem")
    )
    event = models.ForeignKey(
        ProblemEvent,
        null=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("Event"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, verbose_name=_("Content type"))
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Uploaded by"),
    )
    created = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("problems:attachment", args=[self.problem.number, self.pk])


class HolidayOverride(models.Model):
    """A day whose working status differs from the calendar package (or a year it lacks)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{day_text(self.date)} {_('working day') if self.is_workday else _('day off')}"


class WeekdayYear(models.Model):
    """A year whose statutory holidays are not known (neither built in nor entered as
    overrides), which an administrator explicitly allowed to count Monday to Friday. Without
    this row, a deadline in such a year is refused rather than guessed; with it, pages that show
    such a deadline say it was counted Monday to Friday."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(_("allowed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("year counted Monday to Friday")
        verbose_name_plural = _("years counted Monday to Friday")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


# --- Supervision of running tasks (催办, 督办, 领导批示, 约谈) ------------------------------------


class Supervision(models.Model):
    """督办: the secretariat or a leader formally supervises a task with a reply date; the lead
    unit must reply (督办回复) by then; the secretariat or a leader closes it once replied.
    Opened, replied and closed by the ``supervise``, ``supervision_reply`` and
    ``close_supervision`` actions, each with its event."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting the unit's reply")
        REPLIED = "replied", _("Replied, to close")
        CLOSED = "closed", _("Closed")

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("Problem")
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("supervised unit"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    reply_due = models.DateField(_("reply due"))
    demand = models.TextField(_("what is required"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Replied by"),
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    # The supervision notice (督办通知书) number, once issued.
    document_number = models.CharField(_("document number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["reply_due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem"],
                condition=~Q(state="closed"),
                name="supervision_one_open_per_problem",
            )
        ]

    def __str__(self) -> str:
        return _("%(number)s: supervision, reply due %(day)s") % {
            "number": self.problem.number,
            "day": day_text(self.reply_due),
        }


class InstructionBase(models.Model):
    """领导批示, on a task or a challenge: the leader, the text, and its acknowledgement by the
    unit that follows it up (``problems.supervision.acknowledge_pending``)."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leader"),
    )
    created = models.DateTimeField(_("written at"))
    text = models.TextField(_("instruction"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement = models.TextField(_("follow-up"), blank=True)

    class Meta:
        abstract = True


class Instruction(InstructionBase):
    """领导批示: a leader's instruction on a task, shown on top of it until the lead unit
    acknowledges it (``instruct`` and ``acknowledge_instruction``)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="instructions", verbose_name=_("Problem")
    )

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return _("%(number)s: instruction of %(day)s") % {
            "number": self.problem.number,
            "day": day_text(self.created),
        }


class Interview(models.Model):
    """约谈: an interview of a unit about repeated lateness: date, participants, outcome and the
    tasks it concerned (each of which records it on its timeline)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="interviews"
    )
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    outcome = models.TextField(_("outcome"))
    problems = models.ManyToManyField(
        Problem, verbose_name=_("tasks concerned"), related_name="interviews", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Recorded by"),
    )
    created = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return _("Interview of %(unit)s on %(day)s") % {
            "unit": self.unit,
            "day": day_text(self.held_on),
        }


class IssuedDocument(models.Model):
    """A 交办单 or 督办通知书 once issued: numbered from the configurable pattern and a yearly
    sequence, its files stored, never regenerated."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assignment slip")
        SUPERVISION = "supervision", _("Supervision notice")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="documents", verbose_name=_("Problem")
    )
    supervision = models.ForeignKey(
        Supervision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("Supervision"),
    )
    # The assignment event the slip documents (a new assignment, a new slip).
    event = models.ForeignKey(
        ProblemEvent, on_delete=models.PROTECT, related_name="+", verbose_name=_("Event")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=60, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.FileField(_("PDF"), upload_to="documents/%Y/", max_length=255)
    docx = models.FileField(_("Word"), upload_to="documents/%Y/", max_length=255, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="document_sequence"),
            models.UniqueConstraint(fields=["kind", "event"], name="document_once_per_event"),
        ]

    def __str__(self) -> str:
        return self.number


class KpiSettings(models.Model):
    """How the bulletin scores and ranks units (docs/KPIS.md), kept by the secretariat: one
    row, changed through ``records.save`` so every change has its history. Without the row,
    the defaults below apply."""

    min_scored = models.PositiveSmallIntegerField(
        _("minimum items counted to be ranked"), default=3
    )
    weight_response = models.DecimalField(
        _("weight of the timely sign-for rate"), max_digits=4, decimal_places=2, default=0.2
    )
    weight_on_time = models.DecimalField(
        _("weight of the on-time resolution rate"), max_digits=4, decimal_places=2, default=0.3
    )
    weight_satisfaction = models.DecimalField(
        _("weight of the satisfaction rate"), max_digits=4, decimal_places=2, default=0.3
    )
    weight_first_time = models.DecimalField(
        _("weight of the first-time resolution rate"),
        max_digits=4,
        decimal_places=2,
        default=0.2,
    )
    basic_weight = models.DecimalField(
        _("how much “basically satisfied” counts"), max_digits=3, decimal_places=2, default=1
    )
    appeal_workdays = models.PositiveSmallIntegerField(
        _("working days to appeal a judgement"), default=3
    )

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")

    def __str__(self) -> str:
        return str(_("scoring settings"))


class Appeal(models.Model):
    """申诉复核: a unit disputes a judgement on one problem (its lateness, or its rating); the
    secretariat upholds or overturns it. An overturned judgement changes the figures of
    bulletins computed after the decision, never a published one."""

    class Kind(models.TextChoices):
        LATENESS = "lateness", _("Lateness judgement")
        RATING = "rating", _("Rating")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        UPHELD = "upheld", _("Judgement upheld")
        OVERTURNED = "overturned", _("Judgement overturned")

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("Problem")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("Unit")
    )
    kind = models.CharField(_("what is appealed"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="appeals/%Y/%m/", blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("Version"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "kind"],
                condition=Q(state="pending"),
                name="appeal_one_pending_per_judgement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem.number} {self.get_kind_display()} {self.get_state_display()}"


class AppealEvent(AppendOnlyModel):
    """Every step of an appeal: filed, upheld, overturned."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="events", verbose_name=_("Appeal")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Actor"),
    )
    created = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(max_length=12, blank=True, verbose_name=_("From state"))
    to_state = models.CharField(max_length=12, verbose_name=_("To state"))
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("Payload"))

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        from qingdan.problems.appeals import APPEALS

        return f"{self.appeal_id} {APPEALS.label(self.action)}"
