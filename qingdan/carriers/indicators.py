"""The carriers' figures as monthly indicators (经济运行指标): computed from the rows on the day
they are recorded, written through the projects app's action (one ``RecordChange`` each), beside
the prior year's value for the same month when one was recorded."""

from datetime import date

from django.db import transaction

from qingdan.carriers.actions import _require_keeper
from qingdan.carriers.figures import figures
from qingdan.core import records
from qingdan.projects import actions as project_actions
from qingdan.projects.models import Indicator, IndicatorValue

# (code, name, English name, unit, figure)
INDICATORS = [
    (
        "factory_under_construction",
        "在建标准厂房面积",
        "Standard factories under construction",
        "万㎡",
        "under_construction_wan_m2",
    ),
    (
        "factory_due_this_year",
        "年底前建成厂房面积",
        "Factories due by year end",
        "万㎡",
        "due_this_year_wan_m2",
    ),
    ("factory_leased", "已租厂房面积", "Factories leased", "万㎡", "leased_wan_m2"),
    ("factory_vacant", "空置厂房面积", "Factories vacant", "万㎡", "vacant_wan_m2"),
    (
        "factory_revitalised",
        "盘活低效厂房面积",
        "Factories revitalised",
        "万㎡",
        "revitalised_this_year_wan_m2",
    ),
    ("factory_utilisation", "厂房利用率", "Factory utilisation", "%", "utilisation_pct"),
    ("idle_land_cleared", "处置闲置土地", "Idle land cleared", "亩", "cleared_this_year_mu"),
]


def record_month(*, actor, day: date) -> list[IndicatorValue]:
    """Record the figures as of ``day`` as the values through ``day``'s month."""
    found = figures(day)
    rows = []
    with transaction.atomic():
        for position, (code, name, name_en, unit, key) in enumerate(INDICATORS, start=100):
            indicator = Indicator.objects.filter(code=code).first()
            if indicator is None:
                _require_keeper(actor)
                indicator = records.save(
                    Indicator(),
                    actor=actor,
                    values={
                        "code": code,
                        "name": name,
                        "name_en": name_en,
                        "unit": unit,
                        "position": position,
                    },
                )
            if found[key] is None:
                continue
            prior = IndicatorValue.objects.filter(
                indicator=indicator, year=day.year - 1, month=day.month
            ).first()
            rows.append(
                project_actions.record_indicator(
                    indicator,
                    actor=actor,
                    year=day.year,
                    month=day.month,
                    value=found[key],
                    prior_year_value=prior.value if prior else None,
                )
            )
    return rows
