"""The carriers' figures, computed from the rows (never typed in): area under construction,
due by the year's end, completed, leased, vacant, revitalised this year, utilisation, idle land
cleared; the alerts (buildings complete but vacant too long, clean-up cases past deadline); the
"days from signing to production" report."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from qingdan.carriers.matching import free_area, leases_by_building
from qingdan.carriers.models import (
    Building,
    BuildingState,
    CleanupStep,
    LandParcel,
    LandState,
    Lease,
)

TEN_THOUSAND = Decimal(10_000)


def vacant_months_limit() -> int:
    """N: a completed building vacant for more than N months is red (more than N/2 yellow)."""
    return int(getattr(settings, "CARRIERS_VACANT_MONTHS", 6))


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures(today: date) -> dict:
    """All in ㎡ (and 亩 for land); ``*_wan_m2`` the same in 万㎡, one decimal."""
    buildings = list(Building.objects.all())
    leases = leases_by_building(buildings, today)
    year_end = date(today.year, 12, 31)
    f = {
        key: Decimal(0)
        for key in (
            "under_construction_m2",
            "due_this_year_m2",
            "completed_m2",
            "leased_m2",
            "own_use_m2",
            "vacant_m2",
            "revitalised_this_year_m2",
            "completed_this_year_m2",
        )
    }
    for b in buildings:
        area = b.total_area_m2
        if b.state == BuildingState.UNDER_CONSTRUCTION:
            f["under_construction_m2"] += area
            if b.planned_completion and b.planned_completion <= year_end:
                f["due_this_year_m2"] += area
            continue
        f["completed_m2"] += area
        if b.completed_on and b.completed_on.year == today.year:
            f["completed_this_year_m2"] += area
        if b.revitalised_on and b.revitalised_on.year == today.year:
            f["revitalised_this_year_m2"] += area
        if b.state == BuildingState.OWN_USE:
            f["own_use_m2"] += area
            continue
        free = free_area(b, leases.get(b.pk, []), today)
        f["leased_m2"] += area - free
        f["vacant_m2"] += free
    f["utilisation_pct"] = _pct(f["leased_m2"] + f["own_use_m2"], f["completed_m2"])
    for key in [k for k in f if k.endswith("_m2")]:
        f[key.replace("_m2", "_wan_m2")] = (f[key] / TEN_THOUSAND).quantize(Decimal("0.1"))
    parcels = list(LandParcel.objects.all())
    f["idle_land_mu"] = sum(
        (
            p.area_mu
            for p in parcels
            if p.state in (LandState.IDLE, LandState.UNDERUSED, LandState.CLEARING)
        ),
        Decimal(0),
    )
    f["cleared_this_year_mu"] = sum(
        (p.area_mu for p in parcels if p.cleared_on and p.cleared_on.year == today.year), Decimal(0)
    )
    f["clearing_cases"] = sum(p.state == LandState.CLEARING for p in parcels)
    return f


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


@dataclass
class Alert:
    kind: str  # vacant, cleanup, step
    colour: str  # red, yellow
    code: str
    name: str
    url: str
    message: str
    since: date


def alerts(today: date) -> list[Alert]:
    """Red before yellow, the oldest first."""
    limit = vacant_months_limit()
    found = []
    ready = list(Building.objects.filter(state__in=(BuildingState.READY, BuildingState.UNDERUSED)))
    leases = leases_by_building(ready, date.min)
    for b in ready:
        own = leases.get(b.pk, [])
        if any(lease.active_on(today) for lease in own) or b.completed_on is None:
            continue
        ended = [lease.ends_on for lease in own if lease.ends_on and lease.ends_on < today]
        since = max([b.completed_on, *ended])
        months = _months_between(since, today)
        colour = "red" if months > limit else "yellow" if months > limit / 2 else ""
        if colour:
            found.append(
                Alert(
                    "vacant",
                    colour,
                    b.code,
                    b.name,
                    b.get_absolute_url(),
                    _("Complete and vacant for %(n)s months (since %(d)s)")
                    % {"n": months, "d": since},
                    since,
                )
            )
    for p in LandParcel.objects.filter(state=LandState.CLEARING, cleanup_deadline__isnull=False):
        days = (p.cleanup_deadline - today).days
        colour = "red" if days < 0 else "yellow" if days <= 10 else ""
        if colour:
            message = (
                _("Clean-up %(n)s days past its deadline %(d)s")
                if days < 0
                else _("Clean-up deadline %(d)s in %(n)s days")
            )
            found.append(
                Alert(
                    "cleanup",
                    colour,
                    p.code,
                    p.name,
                    p.get_absolute_url(),
                    message % {"n": abs(days), "d": p.cleanup_deadline},
                    p.cleanup_deadline,
                )
            )
    steps = CleanupStep.objects.filter(
        done_on__isnull=True, due_on__lt=today, parcel__state=LandState.CLEARING
    ).select_related("parcel")
    for step in steps:
        found.append(
            Alert(
                "step",
                "yellow",
                step.parcel.code,
                step.parcel.name,
                step.parcel.get_absolute_url(),
                _("Step “%(s)s” past its date %(d)s") % {"s": step.title, "d": step.due_on},
                step.due_on,
            )
        )
    found.sort(key=lambda a: (a.colour != "red", a.since))
    return found


def signing_to_production(limit: int = 500) -> list[dict]:
    """Projects that moved into a carrier: signed on, moved in, producing on, the days from
    signing to production, and whether the building was ready when they signed (当月签约、
    当月投产 needs a ready building waiting)."""
    rows = []
    leases = (
        Lease.objects.filter(project__isnull=False)
        .select_related("project", "project__investor", "building")
        .order_by("project__signed_on", "pk")
    )[:limit]
    for lease in leases:
        p, b = lease.project, lease.building
        ready_at_signing = bool(p.signed_on and b.completed_on and b.completed_on <= p.signed_on)
        rows.append(
            {
                "project": p,
                "building": b,
                "lease": lease,
                "signed_on": p.signed_on,
                "moved_in": lease.starts_on,
                "producing_on": p.producing_on,
                "days": p.days_sign_to_production,
                "ready_at_signing": ready_at_signing,
                "same_month": p.same_month_signing_and_production,
            }
        )
    return rows
