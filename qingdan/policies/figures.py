"""Policy KPIs for the dashboard and the bulletin: applications, average days to payment,
兑现 amount — from the stored applications and their events."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from qingdan.policies.models import Application, State

CENT = Decimal("0.01")


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _average_days(paid) -> Decimal | None:
    days = [(a.paid_on - timezone.localdate(a.submitted)).days for a in paid if a.paid_on]
    if not days:
        return None
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"))


def totals() -> dict:
    """All applications to date."""
    counts = Application.objects.aggregate(
        applications=Count("id", filter=Q(exempt=False)),
        exempt=Count("id", filter=Q(exempt=True)),
        open=Count("id", filter=Q(state__in=[State.SUBMITTED, State.MORE_INFO])),
        approved=Count("id", filter=Q(state=State.APPROVED)),
        paid=Count("id", filter=Q(state=State.PAID)),
        amount=Sum("amount_wan_yuan", filter=Q(state=State.PAID)),
    )
    paid = Application.objects.filter(state=State.PAID).only("submitted", "paid_on")
    counts["amount"] = Decimal(counts["amount"] or 0).quantize(CENT)
    counts["average_days_to_payment"] = _average_days(paid)
    return counts


def week(start: date, end: date) -> dict:
    """The figures of the days ``start`` ≤ day < ``end`` (the bulletin's week): applications
    received, paid, amount paid, average days from application to payment."""
    received = Application.objects.filter(
        submitted__gte=_moment(start), submitted__lt=_moment(end), exempt=False
    ).count()
    paid = list(Application.objects.filter(state=State.PAID, paid_on__gte=start, paid_on__lt=end))
    return {
        "received": received,
        "paid": len(paid),
        "amount_wan_yuan": sum(
            (a.amount_wan_yuan or Decimal(0) for a in paid), Decimal(0)
        ).quantize(CENT),
        "average_days_to_payment": _average_days(paid),
    }
