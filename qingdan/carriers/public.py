"""The public vacancy list (招商): buildings with space to rent now or soon, their measures and
rent — never who rents the rest. Anonymous, so rate-limited per address."""

from datetime import date

from django.conf import settings
from django_ratelimit.core import get_usage

from qingdan.carriers.matching import free_area, leases_by_building
from qingdan.carriers.models import Building, BuildingState
from qingdan.core.ratelimit import RateLimited, _address

OFFERED = (
    BuildingState.UNDER_CONSTRUCTION,
    BuildingState.READY,
    BuildingState.LEASED,
    BuildingState.UNDERUSED,
)


def limit_reads(request) -> None:
    """At most ``CARRIERS_PUBLIC_RATE`` (default 120 a minute) per address; ``RateLimited``."""
    rate = getattr(settings, "CARRIERS_PUBLIC_RATE", "120/m")
    usage = get_usage(
        request,
        group="carriers-public",
        key=_address,
        rate=rate,
        method=get_usage.ALL,
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise RateLimited(usage["time_left"])


def vacancies(today: date) -> list[dict]:
    buildings = list(Building.objects.filter(state__in=OFFERED))
    leases = leases_by_building(buildings, today)
    rows = []
    for b in buildings:
        if b.completed:
            free, available = free_area(b, leases.get(b.pk, []), today), today
        else:
            free, available = b.total_area_m2, b.planned_completion
        if free <= 0 or available is None:
            continue
        rows.append(
            {
                "code": b.code,
                "park_area": b.park_area,
                "name": b.name,
                "state": b.state,
                "state_label": str(b.get_state_display()),
                "free_m2": free,
                "available_from": available,
                "floors": b.floors,
                "floor_area_m2": b.floor_area_m2,
                "floor_load_kn_m2": b.floor_load_kn_m2,
                "clear_height_m": b.clear_height_m,
                "crane_t": b.crane_t,
                "power_kva": b.power_kva,
                "rent_yuan_m2_month": b.rent_yuan_m2_month,
            }
        )
    rows.sort(key=lambda r: (r["available_from"], r["park_area"], r["code"]))
    return rows
