"""Figures computed from a hand-made park; alerts; the signing-to-production report; the
monthly indicators; the demo reproduces the article's figures."""

import random
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from qingdan.carriers import figures
from qingdan.carriers.indicators import record_month
from qingdan.carriers.models import BuildingState
from qingdan.carriers.tests.factories import TODAY, building, lease, parcel, project
from qingdan.core.models import RecordChange
from qingdan.projects.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def hand_made_park(cast):
    """Under construction: 3 × 10,000 (2 due this year). Completed: A 5,000 (3,000 leased),
    B 4,000 (all leased, revitalised this year), C 2,000 own use, D 1,000 vacant since
    2025-01-10 (red), E 1,000 vacant since 2026-07-01 (yellow)."""
    for code, planned in (
        ("N1", date(2026, 12, 20)),
        ("N2", date(2026, 12, 31)),
        ("N3", date(2027, 2, 1)),
    ):
        building(
            code,
            state=BuildingState.UNDER_CONSTRUCTION,
            completed_on=None,
            planned_completion=planned,
            floors=2,
            floor_area_m2=Decimal("5000"),
        )
    a = building("A", floor_area_m2=Decimal("5000"))
    lease(a, "3000", enterprise=cast.acme)
    lease(a, "1000", enterprise=cast.globex, ends=date(2026, 6, 30))  # ended: not counted
    b = building(
        "B",
        floor_area_m2=Decimal("4000"),
        state=BuildingState.LEASED,
        revitalised_on=date(2026, 3, 1),
    )
    lease(b, "4000", enterprise=cast.globex)
    building("C", floor_area_m2=Decimal("2000"), state=BuildingState.OWN_USE)
    building("D", floor_area_m2=Decimal("1000"), completed_on=date(2025, 1, 10))
    building("E", floor_area_m2=Decimal("1000"), completed_on=date(2026, 7, 1))
    parcel("L1", area_mu=Decimal("30"), state="idle")
    parcel("L2", area_mu=Decimal("20"), state="clearing", cleanup_deadline=date(2026, 11, 1))
    parcel("L3", area_mu=Decimal("40"), state="supplied", cleared_on=date(2026, 5, 5))
    parcel("L4", area_mu=Decimal("99"), state="supplied", cleared_on=date(2025, 5, 5))
    parcel("L5", area_mu=Decimal("10"), state="clearing", cleanup_deadline=date(2026, 12, 3))


def test_figures_from_the_rows(cast):
    hand_made_park(cast)
    f = figures.figures(TODAY)
    assert f["under_construction_m2"] == Decimal("30000")
    assert f["due_this_year_m2"] == Decimal("20000")
    assert f["completed_m2"] == Decimal("13000")
    assert f["leased_m2"] == Decimal("7000")
    assert f["own_use_m2"] == Decimal("2000")
    assert f["vacant_m2"] == Decimal("4000")  # A 2,000 + D + E
    assert f["revitalised_this_year_m2"] == Decimal("4000")
    assert f["utilisation_pct"] == Decimal("69.2")  # (7,000 + 2,000) / 13,000
    assert f["under_construction_wan_m2"] == Decimal("3.0")
    assert f["idle_land_mu"] == Decimal("60")  # idle 30 + clearing 20 + 10
    assert f["cleared_this_year_mu"] == Decimal("40")
    assert f["clearing_cases"] == 2


def test_an_empty_park_has_no_utilisation_rather_than_a_division_by_zero(cast):
    assert figures.figures(TODAY)["utilisation_pct"] is None


def test_alerts_by_colour(cast, settings):
    settings.CARRIERS_VACANT_MONTHS = 6
    hand_made_park(cast)
    found = [(a.colour, a.kind, a.code) for a in figures.alerts(TODAY)]
    assert found == [
        ("red", "vacant", "D"),
        ("red", "cleanup", "L2"),
        ("yellow", "vacant", "E"),
        ("yellow", "cleanup", "L5"),
    ]
    settings.CARRIERS_VACANT_MONTHS = 24
    assert [a.code for a in figures.alerts(TODAY) if a.kind == "vacant"] == ["D"]  # 22 > 12


def test_a_vacancy_counts_from_the_last_lease_end(cast):
    b = building("F", completed_on=date(2020, 1, 1))
    lease(b, "100", enterprise=cast.acme, starts=date(2020, 2, 1), ends=date(2026, 10, 1))
    assert figures.alerts(TODAY) == []  # vacant 1 month


def test_the_dashboard_and_alert_pages_show_them(client, cast):
    hand_made_park(cast)
    client.force_login(cast.leader)
    page = client.get(reverse("projects:dashboard")).content.decode()
    assert 'data-figure="under_construction">3.0<' in page
    alerts = client.get(reverse("carriers:alerts")).content.decode()
    assert "tag-red" in alerts and "tag-yellow" in alerts
    client.force_login(cast.power_officer)
    assert client.get(reverse("carriers:alerts")).status_code == 404


def test_signing_to_production_report(client, cast):
    ready = building("A", completed_on=date(2026, 1, 1))
    later = building("B", completed_on=date(2026, 8, 1))
    fast = project(
        cast,
        "快项目",
        signed_on=date(2026, 3, 2),
        landed_on=date(2026, 3, 3),
        started_on=date(2026, 3, 5),
        producing_on=date(2026, 3, 25),
    )
    slow = project(
        cast,
        "慢项目",
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 3, 1),
        started_on=date(2026, 4, 1),
        producing_on=date(2026, 9, 1),
    )
    lease(ready, "1000", project=fast, enterprise=cast.acme, starts=date(2026, 3, 3))
    lease(later, "1000", project=slow, enterprise=cast.acme, starts=date(2026, 8, 1))
    rows = {r["project"].name: r for r in figures.signing_to_production()}
    assert (
        rows["快项目"]["days"],
        rows["快项目"]["ready_at_signing"],
        rows["快项目"]["same_month"],
    ) == (23, True, True)
    assert (rows["慢项目"]["days"], rows["慢项目"]["ready_at_signing"]) == (212, False)
    client.force_login(cast.secretariat)
    page = client.get(reverse("carriers:report")).content.decode()
    assert "快项目" in page and "★" in page
    api = {r["project_name"]: r for r in client.get("/api/v1/carriers/report").json()}
    assert api["快项目"]["days_sign_to_production"] == 23 and api["快项目"]["ready_at_signing"]
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/carriers/report").status_code == 403


def test_the_monthly_indicators_record_the_figures(client, cast):
    hand_made_park(cast)
    rows = record_month(actor=cast.secretariat, day=TODAY)
    values = {v.indicator.code: v.value for v in rows}
    assert values["factory_under_construction"] == Decimal("3.0")
    assert values["factory_utilisation"] == Decimal("69.2")
    assert values["idle_land_cleared"] == Decimal("40")
    assert RecordChange.objects.filter(model="projects.indicatorvalue").count() == len(rows)
    client.force_login(cast.secretariat)
    assert client.post("/api/v1/carriers/indicators").json() == {"recorded": len(rows)}
    assert IndicatorValue.objects.filter(indicator__code__startswith="factory_").count() == 6
    client.force_login(cast.leader)
    assert client.post("/api/v1/carriers/indicators").status_code == 403


def test_the_demo_reproduces_the_article(cast):
    from qingdan.accounts.models import Enterprise, Industry
    from qingdan.carriers.demo import build_carriers
    from qingdan.lib.creditcode import make_code
    from qingdan.projects.demo import build_projects

    for n in range(12):
        Enterprise.objects.create(
            name=f"演示企业{n}",
            industry=Industry.ELECTRONICS,
            credit_code=make_code("91", "431100", f"TQ1000{n:02d}"),
        )
    build_projects(random.Random(7), TODAY)
    build_carriers(random.Random(7))
    f = figures.figures(TODAY)
    assert f["under_construction_wan_m2"] == Decimal("159.0")
    assert f["due_this_year_wan_m2"] == Decimal("40.0")
    assert f["revitalised_this_year_wan_m2"] == Decimal("2.0")
    assert {a.kind for a in figures.alerts(TODAY)} >= {"vacant", "cleanup"}
    from qingdan.carriers.models import Building

    assert not Building.objects.filter(shape=[]).exists()  # every building on the plan
    assert any(r["same_month"] and r["ready_at_signing"] for r in figures.signing_to_production())


def test_the_overdue_board_shows_the_alerts(client, cast):
    hand_made_park(cast)
    client.force_login(cast.leader)
    page = client.get(reverse("problems:overdue")).content.decode()
    assert "carrier-overdue" in page and "L2" in page
    assert "carrier-overdue" not in client.get(reverse("problems:list")).content.decode()


def test_weekly_reminders_email_the_secretariat_once_a_day(cast, settings):
    from qingdan.carriers.reminders import remind
    from qingdan.notifications.models import Delivery

    hand_made_park(cast)
    rows = remind(TODAY)
    assert [(r.colour, r.code) for r in rows] == [
        ("red", "D"),
        ("red", "L2"),
        ("yellow", "E"),
        ("yellow", "L5"),
    ]
    assert remind(TODAY) == []  # not twice the same day
    mails = Delivery.objects.filter(dedupe_key__startswith="carriers:")
    assert [m.recipient for m in mails] == [cast.secretariat]  # the one with an e-mail address
    assert "L2" in mails[0].body and "\n" not in mails[0].subject
