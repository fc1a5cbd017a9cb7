"""The secretariat's journey with search, in Debian's Chromium: a similar problem offered while
typing, a highlighted hit in the all-problems list, three suggested units on the assign form."""

import os

import pytest
from playwright.sync_api import expect

from conftest import login
from qingdan.accounts.models import Unit, UnitKind
from qingdan.problems import actions
from qingdan.problems.models import Channel
from qingdan.search import learned, routing, tokens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def raised(cast, category, title, description, lead_unit=None):
    problem = actions.raise_problem(
        actor=cast.acme_contact,
        enterprise=cast.acme,
        title=title,
        description=description,
        category=category,
        channel=Channel.ONLINE,
    )
    if lead_unit is not None:
        actions.accept(problem, actor=cast.secretariat)
        actions.assign(problem, actor=cast.secretariat, lead_unit=lead_unit)
    return problem


def test_similar_while_typing_highlighted_search_and_three_suggested_units(
    new_page, cast, category
):
    tokens.forget()
    gas = Unit.objects.create(name="燃气公司", short_name="燃气", kind=UnitKind.UTILITY)
    trip = raised(
        cast, category, "厂区线路频繁跳闸", "配电线路本月跳闸三次，停电影响生产", cast.power
    )
    raised(cast, category, "车间配电柜跳闸", "配电柜跳闸后停电两小时", cast.power)
    raised(cast, category, "宿舍楼水压不足", "高峰时段三楼没有水", cast.water)
    raised(cast, category, "天然气压力不稳", "燃气压力波动，窑炉熄火", gas)
    routing.train()
    learned.forget()

    page = new_page()
    login(page, "t-secretariat")

    # Typing a new problem: the similar one is offered before it is submitted.
    page.goto("/problems/new/")
    page.fill("input[name=enterprise]", cast.acme.name)
    page.fill("input[name=title]", "车间线路老是跳闸")
    page.fill("textarea[name=description]", "配电线路跳闸，经常停电")
    offered = page.locator("#similar-live")
    expect(offered).to_contain_text(trip.number)
    expect(offered).to_contain_text("已有相似问题")

    # Searching 跳闸 in the all-problems list: the hit, with the word marked.
    page.goto("/problems/")
    page.fill("input[name=q]", "跳闸")
    page.get_by_role("button", name="筛选").click()
    row = page.locator(f"tr[data-number='{trip.number}']")
    expect(row.locator("mark").first).to_have_text("跳闸")
    expect(page.locator("tr[data-number]")).to_have_count(2)

    # Assigning a new 跳闸 problem: three suggested units, the power company first.
    fresh = raised(cast, category, "配电线路跳闸停电", "厂区线路跳闸，全厂停电")
    actions.accept(fresh, actor=cast.secretariat)
    page.goto(fresh.get_absolute_url())
    page.locator("details.action summary", has_text="交办").first.click()
    suggestions = page.locator(".suggestions li")
    expect(suggestions).to_have_count(3)
    expect(suggestions.first).to_contain_text("供电公司")
    expect(suggestions.first).to_contain_text("相似问题")
    suggestions.first.get_by_role("button", name="选用").click()
    expect(page.locator("select[name=assign-lead_unit]")).to_have_value(str(cast.power.pk))
    if os.environ.get("SEARCH_SCREENSHOT"):
        page.screenshot(path=os.environ["SEARCH_SCREENSHOT"], full_page=True)
