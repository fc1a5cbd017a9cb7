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
    refused = client.post("/open311/v2/requests.json",
                          {"service_code": category.code, "description": "停电"})  # fmt: skip
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key(cast.acme_contact), "service_code": category.code,
         "description": "厂区停电两小时", "attribute[urgency]": "urgent"},
    )  # fmt: skip
    assert response.status_code == 201
    number = response.json()[0]["service_request_id"]
    problem = Problem.objects.get(number=number)
    assert (problem.enterprise, problem.urgency, problem.channel) == (cast.acme, "urgent", "online")
    assert problem.events.get().action == "raise"


def test_secretariat_posts_for_an_enterprise_by_account_id_or_email(client, cast, category):
    secret = key(cast.secretariat)
    by_code = client.post("/open311/v2/requests.xml", {
        "api_key": secret, "service_code": category.code, "description": "x",
        "account_id": cast.globex.credit_code})  # fmt: skip
    assert by_code.status_code == 201
    root = ElementTree.fromstring(by_code.content)
    number = root.find("request/service_request_id").text
    assert Problem.objects.get(number=number).enterprise == cast.globex
    by_email = client.post("/open311/v2/requests.json", {
        "api_key": secret, "service_code": category.code, "description": "y",
        "email": "acme@example.org"})  # fmt: skip
    assert (
        Problem.objects.get(number=by_email.json()[0]["service_request_id"]).enterprise == cast.acme
    )
    missing = client.post(
        "/open311/v2/requests.json",
        {"api_key": secret, "service_code": category.code, "description": "z"},
    )
    assert missing.status_code == 400 and Problem.objects.count() == 2


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
    token = client.get(f"/open311/v2/tokens/{problem.number}.json", {"api_key": secret}).json()
    assert token[0]["service_request_id"] == problem.number


def test_without_a_key_only_public_fields_of_accepted_problems(client, cast, make_problem):
    accepted = make_problem("assigned")
    hidden = make_problem()  # still awaiting acceptance
    rows = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [accepted.number]
    assert rows[0]["description"] == accepted.title and rows[0]["address"] == ""
    assert client.get(f"/open311/v2/requests/{hidden.number}.json").status_code == 404


def test_enterprise_key_sees_only_its_own_requests(client, cast, make_problem):
    mine = make_problem()
    theirs = make_problem(enterprise=cast.globex)
    secret = key(cast.acme_contact)
    rows = client.get("/open311/v2/requests.json", {"api_key": secret}).json()
    assert [r["service_request_id"] for r in rows] == [mine.number]
    assert client.get(f"/open311/v2/requests/{theirs.number}.xml",
                      {"api_key": secret}).status_code == 404  # fmt: skip
