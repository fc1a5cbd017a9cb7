"""Inputs the API fuzz test (test_fuzz.py) once found to fail, kept so they never come back."""

import pytest

from qingdan.api.models import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(cast):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.secretariat, name='t')[1]}"}


@pytest.mark.parametrize("value", ["100000000000000000000000", str(2**63), "0", "-1"])
def test_a_unit_id_outside_the_id_range_is_refused_not_a_server_error(client, auth, value):
    response = client.get("/api/v1/problems", {"unit": value}, **auth)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["unit"]


def test_the_largest_unit_id_finds_nothing(client, auth, make_problem):
    make_problem("assigned")
    response = client.get("/api/v1/problems", {"unit": str(2**63 - 1)}, **auth)
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/following", {"challenge": "JB-2026-001\x00"}),
        ("post", "/api/v1/problems", {"title": "停\x00电", "description": "x", "category": "a"}),
        ("get", "/api/v1/problems/similar?text=a%00b", None),
        ("get", "/api/v1/enterprises?q=%00", None),
    ],
)
def test_a_null_character_anywhere_is_refused_before_any_view(client, auth, method, url, body):
    import json

    if method == "post":
        response = client.post(url, json.dumps(body), content_type="application/json", **auth)
    else:
        response = client.get(url, **auth)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_a_null_character_in_a_form_or_open311_is_refused(client, cast):
    client.force_login(cast.secretariat)
    assert client.get("/problems/", {"q": "a\x00"}).status_code == 400
    assert client.post("/following/change/", {"problem": "QD\x00"}).status_code == 400
    open311 = client.post("/open311/v2/requests.xml", {"description": "\x00"})
    assert open311.status_code == 400 and open311["Content-Type"].startswith("text/xml")


def test_an_id_list_with_an_id_outside_the_range_is_refused_not_a_server_error(client, auth, cast):
    """Found by the fuzz test: a list of ids (a challenge's invited enterprises) with one beyond
    64 bits reached the database (OverflowError on SQLite)."""
    response = client.post(
        "/api/v1/challenges",
        {
            "title": "x",
            "goal": "",
            "owner_unit": cast.secretariat_unit.pk,
            "problem": None,
            "application_deadline": "2030-05-06",
            "delivery_deadline": "2031-03-12",
            "support_funds_wan_yuan": "0.00",
            "may_name_enterprises": True,
            "enterprises": [5, -43523294550603284480],
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
