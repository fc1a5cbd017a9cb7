"""A Content-Security-Policy on every page, and the pages still work under it: Chromium reports
every violation (securitypolicyviolation events and console errors), and there must be none."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import login
from qingdan.bulletins import actions as bulletin_actions
from qingdan.bulletins.content import monday_of
from qingdan.lib import clock
from qingdan.problems.models import HolidayOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push([e.violatedDirective, e.blockedURI || "inline",
                    e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber, e.sample].join(" "));
});
"""


def watched(new_page):
    page = new_page()
    page.context.add_init_script(WATCH)
    errors = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    return page, errors


def visit(page, url, ready="body"):
    response = page.goto(url, timeout=30_000)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy or "script-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    page.wait_for_selector(ready, timeout=30_000)  # the API docs render a large schema
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


def test_pages_charts_api_docs_and_admin_run_without_csp_violations(new_page, cast, make_problem):
    problem = make_problem("in_progress")
    HolidayOverride.objects.create(date="2026-12-31", is_workday=False, note="测试")
    week = monday_of(clock.today()) - timedelta(days=7)  # a week that has ended
    bulletin = bulletin_actions.generate_draft(week, actor=cast.secretariat)
    bulletin_actions.publish(bulletin, actor=cast.secretariat, confirm=True)
    bulletin.refresh_from_db()

    anonymous, errors = watched(new_page)
    for url in [reverse("login"), "/public/bulletins/", bulletin_public_url(bulletin)]:
        assert visit(anonymous, url) == [], url

    leader, errors_leader = watched(new_page)
    login(leader, "t-leader")
    assert visit(leader, reverse("projects:dashboard"), "[data-chart] canvas") == []
    leader.hover("[data-chart] canvas")  # the tooltip draws without inline styles
    leader.mouse.move(200, 300)
    assert leader.evaluate("window.__csp") == []

    staff, errors_staff = watched(new_page)
    login(staff, "t-admin")
    for url, ready in [
        (reverse("home"), "main"),
        (reverse("problems:list"), "main"),
        (problem.get_absolute_url(), "main"),
        (reverse("bulletins:internal", args=[week, bulletin.version]), "#bulletin-chart canvas"),
        (reverse("bulletins:download", args=[week, bulletin.version, "html"]), "article"),
        ("/api/v1/docs", ".swagger-ui .opblock"),
        (reverse("admin:index"), "#content"),
        (reverse("admin:problems_problem_changelist"), "#result_list"),
        (reverse("admin:accounts_unit_change", args=[cast.power.pk]), "#unit_form"),
        (reverse("admin:problems_holidayoverride_add"), ".datetimeshortcuts"),
        (reverse("admin:projects_project_add"), "#project_form"),
    ]:
        assert visit(staff, url, ready) == [], url
    staff.goto(reverse("admin:problems_holidayoverride_add"))
    staff.click(".datetimeshortcuts a:last-child")  # the calendar pop-up, admin's own JS
    staff.wait_for_selector(".calendarbox", state="visible")
    staff.goto("/api/v1/docs")
    staff.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    staff.locator(".opblock-summary >> visible=true").first.click()  # Swagger UI expands one
    staff.wait_for_selector(".opblock-body")
    assert staff.evaluate("window.__csp") == []
    assert errors == errors_leader == errors_staff == []


def bulletin_public_url(bulletin) -> str:
    return reverse("public:bulletin", args=[bulletin.week_start, bulletin.version])
