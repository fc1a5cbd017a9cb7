"""Who sees loans: park staff see every programme and loan; an enterprise sees the programmes
and only its own loans (any other loan is 404). Only the secretariat keeps them."""

from django.db.models import QuerySet
from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.enterprises.access import is_staff
from qingdan.finance.models import Loan, Programme


def visible_programmes(user) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False):
        return Programme.objects.none()
    return Programme.objects.all()


def access_programme(user, pk) -> Programme:
    programme = visible_programmes(user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def visible_loans(user) -> QuerySet[Loan]:
    loans = Loan.objects.select_related("programme", "enterprise")
    if is_staff(user):
        return loans
    if getattr(user, "is_authenticated", False) and user.role == Role.ENTERPRISE:
        return loans.filter(enterprise_id=user.enterprise_id)
    return loans.none()


def access_loan(user, pk) -> Loan:
    loan = visible_loans(user).filter(pk=pk).first()
    if loan is None:
        raise Http404
    return loan
