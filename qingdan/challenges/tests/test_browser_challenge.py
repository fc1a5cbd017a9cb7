"""揭榜挂帅 end to end in Debian's Chromium: publish → two teams apply → select → milestone →
enterprise rating → acceptance; the public board shows it without signing in."""

from datetime import timedelta

import pytest

from conftest import login, make_user
from qingdan.challenges.models import Application, Challenge, State
from qingdan.lib import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_and_submit(page, summary, fill=None):
    page.locator("details.action summary", has_text=summary).first.click()
    form = page.locator("details.action[open] form").last
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button").last.click()  # the submit button (a file input is a "button" too)


def test_publish_apply_select_deliver_accept(new_page, cast):
    team = make_user("t-team", "team", name="智能电网团队")
    day = clock.today()
    sec = new_page()
    login(sec, "t-secretariat")
    sec.goto("/challenges/new/")
    sec.fill("input[name=title]", "园区智能配电网改造")
    sec.fill("textarea[name=goal]", "年停电时间降到1小时以内")
    sec.fill("input[name=application_deadline]", (day + timedelta(days=10)).isoformat())
    sec.fill("input[name=delivery_deadline]", (day + timedelta(days=120)).isoformat())
    sec.select_option("select[name=owner_unit]", label="供电公司")
    sec.select_option("select[name=enterprises]", label=cast.acme.name)
    sec.get_by_role("button", name="保存草稿").click()
    challenge = Challenge.objects.get()
    sec.wait_for_url(f"**/challenges/{challenge.code}/")
    open_and_submit(sec, "发榜")
    assert "揭榜中" in sec.locator(".state").inner_text()

    milestone_day = (day + timedelta(days=30)).isoformat()
    for username in ("t-team", "t-water"):
        page = new_page()
        login(page, username)
        page.goto(f"/challenges/{challenge.code}/")
        open_and_submit(
            page,
            "揭榜",
            {
                "team_name": f"{username}团队",
                "leader_name": "负责人",
                "plan": "分两期实施",
                "milestone_date_1": milestone_day,
                "milestone_what_1": "完成设计",
                "commitment": "按期交付",
            },
        )
        assert f"{username}团队" in page.locator("table.applications").inner_text()
    assert Application.objects.filter(challenge=challenge).count() == 2

    sec.reload()
    open_and_submit(sec, "截止揭榜并评审")
    chosen = Application.objects.get(applicant=team)
    sec.locator(f"tr[data-application='{chosen.pk}'] form.select-team button").click()
    assert "已挂帅" in sec.locator(".state").inner_text()

    leader = new_page()
    login(leader, "t-team")
    leader.goto(f"/challenges/{challenge.code}/")
    open_and_submit(leader, "签署任务书")
    assert "实施中" in leader.locator(".state").inner_text()
    row = leader.locator("table.milestones form.milestone-report").first
    row.locator("textarea[name=report]").fill("设计已通过评审")
    row.locator("button").click()
    open_and_submit(leader, "提交验收")

    enterprise = new_page()
    login(enterprise, "t-acme")
    enterprise.goto(f"/challenges/{challenge.code}/")
    enterprise.locator("details.action summary", has_text="评价成果").click()
    enterprise.get_by_label("满意", exact=True).check()
    enterprise.locator("details.action[open] form button").click()

    sec.reload()
    open_and_submit(sec, "验收结论", {"reasons": "达到目标"})
    challenge.refresh_from_db()
    assert challenge.state == State.PASSED
    actions_seen = [li.get_attribute("data-action") for li in sec.locator(".timeline li").all()]
    assert actions_seen == [
        "create",
        "publish",
        "apply",
        "apply",
        "start_review",
        "select",
        "sign_letter",
        "report_milestone",
        "deliver",
        "rate",
        "accept",
    ]

    public = new_page()
    public.goto("/public/challenges/")
    public.get_by_role("link", name=challenge.code).click()
    text = public.content()
    assert "园区智能配电网改造" in text and "t-team团队" in text and cast.acme.name not in text
