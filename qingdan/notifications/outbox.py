"""The outbox: queue a message (inside the caller's transaction), deliver it exactly once.

Delivery rows are written with whatever caused them, so a message exists exactly when its cause
does. A worker claims a row with one conditional UPDATE (only one worker can win it), sends it,
and records the outcome; a failure is retried with back-off (1, 2, 4 … minutes), a claim left by
a crashed worker expires after ``CLAIM_TIMEOUT``. Sending never happens inside a workflow action.
"""

import logging
import os
import socket
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django_tasks import task

from qingdan.lib import clock
from qingdan.notifications.channels import SENDERS, SendError
from qingdan.notifications.models import Delivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def queue(
    channel: str, *, dedupe_key: str, subject: str, body: str, recipient=None, unit=None
) -> Delivery | None:
    """Add a message to the outbox (once per dedupe_key); it is sent after commit."""
    now = clock.now()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                channel=channel,
                dedupe_key=dedupe_key[:120],
                subject=subject[:200],
                body=body,
                recipient=recipient,
                unit=unit,
                next_attempt_at=now,
                created=now,
            )
    except IntegrityError:
        return None  # already queued: this message goes out once
    transaction.on_commit(lambda: deliver_task.enqueue(delivery.pk))
    return delivery


def claim(delivery_id: int, worker: str = WORKER) -> bool:
    now = clock.now()
    won = (
        Delivery.objects.filter(
            pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, claimed_by=worker[:60])
    )
    return won == 1


def deliver_one(delivery_id: int, worker: str = WORKER) -> bool | None:
    """Send one message if this worker wins it. True sent, False failed, None not ours."""
    if not claim(delivery_id, worker):
        return None
    delivery = Delivery.objects.select_related("recipient", "unit").get(pk=delivery_id)
    attempts = delivery.attempts + 1
    try:
        SENDERS[delivery.channel](delivery)
    except SendError as failure:
        logger.warning("delivery %s (%s) failed: %s", delivery.pk, delivery.channel, failure)
        gave_up = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            last_error=str(failure)[:300],
            claimed_at=None,
            state=Delivery.State.FAILED if gave_up else Delivery.State.PENDING,
            next_attempt_at=clock.now() + timedelta(minutes=2 ** (attempts - 1)),
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, state=Delivery.State.SENT, sent_at=clock.now(), last_error=""
    )
    return True


def deliver_due(limit: int = 500, worker: str = WORKER) -> tuple[int, int]:
    """Send what is due (new, or due for a retry). Returns (sent, failed)."""
    due = (
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=clock.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = failed = 0
    for delivery_id in list(due):
        outcome = deliver_one(delivery_id, worker)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def retry_failed() -> int:
    """Give failed messages another round (an admin action after fixing a mail server)."""
    return Delivery.objects.filter(state=Delivery.State.FAILED).update(
        state=Delivery.State.PENDING, attempts=0, next_attempt_at=clock.now(), claimed_at=None
    )


@task()
def deliver_task(delivery_id: int) -> bool | None:
    return deliver_one(delivery_id)


@task()
def deliver_due_task(occurrence: str = "") -> str:
    sent, failed = deliver_due()
    return f"sent {sent}, failed {failed}"
