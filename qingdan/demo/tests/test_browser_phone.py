"""Each role's main pages on a 390 px phone and a 1366 px screen (issue 16): the page never
scrolls sideways (tables become cards or scroll inside their box, charts fit), the menu sits
behind a button on the phone, and the enterprise's rating form comes before the history."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.test import RequestFactory
from django.urls import reverse

from conftest import login
from qingdan.accounts.demo_accounts import DEMO_PASSWORD
from qingdan.accounts.models import User
from qingdan.bulletins.models import Bulletin
from qingdan.demo.park import build_demo_park
from qingdan.lib import fonts
from qingdan.problems import actions
from qingdan.problems.access import visible_problems
from qingdan.web.context_processors import navigation

default_categories = importlib.import_module("qingdan.problems.migrations.0002_default_categories")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ROLES = ["enterprise", "unit", "secretariat", "leader", "team", "admin"]


def main_pages(username: str) -> list[str]:
    """The role's home, every page of its menu and one problem it can see."""
    user = User.objects.get(username=username)
    request = RequestFactory().get("/")
    request.user = user
    urls = [item["url"] for item in navigation(request)["nav_items"]]
    problem = visible_problems(user).order_by("-created").first()
    if problem is not None:
        urls.append(problem.get_absolute_url())
    return [url for url in dict.fromkeys(urls) if not url.startswith("/admin/")]


def sideways(page) -> int:
    """How many pixels the page is wider than the screen (0: no horizontal scroll)."""
    page.wait_for_load_state("networkidle")
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def park():
    default_categories.create(django_apps, None)  # transactional tests start flushed
    if not fonts.cjk_fonts():  # a test machine without Chinese fonts: documents still render
        fonts._found.append(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    build_demo_park()
    yield
    fonts._found.clear()


def test_every_roles_main_pages_fit_a_phone_and_a_desktop(park, new_page):
    too_wide = []
    for size in (PHONE, DESKTOP):
        public = new_page()
        public.set_viewport_size(size)
        bulletin = Bulletin.objects.filter(state="published").order_by("-week_start").first()
        for url in [
            reverse("login"),
            "/public/bulletins/",
            bulletin.get_public_url(),
            "/public/challenges/",
        ]:
            public.goto(url)
            if (extra := sideways(public)) > 0:
                too_wide.append((size["width"], "public", url, extra))
        for username in ROLES:
            page = new_page()
            page.set_viewport_size(size)
            sign_in(page, username)
            for url in main_pages(username):
                response = page.goto(url)
                assert response.status == 200, (username, url, response.status)
                if (extra := sideways(page)) > 0:
                    too_wide.append((size["width"], username, url, extra))
    assert not too_wide, too_wide
    # One demo park for the checks below (building it takes a while).
    check_the_phone_menu_opens_from_its_button(new_page)


def check_the_phone_menu_opens_from_its_button(new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "secretariat")
    nav = page.locator("nav.mainnav")
    assert not nav.is_visible()
    page.click("label.menu-button")
    assert nav.is_visible()
    assert nav.locator("a").count() >= 5
    # The menu's top is on the first screen; its links are one under the other.
    first, second = nav.locator("a").nth(0).bounding_box(), nav.locator("a").nth(1).bounding_box()
    assert second["y"] > first["y"]
    wide = new_page()
    wide.set_viewport_size(DESKTOP)
    sign_in(wide, "secretariat")
    assert wide.locator("nav.mainnav").is_visible()
    assert not wide.locator("label.menu-button").is_visible()


def test_the_enterprise_rates_before_reading_the_history(new_page, make_problem, cast):
    problem = make_problem("in_progress")
    for step in range(12):  # a long history, as a problem has after weeks of work
        actions.report_progress(
            problem, actor=cast.power_officer, note=f"第{step + 1}次进展：处理中。"
        )
    actions.complete(problem, actor=cast.power_officer, report="已更换故障开关。")
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, cast.acme_contact.username)
    page.goto(problem.get_absolute_url())
    rating = page.locator("#action-rate")
    assert rating.is_visible()
    form_top = rating.bounding_box()["y"]
    history_top = page.locator("section.timeline-card").bounding_box()["y"]
    assert form_top < history_top
    assert sideways(page) <= 0
