"""The demo park's economy: the article's January–November indicators, and a project ledger."""

import random
from datetime import date, timedelta
from decimal import Decimal

from qingdan.accounts.models import Enterprise, Industry, Unit, User
from qingdan.lib import clock
from qingdan.projects.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    MonthlyInvestment,
    Project,
)

# code → (value through November, prior year's value through November). The prior values are
# the ones that give the article's growth rates when the growth is computed.
ARTICLE = {
    "signed_projects": ("71", "33"),  # +115.15%
    "signed_amount": ("315.6", "129.30"),  # +144.08%
    "industrial_output": ("164.56", "136.19"),  # +20.83%
    "fixed_asset_investment": ("56.75", "40.357"),  # +40.62%
    "fiscal_revenue": ("4.55", "3.1418"),  # +44.82%
    "foreign_trade": ("21.22", "2.7921"),  # +660.00%
    "industrial_profit": ("1.32", "0.4948"),  # +166.77%
    "new_above_scale": ("26", "4"),  # +550.00%
}
COUNTS = {"signed_projects", "new_above_scale"}


def build_indicators(year: int) -> None:
    """Months 1–11 of ``year`` growing to the article's November figures (and the year before's
    values, with their own prior year, so that last year's page works too)."""
    for indicator in Indicator.objects.all():
        if indicator.code not in ARTICLE or indicator.values.exists():
            continue
        final, prior_final = (Decimal(x) for x in ARTICLE[indicator.code])
        for month in range(1, 12):
            share = Decimal(month) / 11
            if month == 11:
                value, prior = final, prior_final
            else:
                value, prior = final * share, prior_final * share
            if indicator.code in COUNTS:
                value, prior = value.quantize(Decimal(1)), prior.quantize(Decimal(1))
            IndicatorValue.objects.create(
                indicator=indicator,
                year=year,
                month=month,
                value=value.quantize(Decimal("0.0001")),
                prior_year_value=prior.quantize(Decimal("0.0001")),
            )


PROJECTS = [
    ("智能装备产业园标准厂房及配套", Industry.SMART_EQUIPMENT, "120000", True),
    ("电子元器件电镀生产线扩建", Industry.ELECTRONICS, "35000", True),
    ("植物萃取中心二期", Industry.PLANT_EXTRACTION, "80000", True),
    ("新能源电池材料项目", Industry.NEW_MATERIALS, "150000", True),
    ("汽车线束生产基地", Industry.AUTO_PARTS, "42000", False),
    ("智能终端组装项目", Industry.ELECTRONICS, "60000", True),
    ("冷链物流中心", Industry.LOGISTICS, "25000", False),
    ("功能性食品加工项目", Industry.FOOD, "18000", False),
    ("高分子复合材料项目", Industry.NEW_MATERIALS, "56000", True),
    ("数字经济产业园", Industry.DIGITAL, "30000", False),
    ("精密模具制造项目", Industry.SMART_EQUIPMENT, "22000", False),
    ("光电显示模组项目", Industry.ELECTRONICS, "95000", True),
]


def build_projects(rng: random.Random, today: date) -> None:
    if Project.objects.exists():
        return
    investment_unit = Unit.objects.filter(short_name="招商局").first()
    leader = User.objects.filter(username="leader").first()
    enterprises = list(Enterprise.objects.order_by("pk"))
    year = today.year
    for index, (name, industry, amount, key) in enumerate(PROJECTS):
        investor = next(
            (e for e in enterprises[index * 5 :] if e.industry == industry), enterprises[index]
        )
        signed = today - timedelta(days=30 * (12 - index) + rng.randint(0, 20))
        stages = index % 6  # 0: just signed … 5: full production
        dates = {"negotiating_on": signed - timedelta(days=45), "signed_on": signed}
        step = signed
        for stage_field, days in (
            ("landed_on", 20),
            ("started_on", 40),
            ("producing_on", 120),
            ("full_production_on", 90),
        ):
            if len(dates) - 1 > stages:
                break
            step = step + timedelta(days=days)
            if step > today:
                break
            dates[stage_field] = step
        if index == 5:  # the article's "signed this month, producing this month"
            first = today.replace(day=1)
            dates = {
                "signed_on": first,
                "landed_on": first,
                "started_on": first,
                "producing_on": min(today, first + timedelta(days=20)),
            }
        planned_start = signed + timedelta(days=60)
        project = Project(
            name=name,
            investor=investor,
            industry=industry,
            amount_wan_yuan=Decimal(amount),
            total_investment_wan_yuan=Decimal(amount),
            is_key=key,
            responsible_leader=leader,
            responsible_unit=investment_unit,
            planned_start=planned_start,
            **dates,
        )
        project.full_clean()
        project.save()
        planned = (Decimal(amount) * Decimal("0.4")).quantize(Decimal("0.01"))
        AnnualPlan.objects.create(project=project, year=year, planned_wan_yuan=planned)
        pace = Decimal(rng.choice(["1.05", "0.95", "0.8", "0.6", "0.4"]))
        for month in range(1, today.month + 1):
            MonthlyInvestment.objects.create(
                project=project,
                year=year,
                month=month,
                completed_wan_yuan=(planned / 12 * pace).quantize(Decimal("0.01")),
            )


def build_economy(rng: random.Random) -> None:
    today = clock.today()
    build_indicators(today.year)
    build_projects(rng, today)
