"""Every change to a loan programme, through ``core.records.save`` (each writes a RecordChange
and tells the listeners). Only the secretariat keeps them."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, User, may_keep
from qingdan.core import records
from qingdan.finance.models import (
    Compensation,
    Loan,
    LoanState,
    Programme,
    Repayment,
    WhitelistEntry,
)
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed


def _keeper(actor: User) -> None:
    if not may_keep(actor):
        raise NotAllowed(_("Only the secretariat keeps loan programmes."))


def _positive(amount, message) -> Decimal:
    if amount is None or Decimal(amount) <= 0:
        raise InvalidInput(message)
    return Decimal(amount)


def _not_future(day: date) -> date:
    if day > clock.today():
        raise InvalidInput(_("The date cannot be in the future."))
    return day


def create_programme(*, actor: User, values: dict) -> Programme:
    _keeper(actor)
    _positive(values.get("pool_wan_yuan"), _("The pool must be more than zero."))
    _positive(values.get("leverage"), _("The leverage must be more than zero."))
    return records.save(Programme(), actor=actor, values=values)


def add_to_whitelist(
    programme: Programme, *, actor: User, enterprise: Enterprise
) -> WhitelistEntry:
    _keeper(actor)
    if programme.whitelist.filter(enterprise=enterprise).exists():
        raise InvalidInput(_("%(e)s is on the whitelist already.") % {"e": enterprise.name})
    return records.save(
        WhitelistEntry(programme=programme),
        actor=actor,
        values={"enterprise": enterprise, "added_on": clock.today()},
    )


def grant_loan(
    programme: Programme,
    *,
    actor: User,
    enterprise: Enterprise,
    amount_wan_yuan,
    rate_percent,
    term_months: int,
    granted_on: date,
    guarantee: str = "",
) -> Loan:
    """A credit to a whitelisted enterprise, within the pool's capacity (pool × leverage)."""
    _keeper(actor)
    amount = _positive(amount_wan_yuan, _("The amount must be more than zero."))
    _not_future(granted_on)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if not programme.whitelist.filter(enterprise=enterprise).exists():
            raise InvalidInput(
                _("%(e)s is not on the programme's whitelist.") % {"e": enterprise.name}
            )
        figures = programme.figures()
        outstanding = figures["granted_wan_yuan"] - figures["repaid_wan_yuan"]
        if outstanding + amount > figures["capacity_wan_yuan"]:
            raise InvalidInput(
                _("The credit would pass the programme's capacity (%(c)s).")
                % {"c": figures["capacity_wan_yuan"]}
            )
        return records.save(
            Loan(programme=programme),
            actor=actor,
            values={
                "enterprise": enterprise,
                "amount_wan_yuan": amount,
                "rate_percent": rate_percent,
                "term_months": term_months,
                "guarantee": guarantee,
                "granted_on": granted_on,
            },
        )


def record_repayment(loan: Loan, *, actor: User, day: date, amount_wan_yuan) -> Repayment:
    _keeper(actor)
    amount = _positive(amount_wan_yuan, _("The amount must be more than zero."))
    _not_future(day)
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.state != LoanState.CURRENT:
            raise InvalidInput(_("This loan is not current."))
        if amount > loan.outstanding_wan_yuan:
            raise InvalidInput(
                _("More than the outstanding %(o)s.") % {"o": loan.outstanding_wan_yuan}
            )
        repayment = records.save(
            Repayment(loan=loan), actor=actor, values={"day": day, "amount_wan_yuan": amount}
        )
        if loan.outstanding_wan_yuan == 0:
            records.save(loan, actor=actor, values={"state": LoanState.REPAID})
    return repayment


def record_default(loan: Loan, *, actor: User, day: date, compensation_wan_yuan) -> Compensation:
    """A default; the bank's compensation is drawn from the pool (at most the outstanding
    amount and what is left in the pool)."""
    _keeper(actor)
    amount = _positive(compensation_wan_yuan, _("The compensation must be more than zero."))
    _not_future(day)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=loan.programme_id)
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.state != LoanState.CURRENT:
            raise InvalidInput(_("This loan is not current."))
        if amount > loan.outstanding_wan_yuan:
            raise InvalidInput(
                _("More than the outstanding %(o)s.") % {"o": loan.outstanding_wan_yuan}
            )
        left = programme.figures()["pool_left_wan_yuan"]
        if amount > left:
            raise InvalidInput(_("The pool has only %(l)s left.") % {"l": left})
        records.save(loan, actor=actor, values={"state": LoanState.DEFAULTED})
        return records.save(
            Compensation(loan=loan), actor=actor, values={"day": day, "amount_wan_yuan": amount}
        )
