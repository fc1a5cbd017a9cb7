from datetime import date, datetime
from xml.etree import ElementTree

import pytest

from qingdan.api.models import issue_token
from qingdan.problems import actions
from qingdan.problems.models import Problem

pytestmark = pytest.mark.django_db


def key(user):
    return issue_token(user, name="open311")[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_services_and_definitions_in_both_formats(client, category, fmt):
    for path in ("discovery", "services", f"services/{category.code}"):
        response = client.get(f"/open311/v2/{path}.{fmt}")
        assert response.status_code == 200, path
        if fmt == "xml":
            assert response["Content-Type"].startswith("text/xml")
            ElementTree.fromstring(response.content)  # well-formed
    services = client.get("/open311/v2/services.json").json()
    assert category.code in {s["service_code"] for s in services}
    definition = client.get(f"/open311/v2/services/{category.code}.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["urgency", "may_name_publicly"]
    missing = client.get(f"/open311/v2/services/nope.{fmt}")
    assert missing.status_code == 404


def test_post_request_needs_an_api_key_and_maps_to_a_problem(client, cast, category):
    refused = client.post(
        "/open311/v2/requests.json", {"service_code": category.code, "description": "停电"}
    )
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key(cast.acme_contact),
            "service_code": category.code,
            "description": "厂区停电两小时",
            "attribute[urgency]": "urgent",
        },
    )
    assert response.status_code == 201
    problem = Problem.objects.get()
    assert (problem.enterprise, problem.urgency, problem.channel) == (cast.acme, "urgent", "online")
    assert problem.title == "厂区停电两小时"  # GeoReport has no title: the description's first line
    assert problem.events.get().action == "raise"
    # Moderated intake: not public yet, so the answer is a token, not the id.
    answer = response.json()[0]
    assert answer["token"] and "service_request_id" not in answer


def test_a_third_party_client_follows_its_request_from_token_to_id(client, cast, category):
    secret = key(cast.acme_contact)
    answer = client.post(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_code": category.code, "description": "停电"},
    ).json()[0]
    token_url = f"/open311/v2/tokens/{answer['token']}.json"
    waiting = client.get(token_url).json()[0]
    assert waiting["service_request_id"] is None  # not accepted yet
    problem = Problem.objects.get()
    # The submitter, with its key, sees the request at once; the anonymous public does not.
    mine = client.get(f"/open311/v2/requests/{problem.number}.json", {"api_key": secret})
    assert mine.status_code == 200
    assert client.get(f"/open311/v2/requests/{problem.number}.json").status_code == 404
    actions.accept(problem, actor=cast.secretariat)
    assert client.get(token_url).json()[0]["service_request_id"] == problem.number
    assert client.get("/open311/v2/tokens/not-a-token.json").status_code == 404


def test_secretariat_posts_for_an_enterprise_by_account_id_never_by_email(client, cast, category):
    secret = key(cast.secretariat)
    by_code = client.post(
        "/open311/v2/requests.xml",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "x",
            "account_id": cast.globex.credit_code,
        },
    )
    assert by_code.status_code == 201
    ElementTree.fromstring(by_code.content).find("request/token")
    assert Problem.objects.get().enterprise == cast.globex
    # An e-mail address is unverified and not unique: it never decides the enterprise.
    cast.globex_contact.email = "acme@example.org"
    cast.globex_contact.save()
    by_email = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "y",
            "email": "acme@example.org",
        },
    )
    assert by_email.status_code == 400 and "account_id" in by_email.json()[0]["description"]
    assert Problem.objects.count() == 1


def test_open311_submissions_keep_the_same_bounds_as_every_channel(client, cast, category):
    secret = key(cast.acme_contact)
    long_title = client.post(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_code": category.code, "description": "x", "title": "长" * 121},
    )
    assert long_title.status_code == 400 and "title" in long_title.json()[0]["description"]
    nul = client.post(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_code": category.code, "description": "a\x00b"},
    )
    assert nul.status_code == 400
    assert not Problem.objects.exists()


def test_a_revoked_key_is_refused_not_treated_as_anonymous(client, cast, make_problem):
    token, secret = issue_token(cast.secretariat, name="old")
    token.revoked = token.created
    token.save()
    for url in ("/open311/v2/requests.json", "/open311/v2/requests/QD-2026-000001.json"):
        response = client.get(url, {"api_key": secret})
        assert response.status_code == 403, url


def test_get_requests_fields_filters_and_limits(client, cast, make_problem):
    problem = make_problem("in_progress")
    actions.report_progress(problem, actor=cast.power_officer, note="已派人检修")
    declined = make_problem()
    actions.decline(declined, actor=cast.secretariat, reason="不属于园区事项")
    secret = key(cast.secretariat)
    rows = client.get("/open311/v2/requests.json", {"api_key": secret}).json()
    row = next(r for r in rows if r["service_request_id"] == problem.number)
    assert row["agency_responsible"] == cast.power.name
    assert row["status"] == "open" and row["status_notes"] == "已派人检修"
    assert row["expected_datetime"].startswith(problem.deadline.isoformat())
    closed = client.get("/open311/v2/requests.json", {"api_key": secret, "status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [declined.number]
    one = client.get(f"/open311/v2/requests/{problem.number}.json", {"api_key": secret}).json()
    assert one[0]["description"] == problem.description
    too_long = client.get(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "start_date": "2026-01-01T00:00:00Z",
            "end_date": "2026-06-01T00:00:00Z",
        },
    )
    assert too_long.status_code == 400
    by_ids = client.get(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_request_id": f"{problem.number},{declined.number}"},
    )
    assert len(by_ids.json()) == 2


def test_without_a_key_only_what_a_published_bulletin_showed(client, cast, make_problem):
    import time_machine

    from qingdan.bulletins import actions as bulletin_actions
    from qingdan.lib import clock

    with time_machine.travel(datetime(2026, 11, 16, 19, 30, tzinfo=clock.BEIJING), tick=False):
        named = make_problem("in_progress")
        anonymous = make_problem("assigned", title="不公开名称的问题")
        anonymous.may_name_publicly = False
        anonymous.save(update_fields=["may_name_publicly"])
        hidden = make_problem()  # still awaiting acceptance
    actions.report_progress(named, actor=cast.power_officer, note="联系人电话13800000000")
    # Nothing is public before a bulletin is published.
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{named.number}.json").status_code == 404
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=clock.BEIJING), tick=False):
        draft = bulletin_actions.generate_draft(date(2026, 11, 16), actor=cast.secretariat)
        bulletin_actions.publish(draft, actor=cast.secretariat, confirm=True)
        rows = client.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in rows} == {named.number, anonymous.number}
    text = str(rows)
    assert "13800000000" not in text and cast.acme.name not in text  # no free text, no names
    assert all(r["status_notes"] == "" and r["address"] == "" for r in rows)
    row = next(r for r in rows if r["service_request_id"] == named.number)
    assert row["description"] == named.title and row["agency_responsible"] == cast.power.name
    assert client.get(f"/open311/v2/requests/{hidden.number}.json").status_code == 404


def test_enterprise_key_sees_only_its_own_requests(client, cast, make_problem):
    mine = make_problem()
    theirs = make_problem(enterprise=cast.globex)
    secret = key(cast.acme_contact)
    rows = client.get("/open311/v2/requests.json", {"api_key": secret}).json()
    assert [r["service_request_id"] for r in rows] == [mine.number]
    assert (
        client.get(f"/open311/v2/requests/{theirs.number}.xml", {"api_key": secret}).status_code
        == 404
    )
