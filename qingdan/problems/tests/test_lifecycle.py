from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qingdan.lib import errors
from qingdan.problems import actions
from qingdan.problems.models import (
    CloseType,
    ExtensionRequest,
    Problem,
    ProblemEvent,
    RequestState,
    ReturnRequest,
    Satisfaction,
    Status,
    TaskUnit,
)

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def last_event(problem) -> ProblemEvent:
    return problem.events.order_by("-id").first()


def test_raising_numbers_problems_per_year_and_writes_the_raise_event(make_problem, cast):
    with time_machine.travel(datetime(2026, 11, 23, 20, 0, tzinfo=BEIJING)):
        first = make_problem()
        second = make_problem(title="水费偏高")
    assert (first.number, second.number) == ("QD-2026-000001", "QD-2026-000002")
    event = last_event(first)
    assert (event.action, event.from_status, event.to_status) == ("raise", "", Status.SUBMITTED)
    assert event.actor == cast.acme_contact
    assert first.status == Status.SUBMITTED and first.version == 1


def test_enterprise_cannot_raise_for_another_enterprise(cast, category):
    with pytest.raises(errors.NotAllowed):
        actions.raise_problem(
            actor=cast.acme_contact,
            enterprise=cast.globex,
            title="x",
            description="y",
            category=category,
            channel="online",
        )
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_whole_journey_with_extension_redo_and_close(make_problem, cast):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)):  # a Monday
        problem = make_problem("accepted")
        assert last_event(problem).action == "accept"
        actions.assign(
            problem,
            actor=cast.secretariat,
            lead_unit=cast.power,
            responsible=cast.power_officer,
            division="负责线路排查与抢修",
            co_units=[(cast.water, "配合开挖路面")],
        )
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED
    # utilities: sign within 1 working day, complete within 5
    assert (problem.sign_deadline, problem.deadline) == (date(2026, 11, 24), date(2026, 11, 30))
    event = last_event(problem)
    assert event.action == "assign" and event.to_status == Status.ASSIGNED
    assert event.payload["lead_unit"] == cast.power.name
    assert event.payload["co_units"] == [cast.water.name]
    assert event.payload["deadline"] == "2026-11-30"
    assert TaskUnit.objects.get(problem=problem, is_lead=False).division == "配合开挖路面"

    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)):
        actions.sign_for(problem, actor=cast.power_officer, note="已签收")
    assert last_event(problem).payload == {"on_time": True}
    assert problem.status == Status.IN_PROGRESS

    actions.report_progress(problem, actor=cast.water_officer, note="路面已开挖")  # co-unit
    assert last_event(problem).action == "progress"

    actions.request_extension(
        problem,
        actor=cast.power_officer,
        reason="需停电检修，等待窗口",
        new_deadline=date(2026, 12, 4),
    )
    event = last_event(problem)
    assert event.action == "request_extension"
    assert event.payload["requested_deadline"] == "2026-12-04"
    actions.approve_extension(problem, actor=cast.secretariat)
    problem.refresh_from_db()
    assert problem.deadline == date(2026, 12, 4)
    assert last_event(problem).payload == {"old_deadline": "2026-11-30", "deadline": "2026-12-04"}
    assert ExtensionRequest.objects.get().state == RequestState.APPROVED

    with time_machine.travel(datetime(2026, 12, 2, 16, 0, tzinfo=BEIJING)):
        actions.complete(problem, actor=cast.power_officer, report="已更换故障开关")
    assert problem.status == Status.RESOLVED
    assert last_event(problem).payload["on_time"] is True

    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=BEIJING)):
        actions.rate(
            problem,
            actor=cast.acme_contact,
            solved=False,
            satisfaction=Satisfaction.UNSATISFIED,
            comment="仍有跳闸",
        )
    problem.refresh_from_db()
    event = last_event(problem)
    assert (event.action, event.from_status, event.to_status) == (
        "redo",
        Status.RESOLVED,
        Status.IN_PROGRESS,
    )
    assert problem.redo_count == 1
    assert problem.deadline == date(2026, 12, 10)  # 5 working days from 2026-12-03

    actions.complete(problem, actor=cast.power_officer, report="加装了保护装置")
    actions.rate(problem, actor=cast.acme_contact, solved=True, satisfaction=Satisfaction.SATISFIED)
    assert last_event(problem).action == "rate" and problem.status == Status.RESOLVED
    actions.close(problem, actor=cast.secretariat, close_type=CloseType.SOLVED)
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED and problem.close_type == CloseType.SOLVED
    assert last_event(problem).payload == {"close_type": "solved"}
    actions_taken = list(problem.events.order_by("id").values_list("action", flat=True))
    assert actions_taken == [
        "raise",
        "accept",
        "assign",
        "sign",
        "progress",
        "request_extension",
        "approve_extension",
        "complete",
        "redo",
        "complete",
        "rate",
        "close",
    ]
    assert problem.version == len(actions_taken)


def test_return_then_reassign_to_another_unit(make_problem, cast):
    problem = make_problem("assigned")
    actions.return_task(problem, actor=cast.power_officer, reason="不属于供电职责，属供水管网")
    assert problem.status == Status.RETURNED
    assert last_event(problem).payload == {"unit": cast.power.name}
    actions.assign(problem, actor=cast.secretariat, lead_unit=cast.water)
    problem.refresh_from_db()
    assert problem.lead_unit == cast.water and problem.status == Status.ASSIGNED
    assert ReturnRequest.objects.get().state == RequestState.APPROVED
    assert last_event(problem).action == "assign"


def test_rejected_return_goes_back_to_the_same_unit(make_problem, cast):
    problem = make_problem("assigned")
    actions.return_task(problem, actor=cast.power_officer, reason="不是我们的")
    actions.reject_return(problem, actor=cast.secretariat, reason="线路产权属供电公司")
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and problem.lead_unit == cast.power
    event = last_event(problem)
    assert (event.action, event.note) == ("reject_return", "线路产权属供电公司")
    assert ReturnRequest.objects.get().state == RequestState.REFUSED


@pytest.mark.parametrize(
    ("upto", "action", "kwargs"),
    [
        ("submitted", actions.sign_for, {}),
        ("assigned", actions.complete, {"report": "x"}),
        ("in_progress", actions.accept, {}),
        ("resolved", actions.reopen, {"reason": "x"}),
    ],
)
def test_action_in_the_wrong_state_is_refused_and_writes_nothing(
    make_problem, cast, upto, action, kwargs
):
    problem = make_problem(upto)
    before = (problem.events.count(), problem.version, problem.status)
    actor = cast.secretariat if action is actions.accept else cast.power_officer
    if action is actions.reopen:
        actor = cast.acme_contact
    with pytest.raises(errors.NotAllowed) as refused:
        action(problem, actor=actor, **kwargs)
    assert "not possible" in str(refused.value) or "不能" in str(refused.value)
    problem.refresh_from_db()
    assert (problem.events.count(), problem.version, problem.status) == before


def test_another_unit_cannot_sign_and_an_enterprise_cannot_assign(make_problem, cast):
    problem = make_problem("assigned")
    with pytest.raises(errors.NotAllowed):
        actions.sign_for(problem, actor=cast.water_officer)
    with pytest.raises(errors.NotAllowed):
        actions.decline(problem, actor=cast.acme_contact, reason="x")
    assert problem.events.count() == 3


def test_leader_can_only_watch(make_problem, cast):
    problem = make_problem("submitted")
    with pytest.raises(errors.NotAllowed):
        actions.accept(problem, actor=cast.leader)
    assert problem.events.count() == 1


def test_stale_version_is_a_conflict_and_writes_nothing(make_problem, cast):
    problem = make_problem("assigned")
    seen = problem.version
    actions.sign_for(problem, actor=cast.power_head)  # someone else acts first
    with pytest.raises(errors.Conflict):
        actions.return_task(
            Problem.objects.get(pk=problem.pk),
            actor=cast.power_officer,
            reason="x",
            expected_version=seen,
        )
    assert last_event(problem).action == "sign"
    assert not ReturnRequest.objects.exists()


def test_reasons_are_required(make_problem, cast):
    problem = make_problem()
    with pytest.raises(errors.InvalidInput):
        actions.decline(problem, actor=cast.secretariat, reason="  ")
    assert problem.events.count() == 1


def test_decline_and_merge(make_problem, cast):
    first, second, third = make_problem(), make_problem(title="又跳闸"), make_problem(title="x")
    actions.merge(second, actor=cast.secretariat, into=first, note="同一线路")
    assert second.status == Status.MERGED and second.merged_into == first
    assert last_event(second).payload == {"into": first.number}
    with pytest.raises(errors.InvalidInput):
        actions.merge(third, actor=cast.secretariat, into=third)
    with pytest.raises(errors.InvalidInput):
        actions.merge(third, actor=cast.secretariat, into=second)  # merged already
    actions.decline(third, actor=cast.secretariat, reason="属企业内部线路")
    assert third.status == Status.DECLINED
    assert last_event(third).note == "属企业内部线路"


def test_only_one_pending_extension_and_it_must_be_later(make_problem, cast):
    problem = make_problem("in_progress")
    with pytest.raises(errors.InvalidInput):
        actions.request_extension(
            problem, actor=cast.power_officer, reason="x", new_deadline=problem.deadline
        )
    actions.request_extension(
        problem, actor=cast.power_officer, reason="x", new_deadline=date(2099, 1, 1)
    )
    with pytest.raises(errors.NotAllowed):
        actions.request_extension(
            problem, actor=cast.power_officer, reason="y", new_deadline=date(2099, 2, 1)
        )
    actions.refuse_extension(problem, actor=cast.secretariat, reason="可先临时供电")
    assert last_event(problem).action == "refuse_extension"
    assert ExtensionRequest.objects.get().state == RequestState.REFUSED
    with pytest.raises(errors.NotAllowed):
        actions.approve_extension(problem, actor=cast.secretariat)


def test_close_as_solved_needs_a_rating_first(make_problem, cast):
    problem = make_problem("resolved")
    with pytest.raises(errors.InvalidInput):
        actions.close(problem, actor=cast.secretariat, close_type=CloseType.SOLVED)
    actions.close(
        problem, actor=cast.secretariat, close_type=CloseType.EXPLAINED, note="已向企业解释政策"
    )
    assert problem.status == Status.CLOSED


def test_reopen_after_close_counts_as_redo(make_problem, cast):
    problem = make_problem("resolved")
    actions.rate(problem, actor=cast.acme_contact, solved=True, satisfaction=Satisfaction.BASIC)
    actions.close(problem, actor=cast.secretariat, close_type=CloseType.SOLVED)
    actions.reopen(problem, actor=cast.acme_contact, reason="问题再次出现")
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS and problem.redo_count == 1
    assert problem.closed_at is None and problem.close_type == ""
    assert last_event(problem).action == "reopen"


def test_assign_deadlines_skip_the_national_day_holiday(make_problem, cast, category):
    category.completion_days = 3
    category.save()
    with time_machine.travel(datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING)):
        problem = make_problem("assigned")
    assert problem.sign_deadline == date(2026, 9, 30)
    assert problem.deadline == date(2026, 10, 9)


def test_assign_refuses_a_responsible_person_of_another_unit(make_problem, cast):
    problem = make_problem("accepted")
    with pytest.raises(errors.InvalidInput):
        actions.assign(
            problem, actor=cast.secretariat, lead_unit=cast.power, responsible=cast.water_officer
        )
    assert problem.events.count() == 2 and not TaskUnit.objects.exists()


def test_events_are_append_only(make_problem):
    event = last_event(make_problem())
    event.note = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ProblemEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        ProblemEvent.objects.all().delete()
    assert ProblemEvent.objects.get(pk=event.pk).note == ""


def test_raise_many_numbers_consecutively_and_writes_each_raise_event(cast, category):
    first = actions.raise_problem(
        actor=cast.acme_contact,
        enterprise=cast.acme,
        title="一",
        description="x",
        category=category,
        channel="online",
    )
    rows = [
        {
            "enterprise": cast.globex,
            "title": f"批量{i}",
            "description": "d",
            "category": category,
            "channel": "exchange_day",
            "urgency": "normal",
        }
        for i in range(3)
    ]
    made = actions.raise_many(actor=cast.secretariat, rows=rows)
    numbers = [int(p.number.rsplit("-", 1)[1]) for p in made]
    assert numbers == [int(first.number.rsplit("-", 1)[1]) + i for i in (1, 2, 3)]
    assert ProblemEvent.objects.filter(action="raise", actor=cast.secretariat).count() == 3
    with pytest.raises(errors.NotAllowed):
        actions.raise_many(actor=cast.power_officer, rows=rows)
    assert Problem.objects.count() == 4
