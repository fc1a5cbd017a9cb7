"""One KPI module everywhere: on the same data the bulletin (draft and published), the API
(bulletin and live figures), the leader overview, the dashboard and the unit's home show the
same counts and rates — all from ``qingdan.problems.kpis``."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from qingdan.api.models import issue_token
from qingdan.bulletins import actions as bulletin_actions
from qingdan.problems import actions
from qingdan.problems.kpis import percent
from qingdan.problems.models import Satisfaction
from qingdan.projects import dashboard

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
WEEK = date(2026, 11, 9)
AS_OF = datetime(2026, 11, 17, 12, 0, tzinfo=BEIJING)


def at(month, day, hour=10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=BEIJING), tick=False)


@pytest.fixture
def data(make_problem, cast):
    with at(11, 9):
        a = make_problem("in_progress")
        b = make_problem("in_progress")
        c = make_problem("assigned", lead_unit=cast.water)
        actions.sign_for(c, actor=cast.water_officer)
        d = make_problem("in_progress")
    with at(11, 12):
        actions.complete(a, actor=cast.power_officer, report="好")
        actions.complete(d, actor=cast.power_officer, report="好")
        actions.rate(
            d,
            actor=cast.acme_contact,
            solved=False,
            satisfaction=Satisfaction.UNSATISFIED,
            comment="没修好",
        )
        actions.rate(a, actor=cast.acme_contact, solved=True, satisfaction=Satisfaction.SATISFIED)
    with at(11, 17, 9):  # after the deadline of 11-16: late; then sent back
        actions.complete(c, actor=cast.water_officer, report="好")
        actions.rate(
            c,
            actor=cast.acme_contact,
            solved=False,
            satisfaction=Satisfaction.UNSATISFIED,
            comment="没修好",
        )
    return b


KEYS = ("resolved", "redone", "on_time_rate")


def test_every_place_shows_the_same_figures(data, cast, client):
    cache.clear()
    with time_machine.travel(AS_OF, tick=False):
        draft = bulletin_actions.generate_draft(WEEK, actor=cast.secretariat)
        units = {row["unit"]: {k: row[k] for k in KEYS} for row in draft.content["units"]}
        overall = {k: draft.content["overall"][k] for k in KEYS}
        # Hand-checked: power resolved 1 (a; d is back in redo), redone 1 (d); on time 2 of 3
        # due (a and d first completed 11-12; b's deadline 11-16 has passed undone).
        assert units["供电公司"] == {"resolved": 1, "redone": 1, "on_time_rate": "0.6667"}
        assert units["自来水公司"] == {"resolved": 0, "redone": 1, "on_time_rate": "0.0000"}

        # The leader overview (this year's cohort = this week here).
        client.force_login(cast.leader)
        rows = client.get(reverse("problems:overview")).context["rows"]
        by_unit = {r["lead_unit__name"]: {k: r[k] for k in KEYS} for r in rows}
        assert by_unit == units
        totals = client.get(reverse("problems:overview")).context["totals"]
        assert (
            {k: totals[k] for k in KEYS}
            == overall
            == {"resolved": 1, "redone": 2, "on_time_rate": "0.5000"}
        )

        # The dashboard (last week, computed: no bulletin published).
        week = dashboard.week_figures()
        assert week["week"] == WEEK.isoformat()
        assert {r["unit"]: {k: r[k] for k in KEYS} for r in week["units"]} == units

        # The API's live figures.
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.leader, name='t')[1]}"}
        live = client.get(f"/api/v1/figures/week/{WEEK.isoformat()}", **auth).json()
        assert {u["unit"]: {k: u["figures"][k] for k in KEYS} for u in live["units"]} == units

        # The unit's home.
        client.force_login(cast.power_officer)
        home = client.get(reverse("home"))
        assert home.context["on_time_rate"] == percent("0.6667") == "66.67%"
        assert 'data-kpi="on_time_rate"' in home.content.decode()

        # Published, and read back through the public API.
        published = bulletin_actions.publish(draft, actor=cast.secretariat, confirm=True)
    body = client.get(f"/api/v1/bulletins/{WEEK.isoformat()}/v1").json()
    assert {r["unit"]: {k: r[k] for k in KEYS} for r in body["content"]["units"]} == units
    assert published.content["units"] == draft.content["units"]
