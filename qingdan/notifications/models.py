"""The outbox (one row per message and channel), the reminder ladder's record, subscriptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Unit
from qingdan.core.templatetags.fmt import day_text


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class Delivery(models.Model):
    """One message to send on one channel: written in the same transaction as what caused it,
    claimed by one worker at a time, retried with back-off, never lost."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Recipient"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("Unit"),
    )
    dedupe_key = models.CharField(max_length=120, unique=True, verbose_name=_("Dedupe key"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Claimed at"))
    claimed_by = models.CharField(max_length=60, blank=True, verbose_name=_("Claimed by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"


class Notification(models.Model):
    """An in-app notice of an event or a reminder (its e-mail and chat messages are ``Delivery``
    rows). Written by ``rules.py`` only for people who may see what it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Recipient"),
    )
    problem = models.ForeignKey(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Problem"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Challenge"),
    )
    policy_application = models.ForeignKey(
        "policies.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Policy application"),
    )
    policy = models.ForeignKey(
        "policies.Policy",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Policy"),
    )
    event = models.ForeignKey(
        "problems.ProblemEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Event"),
    )
    reminder = models.ForeignKey(
        "notifications.Reminder",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Reminder"),
    )
    # The step it is about (the event's action, or a challenge's step), for its label.
    action = models.CharField(_("step"), max_length=40, blank=True)
    created = models.DateTimeField(_("time"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.subject}"

    @property
    def subject(self):
        """What it is about: the problem, the challenge, the policy application or policy."""
        return self.problem or self.challenge or self.policy_application or self.policy

    @property
    def label(self) -> str:
        if self.reminder_id:
            return self.reminder.get_step_display()
        if self.event_id:
            return self.event.action_label
        if self.challenge_id:
            from qingdan.challenges.workflow import CHALLENGES

            return CHALLENGES.label(self.action)
        if self.policy_application_id:
            from qingdan.policies.workflow import APPLICATIONS

            if self.action == "review_overdue":
                return str(_("Review overdue"))
            return APPLICATIONS.label(self.action)
        if self.policy_id:
            from qingdan.policies.eligibility import VERDICTS

            return str(VERDICTS.get(self.action, _("Policy check-up")))
        return ""


class Step(models.TextChoices):
    SIGN = "sign", _("Sign-for reminder")
    DUE_SOON = "due_soon", _("Deadline near")
    OVERDUE = "overdue", _("Overdue notice")
    RED = "red", _("Red card to the service commissioner")
    ESCALATED = "escalated", _("Escalated to leaders")


class Reminder(models.Model):
    """A step of the reminder ladder taken for a problem. Unique per problem, step and deadline:
    each step is taken once, however often the job runs; a new deadline starts a new ladder."""

    problem = models.ForeignKey(
        "problems.Problem",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("Problem"),
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    deadline = models.DateField(_("deadline it refers to"))
    created = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "step", "deadline"], name="reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.get_step_display()} {day_text(self.deadline)}"


class Subscription(models.Model):
    """Someone follows a unit, a category, one problem, or a public challenge."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("User"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Unit"),
    )
    category = models.ForeignKey(
        "problems.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Category"),
    )
    problem = models.ForeignKey(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Problem"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Challenge"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                name="subscription_one_target",
                condition=(
                    Q(
                        unit__isnull=False,
                        category__isnull=True,
                        problem__isnull=True,
                        challenge__isnull=True,
                    )
                    | Q(
                        unit__isnull=True,
                        category__isnull=False,
                        problem__isnull=True,
                        challenge__isnull=True,
                    )
                    | Q(
                        unit__isnull=True,
                        category__isnull=True,
                        problem__isnull=False,
                        challenge__isnull=True,
                    )
                    | Q(
                        unit__isnull=True,
                        category__isnull=True,
                        problem__isnull=True,
                        challenge__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"], name="subscription_challenge_once"
            ),
            models.UniqueConstraint(fields=["user", "unit"], name="subscription_unit_once"),
            models.UniqueConstraint(fields=["user", "category"], name="subscription_category_once"),
            models.UniqueConstraint(fields=["user", "problem"], name="subscription_problem_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit or self.category or self.problem or self.challenge}"


class AlertKind(models.TextChoices):
    NEW_PROBLEM = "new_problem", _("A new problem is raised")
    RETURN = "return", _("A unit returns a task")
    EXTENSION = "extension", _("A unit asks for an extension")


class StaffAlert(models.Model):
    """A secretariat member's choice to hear (or not) of a kind of work arriving. Without a
    row the alert is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_alerts",
        verbose_name=_("User"),
    )
    kind = models.CharField(_("alert"), max_length=20, choices=AlertKind.choices)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("secretariat alert")
        verbose_name_plural = _("secretariat alerts")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="staffalert_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {_('on') if self.enabled else _('off')}"
