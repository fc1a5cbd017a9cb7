from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from qingdan.accounts.models import Industry
from qingdan.projects import importing
from qingdan.projects.demo import build_indicators
from qingdan.projects.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    MonthlyInvestment,
    Project,
    growth,
)
from qingdan.projects.progress import progress, with_year_figures

pytestmark = pytest.mark.django_db


def test_growth_to_two_decimals_with_edge_cases():
    assert growth(Decimal("71"), Decimal("33")) == Decimal("115.15")
    assert growth(Decimal("90"), Decimal("100")) == Decimal("-10.00")  # negative growth
    assert growth(Decimal("5"), Decimal("0")) is None  # prior 0: "—", not infinity
    assert growth(Decimal("5"), None) is None


def test_the_article_growth_rates_come_from_stored_values(client, cast):
    build_indicators(2026)
    client.force_login(cast.leader)
    page = client.get(reverse("projects:indicators")).content.decode()
    for rate in (
        "+115.15%",
        "+144.08%",
        "+20.83%",
        "+40.62%",
        "+44.82%",
        "+660.00%",
        "+166.77%",
        "+550.00%",
    ):
        assert rate in page, rate
    november = IndicatorValue.objects.get(indicator__code="signed_amount", year=2026, month=11)
    assert (november.value, november.growth) == (Decimal("315.6"), Decimal("144.08"))
    api = client.get("/api/v1/indicators", {"indicator": "signed_projects", "year": 2026}).json()
    assert api[0]["month"] == 11 and api[0]["yoy_growth_pct"] == "115.15"


def project(cast, **dates):
    return Project(
        name="测试项目",
        investor=cast.acme,
        industry=Industry.ELECTRONICS,
        amount_wan_yuan=Decimal("1000"),
        responsible_unit=cast.power,
        **dates,
    )


def test_stage_order_is_enforced_with_clear_errors(cast):
    with pytest.raises(ValidationError) as raised:
        project(cast, signed_on=date(2026, 1, 5), producing_on=date(2026, 3, 1)).full_clean()
    assert "producing_on" in raised.value.message_dict  # no 投产 before 落地/开工
    with pytest.raises(ValidationError) as raised:
        project(cast, signed_on=date(2026, 3, 1), landed_on=date(2026, 2, 1)).full_clean()
    assert "landed_on" in raised.value.message_dict
    ok = project(
        cast,
        signed_on=date(2026, 1, 5),
        landed_on=date(2026, 1, 20),
        started_on=date(2026, 2, 1),
        producing_on=date(2026, 2, 28),
    )
    ok.full_clean()
    assert ok.stage == "producing" and ok.days_sign_to_production == 54


def test_same_month_signing_and_production(cast):
    fast = project(
        cast,
        signed_on=date(2026, 11, 2),
        landed_on=date(2026, 11, 2),
        started_on=date(2026, 11, 3),
        producing_on=date(2026, 11, 25),
    )
    assert fast.same_month_signing_and_production and fast.days_sign_to_production == 23


@pytest.mark.parametrize(
    ("paid_per_month", "expected_colour"),
    [("100", ""), ("75", "yellow"), ("40", "red")],  # of a 1200 plan, 11 months gone by
)
def test_plan_completion_and_colour(cast, paid_per_month, expected_colour):
    p = project(
        cast, signed_on=date(2026, 1, 5), landed_on=date(2026, 1, 6), started_on=date(2026, 1, 10)
    )
    p.save()
    AnnualPlan.objects.create(project=p, year=2026, planned_wan_yuan=Decimal("1200"))
    for month in range(1, 12):
        MonthlyInvestment.objects.create(
            project=p, year=2026, month=month, completed_wan_yuan=Decimal(paid_per_month)
        )
    annotated = with_year_figures(Project.objects.filter(pk=p.pk), 2026, 11).get()
    state = progress(annotated, date(2026, 11, 26))
    assert state.expected_pct == Decimal("91.67")
    assert state.colour == expected_colour


def test_late_start_is_yellow_then_red_after_three_months(cast):
    p = project(cast, signed_on=date(2026, 6, 1), planned_start=date(2026, 8, 1))
    p.save()
    annotated = with_year_figures(Project.objects.filter(pk=p.pk), 2026, 9).get()
    assert progress(annotated, date(2026, 9, 15)).colour == "yellow"
    assert progress(annotated, date(2026, 11, 26)).colour == "red"


def test_projects_are_seen_by_their_unit_and_investor_only(client, cast):
    mine = project(cast, signed_on=date(2026, 1, 5))
    mine.save()
    for person, sees in (
        (cast.leader, True),
        (cast.secretariat, True),
        (cast.power_officer, True),
        (cast.water_officer, False),
        (cast.acme_contact, True),
        (cast.globex_contact, False),
    ):
        client.force_login(person)
        assert (client.get(reverse("projects:detail", args=[mine.pk])).status_code == 200) == sees
        listed = [p["id"] for p in client.get("/api/v1/projects").json()]
        assert (mine.pk in listed) == sees
    client.force_login(cast.acme_contact)
    assert client.get(reverse("projects:indicators")).status_code == 403
    assert client.get("/api/v1/indicators").status_code == 403


def test_indicator_import_is_all_or_nothing(cast):
    good = importing.export_xlsx(IndicatorValue.objects.none())
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(good))
    sheet = book.active
    sheet.append(["signed_projects", 2026, 10, "60", "30"])
    sheet.append(["nope", 2026, 13, "x", "y"])
    bad = BytesIO()
    book.save(bad)
    imported, errors = importing.import_xlsx(bad.getvalue(), actor=cast.secretariat)
    assert imported == 0 and {(e.row, e.column) for e in errors} == {
        (3, "指标代码"),
        (3, "截至月份"),
        (3, "累计值"),
        (3, "上年同期值"),
    }
    assert not IndicatorValue.objects.exists()
    sheet.delete_rows(3)
    fixed = BytesIO()
    book.save(fixed)
    assert importing.import_xlsx(fixed.getvalue(), actor=cast.secretariat) == (1, [])
    assert IndicatorValue.objects.get().growth == Decimal("100.00")


def test_export_then_import_round_trip(cast):
    build_indicators(2026)
    data = importing.export_xlsx(IndicatorValue.objects.all())
    before = list(IndicatorValue.objects.order_by("pk").values_list("value", "prior_year_value"))
    IndicatorValue.objects.all().delete()
    imported, errors = importing.import_xlsx(data, actor=cast.secretariat)
    assert not errors and imported == len(before) == Indicator.objects.count() * 11
    after = sorted(IndicatorValue.objects.values_list("value", "prior_year_value"))
    assert after == sorted(before)


def test_dashboard_for_leaders_with_tables_and_pdf(client, cast, make_problem):
    build_indicators(2026)
    with time_machine.travel(date(2026, 11, 26), tick=False):
        client.force_login(cast.leader)
        page = client.get(reverse("projects:dashboard"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "+144.08%" in text and 'data-chart="pipeline"' in text
        assert '<table class="pipeline">' in text  # the chart's numbers, as a table
        pdf = client.get(reverse("projects:dashboard_pdf"))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for outsider in (cast.power_officer, cast.acme_contact):
        client.force_login(outsider)
        assert client.get(reverse("projects:dashboard")).status_code == 403


def test_ledger_export(client, cast):
    project(cast, signed_on=date(2026, 1, 5)).save()
    client.force_login(cast.secretariat)
    response = client.get(reverse("projects:xlsx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_dashboard_lists_the_key_projects_behind_plan(cast):
    from qingdan.projects.dashboard import key_projects_behind

    for name, pace in (("按计划", "100"), ("滞后", "40")):
        p = project(
            cast,
            signed_on=date(2026, 1, 5),
            landed_on=date(2026, 1, 6),
            started_on=date(2026, 1, 10),
        )
        p.name, p.is_key = name, True
        p.save()
        AnnualPlan.objects.create(project=p, year=2026, planned_wan_yuan=Decimal("1200"))
        for month in range(1, 12):
            MonthlyInvestment.objects.create(
                project=p, year=2026, month=month, completed_wan_yuan=Decimal(pace)
            )
    with time_machine.travel(date(2026, 11, 26), tick=False):
        flagged = key_projects_behind()
    assert [(p.name, state.colour) for p, state in flagged] == [("滞后", "red")]
