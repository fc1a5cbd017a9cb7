"""Guaranteed-loan programmes (助保贷, 政银担): a bank, a guarantor, a risk-compensation pool
and its leverage; the whitelist; loans with their repayments, defaults and the compensation
drawn from the pool. Figures per programme are computed from these rows."""

from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise


class ProgrammeKind(models.TextChoices):
    ZHUBAODAI = "zhubaodai", _("助保贷 (pool-backed loans)")
    ZHENGYINDAN = "zhengyindan", _("政银担 (government–bank–guarantor)")
    OTHER = "other", _("Other")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    bank = models.CharField(_("bank"), max_length=100)
    guarantor = models.CharField(_("guarantor"), max_length=100, blank=True)
    pool_wan_yuan = models.DecimalField(
        _("risk-compensation pool (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    leverage = models.DecimalField(
        _("leverage (credit per yuan of pool)"), max_digits=6, decimal_places=2, default=10
    )
    started_on = models.DateField(_("started on"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("loan programme")
        verbose_name_plural = _("loan programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def figures(self) -> dict:
        """Enterprises served, credit granted, pool used and left, credit capacity left."""
        loans = self.loans.all()
        cent = Decimal("0.01")
        granted = loans.aggregate(s=Sum("amount_wan_yuan"))["s"] or Decimal(0)
        used = Compensation.objects.filter(loan__programme=self).aggregate(
            s=Sum("amount_wan_yuan")
        )["s"] or Decimal(0)
        repaid = Repayment.objects.filter(loan__programme=self).aggregate(s=Sum("amount_wan_yuan"))[
            "s"
        ] or Decimal(0)
        return {
            "enterprises": loans.values("enterprise").distinct().count(),
            "loans": loans.count(),
            "granted_wan_yuan": Decimal(granted).quantize(cent),
            "repaid_wan_yuan": Decimal(repaid).quantize(cent),
            "defaults": loans.filter(state=LoanState.DEFAULTED).count(),
            "pool_used_wan_yuan": Decimal(used).quantize(cent),
            "pool_left_wan_yuan": (self.pool_wan_yuan - Decimal(used)).quantize(cent),
            "capacity_wan_yuan": (self.pool_wan_yuan * self.leverage).quantize(cent),
            "whitelist": self.whitelist.count(),
        }


class WhitelistEntry(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="whitelist", verbose_name=_("Programme")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="loan_whitelists",
        verbose_name=_("Enterprise"),
    )
    added_on = models.DateField(_("added on"))

    class Meta:
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "enterprise"], name="whitelisted_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.enterprise}"


class LoanState(models.TextChoices):
    CURRENT = "current", _("Current")
    REPAID = "repaid", _("Repaid")
    DEFAULTED = "defaulted", _("Defaulted")


class Loan(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="loans", verbose_name=_("Programme")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="loans", verbose_name=_("Enterprise")
    )
    amount_wan_yuan = models.DecimalField(
        _("amount (10,000 yuan)"), max_digits=12, decimal_places=2
    )
    rate_percent = models.DecimalField(_("annual rate (%)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    guarantee = models.CharField(_("guarantee"), max_length=200, blank=True)
    granted_on = models.DateField(_("granted on"))
    state = models.CharField(
        _("state"), max_length=10, choices=LoanState.choices, default=LoanState.CURRENT
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.amount_wan_yuan}"

    @property
    def repaid_wan_yuan(self) -> Decimal:
        return self.repayments.aggregate(s=Sum("amount_wan_yuan"))["s"] or Decimal(0)

    @property
    def outstanding_wan_yuan(self) -> Decimal:
        return self.amount_wan_yuan - self.repaid_wan_yuan


class Repayment(models.Model):
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("Loan")
    )
    day = models.DateField(_("date"))
    amount_wan_yuan = models.DecimalField(
        _("amount (10,000 yuan)"), max_digits=12, decimal_places=2
    )

    class Meta:
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.day} {self.amount_wan_yuan}"


class Compensation(models.Model):
    """A default's compensation to the bank, drawn from the programme's pool."""

    loan = models.OneToOneField(
        Loan, on_delete=models.PROTECT, related_name="compensation", verbose_name=_("Loan")
    )
    day = models.DateField(_("date"))
    amount_wan_yuan = models.DecimalField(
        _("amount drawn from the pool (10,000 yuan)"), max_digits=12, decimal_places=2
    )

    def __str__(self) -> str:
        return f"{self.loan_id} {self.amount_wan_yuan}"
