"""The main journey of every role, in Debian's Chromium."""

import pytest

from conftest import login
from qingdan.problems.models import Problem, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_action(page, label):
    page.locator("details.action summary", has_text=label).first.click()
    return page.locator("details.action[open]").last


def submit(form, label):
    form.get_by_role("button", name=label).click()


def test_raise_assign_extend_complete_redo_rate_close(new_page, cast, category):
    # The enterprise raises a problem from a phone-sized screen.
    enterprise = new_page()
    enterprise.set_viewport_size({"width": 390, "height": 844})
    login(enterprise, "t-acme")
    enterprise.get_by_role("link", name="反映问题").first.click()
    enterprise.fill("input[name=title]", "厂区线路频繁跳闸")
    enterprise.fill("textarea[name=description]", "本月跳闸三次，影响生产")
    enterprise.select_option("select[name=category]", label="水电气")
    enterprise.get_by_role("button", name="提交").click()
    enterprise.wait_for_url("**/problems/QD-*/")
    problem = Problem.objects.get()
    assert problem.status == Status.SUBMITTED
    assert "待受理" in enterprise.locator(".status").inner_text()

    # The secretariat accepts and assigns with the computed default deadline.
    secretariat = new_page()
    login(secretariat, "t-secretariat")
    secretariat.goto("/problems/intake/")
    secretariat.get_by_role("link", name=problem.number).click()
    submit(open_action(secretariat, "受理"), "受理")
    assert "已受理" in secretariat.locator(".status").inner_text()
    form = open_action(secretariat, "交办")
    assert form.locator("input[name=assign-deadline]").input_value() != ""
    form.locator("select[name=assign-lead_unit]").select_option(label="供电公司")
    form.locator("textarea[name=assign-division]").fill("负责线路排查")
    submit(form, "交办")
    assert "待签收" in secretariat.locator(".status").inner_text()
    deadline = Problem.objects.get().deadline

    # The unit signs for it from its inbox, asks for an extension.
    unit = new_page()
    login(unit, "t-power")
    unit.goto("/problems/inbox/")
    unit.get_by_role("link", name=problem.number).click()
    submit(open_action(unit, "签收"), "签收")
    assert "办理中" in unit.locator(".status").inner_text()
    form = open_action(unit, "申请延期")
    form.locator("input[name=request_extension-new_deadline]").fill("2099-12-31")
    form.locator("textarea[name=request_extension-reason]").fill("需停电检修")
    submit(form, "申请延期")

    # The secretariat approves it from the approvals page.
    secretariat.goto("/problems/approvals/")
    secretariat.get_by_role("link", name=problem.number).click()
    submit(open_action(secretariat, "同意延期"), "同意延期")
    assert "2099年12月31日" in secretariat.locator(".deadline").inner_text()
    assert Problem.objects.get().deadline != deadline

    # The unit completes; the enterprise is unsatisfied; redo; then satisfied; closed.
    unit.reload()
    form = open_action(unit, "办结")
    form.locator("textarea[name=complete-report]").fill("已更换开关")
    submit(form, "办结")
    enterprise.reload()
    form = open_action(enterprise, "确认评价")
    form.get_by_label("否").check()
    form.get_by_label("不满意").check()
    form.locator("textarea[name=rate-comment]").fill("仍有跳闸")
    submit(form, "确认评价")
    assert "办理中" in enterprise.locator(".status").inner_text()
    assert Problem.objects.get().redo_count == 1

    unit.reload()
    form = open_action(unit, "办结")
    form.locator("textarea[name=complete-report]").fill("加装保护装置")
    submit(form, "办结")
    enterprise.reload()
    form = open_action(enterprise, "确认评价")
    form.get_by_label("是").check()
    form.get_by_label("满意", exact=True).check()
    submit(form, "确认评价")
    secretariat.goto("/problems/intake/?tab=resolved")
    secretariat.get_by_role("link", name=problem.number).click()
    form = open_action(secretariat, "销号")
    form.locator("select[name=close-close_type]").select_option(value="solved")
    submit(form, "销号")
    assert "已销号" in secretariat.locator(".status").inner_text()
    timeline = [li.get_attribute("data-action") for li in secretariat.locator(".timeline li").all()]
    assert timeline == [
        "raise",
        "accept",
        "assign",
        "sign",
        "request_extension",
        "approve_extension",
        "complete",
        "redo",
        "complete",
        "rate",
        "close",
    ]


def test_return_and_reassignment(new_page, cast, make_problem):
    problem = make_problem("assigned")
    unit = new_page()
    login(unit, "t-power")
    unit.goto(f"/problems/{problem.number}/")
    form = open_action(unit, "退回")
    form.locator("textarea[name=return-reason]").fill("属供水管网问题")
    submit(form, "退回")
    assert "已退回" in unit.locator(".status").inner_text()

    secretariat = new_page()
    login(secretariat, "t-secretariat")
    secretariat.goto("/problems/approvals/")
    assert "属供水管网问题" in secretariat.content()
    secretariat.get_by_role("link", name=problem.number).click()
    form = open_action(secretariat, "交办")
    form.locator("select[name=assign-lead_unit]").select_option(label="自来水公司")
    submit(form, "交办")
    assert "自来水公司" in secretariat.content()

    # The power company no longer sees it; the water company has it to sign.
    assert unit.goto(f"/problems/{problem.number}/").status == 404
    water = new_page()
    login(water, "t-water")
    water.goto("/problems/inbox/")
    assert problem.number in water.locator("table.problems").inner_text()
