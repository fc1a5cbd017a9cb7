"""Building blocks shared by apps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingdan.core.templatetags.fmt import when_text


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only: they are never updated.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only: they are never deleted.")


class AppendOnlyModel(models.Model):
    """A log row: written once, never updated or deleted by any code path."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only: never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only: never deleted.")


class ScheduledRun(models.Model):
    """One occurrence of a scheduled job that was started. The unique pair makes each
    occurrence run once, however many schedulers are running."""

    job = models.CharField(max_length=60, verbose_name=_("Scheduled job"))
    occurrence = models.DateTimeField(verbose_name=_("Occurrence"))
    started = models.DateTimeField(auto_now_add=True, verbose_name=_("Started"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "occurrence"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {when_text(self.occurrence)}"


class RecordChange(AppendOnlyModel):
    """One change to a record the park keeps (a project, its plan or monthly investment, an
    indicator value, a unit, a category…): who, when, and each field's value before and after.
    Written by ``qingdan.core.records.save`` in the same transaction as the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("time"))
    model = models.CharField(_("record type"), max_length=60)  # "projects.project"
    object_id = models.CharField(_("record"), max_length=40)
    object_repr = models.CharField(_("record name"), max_length=200)
    action = models.CharField(_("action"), max_length=10)  # create / update
    changes = models.JSONField(_("changes"), default=dict)  # {field: [before, after]}

    class Meta:
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "created"], name="record_change")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.action}"
