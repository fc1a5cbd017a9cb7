"""In Debian's Chromium: the secretariat asks for space for a project, the match proposes the
building that fits, the lease is recorded and shown on the project page; the park map on a
phone opens a carrier when it is tapped."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import login
from qingdan.carriers.models import Lease, SpaceRequest
from qingdan.carriers.tests.factories import building, project
from qingdan.lib import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_space_request_to_a_lease_shown_on_the_project(new_page, cast):
    today = clock.today()
    building("A-01", completed_on=today - timedelta(days=30))
    building("A-02", completed_on=today - timedelta(days=30), clear_height_m=Decimal("5"))
    p = project(cast, signed_on=today - timedelta(days=3))
    page = new_page()
    login(page, "t-secretariat")
    page.goto(f"/projects/{p.pk}/")
    expect(page.locator(".project-carrier")).to_contain_text("暂无载体")
    page.click(".project-carrier a")
    page.fill("input[name=area_m2]", "3000")
    page.fill("input[name=clear_height_m]", "8")
    page.fill("input[name=needed_by]", (today + timedelta(days=60)).isoformat())
    page.click("form.space-request button.primary")
    page.wait_for_url("**/carriers/requests/*/")
    fits = page.locator('tr[data-building="A-01"]')
    expect(fits).to_contain_text("现在即可满足")
    expect(page.locator('tr[data-building="A-02"]')).to_contain_text("净高")
    fits.locator("summary").click()
    fits.locator("button.primary").click()
    page.wait_for_url(f"**/projects/{p.pk}/")
    expect(page.locator(".project-carrier")).to_contain_text("A-01")
    expect(page.locator(".project-carrier")).to_contain_text("3000")
    lease = Lease.objects.get()
    assert lease.project == p and lease.enterprise == cast.acme
    assert SpaceRequest.objects.get().lease == lease


def test_the_park_map_on_a_phone_opens_a_carrier(new_page, cast):
    building(
        "A-01",
        completed_on=clock.today() - timedelta(days=30),
        shape=[[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]],
    )
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 780})
    login(page, "t-leader")
    page.goto("/carriers/map/")
    chart = page.locator("#park-map")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box["width"] <= 390
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/carriers/buildings/A-01/")
