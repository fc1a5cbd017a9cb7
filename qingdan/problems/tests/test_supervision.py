"""催办, 督办, 改派, 领导批示 and 约谈: one rule each in the table, one event each, the right people
told, and nobody else able to act (the other unit and the other enterprise get 404)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from qingdan.lib import errors
from qingdan.notifications.models import Notification, StaffAlert
from qingdan.problems import actions, workflow
from qingdan.problems.models import Instruction, Interview, ProblemEvent, Status, Supervision
from qingdan.problems.supervision import unit_urge_counts, urge_counts

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)


def last_event(problem) -> ProblemEvent:
    return problem.events.order_by("-id").first()


def told(event) -> set:
    return {n.recipient for n in Notification.objects.filter(event=event)}


@pytest.fixture
def running(make_problem):
    with time_machine.travel(MONDAY):
        return make_problem("in_progress")


def test_urge_writes_one_event_counted_per_task_and_unit_and_tells_the_unit(running, cast):
    with time_machine.travel(MONDAY):
        actions.urge(running, actor=cast.secretariat, note="请本周内完成。")
        actions.urge(running, actor=cast.secretariat, note="再次催办。")
    event = last_event(running)
    assert (event.action, event.actor, event.note) == ("urge", cast.secretariat, "再次催办。")
    assert event.payload["unit_id"] == cast.power.pk and event.payload["count"] == 2
    assert running.status == Status.IN_PROGRESS
    assert urge_counts([running.pk]) == {running.pk: 2}
    assert unit_urge_counts() == {cast.power.pk: 2}
    assert {cast.power_officer, cast.power_head} <= told(event)
    assert cast.acme_contact not in told(event)


def test_urge_needs_a_note_and_only_the_secretariat_urges(running, cast):
    events = ProblemEvent.objects.count()
    with pytest.raises(errors.InvalidInput):
        actions.urge(running, actor=cast.secretariat, note="  ")
    for person in (cast.leader, cast.power_officer, cast.acme_contact):
        with pytest.raises(errors.NotAllowed):
            actions.urge(running, actor=person, note="快")
    assert ProblemEvent.objects.count() == events


def test_urge_is_refused_before_the_task_runs(make_problem, cast):
    problem = make_problem("accepted")
    with pytest.raises(errors.NotAllowed):
        actions.urge(problem, actor=cast.secretariat, note="快")
    assert last_event(problem).action == "accept"


def test_supervision_opens_is_replied_to_and_closes_only_after_the_reply(running, cast):
    with time_machine.travel(MONDAY):
        supervision = actions.supervise(
            running, actor=cast.leader, reply_due=date(2026, 11, 26), demand="说明进展"
        )
        opened = last_event(running)
        assert (opened.action, opened.payload["reply_due"]) == ("supervise", "2026-11-26")
        assert cast.power_head in told(opened)
        with pytest.raises(errors.NotAllowed):  # one open supervision at a time
            actions.supervise(
                running, actor=cast.secretariat, reply_due=date(2026, 11, 27), demand="again"
            )
        with pytest.raises(errors.NotAllowed):  # closing needs the reply
            actions.close_supervision(running, actor=cast.leader)
        with pytest.raises(errors.NotAllowed):  # the co-unit does not reply
            actions.reply_to_supervision(running, actor=cast.water_officer, reply="x")
        actions.reply_to_supervision(running, actor=cast.power_officer, reply="已完成 80%")
        replied = last_event(running)
        assert replied.action == "supervision_reply" and replied.payload["on_time"] is True
        assert cast.leader in told(replied)
        actions.close_supervision(running, actor=cast.secretariat, note="同意")
    supervision.refresh_from_db()
    assert supervision.state == Supervision.State.CLOSED
    assert supervision.reply == "已完成 80%" and supervision.replied_by == cast.power_officer
    assert [e.action for e in running.events.order_by("id")][-3:] == [
        "supervise",
        "supervision_reply",
        "close_supervision",
    ]


def test_supervision_reply_date_cannot_be_past_and_units_cannot_supervise(running, cast):
    with time_machine.travel(MONDAY):
        with pytest.raises(errors.InvalidInput):
            actions.supervise(
                running, actor=cast.secretariat, reply_due=date(2026, 11, 20), demand="x"
            )
        with pytest.raises(errors.NotAllowed):
            actions.supervise(
                running, actor=cast.power_head, reply_due=date(2026, 11, 27), demand="x"
            )
    assert not Supervision.objects.exists()
    assert last_event(running).action == "sign"


def test_reassign_moves_the_task_and_records_who_held_it(running, cast):
    with time_machine.travel(MONDAY):
        old_deadline = running.deadline
        actions.supervise(running, actor=cast.secretariat, reply_due=date(2026, 11, 25), demand="x")
        actions.reassign(
            running,
            actor=cast.secretariat,
            lead_unit=cast.water,
            reason="职责属供水",
            keep_deadline=True,
        )
    event = last_event(running)
    assert event.action == "reassign" and event.to_status == Status.ASSIGNED
    assert event.payload["from_unit_id"] == cast.power.pk
    assert event.payload["lead_unit_id"] == cast.water.pk
    assert event.payload["held_from"] and event.payload["deadline_kept"] is True
    running.refresh_from_db()
    assert (running.lead_unit, running.deadline, running.signed_at) == (
        cast.water,
        old_deadline,
        None,
    )
    assert Supervision.objects.get().unit == cast.water  # the open supervision follows
    assert cast.water_officer in told(event)
    # The power company no longer holds it: the page is gone for them.
    from qingdan.problems.access import may_see

    assert not may_see(cast.power_officer, running)
    assert may_see(cast.water_officer, running)


def test_reassign_can_reset_the_deadline_and_refuses_the_same_unit(running, cast):
    with time_machine.travel(MONDAY):
        with pytest.raises(errors.InvalidInput):
            actions.reassign(running, actor=cast.secretariat, lead_unit=cast.power, reason="x")
        with pytest.raises(errors.NotAllowed):
            actions.reassign(running, actor=cast.leader, lead_unit=cast.water, reason="x")
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=BEIJING)):
        actions.reassign(
            running, actor=cast.secretariat, lead_unit=cast.water, reason="x", keep_deadline=False
        )
    # 5 working days counted from Thursday 26 November.
    assert running.deadline == date(2026, 12, 3)
    assert last_event(running).payload["old_deadline"] == "2026-11-30"


def test_instruction_is_shown_and_acknowledged_by_the_lead_unit(running, cast, client):
    with time_machine.travel(MONDAY):
        instruction = actions.instruct(running, actor=cast.leader, text="务必本周解决")
        event = last_event(running)
        assert event.action == "instruct"
        assert {cast.power_officer, cast.power_head, cast.secretariat} <= told(event)
        for person in (cast.secretariat, cast.power_officer):
            with pytest.raises(errors.NotAllowed):
                actions.instruct(running, actor=person, text="x")
        client.force_login(cast.power_officer)
        page = client.get(running.get_absolute_url()).content.decode()
        assert "务必本周解决" in page and "acknowledge_instruction" in page
        with pytest.raises(errors.NotAllowed):
            actions.acknowledge_instruction(running, actor=cast.water_officer, note="x")
        actions.acknowledge_instruction(running, actor=cast.power_officer, note="已部署抢修")
        with pytest.raises(errors.NotAllowed):  # nothing left to acknowledge
            actions.acknowledge_instruction(running, actor=cast.power_officer, note="again")
    instruction.refresh_from_db()
    assert instruction.acknowledged_by == cast.power_officer
    assert instruction.acknowledgement == "已部署抢修"
    ack = last_event(running)
    assert ack.action == "acknowledge_instruction" and cast.leader in told(ack)


def test_interview_is_recorded_on_each_task_of_the_unit(running, make_problem, cast):
    other = make_problem("assigned", lead_unit=cast.water)
    with time_machine.travel(MONDAY):
        with pytest.raises(errors.InvalidInput):  # not the power company's task
            actions.record_interview(
                actor=cast.secretariat,
                unit=cast.power,
                held_on=date(2026, 11, 23),
                participants="张三",
                outcome="限期整改",
                problems=[running, other],
            )
        assert not Interview.objects.exists()
        with pytest.raises(errors.NotAllowed):
            actions.record_interview(
                actor=cast.leader,
                unit=cast.power,
                held_on=date(2026, 11, 23),
                participants="张三",
                outcome="限期整改",
                problems=[running],
            )
        interview = actions.record_interview(
            actor=cast.secretariat,
            unit=cast.power,
            held_on=date(2026, 11, 23),
            participants="营商办 李四；供电公司 王五",
            outcome="限期整改",
            problems=[running],
        )
    assert list(interview.problems.all()) == [running]
    event = last_event(running)
    assert event.action == "interview" and event.payload["interview_id"] == interview.pk
    assert last_event(other).action == "assign"


def test_each_new_action_is_one_rule_with_the_roles_the_table_names():
    table = workflow.PROBLEMS.table
    assert table[(Status.IN_PROGRESS, "urge")].parties == {"secretariat", "system"}
    assert table[(Status.IN_PROGRESS, "supervise")].parties == {"secretariat", "leader"}
    assert table[(Status.IN_PROGRESS, "supervision_reply")].parties == {"lead"}
    assert table[(Status.IN_PROGRESS, "reassign")].parties == {"secretariat"}
    assert table[(Status.IN_PROGRESS, "instruct")].parties == {"leader"}
    assert table[(Status.IN_PROGRESS, "acknowledge_instruction")].parties == {"lead"}


@pytest.mark.parametrize(
    "action,data",
    [
        ("urge", {"note": "快"}),
        ("supervise", {"reply_due": "2026-11-27", "demand": "x"}),
        ("reassign", {"lead_unit": "", "reason": "x", "keep_deadline": "1"}),
        ("instruct", {"text": "x"}),
        ("supervision_reply", {"reply": "x"}),
        ("acknowledge_instruction", {"note": "x"}),
    ],
)
def test_other_unit_and_other_enterprise_get_404_on_page_and_api(
    running, cast, client, action, data
):
    if "lead_unit" in data:
        data = data | {"lead_unit": cast.water.pk}
    url = reverse("problems:act", args=[running.number, action])
    api = f"/api/v1/problems/{running.number}/actions/{action}"
    for outsider in (cast.water_officer, cast.globex_contact):
        client.force_login(outsider)
        body = {f"{action}-{k}": v for k, v in data.items()} | {f"{action}-version": 9}
        assert client.post(url, body).status_code == 404
        assert client.post(api, data, content_type="application/json").status_code == 404
    assert last_event(running).action == "sign"


def test_the_secretariat_urges_through_the_page_and_the_api(running, cast, client):
    client.force_login(cast.secretariat)
    url = reverse("problems:act", args=[running.number, "urge"])
    response = client.post(url, {"urge-note": "请尽快", "urge-version": running.version})
    assert response.status_code == 302
    api = f"/api/v1/problems/{running.number}/actions/urge"
    answer = client.post(api, {"note": "API 催办"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert [e.note for e in running.events.filter(action="urge")] == ["请尽快", "API 催办"]
    bad = client.post(api, {"note": ""}, content_type="application/json")
    assert bad.status_code == 422
    assert running.events.filter(action="urge").count() == 2


def test_secretariat_is_told_of_new_problems_and_requests_as_it_chose(make_problem, cast):
    first = make_problem()
    assert cast.secretariat in told(first.raised_event)
    StaffAlert.objects.create(user=cast.secretariat, kind="new_problem", enabled=False)
    second = make_problem(title="第二个")
    assert cast.secretariat not in told(second.raised_event)
    with time_machine.travel(MONDAY):
        problem = make_problem("in_progress", title="第三个")
        actions.request_extension(
            problem, actor=cast.power_officer, reason="设备到货晚", new_deadline=date(2026, 12, 18)
        )
    assert cast.secretariat in told(last_event(problem))


def test_instruction_model_lists_on_the_leaders_page(running, cast, client):
    with time_machine.travel(MONDAY):
        actions.instruct(running, actor=cast.leader, text="抓紧")
    client.force_login(cast.leader)
    page = client.get(reverse("problems:instructions"))
    assert page.status_code == 200 and "抓紧" in page.content.decode()
    assert Instruction.objects.count() == 1


def test_supervision_lists_show_each_unit_only_its_own(running, make_problem, cast, client):
    other = make_problem("assigned", title="供水的", lead_unit=cast.water)
    with time_machine.travel(MONDAY):
        for problem in (running, other):
            actions.supervise(
                problem, actor=cast.secretariat, reply_due=date(2026, 11, 27), demand="x"
            )
        actions.instruct(other, actor=cast.leader, text="供水批示")
    client.force_login(cast.power_officer)
    rows = client.get(reverse("problems:supervisions")).context["rows"]
    assert [item.problem for item, _colour in rows] == [running]
    page = client.get(reverse("problems:instructions")).content.decode()
    assert "供水批示" not in page
    answer = client.get("/api/v1/supervisions").json()
    assert [item["problem"] for item in answer] == [running.number]
    client.force_login(cast.secretariat)
    assert len(client.get(reverse("problems:supervisions")).context["rows"]) == 2
    for name in ("problems:supervisions", "problems:instructions", "problems:interviews"):
        client.force_login(cast.acme_contact)
        assert client.get(reverse(name)).status_code == 403
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/supervisions").status_code == 403


def test_supervision_colours(running, cast):
    from qingdan.problems.supervision import supervision_colour

    with time_machine.travel(MONDAY):
        item = actions.supervise(
            running, actor=cast.secretariat, reply_due=date(2026, 11, 26), demand="x"
        )
    assert supervision_colour(item, date(2026, 11, 23)) == "blue"
    assert supervision_colour(item, date(2026, 11, 25)) == "yellow"
    assert supervision_colour(item, date(2026, 11, 27)) == "red"
    item.state = Supervision.State.REPLIED
    assert supervision_colour(item, date(2026, 11, 27)) == "green"


def test_interviews_are_recorded_on_the_page_and_api_and_listed_per_unit(running, cast, client):
    client.force_login(cast.secretariat)
    with time_machine.travel(MONDAY):
        response = client.post(
            reverse("problems:interviews"),
            {
                "unit": cast.power.pk,
                "held_on": "2026-11-23",
                "participants": "李四、王五",
                "outcome": "限期整改",
                "problems": running.number,
            },
        )
        assert response.status_code == 302
        answer = client.post(
            "/api/v1/interviews",
            {
                "unit": cast.water.pk,
                "held_on": "2026-11-20",
                "participants": "赵六",
                "outcome": "通报批评",
                "problems": "",
            },
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.content
    assert Interview.objects.count() == 2
    assert last_event(running).action == "interview"
    client.force_login(cast.power_officer)
    listed = client.get("/api/v1/interviews").json()
    assert [item["unit"] for item in listed] == [cast.power.name]
    assert client.post(reverse("problems:interviews"), {"unit": cast.power.pk}).status_code == 403
    with time_machine.travel(MONDAY):
        refused = client.post(
            "/api/v1/interviews",
            {
                "unit": cast.power.pk,
                "held_on": "2026-11-23",
                "participants": "x",
                "outcome": "y",
            },
            content_type="application/json",
        )
    assert refused.status_code == 403 and Interview.objects.count() == 2
    client.force_login(cast.secretariat)
    page = client.get(reverse("problems:interviews") + f"?unit={cast.water.pk}")
    assert [item.unit for item in page.context["items"]] == [cast.water]


def test_overview_counts_urges_per_unit(running, cast, client):
    with time_machine.travel(MONDAY):
        actions.urge(running, actor=cast.secretariat, note="快")
    client.force_login(cast.leader)
    rows = client.get(reverse("problems:overview")).context["rows"]
    assert next(r for r in rows if r["lead_unit"] == cast.power.pk)["urges"] == 1
