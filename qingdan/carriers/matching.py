"""Which buildings fit a space request, now or by the date it is needed, ranked, with the
reason for each dimension (area, floor load, clear height, crane, power, date)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from qingdan.carriers.models import RENTABLE_STATES, Building, Lease


@dataclass
class Need:
    area_m2: Decimal
    needed_by: date
    floor_load_kn_m2: Decimal | None = None
    clear_height_m: Decimal | None = None
    crane_t: Decimal | None = None
    power_kva: int | None = None

    @classmethod
    def of(cls, request) -> "Need":
        return cls(
            area_m2=request.area_m2,
            needed_by=request.needed_by,
            floor_load_kn_m2=request.floor_load_kn_m2,
            clear_height_m=request.clear_height_m,
            crane_t=request.crane_t,
            power_kva=request.power_kva,
        )


@dataclass
class Check:
    dimension: str  # area, floor_load, clear_height, crane, power, date
    ok: bool
    reason: str


@dataclass
class Match:
    building: Building
    free_now_m2: Decimal
    free_by_date_m2: Decimal
    available_from: date | None  # when it can take the need (None: not by the date)
    checks: list[Check] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def fits_now(self) -> bool:
        return self.fits and self.available_from is not None and self.available_from <= self.today

    @property
    def misses(self) -> int:
        return sum(not c.ok for c in self.checks)

    today: date = date.min

    def as_dict(self) -> dict:
        b = self.building
        return {
            "building": b.code,
            "name": b.name,
            "park_area": b.park_area,
            "state": b.state,
            "fits": self.fits,
            "fits_now": self.fits_now,
            "available_from": self.available_from,
            "free_now_m2": str(self.free_now_m2),
            "free_by_date_m2": str(self.free_by_date_m2),
            "rent_yuan_m2_month": str(b.rent_yuan_m2_month),
            "checks": [
                {"dimension": c.dimension, "ok": c.ok, "reason": c.reason} for c in self.checks
            ],
        }


def leases_by_building(buildings, since: date) -> dict[int, list[Lease]]:
    """The leases still running on or after ``since``, per building (one query)."""
    found = defaultdict(list)
    rows = Lease.objects.filter(building__in=buildings).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=since)
    )
    for lease in rows:
        found[lease.building_id].append(lease)
    return found


def free_area(building: Building, leases: list[Lease], day: date) -> Decimal:
    leased = sum((lease.area_m2 for lease in leases if lease.active_on(day)), Decimal(0))
    return max(building.total_area_m2 - leased, Decimal(0))


def _at_least(dimension: str, label: str, unit: str, has, need) -> Check:
    if need is None:
        return Check(dimension, True, _("%(label)s: not required") % {"label": label})
    if has is not None and has >= need:
        return Check(
            dimension,
            True,
            _("%(label)s %(has)s%(unit)s ≥ %(need)s%(unit)s needed")
            % {"label": label, "has": has, "need": need, "unit": unit},
        )
    return Check(
        dimension,
        False,
        _("%(label)s %(has)s%(unit)s < %(need)s%(unit)s needed")
        % {"label": label, "has": has, "need": need, "unit": unit},
    )


def assess(building: Building, leases: list[Lease], need: Need, today: date) -> Match:
    free_now = free_area(building, leases, today) if building.completed else Decimal(0)
    free_later = free_area(building, leases, need.needed_by)
    ready = building.ready_by()
    checks = []
    if building.completed:
        checks.append(Check("date", True, _("Completed on %(day)s: ready now") % {"day": ready}))
    elif ready is not None and ready <= need.needed_by:
        checks.append(
            Check(
                "date",
                True,
                _("Planned completion %(day)s, before %(need)s")
                % {"day": ready, "need": need.needed_by},
            )
        )
    elif ready is not None:
        checks.append(
            Check(
                "date",
                False,
                _("Planned completion %(day)s, after %(need)s")
                % {"day": ready, "need": need.needed_by},
            )
        )
    else:
        checks.append(Check("date", False, _("Under construction, no planned completion")))
    if free_now >= need.area_m2:
        checks.append(
            Check(
                "area",
                True,
                _("%(free)s㎡ free now ≥ %(need)s㎡") % {"free": free_now, "need": need.area_m2},
            )
        )
    elif free_later >= need.area_m2:
        checks.append(
            Check(
                "area",
                True,
                _("%(free)s㎡ free by %(day)s ≥ %(need)s㎡")
                % {"free": free_later, "day": need.needed_by, "need": need.area_m2},
            )
        )
    else:
        checks.append(
            Check(
                "area",
                False,
                _("%(free)s㎡ free by %(day)s < %(need)s㎡")
                % {"free": free_later, "day": need.needed_by, "need": need.area_m2},
            )
        )
    checks.append(
        _at_least(
            "floor_load", _("Floor load"), "kN/㎡", building.floor_load_kn_m2, need.floor_load_kn_m2
        )
    )
    checks.append(
        _at_least(
            "clear_height", _("Clear height"), "m", building.clear_height_m, need.clear_height_m
        )
    )
    checks.append(_at_least("crane", _("Crane"), "t", building.crane_t, need.crane_t))
    checks.append(_at_least("power", _("Power"), "kVA", building.power_kva, need.power_kva))
    # When it can take the need: now, when it is completed, or when enough leases have ended.
    available = None
    if free_now >= need.area_m2:
        available = today
    elif free_later >= need.area_m2 and ready is not None and ready <= need.needed_by:
        ends = sorted(
            {lease.ends_on for lease in leases if lease.ends_on and lease.ends_on < need.needed_by}
        )
        candidates = [max(ready, today)] + [max(ready, end + timedelta(days=1)) for end in ends]
        available = next(
            (d for d in sorted(candidates) if free_area(building, leases, d) >= need.area_m2),
            need.needed_by,
        )
    match = Match(building, free_now, free_later, available, checks)
    match.today = today
    return match


def rank_key(match: Match):
    """Fitting first; among them ready now first, then the earliest, then the closest in area
    (the least space left over), then the cheapest; non-fitting ones by how many dimensions
    they miss."""
    return (
        not match.fits,
        match.misses,
        match.available_from or date.max,
        match.free_by_date_m2,
        match.building.rent_yuan_m2_month,
        match.building.code,
    )


def match(need: Need, *, today: date, buildings=None, near_misses: int = 5) -> list[Match]:
    """Every building that fits (ranked), then up to ``near_misses`` missing one dimension."""
    buildings = list(
        (buildings if buildings is not None else Building.objects.all()).filter(
            state__in=RENTABLE_STATES
        )
    )
    leases = leases_by_building(buildings, today)
    results = sorted(
        (assess(b, leases.get(b.pk, []), need, today) for b in buildings), key=rank_key
    )
    fitting = [m for m in results if m.fits]
    close = [m for m in results if m.misses == 1][:near_misses]
    return fitting + close
