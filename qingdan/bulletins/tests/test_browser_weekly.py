"""The secretariat's Monday, in Debian's Chromium: record the exchange day, type in the
problems raised, then publish last week's bulletin; the public reads it without signing in."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from conftest import login
from qingdan.bulletins.content import monday_of
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock
from qingdan.problems.models import Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exchange_day_entry_and_bulletin_publication(new_page, cast, category):
    this_monday = monday_of(clock.today())
    page = new_page()
    login(page, "t-secretariat")
    page.goto("/exchange/")
    page.locator("summary", has_text="登记主题日").click()
    page.fill("input[name=date]", this_monday.isoformat())
    page.fill("input[name=chair]", "党工委书记")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/exchange/{this_monday.isoformat()}/")

    page.fill("input[name=enterprise-0]", cast.acme.name)
    page.fill("input[name=title-0]", "厂区线路跳闸")
    page.fill("input[name=description-0]", "本月三次")
    page.fill("input[name=category-0]", "水电气")
    page.fill("input[name=lead_unit-0]", "供电公司")
    page.fill("input[name=enterprise-1]", cast.globex.credit_code)
    page.fill("input[name=title-1]", "招工难")
    page.fill("input[name=description-1]", "缺普工")
    page.fill("input[name=category-1]", "水电气")
    page.get_by_role("button", name="全部保存").click()
    assert "已保存2个问题" in page.content()
    assert Problem.objects.filter(exchange_day__date=this_monday).count() == 2

    # The bulletin of this week: its draft can be previewed now, not published.
    page.goto("/bulletins/")
    page.fill("input[name=week]", this_monday.isoformat())
    page.get_by_role("button", name="生成或刷新草稿").click()
    assert "草稿——未发布" in page.content()
    page.fill("textarea[name=next_steps]", "各单位按期办结。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("link", name="发布…").click()
    assert "本周尚未结束" in page.content()
    assert page.get_by_role("button", name="发布", exact=True).count() == 0

    # Next Monday: recompute the figures, read the summary, confirm, publish.
    next_monday = datetime.combine(
        this_monday + timedelta(days=7), time(9, 0), tzinfo=clock.BEIJING
    )
    with time_machine.travel(next_monday, tick=True):
        login(page, "t-secretariat")  # the session's idle limit passed meanwhile
        page.goto(Bulletin.objects.get(week_start=this_monday).get_absolute_url())
        page.get_by_role("button", name="重新计算数据").click()
        page.get_by_role("link", name="发布…").click()
        assert "经开营商通〔" in page.content() and "1号" in page.content()
        page.check("input[name=confirm]")
        page.get_by_role("button", name="发布", exact=True).click()
        assert "已发布，今后不再变动" in page.content()
        bulletin = Bulletin.objects.get(week_start=this_monday)
        assert bulletin.state == "published" and bulletin.next_steps == "各单位按期办结。"
        with page.expect_download() as download:
            page.get_by_role("link", name="Word").first.click()
        assert download.value.suggested_filename.endswith("-internal.docx")

        public = new_page()
        public.goto("/public/bulletins/")
        public.get_by_role("link", name="第1期").click()
        text = public.locator("article.bulletin").inner_text()
        assert "厂区线路跳闸" in text and "各单位按期办结。" in text and "公开版" in text
