"""A hand-made park for the carriers' tests."""

from datetime import date
from decimal import Decimal

from qingdan.accounts.models import Industry
from qingdan.carriers.models import Building, BuildingState, LandParcel, LandState, Lease
from qingdan.projects.models import Project

TODAY = date(2026, 11, 26)


def building(code="A-01", **fields) -> Building:
    values = {
        "park_area": "东区",
        "name": f"标准厂房{code}",
        "floors": 1,
        "floor_area_m2": Decimal("5000"),
        "floor_load_kn_m2": Decimal("10"),
        "clear_height_m": Decimal("9"),
        "crane_t": Decimal("10"),
        "power_kva": 1000,
        "rent_yuan_m2_month": Decimal("12"),
        "state": BuildingState.READY,
        "completed_on": date(2025, 6, 1),
    }
    values.update(fields)
    return Building.objects.create(code=code, **values)


def parcel(code="L-01", **fields) -> LandParcel:
    values = {
        "park_area": "西区",
        "name": f"地块{code}",
        "area_mu": Decimal("50"),
        "planned_use": "工业",
        "state": LandState.RESERVE,
    }
    values.update(fields)
    return LandParcel.objects.create(code=code, **values)


def project(cast, name="电子元件项目", investor=None, **dates) -> Project:
    return Project.objects.create(
        name=name,
        investor=investor or cast.acme,
        industry=Industry.ELECTRONICS,
        amount_wan_yuan=Decimal("5000"),
        **dates,
    )


def lease(b, area, enterprise=None, project=None, starts=date(2026, 1, 1), ends=None) -> Lease:
    return Lease.objects.create(
        building=b,
        area_m2=Decimal(area),
        enterprise=enterprise,
        project=project,
        starts_on=starts,
        ends_on=ends,
    )
