"""Investment projects (招商/重点项目台账) and monthly economic indicators (经济运行指标)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Industry, Unit

# The stages, in order, with the date field that records reaching each.
STAGES = [
    ("negotiating", _("Negotiating"), "negotiating_on"),
    ("signed", _("Signed"), "signed_on"),
    ("landed", _("Landed"), "landed_on"),
    ("started", _("Construction started"), "started_on"),
    ("producing", _("In production"), "producing_on"),
    ("full_production", _("Full production"), "full_production_on"),
]
STAGE_LABELS = {code: label for code, label, _field in STAGES}


def growth(value: Decimal | None, prior: Decimal | None) -> Decimal | None:
    """Year-on-year growth in percent, two decimals; None ("—") without a prior value."""
    if value is None or prior is None or prior == 0:
        return None
    return ((Decimal(value) - Decimal(prior)) / Decimal(prior) * 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    investor = models.ForeignKey(
        Enterprise, verbose_name=_("investor"), on_delete=models.PROTECT, related_name="projects"
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    amount_wan_yuan = models.DecimalField(
        _("contract amount (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    total_investment_wan_yuan = models.DecimalField(
        _("total planned investment (10,000 yuan)"), max_digits=14, decimal_places=2, default=0
    )
    is_key = models.BooleanField(_("key project"), default=False)
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    planned_start = models.DateField(_("planned start of construction"), null=True, blank=True)
    negotiating_on = models.DateField(_("negotiating since"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    landed_on = models.DateField(_("landed on"), null=True, blank=True)
    started_on = models.DateField(_("construction started on"), null=True, blank=True)
    producing_on = models.DateField(_("production started on"), null=True, blank=True)
    full_production_on = models.DateField(_("full production on"), null=True, blank=True)
    problems = models.ManyToManyField(
        "problems.Problem", verbose_name=_("linked problems"), blank=True, related_name="projects"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["-is_key", "name"]
        indexes = [models.Index(fields=["is_key", "name"], name="project_key")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Stages are reached in order: no 投产 before 开工, no date before the stage before it.
        (洽谈 is optional: many projects are recorded from their signing.)"""
        errors = {}
        missing, previous = None, None  # first stage not reached; last (label, date) reached
        for code, label, field in STAGES:
            reached = getattr(self, field)
            if reached is None:
                if missing is None and code != "negotiating":
                    missing = label
                continue
            if missing is not None:
                errors[field] = _("“%(stage)s” cannot be reached before “%(before)s”.") % {
                    "stage": label,
                    "before": missing,
                }
            elif previous is not None and reached < previous[1]:
                errors[field] = _("“%(stage)s” cannot be dated before “%(before)s”.") % {
                    "stage": label,
                    "before": previous[0],
                }
            previous = (label, reached)
        if errors:
            raise ValidationError(errors)

    @property
    def stage(self) -> str:
        reached = [code for code, _label, field in STAGES if getattr(self, field)]
        return reached[-1] if reached else ""

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, "—"))

    @property
    def days_sign_to_production(self) -> int | None:
        if self.signed_on and self.producing_on:
            return (self.producing_on - self.signed_on).days
        return None

    @property
    def same_month_signing_and_production(self) -> bool:
        """The article's "signed this month, producing this month" (当月签约、当月投产)."""
        return bool(
            self.signed_on
            and self.producing_on
            and (self.signed_on.year, self.signed_on.month)
            == (self.producing_on.year, self.producing_on.month)
        )


class AnnualPlan(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="plans", verbose_name=_("Project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned_wan_yuan = models.DecimalField(
        _("planned investment (10,000 yuan)"), max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_once")]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class MonthlyInvestment(models.Model):
    """Investment completed in one month (the month's own amount; year-to-date is a sum)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="investments", verbose_name=_("Project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    completed_wan_yuan = models.DecimalField(
        _("completed (10,000 yuan)"), max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("monthly investment")
        verbose_name_plural = _("monthly investments")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="investment_once"),
            models.CheckConstraint(
                name="investment_month_1_12", condition=models.Q(month__gte=1, month__lte=12)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}-{self.month:02d}"


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 亿元, 个, %"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the English one when there is one)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class IndicatorValue(models.Model):
    """The cumulative value of months 1–``month`` of ``year``, beside the prior year's."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("Indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("through month"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    prior_year_value = models.DecimalField(
        _("prior year, same months"), max_digits=16, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "month"], name="value_once"),
            models.CheckConstraint(
                name="value_month_1_12", condition=models.Q(month__gte=1, month__lte=12)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d}"

    @property
    def growth(self) -> Decimal | None:
        return growth(self.value, self.prior_year_value)


def month_end(year: int, month: int) -> date:
    import calendar as pycalendar

    return date(year, month, pycalendar.monthrange(year, month)[1])
