"""揭榜挂帅: a major problem published as a challenge; teams apply; exactly one is chosen and
delivers against milestones; the result is accepted (or not)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Unit
from qingdan.core.models import AppendOnlyModel
from qingdan.core.templatetags.fmt import day_text
from qingdan.problems.models import InstructionBase


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for applications")
    REVIEWING = "reviewing", _("Under review")
    SELECTED = "selected", _("Team selected, task letter to sign")
    DELIVERING = "delivering", _("In delivery")
    ACCEPTING = "accepting", _("Awaiting acceptance")
    PASSED = "passed", _("Accepted")
    PASSED_WITH_CONDITIONS = "passed_conditions", _("Accepted with conditions")
    FAILED = "failed", _("Not accepted")


class Challenge(models.Model):
    code = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    goal = models.TextField(_("goal"))
    conditions = models.TextField(_("conditions for applicants"), blank=True)
    support_funds_wan_yuan = models.DecimalField(
        _("support funds (10,000 yuan)"), max_digits=12, decimal_places=2, default=0
    )
    support_resources = models.TextField(_("other support offered"), blank=True)
    criteria = models.JSONField(
        _("review criteria"),
        default=list,
        help_text=_("Each criterion with its weight, e.g. technical plan 40, team 30, cost 30."),
    )
    application_deadline = models.DateField(_("applications until"))
    delivery_deadline = models.DateField(_("delivery deadline"))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="challenges"
    )
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises concerned"), blank=True, related_name="challenges"
    )
    may_name_enterprises = models.BooleanField(
        _("enterprises may be named publicly"), default=False
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="draft")
    version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("Version"))
    republished_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="republished_as",
        verbose_name=_("Republished from"),
    )
    decision_note = models.TextField(_("acceptance decision"), blank=True)
    follow_up = models.TextField(_("rewards or follow-up"), blank=True)
    created = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", args=[self.code])

    def get_public_url(self) -> str:
        return reverse("public:challenge", args=[self.code])

    @property
    def selected(self):
        return self.applications.filter(state=Application.State.SELECTED).first()


class TeamKind(models.TextChoices):
    UNIT = "unit", _("A unit")
    ENTERPRISE = "enterprise", _("An enterprise")
    INSTITUTE = "institute", _("A research institute")
    GROUP = "group", _("A group of people")


class Application(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SELECTED = "selected", _("Selected")
        UNSUCCESSFUL = "unsuccessful", _("Not selected")

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Challenge"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Applicant"),
    )
    team_kind = models.CharField(_("team"), max_length=12, choices=TeamKind.choices)
    team_name = models.CharField(_("team name"), max_length=120)
    leader_name = models.CharField(_("team leader"), max_length=60)
    members = models.TextField(_("members"), blank=True)
    plan = models.TextField(_("plan"))
    milestones = models.TextField(
        _("milestones"),
        help_text=_("One per line: the date (e.g. 2026-12-31) and what is delivered then."),
    )
    commitment = models.TextField(_("commitment"))
    attachment = models.FileField(
        _("supporting document"), upload_to="challenges/%Y/%m/", max_length=255, blank=True
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default="submitted")
    created = models.DateTimeField(_("applied at"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created", "id"]
        constraints = [
            # Exactly one team per challenge: the database refuses a second selection.
            models.UniqueConstraint(
                fields=["challenge"], condition=Q(state="selected"), name="one_selected_team"
            ),
            models.UniqueConstraint(
                fields=["challenge", "applicant"],
                condition=~Q(state="withdrawn"),
                name="one_application_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge.code} {self.team_name}"


class Review(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Reviewer"),
    )
    scores = models.JSONField(_("scores"), default=dict)  # criterion → 0..100
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_each")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.total}"


class Milestone(models.Model):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Challenge")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("Order"))
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    report = models.TextField(_("report"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="challenges/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True, verbose_name=_("Evidence name"))
    evidence_type = models.CharField(max_length=100, blank=True, verbose_name=_("Evidence type"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "due", "id"]

    def __str__(self) -> str:
        return f"{self.due} {self.title}"


class MilestoneChange(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="changes", verbose_name=_("Milestone")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Requested by"),
    )
    reason = models.TextField(_("reason"))
    old_due = models.DateField(_("due before"))
    new_due = models.DateField(_("due asked for"))
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default="pending", verbose_name=_("Decision")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decision_note = models.TextField(blank=True, verbose_name=_("Decision note"))
    created = models.DateTimeField(verbose_name=_("Created"))

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(decision="pending"), name="one_pending_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} → {self.new_due}"


class Rating(models.Model):
    """An enterprise concerned rates the delivered result (验收)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("Challenge")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("Enterprise")
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Rated by"),
    )
    satisfaction = models.CharField(max_length=12, verbose_name=_("Satisfaction"))
    comment = models.TextField(blank=True, verbose_name=_("Comment"))
    created = models.DateTimeField(verbose_name=_("Created"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "enterprise"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.enterprise_id} {self.satisfaction}"


class ChallengeEvent(AppendOnlyModel):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="events", verbose_name=_("Challenge")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Actor"),
    )
    created = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=20, blank=True, verbose_name=_("From state"))
    to_state = models.CharField(max_length=20, verbose_name=_("To state"))
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("Payload"))

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("challenge event")
        verbose_name_plural = _("challenge events")

    def __str__(self) -> str:
        from qingdan.challenges.workflow import CHALLENGES

        return f"{self.challenge_id} {CHALLENGES.label(self.action)}"


class ChallengeInstruction(InstructionBase):
    """领导批示 on a challenge: a leader's instruction, shown on top of the challenge until its
    owner unit acknowledges it, saying how it follows it up (``instruct`` and
    ``acknowledge_instruction``, as for a task's ``problems.Instruction``)."""

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name=_("Challenge"),
    )

    class Meta:
        verbose_name = _("leader's instruction on a challenge")
        verbose_name_plural = _("leaders' instructions on challenges")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return _("%(number)s: instruction of %(day)s") % {
            "number": self.challenge.code,
            "day": day_text(self.created),
        }
