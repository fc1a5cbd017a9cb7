"""The weekly government–enterprise exchange day (政企交流主题日)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.core.templatetags.fmt import day_text


class ExchangeDay(models.Model):
    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("There is already an exchange day on this date.")},
    )
    date_reason = models.CharField(
        _("reason for a day other than Monday"), max_length=200, blank=True
    )
    chair = models.CharField(_("chair"), max_length=60)
    leaders = models.CharField(_("attending leaders"), max_length=300, blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises present"), blank=True, related_name="+"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange day")
        verbose_name_plural = _("exchange days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return _("Exchange day %(date)s") % {"date": day_text(self.date)}

    def get_absolute_url(self) -> str:
        return reverse("exchange:detail", args=[self.date.isoformat()])

    def clean(self) -> None:
        if self.date and self.date.weekday() != 0 and not self.date_reason.strip():
            raise ValidationError(
                {"date_reason": _("The exchange day is held on Mondays: say why this one is not.")}
            )


class ImportJob(models.Model):
    """An Excel problem list being checked and imported (all rows or none)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    exchange_day = models.ForeignKey(
        ExchangeDay,
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("Exchange day"),
    )
    file = models.FileField(upload_to="imports/%Y/%m/", verbose_name=_("File"))
    name = models.CharField(max_length=200, verbose_name=_("Name"))
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, verbose_name=_("State")
    )
    rows = models.PositiveIntegerField(default=0, verbose_name=_("Rows"))
    imported = models.PositiveIntegerField(default=0, verbose_name=_("Rows imported"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("Errors"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Created by"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    finished = models.DateTimeField(null=True, blank=True, verbose_name=_("Finished"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"
