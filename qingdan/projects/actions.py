"""Every change to the project ledger and the indicators: by the secretariat, each one a
``RecordChange`` (who, when, before and after) through ``qingdan.core.records.save``. Pages, the
REST API and the Excel imports call these."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import KEEPERS, User
from qingdan.core import records
from qingdan.lib.errors import NotAllowed
from qingdan.projects.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    MonthlyInvestment,
    Project,
)


def _require_keeper(actor: User) -> None:
    if actor.role not in KEEPERS:
        raise NotAllowed(_("Only the secretariat keeps the project ledger and the indicators."))


def save_project(project: Project | None, *, actor: User, values: dict) -> Project:
    """Create a project (``project`` None) or change its facts, stages and dates (stages are
    reached in order: the model's rule, checked on every save)."""
    _require_keeper(actor)
    return records.save(
        project or Project(), actor=actor, values=values, exclude_checks=["problems"]
    )


def set_plan(project: Project, *, actor: User, year: int, planned_wan_yuan: Decimal) -> AnnualPlan:
    _require_keeper(actor)
    plan = AnnualPlan.objects.filter(project=project, year=year).first()
    return records.save(
        plan or AnnualPlan(project=project, year=year),
        actor=actor,
        values={"planned_wan_yuan": planned_wan_yuan},
    )


def record_investment(
    project: Project, *, actor: User, year: int, month: int, completed_wan_yuan: Decimal
) -> MonthlyInvestment:
    """The investment completed in one month (that month's own amount)."""
    _require_keeper(actor)
    row = MonthlyInvestment.objects.filter(project=project, year=year, month=month).first()
    return records.save(
        row or MonthlyInvestment(project=project, year=year, month=month),
        actor=actor,
        values={"completed_wan_yuan": completed_wan_yuan},
    )


def record_indicator(
    indicator: Indicator,
    *,
    actor: User,
    year: int,
    month: int,
    value: Decimal,
    prior_year_value: Decimal | None = None,
) -> IndicatorValue:
    """The cumulative value of months 1–``month`` of ``year`` (and the prior year's)."""
    _require_keeper(actor)
    row = IndicatorValue.objects.filter(indicator=indicator, year=year, month=month).first()
    return records.save(
        row or IndicatorValue(indicator=indicator, year=year, month=month),
        actor=actor,
        values={"value": value, "prior_year_value": prior_year_value},
    )


def record_indicators(rows, *, actor: User) -> int:
    """Many values at once (an Excel import): all of them or, on any refusal, none."""
    _require_keeper(actor)
    with transaction.atomic():
        for indicator, year, month, value, prior in rows:
            record_indicator(
                indicator,
                actor=actor,
                year=year,
                month=month,
                value=value,
                prior_year_value=prior,
            )
    return len(rows)
