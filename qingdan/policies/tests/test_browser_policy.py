"""惠企政策 end to end in Debian's Chromium: the secretariat writes a policy with a condition
and publishes it; the enterprise sees the match on its own page and applies; the reviewing unit
approves; the secretariat records the payment; the dashboard counts it."""

import pytest

from conftest import login
from qingdan.enterprises import actions as records
from qingdan.lib import clock
from qingdan.policies.models import Application, Policy, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_policy_match_apply_approve_pay_counted(new_page, cast):
    records.save_record(cast.acme, actor=cast.secretariat, values={"grade": "A"})
    sec = new_page()
    login(sec, "t-secretariat")
    sec.goto("/policies/new/")
    sec.fill("input[name=title]", "亩均效益 A 类企业奖励")
    sec.fill("input[name=issuer]", "园区经发局")
    sec.fill("input[name=valid_from]", f"{clock.today().year}-01-01")
    sec.fill("textarea[name=summary]", "亩均评价为 A 的企业可申请奖励")
    sec.fill("textarea[name=benefit]", "奖励 10 万元")
    sec.select_option("select[name=review_unit]", label="供电公司")
    sec.get_by_role("button", name="保存").click()
    policy = Policy.objects.get()
    sec.wait_for_url(f"**/policies/{policy.code}/")
    form = sec.locator("form.add-condition")
    form.locator("select[name=kind]").select_option("grade")
    form.locator("select[name=operator]").select_option("in")
    form.locator("input[name=value]").fill("A")
    form.get_by_role("button").click()
    sec.get_by_role("button", name="发布").click()
    assert "亩均评价等级" in sec.content()
    assert cast.acme.name in sec.locator("section.matches").inner_text()

    ent = new_page()
    login(ent, "t-acme")
    ent.goto("/enterprises/")
    matched = ent.locator("section.policy-matches")
    assert "亩均效益 A 类企业奖励" in matched.inner_text() and "符合条件" in matched.inner_text()
    matched.get_by_role("link", name="亩均效益 A 类企业奖励").click()
    ent.locator("textarea[name=statement]").fill("我司亩均评价为 A，申请奖励")
    ent.locator("section.own-match").get_by_role("button", name="申报").click()
    application = Application.objects.get()
    ent.wait_for_url(f"**/policies/applications/{application.code}/")
    assert "已申报，审核中" in ent.locator(".state").inner_text()

    unit = new_page()
    login(unit, "t-power")
    unit.goto(application.get_absolute_url())
    unit.locator("#action-approve button").click()
    assert "已审核通过，待兑现" in unit.locator(".state").inner_text()

    sec.goto(application.get_absolute_url())
    sec.locator("#action-pay input[name=amount_wan_yuan]").fill("10")
    sec.locator("#action-pay input[name=paid_on]").fill(clock.today().isoformat())
    sec.locator("#action-pay button").click()
    assert "已兑现" in sec.locator(".state").inner_text()
    application.refresh_from_db()
    assert application.state == State.PAID
    assert [e.action for e in application.events.all()] == ["submit", "approve", "pay"]

    sec.goto("/projects/dashboard/")
    assert sec.locator("[data-kpi=paid]").inner_text() == "1"
    assert sec.locator("[data-kpi=amount]").inner_text() == "10.00"
