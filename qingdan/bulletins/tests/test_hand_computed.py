"""A week worked out by hand (docs/KPIS.md walks through it): the exchange day of Monday
2026-09-28, with the National Day holiday (10-01 to 10-07, make-up Saturday 10-10) inside its
deadlines, a late sign-for, an extension, a redo after an on-time completion, a late completion
then a redo finished within the redo's limit, unrated results, a return and reassignment, an
overdue task, a unit with nothing due, a unit below the ranking minimum, a decline, a merge and
an enterprise that asked not to be named. Every figure of the bulletin is typed by hand below.

Category "utilities": sign-for within 1 working day, completion within 5.
Assigned Tuesday 09-29: sign-for deadline 09-30, completion deadline 10-12.
Figures as of Monday 2026-10-19 09:00.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qingdan.accounts.models import Unit, UnitKind
from qingdan.bulletins.content import build
from qingdan.problems import actions, kpis
from qingdan.problems.models import Category, Channel, KpiSettings, Satisfaction

BEIJING = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 10, 19, 9, 0, tzinfo=BEIJING)
WEEK = date(2026, 9, 28)


def at(month, day, hour=10):
    return time_machine.travel(datetime(2026, month, day, hour, 0, tzinfo=BEIJING), tick=False)


@pytest.fixture
def week(cast):
    category, _ = Category.objects.get_or_create(
        code="utilities",
        defaults={
            "name": "水电气",
            "sign_days": 1,
            "completion_days": 5,
            "urgent_completion_days": 2,
        },
    )
    bus = Unit.objects.create(name="公交公司", kind=UnitKind.TRANSPORT)
    from conftest import make_user

    bus_officer = make_user("t-bus", "unit_officer", unit=bus)
    sec, power, water = cast.secretariat, cast.power_officer, cast.water_officer

    def raise_(title, enterprise=None, month=9, day=28, public=True):
        with at(month, day, 19):
            return actions.raise_problem(
                actor=sec,
                enterprise=enterprise or cast.acme,
                title=title,
                description="…",
                category=category,
                channel=Channel.EXCHANGE_DAY,
                may_name_publicly=public,
            )

    def assign(problem, unit, month=9, day=29):
        with at(month, day, 9):
            actions.accept(problem, actor=sec)
        with at(month, day, 10):
            actions.assign(problem, actor=sec, lead_unit=unit)

    def sign(problem, who, month, day):
        with at(month, day, 11):
            actions.sign_for(problem, actor=who)

    def complete(problem, who, month, day):
        with at(month, day, 15):
            actions.complete(problem, actor=who, report="已办结")

    def rate(problem, who, satisfaction, month, day, solved=True, comment=""):
        with at(month, day, 16):
            actions.rate(
                problem, actor=who, solved=solved, satisfaction=satisfaction, comment=comment
            )

    contact = cast.acme_contact
    # The week before (for the change against last week): two raised, one resolved.
    q1 = raise_("上周问题一", month=9, day=21)
    assign(q1, cast.power, 9, 22)
    sign(q1, power, 9, 22)
    complete(q1, power, 9, 24)
    raise_("上周问题二", month=9, day=21)

    p = {}
    p[1] = raise_("P1 准时办结、满意", public=False)
    assign(p[1], cast.power)
    sign(p[1], power, 9, 29)
    complete(p[1], power, 10, 9)  # noqa: E702
    rate(p[1], contact, Satisfaction.SATISFIED, 10, 10)
    p[2] = raise_("P2 签收晚、办结晚、基本满意")
    assign(p[2], cast.power)
    sign(p[2], power, 10, 8)
    complete(p[2], power, 10, 14)  # noqa: E702
    rate(p[2], contact, Satisfaction.BASIC, 10, 15)
    p[3] = raise_("P3 延期后按期办结、未评价")
    assign(p[3], cast.power)
    sign(p[3], power, 9, 30)  # noqa: E702
    with at(10, 9):
        actions.request_extension(
            p[3], actor=power, reason="等待停电窗口", new_deadline=date(2026, 10, 20)
        )
    with at(10, 9, 14):
        actions.approve_extension(p[3], actor=sec)
    complete(p[3], power, 10, 16)
    p[4] = raise_("P4 不满意重办后满意")
    assign(p[4], cast.power)
    sign(p[4], power, 9, 29)
    complete(p[4], power, 10, 9)  # noqa: E702
    rate(p[4], contact, Satisfaction.UNSATISFIED, 10, 10, solved=False, comment="仍有跳闸")
    complete(p[4], power, 10, 15)
    rate(p[4], contact, Satisfaction.SATISFIED, 10, 16)
    p[5] = raise_("P5 已签收未办结（超期）")
    assign(p[5], cast.water)
    sign(p[5], water, 9, 29)  # noqa: E702
    p[6] = raise_("P6 未签收（超期）")
    assign(p[6], cast.water)
    # 催办 twice and 督办 once, counted for the unit holding the task (自来水).
    with at(10, 13):
        actions.urge(p[5], actor=sec, note="请加快办理")
        actions.urge(p[6], actor=sec, note="请立即签收")
    with at(10, 14):
        actions.supervise(p[6], actor=sec, reply_due=date(2026, 10, 16), demand="说明未签收原因")
    p[7] = raise_("P7 准时办结、满意")
    assign(p[7], cast.water)
    sign(p[7], water, 9, 30)
    complete(p[7], water, 10, 9)  # noqa: E702
    rate(p[7], contact, Satisfaction.SATISFIED, 10, 10)
    p[8] = raise_("P8 不予受理")
    with at(9, 29):
        actions.decline(p[8], actor=sec, reason="属企业内部事务")
    p[9] = raise_("P9 合并")
    with at(9, 29):
        actions.merge(p[9], actor=sec, into=p[1])
    p[10] = raise_("P10 已受理待交办")
    with at(9, 29):
        actions.accept(p[10], actor=sec)
    p[11] = raise_("P11 退回改派后按期办结", enterprise=cast.globex, public=False)
    assign(p[11], cast.power)
    with at(9, 30, 9):
        actions.return_task(p[11], actor=power, reason="属供水管网")
    with at(9, 30, 10):
        actions.assign(p[11], actor=sec, lead_unit=cast.water)
    sign(p[11], water, 10, 8)
    complete(p[11], water, 10, 12)  # noqa: E702
    rate(p[11], cast.globex_contact, Satisfaction.SATISFIED, 10, 13)
    p[12] = raise_("P12 公交：全部按期、满意")
    assign(p[12], bus)
    sign(p[12], bus_officer, 9, 29)
    complete(p[12], bus_officer, 10, 8)  # noqa: E702
    rate(p[12], contact, Satisfaction.SATISFIED, 10, 9)
    # P13: completed a day late (10-13 against 10-12), sent back, redone within the redo's limit
    # (10-21): lateness stays; the redo round is on time. The enterprise has not rated again.
    p[13] = raise_("P13 公交：逾期办结后重办")
    assign(p[13], bus)
    sign(p[13], bus_officer, 9, 29)
    complete(p[13], bus_officer, 10, 13)
    rate(p[13], contact, Satisfaction.UNSATISFIED, 10, 14, solved=False, comment="站牌未移")
    complete(p[13], bus_officer, 10, 16)
    # P14: assigned on 10-16 to a unit with nothing else: sign-for by 10-19, completion by
    # 10-23 — nothing due yet, so no rate and no rank.
    gas = Unit.objects.create(name="燃气公司", kind=UnitKind.UTILITY)
    p[14] = raise_("P14 燃气：尚未到期")
    assign(p[14], gas, 10, 16)
    return {"problems": p, "bus": bus, "gas": gas}


def unit_row(content, name):
    return next(row for row in content["units"] if row["unit"] == name)


@pytest.mark.django_db
def test_every_figure_of_the_week(week, cast):
    with time_machine.travel(AS_OF, tick=False):
        content = build(WEEK, AS_OF)
    o = content["overall"]
    assert (o["raised"], o["accepted"], o["assigned"], o["scored"]) == (14, 12, 11, 10)
    assert (o["due_to_sign"], o["signed_on_time"], o["sign_rate"]) == (10, 8, "0.8000")
    # First completions: P1 P3 P4 P7 P11 P12 on time; P2 P13 late; P5 P6 due, not done.
    assert (o["completed"], o["due"], o["resolved_on_time"]) == (8, 10, 6)
    assert (o["on_time_rate"], o["resolved"], o["resolve_rate"]) == ("0.6000", 8, "0.8000")
    assert (o["in_progress"], o["overdue"]) == (3, 2)
    assert (o["rated"], o["satisfied"], o["basic"], o["unsatisfied"]) == (7, 5, 1, 1)
    assert o["satisfaction_rate"] == "0.8571"  # (5 + 1) / 7
    assert (o["redone"], o["redo_rate"], o["first_time_rate"]) == (2, "0.2500", "0.7500")
    assert (o["redo_due"], o["redo_on_time"], o["redo_on_time_rate"]) == (2, 2, "1.0000")
    assert o["average_workdays"] == "5.6"  # (3+7+9+8 + 3+4 + 2+9) / 8 working days
    assert o["returned"] == 1

    # Against the week before, as of a week earlier: 2 raised, 1 resolved.
    p = content["previous"]
    assert (p["raised"], p["resolved"]) == (2, 1)

    bus, power, water, gas = (
        unit_row(content, n) for n in ("公交公司", "供电公司", "自来水公司", "燃气公司")
    )
    assert [row["unit"] for row in content["units"]] == [
        "供电公司",
        "自来水公司",
        "公交公司",
        "燃气公司",
    ]
    assert (power["rank"], water["rank"], bus["rank"], gas["rank"]) == (1, 2, None, None)
    # 0.75×0.2 + 0.75×0.3 + 1×0.3 + 0.75×0.2 = 0.825; water 0.75×0.2 + 0.5×0.3 + 1×0.3 + 1×0.2
    assert (power["score"], water["score"], bus["score"], gas["score"]) == (
        "82.50",
        "80.00",
        "60.00",
        None,
    )
    assert (
        power["assigned"],
        power["scored"],
        power["sign_rate"],
        power["resolved"],
        power["on_time_rate"],
        power["resolve_rate"],
        power["overdue"],
        power["satisfaction_rate"],
        power["redo_rate"],
        power["redo_on_time_rate"],
        power["average_workdays"],
        power["returned"],
    ) == (4, 4, "0.7500", 4, "0.7500", "1.0000", 0, "1.0000", "0.2500", "1.0000", "6.8", 1)
    assert (
        water["assigned"],
        water["scored"],
        water["sign_rate"],
        water["resolved"],
        water["on_time_rate"],
        water["resolve_rate"],
        water["overdue"],
        water["satisfaction_rate"],
        water["redo_rate"],
        water["redo_on_time_rate"],
        water["average_workdays"],
        water["returned"],
    ) == (4, 4, "0.7500", 2, "0.5000", "0.5000", 2, "1.0000", "0.0000", None, "3.5", 0)
    # The late completion stays late after the redo: 50% on time, not 100%.
    assert (
        bus["scored"],
        bus["sign_rate"],
        bus["on_time_rate"],
        bus["resolve_rate"],
        bus["satisfaction_rate"],
        bus["redo_rate"],
        bus["redo_on_time_rate"],
        bus["average_workdays"],
    ) == (2, "1.0000", "0.5000", "1.0000", "0.5000", "0.5000", "1.0000", "5.5")
    assert (gas["assigned"], gas["scored"], gas["in_progress"], gas["overdue"]) == (1, 0, 1, 0)
    assert (water["urged"], water["supervised"], power["urged"], o["urged"]) == (2, 1, 0, 2)
    assert (gas["sign_rate"], gas["on_time_rate"], gas["resolve_rate"]) == (None, None, None)
    assert content["praised"] == []
    assert content["scoring"]["min_scored"] == 3
    assert "0.30" in content["scoring"]["formula"] and "3" in content["scoring"]["formula"]

    # Red: P5 and P6, deadline 10-12, more than 2 working days behind on 10-19.
    assert content["red"]["total"] == 2 and content["yellow"]["total"] == 0
    assert {item["title"][:2] for item in content["red"]["items"]} == {"P5", "P6"}
    assert [(i["title"][:3], i["reason"], i["redone"]) for i in content["unsatisfied"]] == [
        ("P4 ", "仍有跳闸", 1),
        ("P13", "站牌未移", 1),
    ]
    items = {item["title"][:3].strip(): item for item in content["items"]}
    assert len(content["items"]) == 14
    assert items["P1"]["enterprise_public"] == "某电子企业"  # asked not to be named
    assert items["P11"]["enterprise_public"] != cast.globex.name
    assert items["P2"]["enterprise_public"] == cast.acme.name
    assert items["P3"]["deadline"] == "2026-10-20"  # the extended deadline
    assert items["P11"]["lead_unit"] == "自来水公司"
    assert items["P10"]["status"] == "accepted" and items["P8"]["status"] == "declined"
    assert len(content["trend"]) == 12 and content["trend"][-1]["raised"] == 14


@pytest.mark.django_db
def test_weights_minimum_and_basic_weight_are_the_secretariats_settings(week):
    KpiSettings.objects.create(
        pk=1,
        min_scored=2,
        basic_weight="0.5",
        weight_response=0,
        weight_on_time=1,
        weight_satisfaction=0,
        weight_first_time=0,
    )
    with time_machine.travel(AS_OF, tick=False):
        content = build(WEEK, AS_OF)
    assert content["overall"]["satisfaction_rate"] == "0.7857"  # (5 + 0.5) / 7
    # On-time resolution only; with a minimum of 2 the bus company is ranked, tied with water.
    ranks = {row["unit"]: (row["rank"], row["score"]) for row in content["units"]}
    assert ranks == {
        "供电公司": (1, "75.00"),
        "自来水公司": (2, "50.00"),
        "公交公司": (2, "50.00"),
        "燃气公司": (None, None),
    }
    assert content["scoring"]["weights"]["on_time_rate"] == "1.00"


def test_nothing_rated_is_a_dash_not_a_percentage():
    empty = kpis.Figures()
    assert empty.satisfaction_rate is None and empty.sign_rate is None
    assert empty.score is None and empty.average_workdays is None
    from qingdan.bulletins.render import percent

    assert percent(None) == "—" and percent("0.6667") == "66.67%"


def test_equal_scores_share_a_rank_and_unscored_units_come_last():
    def figures(score_parts):
        f = kpis.Figures()
        f.due_to_sign, f.signed_on_time, f.assigned, f.resolved = score_parts
        f.scored = 3
        return f

    ranked = kpis.ranked(
        {
            1: figures((2, 2, 2, 2)),
            2: figures((2, 1, 2, 1)),
            3: figures((2, 2, 2, 2)),
            4: kpis.Figures(),
        }
    )
    assert [(unit, rank) for unit, rank, _f in ranked] == [(1, 1), (3, 1), (2, 3), (4, None)]
