"""Each role's home is its to-do list with counts; the menus show the same counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from qingdan.accounts.models import Role
from qingdan.notifications.models import Notification
from qingdan.problems import actions
from qingdan.web import todo

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)


def counts(user) -> dict:
    return {item.key: item.count for item in todo.items_for(user)}


def badge(page, url_name) -> int:
    url = reverse(url_name)
    return next(item["count"] for item in page.context["nav_items"] if item["url"] == url)


def test_secretariat_todo_counts_new_returns_extensions_overdue_and_replies(
    make_problem, cast, client
):
    with time_machine.travel(MONDAY):
        make_problem()
        returned = make_problem("assigned", title="退回的")
        actions.return_task(returned, actor=cast.power_officer, reason="不归我们")
        running = make_problem("in_progress", title="延期的")
        actions.request_extension(
            running, actor=cast.power_officer, reason="等设备", new_deadline=date(2026, 12, 18)
        )
        actions.supervise(running, actor=cast.leader, reply_due=date(2026, 11, 24), demand="x")
        actions.reply_to_supervision(running, actor=cast.power_officer, reply="已处理")
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=BEIJING)):
        found = counts(cast.secretariat)
        client.force_login(cast.secretariat)
        page = client.get(reverse("home"))
    assert found["to_accept"] == 1 and found["returns"] == 1 and found["extensions"] == 1
    assert found["overdue"] == 1 and found["supervision_replies"] == 1
    assert page.status_code == 200
    assert badge(page, "problems:intake") == 2  # to accept + returns
    html = page.content.decode()
    assert 'data-todo="to_accept"' in html and 'class="badge"' in html


def test_unit_todo_counts_only_its_own_tasks(make_problem, cast, client):
    with time_machine.travel(MONDAY):
        make_problem("assigned")  # power company, to sign
        make_problem("assigned", title="供水的", lead_unit=cast.water)
        running = make_problem("in_progress", title="督办的")
        actions.supervise(running, actor=cast.secretariat, reply_due=date(2026, 11, 27), demand="x")
        actions.instruct(running, actor=cast.leader, text="抓紧")
        power, water = counts(cast.power_officer), counts(cast.water_officer)
    assert power["to_sign"] == 1 and water["to_sign"] == 1
    assert power["supervision_replies"] == 1 and water["supervision_replies"] == 0
    assert power["instructions"] == 1 and water["instructions"] == 0
    # 5 working days to complete from Monday: due on 30 November, not within 3 working days.
    assert power["due_soon"] == 0
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=BEIJING)):
        assert counts(cast.power_officer)["due_soon"] == 2


def test_leader_todo_counts_red_supervisions_and_own_instructions(make_problem, cast):
    with time_machine.travel(MONDAY):
        running = make_problem("in_progress")
        actions.supervise(running, actor=cast.leader, reply_due=date(2026, 11, 27), demand="x")
        actions.instruct(running, actor=cast.leader, text="抓紧")
    with time_machine.travel(datetime(2026, 12, 14, 9, 0, tzinfo=BEIJING)):
        found = counts(cast.leader)
    assert found == {"red": 1, "supervisions": 1, "instructions": 1, "overdue": 1}


def test_enterprise_todo_counts_rating_and_information_asked_for(make_problem, cast):
    make_problem("resolved")
    asked = make_problem(title="缺材料")
    actions.add_info(asked, actor=cast.secretariat, text="请补充用电户号")
    make_problem(enterprise=cast.globex, title="别家的")
    found = counts(cast.acme_contact)
    assert found["to_rate"] == 1 and found["needing_info"] == 1
    actions.add_info(asked, actor=cast.acme_contact, text="户号 123")
    assert counts(cast.acme_contact)["needing_info"] == 0
    assert counts(cast.globex_contact)["to_rate"] == 0


def test_menu_shows_unread_notifications_and_mark_all_read_clears_it(make_problem, cast, client):
    make_problem()  # the secretariat is told of a new problem
    client.force_login(cast.secretariat)
    page = client.get(reverse("home"))
    assert badge(page, "notifications") == 1
    client.post(reverse("notifications"))
    assert not Notification.objects.filter(recipient=cast.secretariat, read_at=None).exists()
    assert badge(client.get(reverse("home")), "notifications") == 0


def test_home_renders_the_panel_places_and_for_each_role(cast, client):
    from qingdan.core import panels

    seen = []

    @panels.register("home_enterprise")
    def enterprise_panel(request, obj):
        seen.append(("enterprise", obj))
        return ""

    @panels.register("home_staff")
    def staff_panel(request, obj):
        seen.append(("staff", obj))
        return ""

    try:
        for person in (cast.acme_contact, cast.power_officer, cast.leader, cast.secretariat):
            client.force_login(person)
            assert client.get(reverse("home")).status_code == 200
    finally:
        panels._places["home_enterprise"].remove(enterprise_panel)
        panels._places["home_staff"].remove(staff_panel)
    assert [kind for kind, _user in seen] == ["enterprise", "staff", "staff", "staff"]


def test_team_home_lists_its_milestones_with_colours(cast, client):
    from conftest import make_user

    team = make_user("t-team", Role.TEAM)
    client.force_login(team)
    page = client.get(reverse("home"))
    assert page.status_code == 200 and page.context["milestones"] == []


def test_secretariat_turns_an_alert_off_on_the_page_and_through_the_api(make_problem, cast, client):
    client.force_login(cast.secretariat)
    client.post(reverse("alerts"), {"return": "1", "extension": "1"})  # new problems: off
    make_problem()
    assert not Notification.objects.filter(recipient=cast.secretariat).exists()
    answer = client.post(
        "/api/v1/notifications/alerts", {"new_problem": True}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["new_problem"] is True
    make_problem(title="又一个")
    assert Notification.objects.filter(recipient=cast.secretariat).count() == 1
    client.force_login(cast.power_officer)
    assert client.post(reverse("alerts"), {"return": "1"}).status_code == 403


def test_work_queue_and_inbox_tabs_show_counts(make_problem, cast, client):
    make_problem()
    make_problem(title="第二个")
    make_problem("assigned", title="待签收")
    client.force_login(cast.secretariat)
    tabs = client.get(reverse("problems:intake")).context["tabs"]
    assert [(key, count) for key, _label, count in tabs][:2] == [
        ("submitted", 2),
        ("accepted", None),
    ]
    client.force_login(cast.power_officer)
    tabs = dict(
        (key, count) for key, _label, count in client.get(reverse("problems:inbox")).context["tabs"]
    )
    assert tabs["to_sign"] == 1 and tabs["in_progress"] == 0
