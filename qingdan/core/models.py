"""Building blocks shared by apps."""

from django.db import models


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

    job = models.CharField(max_length=60)
    occurrence = models.DateTimeField()
    started = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "occurrence"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.occurrence:%Y-%m-%d %H:%M}"
