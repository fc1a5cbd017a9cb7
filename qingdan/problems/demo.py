"""The demo park's supervision: urges on late tasks, supervisions (one replied), leaders'
instructions (one acknowledged) and an interview of the latest unit — written through the same
actions as the pages, after the history is replayed."""

import random
from datetime import datetime, time, timedelta

from qingdan.accounts.models import Role, User
from qingdan.lib import clock
from qingdan.lib.errors import ActionError
from qingdan.problems import actions, calendar
from qingdan.problems.models import Interview, Problem, Supervision
from qingdan.problems.warnings import colour_q, cutoffs


def build_supervision(rng: random.Random) -> None:
    if Supervision.objects.exists() or Interview.objects.exists():
        return
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).first()
    leader = User.objects.filter(role=Role.LEADER, is_active=True).first()
    if secretariat is None or leader is None:
        return
    late = list(
        Problem.objects.filter(colour_q("any", cutoffs()))
        .select_related("lead_unit")
        .order_by("deadline", "id")[:8]
    )
    today = clock.today()
    # A fixed moment of today (the demo is deterministic: built twice, the same rows).
    with clock.travel(datetime.combine(today, time(8, 30), tzinfo=clock.BEIJING)):
        _supervise(rng, late, secretariat, leader, today)


def _supervise(rng, late, secretariat, leader, today) -> None:
    reply_due = calendar.add_workdays(today, 3, guess=True)
    try:
        for index, problem in enumerate(late):
            actions.urge(problem, actor=secretariat, note="任务已超期，请尽快办结并报送进展。")
            if index < 4:
                by = leader if index % 2 else secretariat
                actions.supervise(
                    problem,
                    actor=by,
                    reply_due=reply_due,
                    demand="请书面说明超期原因、当前进展和办结计划。",
                )
            if index == 0:
                replier = _unit_person(problem)
                if replier is not None:
                    actions.reply_to_supervision(
                        problem, actor=replier, reply="已协调设备厂家，预计本周五前完成。"
                    )
            if index in (1, 2):
                actions.instruct(
                    problem, actor=leader, text="请牵头单位高度重视，本周内拿出解决方案。"
                )
            if index == 2 and (person := _unit_person(problem)) is not None:
                note = "已成立工作专班，周四前报送方案。"
                actions.acknowledge_instruction(problem, actor=person, note=note)
        if late and late[0].lead_unit_id:
            unit = late[0].lead_unit
            tasks = [p for p in late if p.lead_unit_id == unit.pk]
            actions.record_interview(
                actor=secretariat,
                unit=unit,
                held_on=today - timedelta(days=rng.randint(1, 3)),
                participants=f"营商办 {secretariat.get_full_name()}；{unit.name} 主要负责人",
                outcome="多项任务超期：限期一周整改，下周政企交流日报告进展。",
                problems=tasks,
            )
    except ActionError:
        return  # a demo that cannot act (e.g. a year without a schedule) keeps its history


def _unit_person(problem: Problem) -> User | None:
    return (
        User.objects.filter(
            unit_id=problem.lead_unit_id,
            is_active=True,
            role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD],
        )
        .order_by("role", "id")
        .first()
    )
