"""Loan programmes through the API, with the pages' rules: everyone signed in reads the
programmes and their figures; an enterprise reads only its own loans; the secretariat keeps."""

from datetime import date

from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.finance import actions
from qingdan.finance import forms as f
from qingdan.finance.access import access_loan, access_programme, visible_loans, visible_programmes

router = Router(tags=["finance"])


class LoanProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    bank: str
    guarantor: str
    pool_wan_yuan: str
    leverage: str
    enterprises: int
    loans: int
    granted_wan_yuan: str
    pool_used_wan_yuan: str
    pool_left_wan_yuan: str
    capacity_wan_yuan: str


def programme_out(p) -> dict:
    fig = p.figures()
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "bank": p.bank,
        "guarantor": p.guarantor,
        "pool_wan_yuan": str(p.pool_wan_yuan),
        "leverage": str(p.leverage),
        "enterprises": fig["enterprises"],
        "loans": fig["loans"],
        **{
            k: str(fig[k])
            for k in (
                "granted_wan_yuan",
                "pool_used_wan_yuan",
                "pool_left_wan_yuan",
                "capacity_wan_yuan",
            )
        },
    }


class LoanOut(Schema):
    id: int
    programme: int
    enterprise: str
    amount_wan_yuan: str
    rate_percent: str
    term_months: int
    guarantee: str
    granted_on: date
    state: str
    outstanding_wan_yuan: str


def loan_out(loan) -> dict:
    return {
        "id": loan.pk,
        "programme": loan.programme_id,
        "enterprise": loan.enterprise.credit_code,
        "amount_wan_yuan": str(loan.amount_wan_yuan),
        "rate_percent": str(loan.rate_percent),
        "term_months": loan.term_months,
        "guarantee": loan.guarantee,
        "granted_on": loan.granted_on,
        "state": loan.state,
        "outstanding_wan_yuan": str(loan.outstanding_wan_yuan),
    }


@router.get("/loan-programmes", response={200: list[LoanProgrammeOut], **ERRORS})
def list_programmes(request):
    return [programme_out(p) for p in visible_programmes(request.user)]


@router.get("/loans", response={200: list[LoanOut], **ERRORS})
def list_loans(request):
    return [loan_out(loan) for loan in visible_loans(request.user)[:500]]


@router.get("/loans/{pk}", response={200: LoanOut, **ERRORS})
def get_loan(request, pk: int):
    return loan_out(access_loan(request.user, pk))


ProgrammeIn = schema_for(f.ProgrammeForm, "LoanProgrammeIn")
WhitelistIn = schema_for(f.WhitelistForm, "LoanWhitelistIn")
LoanIn = schema_for(f.LoanForm, "LoanIn")
RepaymentIn = schema_for(f.RepaymentForm, "LoanRepaymentIn")
DefaultIn = schema_for(f.DefaultForm, "LoanDefaultIn")


@router.post("/loan-programmes", response={201: LoanProgrammeOut, **ERRORS})
def create_programme(request, payload: ProgrammeIn):  # type: ignore[valid-type]
    limit_writes(request)
    data = run_form(f.ProgrammeForm, payload_dict(payload)).cleaned_data
    return HttpStatus(201, programme_out(actions.create_programme(actor=request.user, values=data)))


@router.post("/loan-programmes/{pk}/whitelist", response={200: LoanProgrammeOut, **ERRORS})
def add_to_whitelist(request, pk: int, payload: WhitelistIn):  # type: ignore[valid-type]
    limit_writes(request)
    programme = access_programme(request.user, pk)
    data = run_form(f.WhitelistForm, payload_dict(payload)).cleaned_data
    actions.add_to_whitelist(programme, actor=request.user, **data)
    return programme_out(programme)


@router.post("/loan-programmes/{pk}/loans", response={201: LoanOut, **ERRORS})
def grant_loan(request, pk: int, payload: LoanIn):  # type: ignore[valid-type]
    limit_writes(request)
    programme = access_programme(request.user, pk)
    data = run_form(f.LoanForm, payload_dict(payload)).cleaned_data
    return HttpStatus(201, loan_out(actions.grant_loan(programme, actor=request.user, **data)))


@router.post("/loans/{pk}/repayments", response={200: LoanOut, **ERRORS})
def record_repayment(request, pk: int, payload: RepaymentIn):  # type: ignore[valid-type]
    limit_writes(request)
    loan = access_loan(request.user, pk)
    data = run_form(f.RepaymentForm, payload_dict(payload)).cleaned_data
    actions.record_repayment(loan, actor=request.user, **data)
    return loan_out(access_loan(request.user, pk))


@router.post("/loans/{pk}/default", response={200: LoanOut, **ERRORS})
def record_default(request, pk: int, payload: DefaultIn):  # type: ignore[valid-type]
    limit_writes(request)
    loan = access_loan(request.user, pk)
    data = run_form(f.DefaultForm, payload_dict(payload)).cleaned_data
    actions.record_default(loan, actor=request.user, **data)
    return loan_out(access_loan(request.user, pk))
