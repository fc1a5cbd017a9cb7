"""Changes around an exchange day: record it, raise its problems in a batch, import a list."""

import logging
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from qingdan.accounts.models import Role, User
from qingdan.exchange import importing
from qingdan.exchange.models import ExchangeDay, ImportJob
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed

logger = logging.getLogger(__name__)


class ExchangeError(InvalidInput):
    """Refused, with the rows or fields at fault (``errors``)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def _require_secretariat(actor: User) -> None:
    if actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat records exchange days."))


def record_exchange_day(
    *,
    actor: User,
    day: date,
    chair: str,
    leaders: str = "",
    minutes: str = "",
    date_reason: str = "",
) -> ExchangeDay:
    _require_secretariat(actor)
    exchange_day = ExchangeDay(
        date=day,
        chair=chair.strip(),
        leaders=leaders.strip(),
        minutes=minutes,
        date_reason=date_reason.strip(),
        created_by=actor,
    )
    try:
        exchange_day.full_clean()
    except ValidationError as invalid:
        raise ExchangeError(_("The exchange day was not saved."), invalid.messages) from None
    exchange_day.save()
    return exchange_day


def raise_batch(exchange_day: ExchangeDay, *, actor: User, rows: list[dict]):
    """The rows typed during the meeting, saved together: all of them, or none with the errors."""
    _require_secretariat(actor)
    numbered = [(index, row) for index, row in enumerate(rows, start=1)]
    clean, errors = importing.validate(numbered, actor=actor)
    if errors:
        raise ExchangeError(_("Nothing was saved: correct the rows below."), errors)
    return importing.import_rows(clean, exchange_day=exchange_day, actor=actor)


def progress_key(job_id: int) -> str:
    return f"qingdan:import:{job_id}"


def start_import(exchange_day: ExchangeDay, *, actor: User, upload) -> ImportJob:
    _require_secretariat(actor)
    if not upload.name.lower().endswith(".xlsx"):
        raise ExchangeError(_("Upload the problem list as an Excel .xlsx file."))
    job = ImportJob.objects.create(
        exchange_day=exchange_day, file=upload, name=upload.name[:200], created_by=actor
    )
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


@task()
def run_import(job_id: int) -> str:
    job = ImportJob.objects.select_related("exchange_day", "created_by").get(pk=job_id)
    if job.state != ImportJob.State.PENDING:
        return job.state
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    key = progress_key(job.pk)
    try:
        with job.file.open("rb") as handle:
            rows, errors = importing.read_rows(handle.read())
        total = len(rows)

        def report(phase):
            return lambda n: cache.set(key, {"phase": phase, "done": n, "total": total}, 3600)

        report("checking")(0)
        if not errors:
            clean, errors = importing.validate(rows, report("checking"), actor=job.created_by)
        if errors:
            _finish(job, ImportJob.State.REJECTED, rows=total, errors=errors)
            return job.state
        created = importing.import_rows(
            clean,
            exchange_day=job.exchange_day,
            actor=job.created_by,
            progress=report("importing"),
        )
    except Exception:  # anything unexpected: nothing was imported (the transaction rolled back)
        logger.exception("import %s failed", job.pk)
        _finish(job, ImportJob.State.FAILED, errors=[])
        raise
    _finish(job, ImportJob.State.DONE, rows=total, imported=len(created))
    return ImportJob.State.DONE


def _finish(job: ImportJob, state: str, *, rows: int = 0, imported: int = 0, errors=()) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        state=state,
        rows=rows,
        imported=imported,
        finished=clock.now(),
        errors=[e.as_dict() for e in errors][:1000],
    )
    cache.delete(progress_key(job.pk))
