"""Loan programmes: whitelist, credits within capacity, repayments, defaults drawn from the
pool, per-programme figures; an enterprise sees only its own loans."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from qingdan.api.models import issue_token
from qingdan.core.models import RecordChange
from qingdan.finance import actions
from qingdan.finance.models import LoanState
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test')[1]}"}


@pytest.fixture
def programme(cast):
    programme = actions.create_programme(
        actor=cast.secretariat,
        values={
            "name": "助保贷",
            "kind": "zhubaodai",
            "bank": "建设银行",
            "guarantor": "",
            "pool_wan_yuan": Decimal(100),
            "leverage": Decimal(10),
            "started_on": date(2025, 1, 1),
        },
    )
    for enterprise in (cast.acme, cast.globex):
        actions.add_to_whitelist(programme, actor=cast.secretariat, enterprise=enterprise)
    return programme


def loan(cast, programme, enterprise, amount):
    return actions.grant_loan(
        programme,
        actor=cast.secretariat,
        enterprise=enterprise,
        amount_wan_yuan=Decimal(amount),
        rate_percent=Decimal("3.65"),
        term_months=12,
        granted_on=clock.today(),
        guarantee="信用",
    )


def test_figures_from_stored_rows(cast, programme):
    first = loan(cast, programme, cast.acme, 300)
    loan(cast, programme, cast.acme, 200)
    loan(cast, programme, cast.globex, 400)
    actions.record_repayment(
        first, actor=cast.secretariat, day=clock.today(), amount_wan_yuan=Decimal(300)
    )
    first.refresh_from_db()
    assert first.state == LoanState.REPAID
    figures = programme.figures()
    assert figures["enterprises"] == 2 and figures["granted_wan_yuan"] == Decimal("900.00")
    assert figures["capacity_wan_yuan"] == Decimal("1000.00")
    assert RecordChange.objects.filter(model="finance.loan", action="create").count() == 3


def test_whitelist_and_capacity_are_enforced(cast, programme):
    other = cast.acme.__class__.objects.create(
        name="丙公司", credit_code="91431100MA4L00001X", industry="other"
    )
    with pytest.raises(InvalidInput):
        loan(cast, programme, other, 10)
    loan(cast, programme, cast.acme, 900)
    with pytest.raises(InvalidInput):  # 900 + 200 > 100 × 10
        loan(cast, programme, cast.globex, 200)
    with pytest.raises(NotAllowed):
        actions.grant_loan(
            programme,
            actor=cast.power_officer,
            enterprise=cast.acme,
            amount_wan_yuan=Decimal(1),
            rate_percent=Decimal(3),
            term_months=1,
            granted_on=clock.today(),
        )
    assert programme.loans.count() == 1


def test_default_draws_compensation_from_the_pool(cast, programme):
    bad = loan(cast, programme, cast.globex, 150)
    with pytest.raises(InvalidInput):  # more than the pool
        actions.record_default(
            bad, actor=cast.secretariat, day=clock.today(), compensation_wan_yuan=Decimal(120)
        )
    actions.record_default(
        bad, actor=cast.secretariat, day=clock.today(), compensation_wan_yuan=Decimal(60)
    )
    bad.refresh_from_db()
    assert bad.state == LoanState.DEFAULTED
    figures = programme.figures()
    assert figures["pool_used_wan_yuan"] == Decimal("60.00")
    assert figures["pool_left_wan_yuan"] == Decimal("40.00") and figures["defaults"] == 1


def test_enterprise_sees_only_its_own_loans(client, cast, programme):
    mine = loan(cast, programme, cast.acme, 100)
    theirs = loan(cast, programme, cast.globex, 100)
    api = client.get("/api/v1/loans", **bearer(cast.acme_contact)).json()
    assert [item["id"] for item in api] == [mine.pk]
    assert client.get(f"/api/v1/loans/{theirs.pk}", **bearer(cast.acme_contact)).status_code == 404
    client.force_login(cast.acme_contact)
    page = client.get(reverse("finance:detail", args=[programme.pk])).content.decode()
    assert cast.acme.name in page and cast.globex.name not in page
    own = client.get(reverse("enterprises:detail", args=[cast.acme.credit_code])).content.decode()
    assert "建设银行" not in own and "助保贷" in own
    assert client.post(reverse("finance:repayment", args=[theirs.pk]), {}).status_code == 404
    assert client.post(reverse("finance:grant", args=[programme.pk]), {}).status_code == 403


def test_demo_reproduces_the_articles_financing_from_stored_rows(client):
    from qingdan.demo.park import build_demo_park
    from qingdan.finance import figures
    from qingdan.policies.models import Application, Policy, State

    build_demo_park()
    totals = figures.totals()
    assert totals["enterprises"] == 35 and totals["granted_yi_yuan"] == Decimal("1.92")
    assert totals["pool_wan_yuan"] == Decimal("10000.00")
    assert Policy.objects.filter(published=True).count() == 5
    states = set(Application.objects.values_list("state", flat=True))
    assert set(State.values) <= states
    assert Application.objects.filter(exempt=True).exists()
    from qingdan.accounts.models import User

    client.force_login(User.objects.get(username="secretariat"))
    page = client.get(reverse("finance:list")).content.decode()
    assert "35" in page and "1.92" in page
