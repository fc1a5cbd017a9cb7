"""Matching: fits or not on each dimension, and availability by the date needed."""

from datetime import date
from decimal import Decimal

import pytest

from qingdan.carriers.matching import Need, match
from qingdan.carriers.models import BuildingState
from qingdan.carriers.tests.factories import TODAY, building, lease

pytestmark = pytest.mark.django_db


def need(**fields) -> Need:
    values = {"area_m2": Decimal("3000"), "needed_by": date(2027, 3, 1)}
    values.update(fields)
    return Need(**values)


def one(n: Need):
    found = match(n, today=TODAY)
    assert len(found) == 1
    return found[0]


def failing(m) -> list[str]:
    return [c.dimension for c in m.checks if not c.ok]


def test_a_ready_building_that_meets_every_measure_fits_now():
    building()
    m = one(
        need(
            floor_load_kn_m2=Decimal("8"),
            clear_height_m=Decimal("8"),
            crane_t=Decimal("5"),
            power_kva=800,
        )
    )
    assert m.fits and m.fits_now and m.available_from == TODAY
    assert failing(m) == []
    reasons = {c.dimension: c.reason for c in m.checks}
    assert "10" in reasons["floor_load"] and "8" in reasons["floor_load"]


@pytest.mark.parametrize(
    ("dimension", "measure", "value"),
    [
        ("area", "area_m2", Decimal("5001")),
        ("floor_load", "floor_load_kn_m2", Decimal("10.5")),
        ("clear_height", "clear_height_m", Decimal("12")),
        ("crane", "crane_t", Decimal("20")),
        ("power", "power_kva", 1500),
    ],
)
def test_each_dimension_refuses_alone_with_its_reason(dimension, measure, value):
    building()
    m = one(need(**{measure: value}))
    assert not m.fits
    assert failing(m) == [dimension]
    assert "<" in next(c.reason for c in m.checks if c.dimension == dimension)


def test_exactly_the_measure_fits():
    building()
    m = one(
        need(
            area_m2=Decimal("5000"),
            floor_load_kn_m2=Decimal("10"),
            clear_height_m=Decimal("9"),
            crane_t=Decimal("10"),
            power_kva=1000,
        )
    )
    assert m.fits


def test_a_building_under_construction_fits_when_completed_before_the_date():
    building(
        "B-01",
        state=BuildingState.UNDER_CONSTRUCTION,
        completed_on=None,
        planned_completion=date(2027, 1, 15),
    )
    m = one(need(needed_by=date(2027, 3, 1)))
    assert m.fits and not m.fits_now
    assert m.available_from == date(2027, 1, 15)
    late = one(need(needed_by=date(2026, 12, 31)))
    assert failing(late) == ["date"]
    assert "2027-01-15" in late.checks[0].reason


def test_a_building_without_a_planned_completion_does_not_fit():
    building("B-02", state=BuildingState.UNDER_CONSTRUCTION, completed_on=None)
    assert failing(one(need())) == ["date"]


def test_space_freed_by_a_lease_ending_before_the_date_fits_then(cast):
    b = building()
    lease(b, "4000", enterprise=cast.globex, ends=date(2027, 1, 31))
    m = one(need())  # 1,000 free now; 5,000 from 1 February
    assert m.fits and not m.fits_now
    assert m.available_from == date(2027, 2, 1)
    assert m.free_now_m2 == Decimal("1000") and m.free_by_date_m2 == Decimal("5000")
    too_soon = one(need(needed_by=date(2027, 1, 15)))
    assert failing(too_soon) == ["area"]


def test_part_of_a_building_still_free_fits_now(cast):
    b = building()
    lease(b, "2000", enterprise=cast.globex)
    m = one(need())
    assert m.fits_now and m.free_now_m2 == Decimal("3000")


def test_own_use_buildings_are_not_offered():
    building(state=BuildingState.OWN_USE)
    assert match(need(), today=TODAY) == []


def test_ranking_ready_now_first_then_closest_area_then_rent():
    building(
        "C-later",
        state=BuildingState.UNDER_CONSTRUCTION,
        completed_on=None,
        planned_completion=date(2027, 1, 1),
    )
    building("C-big", floor_area_m2=Decimal("20000"))
    building("C-snug", floor_area_m2=Decimal("3500"), rent_yuan_m2_month=Decimal("15"))
    building("C-snug-cheap", floor_area_m2=Decimal("3500"), rent_yuan_m2_month=Decimal("10"))
    building("C-low", floor_load_kn_m2=Decimal("5"))
    order = [m.building.code for m in match(need(floor_load_kn_m2=Decimal("8")), today=TODAY)]
    assert order == ["C-snug-cheap", "C-snug", "C-big", "C-later", "C-low"]
