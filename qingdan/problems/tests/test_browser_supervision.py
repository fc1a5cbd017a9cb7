"""Supervision in Debian's Chromium: 催办 and 督办 of an overdue task and the unit's reply, a
leader's 批示 acknowledged by the unit, an exchange day's ten problems accepted and assigned in
one step, and the 交办单 PDF with its number and QR code."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from conftest import login
from qingdan.exchange.models import ExchangeDay
from qingdan.lib import clock
from qingdan.problems import actions
from qingdan.problems.models import Channel, Problem, Status, Supervision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_action(page, label):
    page.locator("details.action summary").filter(has_text=re.compile(f"^{label}$")).click()
    return page.locator("details.action[open]").last


def submit(form, label):
    form.get_by_role("button", name=label, exact=True).click()


def test_secretariat_urges_and_supervises_an_overdue_task_and_the_unit_replies(
    new_page, cast, make_problem
):
    problem = make_problem("in_progress")
    Problem.objects.filter(pk=problem.pk).update(deadline=clock.today() - timedelta(days=20))

    secretariat = new_page()
    login(secretariat, "t-secretariat")
    secretariat.goto("/problems/overdue/")
    secretariat.get_by_role("link", name=problem.number).click()
    form = open_action(secretariat, "催办")
    form.locator("textarea[name=urge-note]").fill("已超期，请三日内办结")
    submit(form, "催办")
    assert "1" in secretariat.locator(".urges").inner_text()
    form = open_action(secretariat, "督办")
    assert form.locator("input[name=supervise-reply_due]").input_value() != ""
    form.locator("textarea[name=supervise-demand]").fill("书面说明超期原因和办结计划")
    submit(form, "督办")
    assert "待单位回复" in secretariat.locator(".supervisions").inner_text()

    unit = new_page()
    login(unit, "t-power")
    tile = unit.locator("[data-todo=supervision_replies]")
    assert tile.locator(".stat").inner_text() == "1"
    tile.click()
    unit.get_by_role("link", name=re.compile(problem.number)).click()
    form = open_action(unit, "督办回复")
    form.locator("textarea[name=supervision_reply-reply]").fill("已到货，周五前完成更换")
    submit(form, "督办回复")
    assert Supervision.objects.get().state == Supervision.State.REPLIED

    secretariat.goto("/problems/supervisions/")
    row = secretariat.locator(f"tr[data-number='{problem.number}']")
    assert row.get_attribute("data-colour") == "green"
    actions_seen = [e.action for e in Problem.objects.get().events.order_by("id")]
    assert actions_seen[-3:] == ["urge", "supervise", "supervision_reply"]


def test_leader_instructs_and_the_unit_acknowledges(new_page, cast, make_problem):
    problem = make_problem("in_progress")
    leader = new_page()
    login(leader, "t-leader")
    leader.goto(problem.get_absolute_url())
    form = open_action(leader, "领导批示")
    form.locator("textarea[name=instruct-text]").fill("请供电公司本周内彻底解决")
    submit(form, "领导批示")

    unit = new_page()
    login(unit, "t-power")
    assert unit.locator("[data-todo=instructions] .stat").inner_text() == "1"
    unit.goto(problem.get_absolute_url())
    assert "请供电公司本周内彻底解决" in unit.locator("#instructions").inner_text()
    form = open_action(unit, "批示签收")
    form.locator("textarea[name=acknowledge_instruction-note]").fill("已成立专班，周四完成")
    submit(form, "批示签收")
    assert "已成立专班" in unit.locator("#instructions").inner_text()

    leader.goto("/problems/instructions/")
    assert "已成立专班，周四完成" in leader.locator("table.instructions").first.inner_text()


def test_ten_problems_of_an_exchange_day_are_accepted_and_assigned_in_one_step(
    new_page, cast, category
):
    day = ExchangeDay.objects.create(date=clock.today(), chair="李主任")
    for index in range(10):
        actions.raise_problem(
            actor=cast.secretariat,
            enterprise=cast.acme,
            title=f"交流日问题{index}",
            description="会上反映",
            category=category,
            channel=Channel.EXCHANGE_DAY,
            exchange_day=day,
        )
    secretariat = new_page()
    login(secretariat, "t-secretariat")
    secretariat.goto(f"/exchange/{day.date.isoformat()}/")
    secretariat.locator("a.batch-assign").click()
    assert secretariat.locator("input[name=numbers]").count() == 10
    secretariat.locator("[data-select-all]").check()
    batch = secretariat.locator("form#batch")
    batch.locator("select[name=action]").select_option(label="受理并交办")
    batch.locator("select[name=lead_unit]").select_option(label="供电公司")
    batch.get_by_role("button", name="执行").click()
    assert "已完成 10 件" in secretariat.locator(".batch-done").inner_text()
    assert set(Problem.objects.values_list("status", flat=True)) == {Status.ASSIGNED}
    assert set(Problem.objects.values_list("lead_unit", flat=True)) == {cast.power.pk}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_assignment_slip_pdf_has_its_number_and_qr_code(
    new_page, cast, make_problem, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    problem = make_problem("assigned")
    secretariat = new_page()
    login(secretariat, "t-secretariat")
    secretariat.goto(problem.get_absolute_url())
    secretariat.get_by_role("button", name="签发交办单").click()
    number = secretariat.locator(".document-number").first.inner_text()
    assert re.fullmatch(r"经开营商交〔\d{4}〕1号", number)
    href = secretariat.get_by_role("link", name="PDF").first.get_attribute("href")
    response = secretariat.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/")
    data = response.body()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout
    assert number in "".join(text.decode().split())
    assert b"/Subtype /Image" in data  # the QR code
    from qingdan.problems.tests.test_documents import qr_in_pdf_links_to

    assert qr_in_pdf_links_to(data, problem, tmp_path)
