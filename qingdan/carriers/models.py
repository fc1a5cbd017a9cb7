"""Carriers (载体): standard factory buildings and land parcels, who uses them (leases) and who
needs space (space requests). Facts about one row live here; every change goes through
``actions.py`` (``core.records.save``: a ``RecordChange`` per change)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.core.models import AppendOnlyModel
from qingdan.core.templatetags.fmt import day_text

AREA = {"max_digits": 12, "decimal_places": 2}
MEASURE = {"max_digits": 8, "decimal_places": 2}


class BuildingState(models.TextChoices):
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    READY = "ready", _("Completed, for rent")
    LEASED = "leased", _("Leased")
    OWN_USE = "own_use", _("Own use")
    UNDERUSED = "underused", _("Underused, to revitalise")


# States of a completed building (everything but 在建).
COMPLETED_STATES = (
    BuildingState.READY,
    BuildingState.LEASED,
    BuildingState.OWN_USE,
    BuildingState.UNDERUSED,
)
# States whose free space is offered to investors (own use is not).
RENTABLE_STATES = (
    BuildingState.UNDER_CONSTRUCTION,
    BuildingState.READY,
    BuildingState.LEASED,
    BuildingState.UNDERUSED,
)


class LandState(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    SUPPLIED = "supplied", _("Supplied")
    IDLE = "idle", _("Idle")
    UNDERUSED = "underused", _("Underused")
    CLEARING = "clearing", _("Being cleared")


class SupplyMode(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    FLEXIBLE = "flexible", _("Flexible term")
    LEASE = "lease", _("Lease")
    LEASE_THEN_TRANSFER = "lease_then_transfer", _("Lease then transfer")
    ALLOCATION = "allocation", _("Allocation")


def polygon_ok(points) -> bool:
    """A polygon on the site plan: 3–200 points, each [x, y] with 0 ≤ x, y ≤ 1 (fractions of
    the image's width and height, so the plan may be any size)."""
    if not isinstance(points, list) or not 3 <= len(points) <= 200:
        return False
    for point in points:
        if not (isinstance(point, list | tuple) and len(point) == 2):
            return False
        for v in point:
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
                return False
    return True


def _check_polygon(points) -> None:
    if points and not polygon_ok(points):
        raise ValidationError(_("A shape is 3 to 200 points [x, y], each between 0 and 1."))


class Building(models.Model):
    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("e.g. A-01: the public id")
    )
    park_area = models.CharField(_("park area"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    floor_area_m2 = models.DecimalField(_("area per floor (㎡)"), **AREA)
    floor_load_kn_m2 = models.DecimalField(_("floor load (kN/㎡)"), **MEASURE)
    clear_height_m = models.DecimalField(_("clear height (m)"), **MEASURE)
    crane_t = models.DecimalField(_("crane (t)"), default=0, **MEASURE)
    power_kva = models.PositiveIntegerField(_("power capacity (kVA)"), default=0)
    water_t_day = models.DecimalField(_("water (t/day)"), default=0, **MEASURE)
    rent_yuan_m2_month = models.DecimalField(_("rent (yuan/㎡/month)"), default=0, **MEASURE)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=BuildingState.choices,
        default=BuildingState.UNDER_CONSTRUCTION,
    )
    construction_start = models.DateField(_("construction started"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    revitalised_on = models.DateField(_("revitalised on"), null=True, blank=True)
    shape = models.JSONField(
        _("shape on the site plan"), default=list, blank=True, validators=[_check_polygon]
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["park_area", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("carriers:building", args=[self.code])

    def clean(self) -> None:
        errors = {}
        if self.floors is not None and self.floors < 1:
            errors["floors"] = _("At least one floor.")
        for name in (
            "floor_area_m2",
            "floor_load_kn_m2",
            "clear_height_m",
            "crane_t",
            "water_t_day",
            "rent_yuan_m2_month",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Not negative.")
        if self.floor_area_m2 is not None and self.floor_area_m2 <= 0:
            errors["floor_area_m2"] = _("Greater than zero.")
        if self.state in COMPLETED_STATES and self.completed_on is None:
            errors["completed_on"] = _("A completed building has its completion date.")
        if self.state == BuildingState.UNDER_CONSTRUCTION and self.completed_on is not None:
            errors["state"] = _(
                "A building with a completion date is no longer under construction."
            )
        if (
            self.construction_start
            and self.planned_completion
            and self.planned_completion < self.construction_start
        ):
            errors["planned_completion"] = _("Not before the start of construction.")
        if errors:
            raise ValidationError(errors)

    @property
    def total_area_m2(self) -> Decimal:
        return self.floor_area_m2 * self.floors

    @property
    def completed(self) -> bool:
        return self.state in COMPLETED_STATES

    def ready_by(self) -> date | None:
        """When the building is (or is planned to be) ready to move into."""
        return self.completed_on if self.completed else self.planned_completion


class LandParcel(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    park_area = models.CharField(_("park area"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    area_mu = models.DecimalField(_("area (mu)"), **AREA)
    planned_use = models.CharField(_("planned use"), max_length=60)
    state = models.CharField(
        _("state"), max_length=20, choices=LandState.choices, default=LandState.RESERVE
    )
    supply_mode = models.CharField(
        _("supply mode"), max_length=24, choices=SupplyMode.choices, blank=True
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    cleanup_deadline = models.DateField(_("clean-up deadline"), null=True, blank=True)
    cleared_on = models.DateField(
        _("cleared on"),
        null=True,
        blank=True,
        help_text=_("idle or underused land brought back into use"),
    )
    shape = models.JSONField(
        _("shape on the site plan"), default=list, blank=True, validators=[_check_polygon]
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        ordering = ["park_area", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("carriers:parcel", args=[self.code])

    def clean(self) -> None:
        errors = {}
        if self.area_mu is not None and self.area_mu <= 0:
            errors["area_mu"] = _("Greater than zero.")
        if self.state == LandState.CLEARING and self.cleanup_deadline is None:
            errors["cleanup_deadline"] = _("A clean-up case has a deadline.")
        if self.supply_mode == SupplyMode.FLEXIBLE and not self.term_years:
            errors["term_years"] = _("A flexible-term supply states its term.")
        if self.term_years is not None and not 1 <= self.term_years <= 70:
            errors["term_years"] = _("From 1 to 70 years.")
        if errors:
            raise ValidationError(errors)


class CleanupStep(models.Model):
    """One step of a parcel's clean-up case (认定, 约谈, 处置, 收回…)."""

    parcel = models.ForeignKey(
        LandParcel, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Parcel")
    )
    title = models.CharField(_("step"), max_length=120)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("clean-up step")
        verbose_name_plural = _("clean-up steps")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.parcel.code} {self.title}"


class Lease(models.Model):
    """A building, or part of one floor, let to an enterprise and/or allocated to a project."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="leases", verbose_name=_("Building")
    )
    floor = models.PositiveSmallIntegerField(
        _("floor"), null=True, blank=True, help_text=_("empty: the whole building")
    )
    area_m2 = models.DecimalField(_("area (㎡)"), **AREA)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carrier_leases",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carrier_leases",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.building.code} {self.area_m2}㎡"

    def clean(self) -> None:
        errors = {}
        if self.enterprise_id is None and self.project_id is None:
            errors["enterprise"] = _("A lease is to an enterprise, a project, or both.")
        if self.area_m2 is not None and self.area_m2 <= 0:
            errors["area_m2"] = _("Greater than zero.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Not before the start.")
        if errors:
            raise ValidationError(errors)

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class SpaceRequest(models.Model):
    """What a project or an enterprise needs: matched against the buildings (``matching.py``)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="space_requests",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="space_requests",
    )
    area_m2 = models.DecimalField(_("area (㎡)"), **AREA)
    floor_load_kn_m2 = models.DecimalField(
        _("floor load (kN/㎡)"), null=True, blank=True, **MEASURE
    )
    clear_height_m = models.DecimalField(_("clear height (m)"), null=True, blank=True, **MEASURE)
    crane_t = models.DecimalField(_("crane (t)"), null=True, blank=True, **MEASURE)
    power_kva = models.PositiveIntegerField(_("power capacity (kVA)"), null=True, blank=True)
    needed_by = models.DateField(_("needed by"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    lease = models.ForeignKey(
        Lease,
        verbose_name=_("met by lease"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("Created by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("space request")
        verbose_name_plural = _("space requests")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.area_m2}㎡ {self.needed_by}"

    def get_absolute_url(self) -> str:
        return reverse("carriers:request", args=[self.pk])

    def clean(self) -> None:
        if self.enterprise_id is None and self.project_id is None:
            raise ValidationError({"enterprise": _("A request is for an enterprise or a project.")})
        if self.area_m2 is not None and self.area_m2 <= 0:
            raise ValidationError({"area_m2": _("Greater than zero.")})


class SitePlan(models.Model):
    """The park's site plan image (one current plan; a new upload replaces it)."""

    image = models.FileField(_("image"), upload_to="siteplans/")
    content_type = models.CharField(max_length=40, verbose_name=_("Content type"))
    width = models.PositiveIntegerField(verbose_name=_("Width"))
    height = models.PositiveIntegerField(verbose_name=_("Height"))
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("Uploaded by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("site plan")
        verbose_name_plural = _("site plans")
        ordering = ["-created"]

    def __str__(self) -> str:
        return _("Site plan of %(day)s") % {"day": day_text(self.created)}


class AlertReminder(AppendOnlyModel):
    """A reminder sent about one alert (a building vacant too long, a clean-up case late), at
    most once a day each: the event the notifications app hears (``domain="carriers"``)."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=12)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    colour = models.CharField(_("colour"), max_length=8)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=200, verbose_name=_("Url"))
    created = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("factories and land reminder")
        verbose_name_plural = _("factories and land reminders")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "code"], name="carrier_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.code} {self.colour}"
