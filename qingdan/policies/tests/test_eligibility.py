"""Eligibility on hand-made enterprises, for every kind of condition: met, missed, and unknown
when the record says nothing — unknown is never eligible."""

from datetime import date
from decimal import Decimal

import pytest

from qingdan.enterprises import actions as records
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.policies import actions, eligibility
from qingdan.policies.eligibility import ELIGIBLE, INCOMPLETE, MET, MISSED, NEAR, UNKNOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(cast):
    return actions.create_policy(
        actor=cast.secretariat,
        values={
            "title": "研发费用补助",
            "issuer": "园区科技局",
            "valid_from": date(2026, 1, 1),
            "benefit": "按研发投入的 10% 补助",
            "summary": "研发多的企业可领补助",
        },
    )


def only(policy, cast, enterprise=None, **condition):
    policy.conditions.all().delete()
    actions.add_condition(policy, actor=cast.secretariat, **condition)
    enterprise = (enterprise or cast.acme).__class__.objects.get(pk=(enterprise or cast.acme).pk)
    return eligibility.match(policy, enterprise).results[0].outcome


def keep(cast, **values):
    records.save_record(cast.acme, actor=cast.secretariat, values=values)


def figures(cast, **values):
    base = dict.fromkeys(records.FIGURE_FIELDS)
    records.save_figures(cast.acme, actor=cast.secretariat, year=2025, values={**base, **values})


def test_tag_condition(cast, policy):
    assert only(policy, cast, kind="tag", operator="has", value="high_tech") == UNKNOWN
    keep(cast, tags=["high_tech"])
    assert only(policy, cast, kind="tag", operator="has", value="high_tech") == MET
    assert only(policy, cast, kind="tag", operator="has", value="listed") == MISSED
    assert only(policy, cast, kind="tag", operator="not_has", value="listed") == MET
    # an accounts flag counts as its tag
    cast.acme.is_above_scale = True
    cast.acme.save()
    assert only(policy, cast, kind="tag", operator="has", value="above_scale") == MET


def test_industry_prefix_condition(cast, policy):
    assert only(policy, cast, kind="industry", operator="prefix", value="C39") == UNKNOWN
    keep(cast, industry_code="C3976")
    assert only(policy, cast, kind="industry", operator="prefix", value="C39") == MET
    assert only(policy, cast, kind="industry", operator="prefix", value="C27,C39") == MET
    assert only(policy, cast, kind="industry", operator="prefix", value="C27") == MISSED


def test_size_grade_and_location_conditions(cast, policy):
    assert only(policy, cast, kind="size", operator="in", value="small,micro") == UNKNOWN
    assert only(policy, cast, kind="grade", operator="in", value="A,B") == UNKNOWN
    assert only(policy, cast, kind="location", operator="in", value="高新区") == UNKNOWN
    keep(cast, size_class="small", grade="C", zone="高新区")
    assert only(policy, cast, kind="size", operator="in", value="small,micro") == MET
    assert only(policy, cast, kind="size", operator="in", value="large") == MISSED
    assert only(policy, cast, kind="grade", operator="in", value="A,B") == MISSED
    assert only(policy, cast, kind="location", operator="in", value="高新区，物流园") == MET
    assert only(policy, cast, kind="location", operator="in", value="物流园") == MISSED


def test_capital_condition(cast, policy):
    assert only(policy, cast, kind="capital", operator="gte", value="1000") == UNKNOWN
    keep(cast, registered_capital_wan_yuan=Decimal("1000"))
    assert only(policy, cast, kind="capital", operator="gte", value="1000") == MET
    assert only(policy, cast, kind="capital", operator="lte", value="999.99") == MISSED


@pytest.mark.parametrize(
    ("figure", "values", "limit", "outcome"),
    [
        (
            "rd_share_percent",
            {"rd_wan_yuan": Decimal(300), "output_wan_yuan": Decimal(10000)},
            "3",
            MET,
        ),
        (
            "rd_share_percent",
            {"rd_wan_yuan": Decimal(200), "output_wan_yuan": Decimal(10000)},
            "3",
            MISSED,
        ),
        ("rd_share_percent", {"output_wan_yuan": Decimal(10000)}, "3", UNKNOWN),
        ("tax_per_mu", {"tax_wan_yuan": Decimal(300), "land_mu": Decimal(10)}, "30", MET),
        ("tax_per_mu", {"tax_wan_yuan": Decimal(300)}, "30", UNKNOWN),
        (
            "output_per_mu",
            {"output_wan_yuan": Decimal(5000), "land_mu": Decimal(10)},
            "600",
            MISSED,
        ),
        ("employees", {"employees": 80}, "50", MET),
        ("tax_wan_yuan", {"tax_wan_yuan": Decimal(0)}, "1", MISSED),
    ],
)
def test_figure_conditions(cast, policy, figure, values, limit, outcome):
    assert only(policy, cast, kind="figure", figure=figure, operator="gte", value=limit) in (
        UNKNOWN,  # before any figures are kept
    )
    figures(cast, **values)
    assert only(policy, cast, kind="figure", figure=figure, operator="gte", value=limit) == outcome


def test_missing_data_is_never_eligible_and_one_short_is_named(cast, policy):
    actions.add_condition(
        policy, actor=cast.secretariat, kind="tag", operator="has", value="high_tech"
    )
    actions.add_condition(
        policy,
        actor=cast.secretariat,
        kind="figure",
        figure="rd_share_percent",
        operator="gte",
        value="3",
    )
    # nothing kept: both unknown
    assert eligibility.match(policy, cast.acme).verdict == INCOMPLETE
    keep(cast, tags=["high_tech"])
    near = eligibility.match(policy, cast.acme)
    assert near.verdict == NEAR and near.short_of[0].condition.figure == "rd_share_percent"
    figures(cast, rd_wan_yuan=Decimal(200), output_wan_yuan=Decimal(10000))
    assert eligibility.match(policy, cast.acme).verdict == NEAR  # 2% < 3%: still one short
    figures(cast, rd_wan_yuan=Decimal(400), output_wan_yuan=Decimal(10000))
    assert eligibility.match(policy, cast.acme).verdict == ELIGIBLE
    actions.publish_policy(policy, actor=cast.secretariat)
    found = eligibility.policies_for(cast.acme, policy.__class__.objects.all())
    assert [m.policy for m in found] == [policy]
    assert [
        m.verdict for m in eligibility.enterprises_for(policy, cast.acme.__class__.objects.all())
    ] == [ELIGIBLE, "incomplete"]


def test_conditions_are_checked_when_written(cast, policy):
    for bad in (
        {"kind": "tag", "operator": "gte", "value": "high_tech"},
        {"kind": "tag", "operator": "has", "value": "unknown_tag"},
        {"kind": "figure", "operator": "gte", "value": "abc", "figure": "employees"},
        {"kind": "figure", "operator": "gte", "value": "1", "figure": ""},
        {"kind": "size", "operator": "in", "value": "huge"},
        {"kind": "industry", "operator": "prefix", "value": " "},
    ):
        with pytest.raises(InvalidInput):
            actions.add_condition(policy, actor=cast.secretariat, **bad)
    with pytest.raises(NotAllowed):
        actions.add_condition(
            policy, actor=cast.power_officer, kind="tag", operator="has", value="high_tech"
        )
    assert not policy.conditions.exists()


def test_matching_all_enterprises_takes_a_fixed_number_of_queries(
    cast, policy, django_assert_max_num_queries
):
    from qingdan.accounts.models import Enterprise
    from qingdan.lib.creditcode import make_code

    actions.add_condition(
        policy,
        actor=cast.secretariat,
        kind="figure",
        figure="employees",
        operator="gte",
        value="10",
    )
    for n in range(30):
        extra = Enterprise.objects.create(
            name=f"企业{n}", industry="other", credit_code=make_code("91", "431100", f"QC{n:06d}")
        )
        records.save_figures(
            extra,
            actor=cast.secretariat,
            year=2025,
            values={**dict.fromkeys(records.FIGURE_FIELDS), "employees": n},
        )
    with django_assert_max_num_queries(6):
        found = eligibility.enterprises_for(policy, Enterprise.objects.all())
    assert sum(m.verdict == ELIGIBLE for m in found) == 20
