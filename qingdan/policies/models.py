"""惠企政策: policies with structured eligibility conditions, and applications to them
(申报 → 审核 → 兑现), whose state is a cache of their append-only event log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Unit
from qingdan.core.models import AppendOnlyModel


class Policy(models.Model):
    code = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    issuer = models.CharField(_("issuer"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    benefit = models.TextField(_("benefit"))
    amount_wan_yuan = models.DecimalField(
        _("typical amount (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("plain-language summary"))
    materials = models.TextField(_("materials required"), blank=True)
    window_opens = models.DateField(_("applications from"), null=True, blank=True)
    window_closes = models.DateField(_("applications until"), null=True, blank=True)
    exempt = models.BooleanField(_("paid without application"), default=False)
    review_unit = models.ForeignKey(
        Unit,
        verbose_name=_("reviewing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    review_days = models.PositiveSmallIntegerField(_("review limit (working days)"), default=10)
    published = models.BooleanField(_("published"), default=False)
    created = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Created by"),
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.code])

    def window_open(self, today) -> bool:
        return (self.window_opens is None or self.window_opens <= today) and (
            self.window_closes is None or today <= self.window_closes
        )


class Kind(models.TextChoices):
    TAG = "tag", _("Tag")
    INDUSTRY = "industry", _("Industry code")
    SIZE = "size", _("Size class")
    FIGURE = "figure", _("Yearly figure")
    CAPITAL = "capital", _("Registered capital")
    LOCATION = "location", _("Location (zone)")
    GRADE = "grade", _("Per-mu grade")


class Operator(models.TextChoices):
    HAS = "has", _("has")
    NOT_HAS = "not_has", _("does not have")
    PREFIX = "prefix", _("starts with")
    IN = "in", _("is one of")
    GTE = "gte", _("at least")
    LTE = "lte", _("at most")


class Figure(models.TextChoices):
    OUTPUT = "output_wan_yuan", _("Output (10,000 yuan)")
    TAX = "tax_wan_yuan", _("Tax paid (10,000 yuan)")
    RD = "rd_wan_yuan", _("R&D spending (10,000 yuan)")
    RD_SHARE = "rd_share_percent", _("R&D share of output")
    EMPLOYEES = "employees", _("Employees")
    LAND = "land_mu", _("Land area (mu)")
    TAX_PER_MU = "tax_per_mu", _("Tax per mu")
    OUTPUT_PER_MU = "output_per_mu", _("Output per mu")


class Condition(models.Model):
    """One eligibility condition over the enterprise record, written in a form."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("Policy")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    figure = models.CharField(_("figure"), max_length=20, choices=Figure.choices, blank=True)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_operator_display()} {self.value}"


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, under review")
    MORE_INFO = "more_info", _("More information asked")
    APPROVED = "approved", _("Approved, to be paid")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    code = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Policy")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_applications",
        verbose_name=_("Applicant"),
    )
    exempt = models.BooleanField(_("免申即享 (no application)"), default=False)
    statement = models.TextField(_("statement"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    version = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("Version"))
    submitted = models.DateTimeField(_("submitted"))
    review_deadline = models.DateField(_("review due"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    amount_wan_yuan = models.DecimalField(
        _("amount paid (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("linked problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policy_applications",
    )

    class Meta:
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        ordering = ["-submitted", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise"],
                condition=~models.Q(state__in=["refused", "withdrawn"]),
                name="one_live_application_per_policy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("policies:application", args=[self.code])


class ApplicationEvent(AppendOnlyModel):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("Policy application"),
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
    from_state = models.CharField(max_length=20, blank=True, verbose_name=_("From state"))
    to_state = models.CharField(max_length=20, verbose_name=_("To state"))
    note = models.TextField(blank=True, verbose_name=_("Note"))
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("Payload"))

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        from qingdan.policies.workflow import APPLICATIONS

        return f"{self.application_id} {APPLICATIONS.label(self.action)}"


def material_path(instance, filename: str) -> str:
    return f"policies/{instance.application.code}/{filename}"


class Material(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("Policy application"),
    )
    event = models.ForeignKey(
        ApplicationEvent,
        null=True,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("Event"),
    )
    file = models.FileField(_("file"), upload_to=material_path, max_length=255)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, verbose_name=_("Content type"))
    size = models.PositiveIntegerField(_("size"))
    created = models.DateTimeField(_("uploaded at"))

    def __str__(self) -> str:
        return self.name


class MatchNotice(models.Model):
    """A match announced to an enterprise by the weekly 政策体检 (so each is new once)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name=_("Enterprise")
    )
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="+", verbose_name=_("Policy")
    )
    verdict = models.CharField(max_length=20, verbose_name=_("Verdict"))
    created = models.DateTimeField(verbose_name=_("Created"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "policy", "verdict"], name="match_announced_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.policy_id} {self.verdict}"


class CheckupOptOut(models.Model):
    """A person who turned the weekly 政策体检 notice off (everyone else receives it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("User")
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    def __str__(self) -> str:
        return str(self.user_id)
