"""一企一档: what the park keeps about each enterprise beyond its name and credit code — industry
code, size, capital, tags, Per-mu grade, contacts, yearly figures, its commissioner (包联干部) and
the commissioner's visits."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Tag(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("Above-scale industrial")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    SPECIALISED = "specialised", _("Specialised and innovative")
    LITTLE_GIANT = "little_giant", _("“Little giant”")
    LISTED = "listed", _("Listed company")
    FORTUNE500 = "fortune500", _("Fortune 500 investment")
    FOREIGN_TRADE = "foreign_trade", _("Foreign trade")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


# The accounts' flags that are tags too (kept where the problems' pages already read them).
FLAG_TAGS = {
    "is_above_scale": Tag.ABOVE_SCALE,
    "is_high_tech": Tag.HIGH_TECH,
    "is_little_giant": Tag.LITTLE_GIANT,
    "is_listed": Tag.LISTED,
    "is_fortune500_investment": Tag.FORTUNE500,
}

industry_code_validator = RegexValidator(
    r"^[A-T](\d{2}(\d{1,2})?)?$",
    _("An industry code (GB/T 4754): a section letter and up to four digits, e.g. C3976."),
)


def validate_tags(value) -> None:
    if not isinstance(value, list) or any(tag not in Tag.values for tag in value):
        raise ValidationError(_("Choose tags from the list."))


class EnterpriseProfile(models.Model):
    """The record (一企一档) of one enterprise, one-to-one with ``accounts.Enterprise``."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="profile"
    )
    industry_code = models.CharField(
        _("industry code (GB/T 4754)"),
        max_length=5,
        blank=True,
        validators=[industry_code_validator],
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    registered_capital_wan_yuan = models.DecimalField(
        _("registered capital (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tags])
    grade = models.CharField(_("Per-mu grade"), max_length=1, choices=Grade.choices, blank=True)
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service commissioner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commissioned",
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise record")
        verbose_name_plural = _("enterprise records")

    def __str__(self) -> str:
        return str(self.enterprise)

    def clean(self) -> None:
        if self.commissioner_id and self.commissioner.role not in (
            "secretariat",
            "unit_officer",
            "unit_head",
            "leader",
        ):
            raise ValidationError(
                {"commissioner": _("The commissioner must be a person of a park unit.")}
            )
        if self.registered_capital_wan_yuan is not None and self.registered_capital_wan_yuan < 0:
            raise ValidationError({"registered_capital_wan_yuan": _("Cannot be negative.")})

    def all_tags(self) -> list[str]:
        """The record's tags and the accounts' flags, each once, in the list's order."""
        found = set(self.tags or [])
        found |= {tag for flag, tag in FLAG_TAGS.items() if getattr(self.enterprise, flag)}
        return [tag for tag in Tag.values if tag in found]

    def tag_labels(self) -> list[str]:
        return [str(Tag(tag).label) for tag in self.all_tags()]


class Contact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="record_contacts",
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=40,
        validators=[RegexValidator(r"^[0-9+()\- ]{5,40}$", _("Digits, spaces, + - ( ) only."))],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"


def per_mu(amount, land) -> Decimal | None:
    if amount is None or not land:
        return None
    return (Decimal(amount) / Decimal(land)).quantize(Decimal("0.01"))


class YearlyFigures(models.Model):
    """One year's figures; 亩均税收 and 亩均产值 are computed, never stored."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="yearly_figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    output_wan_yuan = models.DecimalField(
        _("output (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    tax_wan_yuan = models.DecimalField(
        _("tax paid (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rd_wan_yuan = models.DecimalField(
        _("R&D spending (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    land_mu = models.DecimalField(
        _("land area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="figures_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def clean(self) -> None:
        if not 2000 <= (self.year or 0) <= 2099:
            raise ValidationError({"year": _("A year such as 2026.")})
        for name in ("output_wan_yuan", "tax_wan_yuan", "rd_wan_yuan", "land_mu"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError({name: _("Cannot be negative.")})

    @property
    def tax_per_mu(self) -> Decimal | None:
        """亩均税收 (10,000 yuan per 亩)."""
        return per_mu(self.tax_wan_yuan, self.land_mu)

    @property
    def output_per_mu(self) -> Decimal | None:
        """亩均产值 (10,000 yuan per 亩)."""
        return per_mu(self.output_wan_yuan, self.land_mu)

    @property
    def rd_share_percent(self) -> Decimal | None:
        """研发投入占比: R&D spending as a percentage of output."""
        if self.rd_wan_yuan is None or not self.output_wan_yuan:
            return None
        return (Decimal(100) * self.rd_wan_yuan / self.output_wan_yuan).quantize(Decimal("0.01"))


class Visit(models.Model):
    """A commissioner's visit (走访): who, when, and what the enterprise raised."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="visits"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    day = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.day}"


class VisitItem(models.Model):
    """One thing raised at a visit; it becomes a problem in one step."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("what was raised"), max_length=120)
    problem = models.OneToOneField(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_item",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text
